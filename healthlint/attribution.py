"""Attribution: does a sentence say where its claim comes from?

A sentence is attributed when it carries a link, a footnote, a citation marker ([3], (Smith et
al., 2020), a DOI) or names a checkable source ("according to the American Academy of
Dermatology", "a 2020 study published in JAMA"). The named-source patterns are data, in
``healthlint/data/attribution.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from healthlint.datafiles import load_yaml

CITATION_MARKER = re.compile(
    r"\[\d+(?:\s*[-–,]\s*\d+)*\]"            # [3], [3, 4], [3-5]
    r"|\[\^[^\]\s]+\]"                         # footnote reference
    r"|\((?:[A-Z][\w'’-]+(?: et al\.?| and [A-Z][\w'’-]+)?,? (?:19|20)\d\d[a-z]?(?:; ?)?)+\)"  # (Smith et al., 2020)
    r"|\bdoi:\s*10\.\d{4,}",
)


def sentence_cites(doc, start: int, end: int) -> bool:
    """True when the text between two offsets carries a link, footnote or citation marker."""
    starts = _reference_starts(doc)
    i = bisect_left(starts, start)
    if i < len(starts) and starts[i] < end:
        return True
    return bool(CITATION_MARKER.search(doc.text, start, end))


def _reference_starts(doc) -> list[int]:
    """Where the document's links and footnotes start, sorted (worked out once per document)."""
    starts = doc.__dict__.get("_reference_starts")
    if starts is None:
        starts = doc.__dict__["_reference_starts"] = sorted(s.start for s in (*doc.links, *doc.footnotes))
    return starts


@lru_cache(maxsize=1)
def named_source_pattern() -> re.Pattern[str]:
    """The named-source patterns, compiled once."""
    data = load_yaml("attribution.yaml")
    return re.compile("|".join(f"(?:{p})" for p in data["named_sources"]))


def names_source(text: str) -> bool:
    """The text names a checkable source (an institution, journal or dated study)."""
    return bool(named_source_pattern().search(text))


def attributed(doc, start: int, end: int) -> bool:
    """A citation marker, link or footnote, or a named source, between two offsets."""
    return sentence_cites(doc, start, end) or names_source(" ".join(doc.masked[start:end].split()))
