"""Phrase lists searched through a word index (healthlint/checks/phrase_search.py).

The index may only skip positions where the whole alternation cannot match, so every search
here is compared with the plain regex search on the same text: the trust family's own phrase
lists over generated texts that mix their first words with case changes, punctuation, hyphens,
characters that fold onto ASCII letters (İ ı ſ K), words cut by a block's or sentence's end, and
blocks out of order. Each generated text is checked to be served by the index.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from healthlint.checks import trust
from healthlint.checks.phrase_search import FirstWords, FirstWordsTable, PhraseList, first_words, table_json, word_index
from healthlint.document import Document
from healthlint.files import decode
from healthlint.patterns import phrase_alternation

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Block:
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def fw(source: str, flags: int = re.IGNORECASE) -> FirstWords | None:
    return first_words(phrase_alternation([source]), flags)


# -- what a phrase can begin with -------------------------------------------------------------------
@pytest.mark.parametrize("phrase, exact, prefixes", [
    ("symptoms?", {"symptom", "symptoms"}, ()),
    ("treat(?:s|ed|ing|ment|ments)?", {"treat", "treats", "treated", "treating", "treatment", "treatments"}, ()),
    ("seek (?:\\w+ ){0,2}medical advice", {"seek"}, ()),
    ("side[-\\s]effects?", {"side"}, ()),
    ("(?:never|do not|don't) ignore", {"never", "do", "don"}, ()),
    ("(?:cortico)?steroids?", {"corticosteroid", "corticosteroids", "steroid", "steroids"}, ()),
    ("contraindicat\\w*", set(), ("contraindicat",)),
    ("health ?visitor", {"health", "healthvisitor"}, ()),
    ("A&E", {"a"}, ()),
    ("911", {"911"}, ()),
    ("caf\u00e9 au lait", set(), ("caf",)),  # a non-ASCII letter: the word only begins with "caf"
])
def test_first_words_of_a_phrase(phrase, exact, prefixes):
    assert fw(phrase) == FirstWords(frozenset(exact), prefixes)


@pytest.mark.parametrize("source, flags", [
    (phrase_alternation(["(?:\\w+ )?advice"]), re.I),  # may begin with any word
    (phrase_alternation(["[^a] b"]), re.I),  # may begin with anything
    (phrase_alternation(["-ish"]), re.I),  # begins with a non-word character
    (phrase_alternation(["x?"]), re.I),  # may match nothing
    ("advice", re.I),  # no word boundary before it: may begin inside a word
    (phrase_alternation(["advice"]), re.I | re.ASCII),  # \w means less than the index's words
    (phrase_alternation(["(?a:advice)"]), re.I),
    (phrase_alternation(["(unclosed"]), re.I),
])
def test_first_words_unknown(source, flags):
    assert first_words(source, flags) is None


def test_sources_are_the_alternations_they_replace():
    phrases = ["symptoms?", "warning signs?", "seek (?:\\w+ ){0,2}help"]
    assert PhraseList.of(phrases).source() == phrase_alternation(phrases)
    signs = [("s0", ["chest pains?", "pain in (?:the )?chest"]), ("s1", ["slurred speech"])]
    assert PhraseList(signs).source() == r"(?<![\w-])(?:(?P<s0>chest\s+pains?|pain\s+in\s+(?:the\s+)?chest)|(?P<s1>slurred\s+speech))(?![\w-])"


# -- searching gives what the whole alternation gives ----------------------------------------------
LISTS = list({id(p): p for p in trust.builtin_phrase_lists()}.values())
# Not "İ": it lower-cases to two characters, and a text holding it is searched whole (tested below).
NOISE = ["the", "a", "is", "of", "care", "-", "--", "’s", "'s", "é", "x", "ı", "ſ", "\u212a", "_", "1", "2024"]
PUNCT = [" ", " ", " ", "  ", "\n", ", ", ". ", "-", "(", ")", "’", "\t", ":"]


def _vocabulary() -> list[str]:
    words = set()
    for phrases in LISTS:
        for f in phrases._first:
            words |= f.exact
            words |= {p + s for p in f.prefixes for s in ("", "ion", "ed")}
    return sorted(words) + ["doctor", "pharmacist", "911", "emergency", "advice", "help", "care", "chest", "pain",
                            "breathing", "suicide", "information", "only", "substitute", "for", "medical"]


VOCABULARY = _vocabulary()


def _text(rng: random.Random, words: int) -> tuple[str, list[int]]:
    """A text, and the offsets where its words begin and end (a quarter of the words are glued
    to the one before, so an offset there is inside a word of the text)."""
    out: list[str] = []
    offsets: list[int] = []
    size = 0
    for _ in range(words):
        word = rng.choice(VOCABULARY) if rng.random() < 0.7 else rng.choice(NOISE)
        case = rng.random()
        word = word.upper() if case < 0.1 else word.capitalize() if case < 0.3 else word
        if rng.random() < 0.03:  # a letter that folds onto ASCII, inside a word
            i = rng.randrange(len(word) + 1)
            word = word[:i] + rng.choice("ſ\u212aıé") + word[i:]
        gap = "" if rng.random() < 0.25 else rng.choice(PUNCT)
        offsets += [size, size + len(word)]
        out.append(word + gap)
        size += len(word) + len(gap)
    return "".join(out), offsets


def _cuts(rng: random.Random, offsets: list[int], n: int) -> list[int]:
    return sorted(set(rng.sample(offsets, min(n, len(offsets)))))


def _blocks(rng: random.Random, offsets: list[int]) -> list[Block]:
    cuts = _cuts(rng, offsets, rng.randint(2, 12))
    blocks = [Block(a, b) for a, b in zip(cuts, cuts[1:]) if rng.random() < 0.85]
    if rng.random() < 0.2:
        rng.shuffle(blocks)  # out of text order: searched one block at a time
    return blocks


def _doc(text: str) -> Document:
    return Document("generated.txt", text, plain=True)


def _same(a: re.Match | None, b: re.Match | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.lastgroup == b.lastgroup and a.group() == b.group()


@pytest.mark.parametrize("seed", range(12))
def test_search_matches_the_whole_alternation(seed):
    rng = random.Random(seed)
    text, offsets = _text(rng, 400)
    doc = _doc(text)
    text = doc.masked  # the same length: the offsets still hold
    assert word_index(doc).usable
    for phrases in LISTS:
        whole = phrases.pattern
        for _ in range(6):
            blocks = _blocks(rng, offsets)
            expected = next((m for b in blocks if (m := whole.search(text, b.start, b.end))), None)
            assert _same(phrases.search_blocks(doc, blocks), expected), (phrases.raw[:2], blocks)
            start, end = _cuts(rng, offsets, 2) if rng.random() < 0.8 else sorted(rng.sample(range(len(text) + 1), 2))
            assert _same(phrases.search(doc, start, end), whole.search(text, start, end))
            got = [m.span() for m in phrases.finditer(doc, start, end)]
            assert got == [m.span() for m in whole.finditer(text, start, end)]


@pytest.mark.parametrize("seed", range(8))
def test_sentence_search_matches_the_whole_alternation(seed):
    rng = random.Random(100 + seed)
    text, offsets = _text(rng, 300)
    doc = _doc(text)
    text = doc.masked
    assert word_index(doc).usable
    cuts = _cuts(rng, offsets, 60)
    sentences = [Sentence(a, b, text[a:b]) for a, b in zip(cuts, cuts[1:])]  # many begin or end inside a word
    for phrases in LISTS:
        for s in sentences:
            assert _same(phrases.search_sentence(doc, s), phrases.pattern.search(s.text)), (phrases.raw[:2], s)
        expected = [(s, m.span()) for s in sentences if (m := phrases.pattern.search(s.text))]
        assert [(s, m.span()) for s, m in phrases.search_sentences(doc, sentences)] == expected


def test_text_that_lower_cases_longer_is_searched_whole():
    doc = _doc("İstanbul: call 911 now. See a doctor.")
    assert not word_index(doc).usable
    advice = trust._advice_phrases({})
    assert advice.search(doc, 0, len(doc.masked)).group() == "call 911"


def test_letters_that_fold_onto_ascii_are_found():
    doc = _doc("Call 911 now. ſee a doctor. \u212aill the pain.")  # ſ is s, K (Kelvin) is k, case-insensitively
    advice = trust._advice_phrases({})
    assert [m.group() for m in advice.finditer(doc, 0, len(doc.masked))] == ["Call 911", "ſee a doctor"]
    doc = _doc("The dıagnosis (dotless ı) is the diagnosis.")
    assert [m.group() for m in PhraseList.of(["diagnos(?:is|es)"]).finditer(doc, 0, len(doc.masked))] == ["dıagnosis", "diagnosis"]


def test_words_with_other_letters_are_tried_where_a_phrase_can_go_on_with_any_letter():
    phrases = PhraseList.of(["contraindicat\\w*", "cafe", "caf[eé] au lait"])
    doc = _doc("Contraindicatéd here; a café au lait spot; a cafe.")
    assert [m.group() for m in phrases.finditer(doc, 0, len(doc.masked))] == ["Contraindicatéd", "café au lait", "cafe"]


def test_a_word_cut_by_the_end_of_a_block_is_tried_as_cut():
    doc = _doc("You should see a doctorate holder. Symptomsxyz")
    topics = PhraseList.of(["symptoms?", "doctor"])
    text = doc.masked
    cut = text.index("ate holder")
    assert topics.search(doc, 0, cut).group() == "doctor"  # "doctor|ate": the regex sees "doctor"
    assert topics.search(doc, 0, len(text)) is None
    assert topics.search(doc, text.index("Symptoms"), len(text) - 3).group() == "Symptoms"


def test_an_empty_list_never_matches():
    doc = _doc("Anything at all.")
    nothing = PhraseList.of([])
    assert not nothing
    assert nothing.search(doc, 0, 10) is None
    assert nothing.search_blocks(doc, [Block(0, 10)]) is None
    assert list(nothing.finditer(doc, 0, 10)) == []


def test_a_phrase_that_may_begin_anywhere_searches_the_list_whole():
    phrases = PhraseList.of(["(?:\\w+ )?advice", "see a doctor"])
    doc = _doc("Take advice. See a doctor.")
    assert phrases._candidates(word_index(doc)) is None
    assert [m.group() for m in phrases.finditer(doc, 0, len(doc.masked))] == ["Take advice", "See a doctor"]


def test_searches_are_remembered_per_document():
    doc = _doc("Talk to your pharmacist.")
    advice = trust._advice_phrases({})
    first = advice.search(doc, 0, len(doc.masked))
    assert advice.search(doc, 0, len(doc.masked)) is first
    assert _doc("Talk to your pharmacist.") is not doc and word_index(doc).memo


def test_nih_answers_match_the_whole_alternation():
    """Every built-in list on real articles (the examples, and the NIH set when it is there)."""
    paths = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT.parent / "shared" / "data" / "nih-dev").glob("*.md"))[:40]
    for path in paths:
        doc = Document(str(path), decode(path.read_bytes())[0])
        for phrases in LISTS:
            for b in doc.blocks:
                assert _same(phrases.search(doc, b.start, b.end), phrases.pattern.search(doc.masked, b.start, b.end)), path
            for s in doc.sentences:
                assert _same(phrases.search_sentence(doc, s), phrases.pattern.search(s.text)), path


# -- the first words worked out ahead of time ----------------------------------------------------
def test_first_words_file_is_current():
    """healthlint/data/trust-first-words.json must match the phrase lists: after changing
    healthlint/data/trust.yaml, run python scripts/build_first_words.py."""
    path = ROOT / "healthlint" / "data" / "trust-first-words.json"
    assert path.read_text(encoding="utf-8") == table_json(trust.builtin_phrase_lists()), \
        "healthlint/data/trust-first-words.json is out of date: run python scripts/build_first_words.py"


def test_first_words_file_is_read_and_a_missing_or_broken_one_is_not_needed(tmp_path):
    phrases = ["symptoms?", "seek help"]
    table_file = tmp_path / "first.json"
    table_file.write_text(table_json([PhraseList.of(phrases)]), encoding="utf-8")
    table = FirstWordsTable(table_file)
    assert table.entries[PhraseList.of(phrases).source((0,))] == FirstWords(frozenset({"symptom", "symptoms"}), ())
    for broken in ("{not json", '{"flags": 2}', '{"flags": 2, "patterns": {"x": 3}}', "[]"):
        table_file.write_text(broken, encoding="utf-8")
        assert FirstWordsTable(table_file).entries == {}
    listed = PhraseList.of(phrases, table=FirstWordsTable(tmp_path / "missing.json"))
    doc = _doc("If it hurts, seek help.")
    assert listed.search(doc, 0, len(doc.masked)).group() == "seek help"
