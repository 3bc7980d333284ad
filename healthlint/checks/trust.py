"""HL2xx checks that need more than a word list."""

from __future__ import annotations

import re
from collections.abc import Iterator

from healthlint.checks import register
from healthlint.findings import Hit
from healthlint.markup import HEADING
from healthlint.ruletypes import document_anchor, sentence_cites

SOURCE_KEYS = ("sources", "references")
_SOURCES_HEADING = re.compile(r"^\s*(?:references|sources|bibliography|citations|further reading|works cited|evidence)\b", re.I)


def has_sources(doc) -> bool:
    """Links to the web, footnotes, citation markers, a reference-list heading, or sources in front matter."""
    if any(doc.front_matter.data.get(k) for k in SOURCE_KEYS):
        return True
    if any(link.value.startswith(("http://", "https://", "www.", "doi:")) for link in doc.links):
        return True
    if doc.footnotes:
        return True
    if any(b.kind == HEADING and _SOURCES_HEADING.match(doc.masked[b.start:b.end]) for b in doc.blocks):
        return True
    return any(sentence_cites(doc, b.start, b.end) for b in doc.blocks)


@register("no-sources")
def no_sources(doc, rule, options, settings) -> Iterator[Hit]:
    """The article cites nothing a reader could check."""
    if doc.has_prose and not has_sources(doc):
        start, end = document_anchor(doc)
        yield Hit(start, end, rule.message)
