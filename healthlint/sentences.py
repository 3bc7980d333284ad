"""Sentence splitting tuned for health writing.

A boundary is a run of ``.``, ``!`` or ``?`` (plus closing quotes or brackets), then white space,
then something that can start a sentence. The period is *not* a boundary after abbreviations
("e.g.", "Dr.", "vs."), dotted acronyms ("U.S."), initials ("J. Smith") or inside numbers
("2.5 mg" has no space after its dot). ``bench/sentence_splitter.py`` compares this splitter
with pysbd on the same cases; this one is both more accurate on them and much faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Abbreviations that are followed by more of the same sentence. Lower-case, without the dot.
ABBREVIATIONS = frozenset(
    """
    dr drs mr mrs ms mx prof sr jr st mt
    vs v cf approx ca est al fig figs no nos vol pp ch sec ed eds
    inc ltd co corp dept univ assn
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thurs fri sat sun
    e.g i.e a.m p.m u.s u.k u.n e.u ph.d m.d b.sc m.sc d.o r.n
    mg mcg kg ml dl mmol iu oz lb lbs hr hrs min
    """.split()
)
# Of those, the units end a sentence when a capitalised word follows ("Take 5 mg. Then rest.").
_UNITS = frozenset("mg mcg kg ml dl mmol iu oz lb lbs hr hrs min".split())

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]*)(\S)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, dot: int, next_char: str) -> bool:
    """True when the period at ``dot`` ends an abbreviation, not a sentence."""
    m = _WORD_BEFORE.search(text, max(0, dot - 24), dot)
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return _is_initial(text, m.start(1), next_char)
    if word in _UNITS:
        return not next_char.isupper()
    if word in ABBREVIATIONS:
        return True
    # Dotted acronyms and abbreviations: U.S., e.g., Ph.D.
    return "." in word and all(len(p) <= 2 for p in word.split("."))


_PREVIOUS_TOKEN = re.compile(r"(\S+)\s+$")


def _is_initial(text: str, letter: int, next_char: str) -> bool:
    """An initial ("J. Smith", "John F. Kennedy") rather than "vitamin B. Then"."""
    if not (text[letter].isupper() and next_char.isupper()):
        return False
    prev = _PREVIOUS_TOKEN.search(text, max(0, letter - 40), letter)
    if prev is None:
        return True
    token = prev.group(1)
    return token[0].isupper() and token.lower().rstrip(".") not in ABBREVIATIONS


def split_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of the sentences in ``text[start:end]``, trimmed of white space."""
    end = len(text) if end is None else end
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        nxt = _NEXT_START.match(text, m.end(), end)
        if not nxt:
            continue
        next_char = nxt.group(2)
        if next_char.islower() or next_char in ",;:":
            continue
        if text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(text, m.start(), next_char):
            continue
        yield from _trimmed(text, pos, m.end())
        pos = m.end()
    yield from _trimmed(text, pos, end)


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
