"""HL9xx: problems with the input itself, reported as findings at the line concerned."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint.checks import register
from healthlint.findings import Hit


def _problems(doc, kind: str, rule) -> Iterator[Hit]:
    for p in doc.problems:
        if p.kind == kind:
            yield Hit(p.start, max(p.end, p.start), rule.message.format(detail=p.detail))


@register("invalid-utf8", fields={"detail"})
def invalid_utf8(doc, rule, options, settings) -> Iterator[Hit]:
    """The file is not valid UTF-8; it was read with replacement characters."""
    return _problems(doc, "invalid-utf8", rule)


@register("front-matter-error", fields={"detail"})
def front_matter_error(doc, rule, options, settings) -> Iterator[Hit]:
    """The front matter is unclosed or is not valid YAML."""
    return _problems(doc, "front-matter", rule)
