"""Sentence splitting tuned for health writing.

A boundary is a run of ``.``, ``!`` or ``?`` (plus closing quotes or brackets), then white space,
then something that can start a sentence; or, in text pasted together without a space
("the skin.Milia are"), a period between a lower-case word and a capitalised one.

A period is *not* a boundary after a title ("Dr. Smith"), "e.g.", "i.e.", "vs.", "cf.", inside a
number ("2.5 mg" has no space after its dot), after an enumerator ("1. Wash", "Step 2. Dry"), or
before a number after "No.", "Fig.", "p.", "Jan.". After an initial ("J. R. Smith"), a dotted
acronym ("U.S."), "et al." or "a.m." it is a boundary only when a word that usually starts a
sentence follows ("in the U.S. It is sold..."); after a letter that names something ("vitamin
C.", "hepatitis B.") it is a boundary; an all-capitals acronym ("people with MS. It") is not an
abbreviation.

A line break is a boundary after a line ending in a colon ("include the following:") or a short
heading-like line ("Key Points"), when the next line starts with a capital: text pasted from web
pages often runs a heading and its list into one paragraph.

``bench/sentence_splitter.py`` compares this splitter with pysbd on hand-written health-writing
cases (a tuning set and a held-out set) and on speed; it is as accurate as pysbd or better there,
and about a hundred times faster, so healthlint uses its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Always followed by more of the same sentence. Lower-case, without the final dot.
ABBREVIATIONS = frozenset(
    """
    dr drs mr mrs ms mx prof rev hon gen sgt capt lt col st mt
    vs v cf approx ca incl esp viz e.g i.e
    dept univ assn est ed eds
    """.split()
)
# Abbreviations only when a number follows ("No. 5", "Fig. 2", "p. 12", "Jan. 2020");
# otherwise the word ends a sentence ("Does it spread? No. It does not.", "in the sun. Wear").
NUMBER_ABBREVIATIONS = frozenset(
    """
    no nos fig figs vol vols p pp ch sec eq tab
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    """.split()
)
# Abbreviations that also end sentences: a boundary only before a usual sentence starter.
AMBIGUOUS = frozenset("al a.m p.m inc ltd co corp jr sr max min avg".split())
# Words followed by a letter that names a thing, so "vitamin C." ends a sentence, unlike "John F.".
LETTER_LABELS = frozenset(
    """
    vitamin vitamins hepatitis type types group groups grade class stage phase plan part step
    option section appendix factor strain strep influenza flu size cup category list zone schedule
    """.split()
)
# Capitalised words that usually start a sentence and are rarely names.
STARTERS = frozenset(
    """
    A An The This That These Those It Its It's It’s They Their There Then He She His Her We Our
    You Your I In On At For From With Without By To Of If When While Where Whether After Before
    Because Although Though Unless Until But And Or So Yet However Also Still Even Some Many Most
    Few All Both Each Every Any No Not None Nor Other Others Such Only Always Never Often
    Sometimes Usually Ask Talk Call Take Use Avoid Keep Do Don't Don’t Check See Tell Try Make
    Be Get Stop Seek What Which Who Why How Is Are Was Were Can Could May Might Should Would
    Will Does Did Has Have Had Here
    """.split()
)

_BOUNDARY = re.compile(
    r"(?=[.!?…\n])(?:"  # (a quick first-character test: the alternatives below are slow to try)
    r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s)"  # from the start of a run only: linear in "......"
    r"|(?<=[a-z])[.!?](?=[A-Z][a-z])"  # run together: "the skin.Milia"
    r"|(?<=[a-z]{2})\.(?P<ref>\d{1,3})(?=\s)"  # a reference number after the period: "in the States.1 It"
    r"|(?P<nl>\n))"
)
_NON_SPACE = re.compile(r"\S")
_MIXED_CASE = re.compile(r"[a-z]{1,2}[A-Z]")  # eGFR, mTOR, iPhone: capitalised words
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]*)(\S)")
_NEXT_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_PREVIOUS_TOKEN = re.compile(r"(\S+)\s+$")
_ENUMERATOR = re.compile(
    r"(?:(?:step|part|stage|phase|day|week|chapter|section|question|tip|table|figure|fig|no)\s+)?\d{1,3}|[A-Za-z]",
    re.I,
)


def split_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of the sentences in ``text[start:end]``, trimmed of white space."""
    end = len(text) if end is None else end
    pos = start
    first = -1  # where the current sentence's text begins, once looked up
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group("nl") is not None:
            if first < pos:
                found = _NON_SPACE.search(text, pos, end)
                first = found.start() if found else end
            if not _line_break_ends_sentence(text, first, m.start(), m.end(), end):
                continue
        elif m.end() < end and not text[m.end()].isspace():  # run together: "the skin.Milia"
            if not _run_together(text, m.start()):
                continue
            first = m.end()
        else:
            nxt = _NEXT_START.match(text, m.end(), end)
            if not nxt:
                continue
            first = nxt.start(2)
            if text[first].islower() and not _MIXED_CASE.match(text, first) or text[first] in ",;:":
                continue
            if m.group() == "." and not _period_ends_sentence(text, pos, m.start(), first):
                continue
            if m.group("ref") is not None and not text[first].isupper():
                continue
        yield from _trimmed(text, pos, m.end())
        pos = m.end()
    yield from _trimmed(text, pos, end)


_HEADING_LINE = re.compile(r"[A-Z][^.!?;,]*")
_NEXT_LINE_START = re.compile(r"[ \t]*[\"“‘(\[]*(?:[A-Z]|[a-z]{1,2}[A-Z])")
_FUNCTION_WORDS = frozenset("a an and as at by for from in into of on or that the to which who with".split())


def _line_break_ends_sentence(text: str, sentence_first: int, line_end: int, next_line: int, end: int) -> bool:
    """A line break after "include the following:" or a heading-like line, before a capital.

    ``sentence_first`` is where the text of the sentence so far begins.
    """
    if sentence_first >= line_end or not _NEXT_LINE_START.match(text, next_line, end):
        return False
    line_start = max(sentence_first, text.rfind("\n", sentence_first, line_end) + 1)
    line = text[line_start:line_end].strip()
    if line.endswith(":"):
        return True
    if sentence_first < line_start or not _HEADING_LINE.fullmatch(line):
        return False  # the sentence began on an earlier line, or the line has punctuation
    words = line.split()
    if words[-1].lower() in _FUNCTION_WORDS:
        return False
    title_case = all(w[:1].isupper() for w in words if len(w) > 3)
    return len(words) <= 4 or (title_case and len(words) <= 12)


def _period_ends_sentence(text: str, sentence_start: int, dot: int, first: int) -> bool:
    """Whether the period at ``dot`` ends the sentence begun at ``sentence_start``.

    ``first`` is where the next non-space, non-bracket character is.
    """
    if dot - sentence_start <= 24 and _ENUMERATOR.fullmatch(text[sentence_start:dot].strip()):
        return False  # "1. Wash your hands", "Step 2. Dry them"
    m = _WORD_BEFORE.search(text, max(sentence_start, dot - 32), dot)
    if not m:
        return True  # "(WHO, 2021). Most", "5%. Then"
    word = m.group(1).strip(".")
    if not word:
        return True
    low = word.lower()
    next_word = _NEXT_WORD.match(text, first)
    starter = next_word is not None and next_word.group() in STARTERS
    if "." in word:
        if not all(p.isalpha() and len(p) <= 2 for p in word.split(".")):
            return True  # a number ("the score was 6.5. Then") or a file name
        if low in ABBREVIATIONS:
            return False  # e.g., i.e.
        return starter  # U.S., Ph.D., a.m.
    if not word.isalpha():
        return True  # 2020, HbA1c
    if len(word) == 1:
        return _letter_ends_sentence(text, m.start(1), word, starter, text[first].isdigit())
    if word.isupper():
        return True  # an acronym: "people with MS. It", "called ED. Treatment"
    if low in ABBREVIATIONS:
        return False
    if low in NUMBER_ABBREVIATIONS:
        return not text[first].isdigit()
    if low in AMBIGUOUS:
        return starter
    return True


def _letter_ends_sentence(text: str, letter: int, word: str, starter: bool, number_follows: bool) -> bool:
    """A single letter before a period: an initial ("J. Smith") or a name ("hepatitis B.")."""
    if word.islower():
        return not (word == "v" or (word == "p" and number_follows))
    prev = _PREVIOUS_TOKEN.search(text, max(0, letter - 40), letter)
    if prev is not None and prev.group(1).lower().strip("(\"'“‘,") in LETTER_LABELS:
        return True  # vitamin C. / hepatitis B. / plan B.
    return starter  # J. R. Smith, but "her blood type is O. She"


def _run_together(text: str, mark: int) -> bool:
    """A boundary with no space after it, as in scraped text: "the patients.Milia can"."""
    if text[mark] != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, mark - 32), mark)
    if not m or "." in m.group(1):
        return False
    word = m.group(1)
    low = word.lower()
    after = _NEXT_WORD.match(text, mark + 1)
    if after and text.startswith(".", after.end()) and text[after.end() + 1:after.end() + 2].isalnum():
        return False  # a domain name: www.ClinicalTrials.gov
    return (
        len(word) >= 2 and word.isalpha() and not word.isupper() and low != "www"
        and low not in ABBREVIATIONS and low not in NUMBER_ABBREVIATIONS and low not in AMBIGUOUS
    )


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def split(text: str) -> list[str]:
    """Split plain text into sentences (a convenience for tests and scripts)."""
    return [text[s:e] for s, e in split_spans(text)]
