"""HL4xx checks that need more than a word list: reading grade, long paragraphs, passive voice.

The word lists (reference headings, participles, abbreviations, risk phrasings) live in
``healthlint/data/readability.yaml`` and are compiled once, on first use. What several rules
derive from a document (its body sentences, the words of each sentence) is worked out once per
document and kept while the document lives (see :func:`per_document`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, wraps
from itertools import chain
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from healthlint.datafiles import load_yaml
from healthlint.patterns import literal_alternation, literal_body

from healthlint.checks import register
from healthlint.checks.grade import TextCounts, count_words, flesch_kincaid, grade
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING, LIST_ITEM, TABLE_CELL
from healthlint.ruletypes import PARAGRAPH_KINDS, first_line_anchor

_DATA_FILE = "readability.yaml"


def load_data(name: str = _DATA_FILE) -> dict[str, Any]:
    """A YAML data file of ``healthlint/data``, read once."""
    return load_yaml(name)


T = TypeVar("T")


def per_document(derive: Callable[[Any], T]) -> Callable[[Any], T]:
    """``derive(doc)`` worked out once per document, and forgotten with the document."""
    memo: WeakKeyDictionary[Any, T] = WeakKeyDictionary()

    @wraps(derive)
    def cached(doc) -> T:
        try:
            return memo[doc]
        except KeyError:
            value = memo[doc] = derive(doc)
            return value
        except TypeError:  # a stand-in document that cannot be weakly referenced
            return derive(doc)

    return cached


_NOT_BODY = (HEADING, FOOTNOTE, TABLE_CELL)


@per_document
def body_sentences(doc) -> list:
    """The sentences readers read as running text: not headings, footnotes or table cells.

    Shared between rules: do not modify.
    """
    return [s for s in doc.sentences if s.block.kind not in _NOT_BODY]


@per_document
def sentence_words(doc) -> list[list[str]]:
    """The words of each of ``doc.sentences``, in the same order (shared: do not modify)."""
    return [doc.words(s.start, s.end) for s in doc.sentences]


@per_document
def body_sentence_words(doc) -> list[tuple[Any, list[str]]]:
    """Each of :func:`body_sentences` with its words (shared: do not modify)."""
    return [(s, w) for s, w in zip(doc.sentences, sentence_words(doc)) if s.block.kind not in _NOT_BODY]


@per_document
def _sentence_starts(doc) -> list[int]:
    return [s.start for s in doc.sentences]


def sentence_range(doc, block) -> tuple[int, int]:
    """The indices ``lo, hi`` of the sentences that start in ``block`` (as ``doc.sentences_between``)."""
    starts = _sentence_starts(doc)
    return bisect_left(starts, block.start), bisect_left(starts, block.end)


def block_word_count(doc, block) -> int:
    """``len(doc.words(block.start, block.end))``, added up from its sentences' words when they tile it."""
    lo, hi = sentence_range(doc, block)
    if _tiled(doc.masked, block, doc.sentences[lo:hi]):
        return sum(map(len, sentence_words(doc)[lo:hi]))
    return len(doc.words(block.start, block.end))


def _tiled(text: str, block, sentences: list) -> bool:
    """True when ``sentences`` are all of ``block``, with only white space around them and no
    word running from one into the next: then the block's words are theirs, end to end."""
    prev = block.start
    for i, s in enumerate(sentences):
        if s.block is not block or not _blank(text, prev, s.start) or (i and s.start == prev and _joined(text, prev)):
            return False
        prev = s.end
    return _blank(text, prev, block.end)


def _blank(text: str, start: int, end: int) -> bool:
    return start == end or start < end and text[start:end].isspace()


def _joined(text: str, offset: int) -> bool:
    """Whether a word could run across ``offset`` (letters, digits or joiners on both sides)."""
    return 0 < offset < len(text) and _word_char(text[offset - 1]) and _word_char(text[offset])


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "-'’"


# -- HL401 reading-grade ------------------------------------------------------------------------
@dataclass(frozen=True)
class _GradeData:
    reference_heading: re.Pattern[str]
    reference_entry: re.Pattern[str]


@lru_cache(maxsize=1)
def _grade_data() -> _GradeData:
    data = load_data()
    return _GradeData(
        re.compile(rf"^\s*(?:{literal_alternation(data['reference_headings'])})\b", re.I),
        re.compile(data["reference_entry"], re.I),
    )


_NUMBERED = re.compile(r"\s*(?:\[\d+\]|\d+\.)\s")  # matched at the start of a block


def graded_blocks(doc) -> list:
    """The blocks the grade formulas count: prose, less headings, tables, footnotes and references.

    A reference section runs from a heading such as "References" to the next heading of the
    same or a higher level; a list item or numbered paragraph that reads like a citation
    ("Smith J, et al. 2019;12:...") is left out wherever it is.
    """
    gd = _grade_data()
    masked = doc.masked
    out = []
    in_refs: int | None = None  # level of the reference heading we are under
    for block in doc.blocks:
        if block.kind == HEADING:
            level = block.level or 1
            if in_refs is not None and level <= in_refs:
                in_refs = None
            if in_refs is None and gd.reference_heading.match(masked[block.start:block.end]):
                in_refs = level
            continue
        if in_refs is not None or block.kind in (FOOTNOTE, TABLE_CELL):
            continue
        if ((block.kind == LIST_ITEM or _NUMBERED.match(masked, block.start, block.end))
                and gd.reference_entry.search(masked[block.start:block.end])):
            continue
        out.append(block)
    return out


@dataclass(frozen=True)
class DocumentGrade:
    """A document's counts, its formula and grade, and where its hardest paragraph starts."""

    counts: TextCounts
    formula: str
    grade: float
    hardest_start: int


def document_grade(doc, smog_min_sentences: int = 30) -> DocumentGrade:
    """Grade the counted prose of ``doc`` (see :func:`graded_blocks`)."""
    starts, words = _sentence_starts(doc), sentence_words(doc)
    sentences = total_words = syllables = polysyllables = 0
    hardest: tuple[float, int] | None = None  # (grade, start) of the hardest paragraph of 20+ words
    for block in graded_blocks(doc):
        said = [w for w in words[bisect_left(starts, block.start):bisect_left(starts, block.end)] if w]
        counts = count_words(list(chain.from_iterable(said)), len(said))  # its sentences that have words
        sentences += counts.sentences
        total_words += counts.words
        syllables += counts.syllables
        polysyllables += counts.polysyllables
        if counts.words >= 20:
            value = flesch_kincaid(counts)
            if hardest is None or value > hardest[0]:
                hardest = (value, block.start)
    total = TextCounts(sentences, total_words, syllables, polysyllables)
    formula, value = grade(total, smog_min_sentences)
    return DocumentGrade(total, formula, value, hardest[1] if hardest else 0)


@register(
    "reading-grade",
    fields={"grade", "formula", "target", "sentences", "words", "words_per_sentence", "long_words", "hardest_line"},
    options={"max-grade": 8.0, "min-words": 100, "smog-min-sentences": 30},
)
def reading_grade(doc, rule, options, settings) -> Iterator[Hit]:
    """The document's grade (SMOG from 30 sentences, else Flesch-Kincaid) above the target."""
    g = document_grade(doc, int(options["smog-min-sentences"]))
    total = g.counts
    if total.words < options["min-words"] or not total.sentences or round(g.grade, 1) <= options["max-grade"]:
        return
    yield Hit(*first_line_anchor(doc), rule.message.format(
        grade=f"{g.grade:.1f}", formula=g.formula, target=_number(options["max-grade"]),
        sentences=total.sentences, words=total.words,
        words_per_sentence=f"{total.words / total.sentences:.0f}",
        long_words=f"{100 * total.polysyllables / total.words:.0f}",
        hardest_line=doc.position(g.hardest_start)[0],
    ))


def _number(value: float) -> str:
    return f"{value:g}"


# -- HL403 long-paragraph -----------------------------------------------------------------------
@register(
    "long-paragraph",
    fields={"sentences", "words", "limit"},
    options={"max": 6, "max-words": 150},
)
def long_paragraph(doc, rule, options, settings) -> Iterator[Hit]:
    """A paragraph over the sentence or word limit (a limit of 0 is off)."""
    max_sentences, max_words = options["max"], options["max-words"]
    all_words = sentence_words(doc)
    for block in doc.blocks:
        if block.kind not in PARAGRAPH_KINDS:
            continue
        lo, hi = sentence_range(doc, block)
        sentences = sum(1 for w in all_words[lo:hi] if w)
        words = block_word_count(doc, block)
        over = []
        if max_sentences and sentences > max_sentences:
            over.append(f"more than {max_sentences} sentences")
        if max_words and words > max_words:
            over.append(f"more than {max_words} words")
        if over:
            yield Hit(block.start, block.end, rule.message.format(sentences=sentences, words=words, limit=" and ".join(over)))


# -- HL404 passive-voice ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Passive:
    pattern: re.Pattern[str]
    not_passive: frozenset[str]


@lru_cache(maxsize=8)
def _passive(allow: tuple[str, ...]) -> _Passive:
    p = load_data()["passive"]
    between = rf"(?:{literal_alternation(p['between'])}|\w+ly)"
    not_participles = literal_alternation(p["not_participles"])
    participle = rf"(?:(?!(?:{not_participles})\b)(?!un[a-z]+ed\b)[a-z]{{2,}}ed|{literal_alternation(p['irregular'])})"
    # Compiled without re.I so that the search leaps to the first letters of "be" (see below).
    rest = rf"(?:\s+{between}){{0,2}}\s+(?P<part>{participle})(?![\w'’-])(?P<next>\s+[a-z]+)?"
    pattern = re.compile(rf"{word_start_alternation(p['be'])}(?i:{rest})")
    exempt = frozenset(" ".join(w.lower().split()) for w in [*p["not_passive"], *allow])
    return _Passive(pattern, exempt)


# Characters that a case-blind search takes for these ASCII letters, besides their two cases.
_OTHER_CASES = {"i": "ıİ", "k": "\u212a", "s": "ſ"}


def word_start_alternation(words: list[str]) -> str:
    """``(?i:\\b(?:word|...))`` for a pattern compiled without re.I, written so that the search
    leaps from letter to letter: it opens with a class of the words' first letters in every
    case, as the search engine does not leap to letters it compares case-blind.
    """
    words = [w.strip() for w in words if w.strip()]
    if not all(w.isascii() and w[0].isalpha() for w in words):
        return rf"(?i:\b(?:{literal_alternation(words)}))"
    rests: dict[str, set[str]] = {}
    for w in words:
        rests.setdefault(w[0].lower(), set()).add(w[1:])
    firsts = "".join(c + c.upper() + _OTHER_CASES.get(c, "") for c in sorted(rests))
    branches = "|".join(
        f"(?<={c})(?:" + "|".join(literal_body(r) for r in sorted(rest, key=lambda r: (-len(r), r))) + ")"
        for c, rest in sorted(rests.items())
    )
    return rf"[{firsts}](?<!\w[{firsts}])(?i:{branches})"


# "by" naming who acts, within a few words of the participle; "by mouth", "by doing" are means.
_AGENT = re.compile(r"(?:\s+[\w'’-]+){0,4}?\s+by\s+(?!mouth\b|hand\b|itself\b|themselves\b|\w+ing\b)", re.I)


@register(
    "passive-voice",
    fields={"match", "count"},
    options={"allow": [], "agentless-only": True, "min-per-paragraph": 2, "per-paragraph": 1},
)
def passive_voice(doc, rule, options, settings) -> Iterator[Hit]:
    """Be + past participle ("is diagnosed", "were given") in paragraphs that overuse it.

    By default a passive counts only when it does not say who acts ("a sample is taken", not
    "is caused by sun damage"); a paragraph is flagged when it has 'min-per-paragraph' of them,
    at its first ('per-paragraph' findings at most; 0 reports every one). Headings are skipped.
    """
    passive = _passive(tuple(options["allow"]))
    per_paragraph = options["per-paragraph"]
    by_block: dict[int, list[tuple[int, int]]] = {}
    for s in body_sentences(doc):
        by_block.setdefault(s.block.start, []).extend(_passives_in(doc, s, passive, options["agentless-only"]))
    for found in by_block.values():
        if not found or len(found) < options["min-per-paragraph"]:
            continue
        for start, end in found if per_paragraph <= 0 else found[:per_paragraph]:
            yield Hit(start, end, rule.message.format(match=" ".join(doc.text[start:end].split()), count=len(found)))


def _passives_in(doc, sentence, passive: _Passive, agentless_only: bool) -> Iterator[tuple[int, int]]:
    for m in passive.pattern.finditer(doc.masked, sentence.start, sentence.end):
        part = m.group("part").lower()
        following = (m.group("next") or "").strip().lower()
        if part in passive.not_passive or f"{part} {following}" in passive.not_passive:
            continue
        end = m.end("part")
        if agentless_only and _AGENT.match(doc.masked, end, sentence.end):
            continue
        yield m.start(), end
