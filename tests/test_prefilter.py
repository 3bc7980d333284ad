"""Literal prefilters (healthlint/prefilter.py): they may keep too much, never too little."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from re import _constants as sre
from re import _parser

import pytest

from healthlint.prefilter import FOLD_TRAPS, Needles, Probes, needles, probe

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def single_spaced(text: str) -> str:
    return " ".join(text.split())


def corpus_sentences() -> list[str]:
    """Single-spaced lines and sentences of the examples, seeds and BioScope (when present)."""
    texts = []
    for folder in (ROOT / "examples", SHARED / "seeds"):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    texts += path.read_bytes().decode("utf-8", "replace").splitlines()
    bioscope = SHARED / "data" / "bioscope-dev.jsonl"
    if bioscope.is_file():
        texts += [json.loads(line)["text"] for line in bioscope.read_text(encoding="utf-8").splitlines()[:800] if line.strip()]
    return [t for t in (single_spaced(t) for t in texts) if t]


SENTENCES = corpus_sentences()


def test_fold_traps_are_every_character_that_folds_onto_ascii_without_lowercasing_to_it():
    everything = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    traps = set()
    for code in range(33, 127):
        ascii_char = chr(code)
        for found in re.findall(re.escape(ascii_char), everything, re.IGNORECASE):
            if found.lower() != ascii_char.lower():
                traps.add(found)
    assert traps == set(FOLD_TRAPS)


def test_word_boundaries_make_needles_whole_words():
    found = needles(re.compile(r"(?<![\w-])cur(?:e|es)(?![\w-])", re.I))
    assert found is not None and set(found.words) == {" cure ", " cures "}
    assert not found.may_match("Symptoms occur at night and the house is secure.")
    assert found.may_match("There is no CURE.")
    assert found.may_match("(cure)")


def test_white_space_in_a_pattern_is_one_space_of_single_spaced_text():
    found = needles(re.compile(r"caused\s+by", re.I))
    assert found is not None and found.words == ("caused by",)
    assert found.may_match("It is caused by a virus.")


@pytest.mark.parametrize("pattern", [
    r"(a)\1",                   # a backreference
    r"(?i:abc)",                 # case sensitivity switched inside
    r"x?",                       # can match nothing
    r"(?<![\w-])(?:x?)(?![\w-])",  # a needle of spaces only
    r"\w+\s+\d",                 # nothing literal
])
def test_no_prefilter_rather_than_a_wrong_one(pattern):
    assert needles(re.compile(pattern)) is None


def test_case_folding_traps_are_never_skipped():
    sick = re.compile(r"(?<![\w-])sick(?![\w-])", re.I)
    assert sick.search("ſick")  # the long s matches "s" but does not lower-case to it
    assert needles(sick).may_match("ſick")
    assert probe("ſick", True) is None and probe("ſick", False) == " ſick "
    keep = re.compile(r"(?<![\w-])keep(?![\w-])", re.I)
    assert keep.search("\u212aeep") and needles(keep).may_match("\u212aeep")  # the Kelvin sign lower-cases to k


def test_a_hyphen_or_boundary_next_to_the_match_is_a_space_of_the_probe():
    found = needles(re.compile(r"\bfoo\b", re.I))
    assert found is not None and found.words == (" foo ",)
    assert re.search(r"\bfoo\b", "-foo-") and found.may_match("-foo-")


def test_matches_ending_at_an_endpos_need_needles_without_the_trailing_space():
    pattern = re.compile(r"(?<![\w-])(?:lead to )(?![\w-])", re.I)
    text = "It can lead to cancer."
    assert pattern.search(text, 0, text.index("cancer"))  # the text seems to end after "to "
    assert not needles(pattern).may_match(text)  # the full text has a word there
    assert needles(pattern, at_end=False).may_match(text)


PATTERNS = [
    r"(?<![\w-])(?:(?:is|are) (?:\w+ ){0,2}caused by|lead(?:s)? to|(?<=, )causing|cur(?:e|es|ed|ing))(?![\w-])",
    r"(?<![\w-])(?:(?:reduce|reduces|lower|lowers|cut|cuts) (?:the |your )?(?:risk|chance)s?)(?![\w-])",
    r"(?<![\w-])(?:(?:skin |lung |breast )?cancers?|death|die|heart attacks?|non-toxic|100 ?%)(?![\w-])",
    r"\b(?:is|are) (?:a |an )?(?:very |extremely )?(?P<v>rare|uncommon)\b",
    r"\b(?:there is no (?:known )?cure|(?:cannot|can't|can not) be cured|is incurable)\b",
    r"(?:^|[,;] (?:but |and )?)(?P<subj>[\w'’-]+(?:\s+[\w'’-]+){0,5}?) (?:is|are)(?: [\w'’-]+){0,6}? (?:caused by|due to) [^,.;:()]{3,120}",
    r"^(?:please )?(?:talk|see|ask|don't)\b|\b(?:be sure|make sure) to\b",
    r"according to (?:the )?(?:[A-Z][\w'’-]*\s?){1,6}|(?:CDC|NIH|WHO)\b|\b(?:19|20)\d\d (?:study|trial)",
    r"(?<![\w-])(?:n't|not|no|without)(?![\w-])",
]


@pytest.mark.parametrize("source", PATTERNS)
def test_every_text_the_pattern_matches_is_kept(source):
    flags = 0 if source.startswith("according") else re.IGNORECASE
    pattern = re.compile(source, flags)
    found = needles(pattern)
    assert found is not None
    texts = SENTENCES + ["It is caused by a virus, causing pain.", "Smoking can lead to lung cancer.", "NIH said",
                         "Chemo cuts the risks.", "It's not rare.", "There is no known cure.", "A 2020 study",
                         "don't wait", "Cures all, 100% natural and non-toxic!", "Heart-attacks", "eczema isn't"]
    matched = [t for t in texts if pattern.search(t)]
    assert matched, "the corpus should exercise the pattern"
    assert all(found.may_match(t) for t in matched)
    skipped = [t for t in texts if not found.may_match(t)]
    assert skipped, "the prefilter should skip something"
    assert not any(pattern.search(t) for t in skipped)


@pytest.mark.parametrize("source", PATTERNS)
def test_probes_keep_exactly_the_texts_each_probe_keeps(source):
    flags = 0 if source.startswith("according") else re.IGNORECASE
    found = needles(re.compile(source, flags))
    texts = SENTENCES[:300] + ["causing", "lead", "to cancer", "", "cure", "s cure"]
    expected = [i for i, t in enumerate(texts) if found.may_match(t)]
    assert Probes(texts).matching(found) == expected
    assert Probes(texts).matching(None) == list(range(len(texts)))


def test_a_needle_across_two_texts_keeps_neither():
    found = Needles((" lead to ",), True)
    assert Probes(["It may lead", "to cancer."]).matching(found) == []
    assert Probes(["It may lead to", "cancer."]).matching(found) == [0]


def test_probes_of_a_text_with_a_trap_keep_everything():
    found = Needles((" cure ",), True)
    assert Probes(["ſo what", "nothing here"]).matching(found) == [0, 1]


def test_ascii_word_boundaries_are_not_taken_for_spaces():
    pattern = re.compile(r"(?<![\w-])cure(?![\w-])", re.IGNORECASE | re.ASCII)
    assert pattern.search("écure")  # é is no word character to an ASCII pattern
    assert needles(pattern).may_match("écure")


# -- random texts that the patterns match ------------------------------------------------------------
_CLASS_SAMPLES = {
    sre.CATEGORY_WORD: "aZ9_é", sre.CATEGORY_SPACE: " \t", sre.CATEGORY_DIGIT: "07",
    sre.CATEGORY_NOT_WORD: " -,’", sre.CATEGORY_NOT_SPACE: "xQ-", sre.CATEGORY_NOT_DIGIT: "a ",
}


def generate(items, rng) -> str:
    """A random string that the parsed pattern ``items`` may match (look-arounds ignored)."""
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av).upper() if rng.random() < 0.2 else chr(av))
        elif op is sre.IN:
            choices = []
            for iop, iav in av:
                if iop is sre.LITERAL:
                    choices.append(chr(iav))
                elif iop is sre.RANGE:
                    choices.append(chr(rng.randint(iav[0], iav[1])))
                elif iop is sre.CATEGORY:
                    choices += list(_CLASS_SAMPLES.get(iav, "a"))
            out.append(rng.choice(choices or ["a"]))
        elif op is sre.ANY:
            out.append(rng.choice("a -"))
        elif op is sre.BRANCH:
            out.append(generate(rng.choice(av[1]), rng))
        elif op is sre.SUBPATTERN:
            out.append(generate(av[3], rng))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = av
            out += [generate(sub, rng) for _ in range(rng.randint(low, min(high, low + 3)))]
        elif op is sre.NOT_LITERAL:
            out.append("x" if chr(av) != "x" else "y")
    return "".join(out)


def lexicon_patterns() -> list[re.Pattern[str]]:
    from healthlint.attribution import named_source_pattern
    from healthlint.checks import claims

    lex = claims.Lexicon(("reportedly",), ("boosts? energy",))
    found = [lex.kind_pattern(k) for k in lex.kind_gates]
    found += [lex.grave, lex.harm_forward, lex.harm_backward, lex.safety, lex.speculation, lex.qualifiers,
              lex.boosters, lex.negation, lex.instruction, lex.debunking, named_source_pattern()]
    found += [claims._RARE, claims._COMMON, claims._CAUSE_UNKNOWN, claims._STATED_CAUSE, claims._NO_CURE, claims._CURED]
    return found + [re.compile(p, re.I) for p in PATTERNS]


def test_random_texts_that_a_pattern_matches_are_kept():
    rng = random.Random(7)
    contexts = ["", "The ", "(", "-", "word", "It is not ", "x. ", "A, "]
    endings = ["", ".", " more", "s", "-x", ")", "’s", "ly"]
    checked = 0
    for pattern in lexicon_patterns():
        for at_end in (True, False):
            found = needles(pattern, at_end=at_end)
            if found is None:
                continue
            parsed = list(_parser.parse(pattern.pattern, pattern.flags))
            for _ in range(150):
                text = single_spaced(rng.choice(contexts) + generate(parsed, rng) + rng.choice(endings))
                end = rng.randint(0, len(text)) if not at_end else len(text)
                if pattern.search(text, 0, end):
                    checked += 1
                    assert found.may_match(text), (pattern.pattern[:60], text, end)
    assert checked > 500


# -- texts of any spacing (collapsed probes), as the rule types search blocks -------------------------
def loosely_spaced(text: str, rng: random.Random) -> str:
    """``text`` with each space made a random run of white space (line breaks, tabs, several)."""
    return "".join(rng.choice([" ", "  ", "\n", " \n  ", "\t", "\u00a0"]) if c == " " else c for c in text)


def test_collapsed_needles_have_single_spaces_and_hold_across_line_breaks():
    pattern = re.compile(r"(?<![\w-])(?:100\s*%\s+natural|miracle\s+cure)(?![\w-])", re.I)
    found = needles(pattern, any_spacing=True)
    assert found is not None and found.collapsed and not any("  " in w for w in found.words)
    for text in ("It is 100%\n   natural.", "a miracle\n\ncure", "A MIRACLE\tcure!"):
        assert pattern.search(text) and found.may_match(text), text
    assert not found.may_match("a miracle, and a cure")


def test_punctuation_beyond_ascii_is_a_space_of_the_probe():
    found = needles(re.compile(r"(?<![\w-])wilson[’']?s\s+syndrome(?![\w-])", re.I), any_spacing=True)
    assert found is not None and set(found.words) == {" wilson s syndrome ", " wilsons syndrome "}
    assert found.may_match("Wilson’s\nsyndrome") and not found.may_match("Wilson disease")


def test_random_texts_of_any_spacing_that_a_pattern_matches_are_kept():
    rng = random.Random(11)
    contexts = ["", "The ", "(", "-", "word", "It is not\n", "x.  ", "A, "]
    endings = ["", ".", " more", "s", "-x", ")", "’s", "\n\nly"]
    checked = 0
    for pattern in lexicon_patterns():
        found = needles(pattern, any_spacing=True)
        if found is None:
            continue
        parsed = list(_parser.parse(pattern.pattern, pattern.flags))
        for _ in range(100):
            text = loosely_spaced(single_spaced(rng.choice(contexts) + generate(parsed, rng) + rng.choice(endings)), rng)
            if pattern.search(text):
                checked += 1
                assert found.may_match(text), (pattern.pattern[:60], text)
    assert checked > 300


@pytest.mark.parametrize("source", PATTERNS)
def test_collapsed_probes_keep_exactly_the_texts_each_probe_keeps(source):
    flags = 0 if source.startswith("according") else re.IGNORECASE
    found = needles(re.compile(source, flags), any_spacing=True)
    rng = random.Random(3)
    texts = [loosely_spaced(t, rng) for t in SENTENCES[:300]] + ["causing", "lead\n", "  to cancer", "", "\n", "cure", "s  cure"]
    expected = [i for i, t in enumerate(texts) if found.may_match(t)]
    assert Probes(texts, collapse=True).matching(found) == expected


def test_collapsed_needles_are_looked_for_in_collapsed_probes_only():
    with pytest.raises(ValueError):
        Probes(["a text"]).matching(Needles((" cure ",), True, collapsed=True))
    with pytest.raises(ValueError):
        Probes(["a text"], collapse=True).matching(Needles((" cure ",), True))


def test_a_block_gate_waits_until_it_has_searched_enough_blocks(monkeypatch):
    from healthlint import prefilter
    from healthlint.document import Document

    monkeypatch.setattr(prefilter, "BLOCKS_BEFORE_PREFILTER", 3)
    doc = Document("a.md", "# Title\n\nNo cure here.\n\nNothing.\n\nA miracle\ncure!\n")
    gate = prefilter.BlockGate(re.compile(r"(?<![\w-])miracle\s+cure(?![\w-])", re.I))
    assert gate.blocks(doc) == range(4) and gate.needles() is not None
    assert gate.blocks(doc) == {3}
    assert prefilter.BlockGate(None).blocks(doc) == range(4)


def built_in_hits(monkeypatch, after: int) -> list:
    """Every built-in rule's hits on the examples and seeds, prefilters built after ``after`` blocks."""
    from dataclasses import astuple

    from healthlint import prefilter
    from healthlint.config import Settings
    from healthlint.document import PLAIN_SUFFIXES, Document
    from healthlint.engine import Linter, load_ruleset

    monkeypatch.setattr(prefilter, "BLOCKS_BEFORE_PREFILTER", after)
    settings = Settings(base=ROOT)
    linter = Linter(load_ruleset(settings), settings)
    out = []
    for folder in (ROOT / "examples", SHARED / "seeds"):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in {".md", ".txt"}:
                doc = Document(str(path), path.read_text(encoding="utf-8", errors="replace"), plain=path.suffix in PLAIN_SUFFIXES)
                for rule in linter.rules:
                    out += [(path.name, rule.code, astuple(h)) for h in rule.run(doc, linter.options.get(rule.code), settings)]
    return out


def test_block_prefilters_change_no_finding_of_the_built_in_rules(monkeypatch):
    without = built_in_hits(monkeypatch, 10**9)
    assert without and built_in_hits(monkeypatch, 0) == without


# -- the first character of a match -------------------------------------------------------------------
def test_first_characters_of_a_pattern():
    from healthlint.prefilter import first_characters

    numbers = first_characters(re.compile(r"(?<!\w)(?:(?<!type )\d+(?:[.,]\d+)*(?:\s?%| percent)?)(?!\w)", re.I))
    assert numbers is not None and numbers.search("about 12 people") and not numbers.search("No numbers, type II.")
    either = first_characters(re.compile(r"(?:(?:some|many) )?(?:studies|experts) show|[Ww]e know", re.I))
    assert {c for c in "smeSMEwW"} == {c for c in "smeSMEwWxyz" if either.match(c)}
    for source in (r"x?", r".a", r"[^a]b", r"(?:a|b?)?", r"(?i:a)b", r"(a)?\1b"):
        assert first_characters(re.compile(source)) is None, source


def test_a_class_of_one_character_matches_what_the_character_matches_ignoring_case():
    from healthlint.prefilter import first_characters

    text = "".join(chr(i) for i in range(0x3000) if not 0xD800 <= i <= 0xDFFF) + "\U0001F600\U00010400\U00010428"
    for ch in [*"azAZ09_-%’ſıİKßσςΣµé\U00010400", *map(chr, range(0x100, 0x250))]:
        first = first_characters(re.compile(re.escape(ch) + "x", re.I))
        assert set(first.findall(text)) == set(re.findall(re.escape(ch), text, re.I)), ch


def test_every_match_of_a_random_text_begins_with_one_of_the_first_characters():
    from healthlint.prefilter import first_characters

    rng = random.Random(5)
    checked = 0
    for pattern in lexicon_patterns():
        first = first_characters(pattern)
        if first is None:
            continue
        parsed = list(_parser.parse(pattern.pattern, pattern.flags))
        for _ in range(60):
            text = rng.choice(["", "The ", "(", "x. "]) + generate(parsed, rng) + rng.choice(["", ".", " more"])
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    checked += 1
                    assert first.match(text, m.start()), (pattern.pattern[:60], text, m.start())
    assert checked > 300


def test_team_patterns_are_searched_whole_within_their_time_budget(monkeypatch):
    from healthlint import prefilter
    from healthlint.document import Document
    from healthlint.ruletypes import TermMatcher
    from healthlint.safe_regex import Budget

    monkeypatch.setattr(prefilter, "BLOCKS_BEFORE_PREFILTER", 0)
    team = TermMatcher(["miracle cure"], [r"\d+ ?percent"], True, budget=Budget())
    built_in = TermMatcher(["miracle cure"], [r"\d+ ?percent"], True)
    doc = Document("a.md", "# Title\n\nNothing here.\n\nA miracle\ncure, 100 percent sure.\n")
    assert team.gate.pattern is None and team.blocks(doc) == range(3)
    assert built_in.blocks(doc) == {2} and not built_in.gate.may_match(doc.masked, 0, doc.masked.index("A miracle"))
