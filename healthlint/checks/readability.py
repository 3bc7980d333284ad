"""HL4xx checks that need more than a word list: reading grade, long paragraphs, passive voice.

The word lists (reference headings, participles, abbreviations, risk phrasings) live in
``healthlint/data/readability.yaml`` and are compiled once, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from healthlint.datafiles import load_yaml
from healthlint.patterns import literal_alternation

from healthlint.checks import register
from healthlint.checks.grade import TextCounts, count_words, flesch_kincaid, grade
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING, LIST_ITEM, TABLE_CELL
from healthlint.ruletypes import PARAGRAPH_KINDS

_DATA_FILE = "readability.yaml"


def load_data(name: str = _DATA_FILE) -> dict[str, Any]:
    """A YAML data file of ``healthlint/data``, read once."""
    return load_yaml(name)


def body_sentences(doc):
    """The sentences readers read as running text: not headings, footnotes or table cells."""
    return [s for s in doc.sentences if s.block.kind not in (HEADING, FOOTNOTE, TABLE_CELL)]


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


_NUMBERED = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s")


def graded_blocks(doc) -> list:
    """The blocks the grade formulas count: prose, less headings, tables, footnotes and references.

    A reference section runs from a heading such as "References" to the next heading of the
    same or a higher level; a list item or numbered paragraph that reads like a citation
    ("Smith J, et al. 2019;12:...") is left out wherever it is.
    """
    gd = _grade_data()
    out = []
    in_refs: int | None = None  # level of the reference heading we are under
    for block in doc.blocks:
        text = doc.masked[block.start:block.end]
        if block.kind == HEADING:
            level = block.level or 1
            if in_refs is not None and level <= in_refs:
                in_refs = None
            if in_refs is None and gd.reference_heading.match(text):
                in_refs = level
            continue
        if in_refs is not None or block.kind in (FOOTNOTE, TABLE_CELL):
            continue
        if (block.kind == LIST_ITEM or _NUMBERED.match(text)) and gd.reference_entry.search(text):
            continue
        out.append(block)
    return out


def _block_counts(doc, sentences) -> TextCounts:
    total = TextCounts(0, 0, 0, 0)
    for s in sentences:
        words = doc.words(s.start, s.end)
        if words:
            total = total + count_words(words)
    return total


@dataclass(frozen=True)
class DocumentGrade:
    """A document's counts, its formula and grade, and where its hardest paragraph starts."""

    counts: TextCounts
    formula: str
    grade: float
    hardest_start: int


def document_grade(doc, smog_min_sentences: int = 30) -> DocumentGrade:
    """Grade the counted prose of ``doc`` (see :func:`graded_blocks`)."""
    total = TextCounts(0, 0, 0, 0)
    hardest: tuple[float, int] | None = None  # (grade, start) of the hardest paragraph of 20+ words
    for block in graded_blocks(doc):
        counts = _block_counts(doc, doc.sentences_between(block.start, block.end))
        total = total + counts
        if counts.words >= 20 and (hardest is None or flesch_kincaid(counts) > hardest[0]):
            hardest = (flesch_kincaid(counts), block.start)
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
    yield Hit(0, doc.line_span(1)[1], rule.message.format(
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
    for block in doc.blocks:
        if block.kind not in PARAGRAPH_KINDS:
            continue
        sentences = sum(1 for s in doc.sentences_between(block.start, block.end) if doc.words(s.start, s.end))
        words = len(doc.words(block.start, block.end))
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
    pattern = re.compile(
        rf"\b(?:{literal_alternation(p['be'])})(?:\s+{between}){{0,2}}\s+(?P<part>{participle})(?![\w'’-])(?P<next>\s+[a-z]+)?",
        re.I,
    )
    exempt = frozenset(" ".join(w.lower().split()) for w in [*p["not_passive"], *allow])
    return _Passive(pattern, exempt)


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
