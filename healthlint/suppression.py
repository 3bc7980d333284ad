"""Inline suppression, applied as a filter after the rules have run.

Directives live in HTML comments (never in code blocks, which are not comments)::

    <!-- healthlint-disable HL101 HL3 -->      from this line on (no codes: every rule)
    <!-- healthlint-enable HL101 -->           back on from this line
    <!-- healthlint-disable-next-line HL301 --> the next line that has text
    <!-- healthlint-disable-line HL402 -->      this line
    <!-- healthlint-disable-file HL4 -->        the whole file

Codes may be full codes (HL301), prefixes (HL3, HL) or rule names (invented-condition),
separated by spaces or commas; a reason may follow `` -- ``. A comment with a misspelt directive
("healthlint-disable-nextline") is not a directive, so it cannot switch off more than was meant.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from healthlint.findings import Finding

_DIRECTIVE = re.compile(r"^\s*healthlint-(disable-next-line|disable-line|disable-file|disable|enable)(?:\s+(.*?))?\s*$", re.S)
_REASON = re.compile(r"(?:^|\s)--(?:\s|$)")


@dataclass(frozen=True, slots=True)
class Directive:
    action: str
    line: int  # the line the directive applies to (or starts from)
    selectors: tuple[str, ...]  # empty: every rule


def selector_matches(selector: str, code: str, name: str) -> bool:
    """A code, prefix of a code, or rule name."""
    return code.startswith(selector.upper()) or selector.lower() == name


def _matches(selectors: tuple[str, ...], finding: Finding) -> bool:
    return not selectors or any(selector_matches(s, finding.code, finding.rule) for s in selectors)


class Suppressions:
    """The directives of one document, and the filter they define."""

    def __init__(self, doc) -> None:
        self.directives: list[Directive] = []
        below = _TextBelow(doc)
        for comment in doc.comments:
            m = _DIRECTIVE.match(comment.value)
            if not m:
                continue
            action = m.group(1)
            codes = _REASON.split(m.group(2) or "", maxsplit=1)[0]
            selectors = tuple(s for s in re.split(r"[\s,]+", codes) if s)
            line = doc.position(comment.start)[0]
            if action == "disable-next-line":
                line = below.next_text_line(comment.end)
            elif action == "disable-line":
                action = "disable-next-line"  # both name one line
            self.directives.append(Directive(action, line, selectors))
        self.directives.sort(key=lambda d: d.line)

    def __bool__(self) -> bool:
        return bool(self.directives)

    def suppressed(self, finding: Finding) -> bool:
        disabled = False
        for d in self.directives:
            if d.action == "disable-file":
                if _matches(d.selectors, finding):
                    return True
            elif d.action == "disable-next-line":
                if d.line == finding.line and _matches(d.selectors, finding):
                    return True
            elif d.line <= finding.line and _matches(d.selectors, finding):
                disabled = d.action == "disable"
        return disabled

    def filter(self, findings: list[Finding]) -> list[Finding]:
        if not self.directives:
            return findings
        return [f for f in findings if not self.suppressed(f)]


class _TextBelow:
    """Finds the first line below a directive with text other than comments.

    Directives stacked on consecutive lines all apply to the text below them. Comment spans are
    sorted once and every line's answer is remembered, so a file of thousands of directives is
    still read once, not once per directive.
    """

    def __init__(self, doc) -> None:
        self.doc = doc
        self.spans = sorted((c.start, c.end) for c in doc.comments)
        self.ends = [end for _, end in self.spans]  # comments do not overlap: ends are sorted too
        self.known: dict[int, int] = {}  # line -> the first line at or after it with text

    def next_text_line(self, offset: int) -> int:
        """The first line after the one holding ``offset`` with text other than comments."""
        doc = self.doc
        line = doc.position(offset)[0] + 1
        visited = []
        while line <= doc.line_count and line not in self.known:
            start, end = doc.line_span(line)
            if _has_text_outside(doc.text, start, end, self.spans, bisect_right(self.ends, start)):
                break
            visited.append(line)
            line += 1
        answer = self.known.get(line, line)
        for seen in visited:
            self.known[seen] = answer
        return answer


def _has_text_outside(text: str, start: int, end: int, comments: list[tuple[int, int]], first: int = 0) -> bool:
    """Whether ``text[start:end]`` has non-space characters outside the given comment spans
    (sorted; those before index ``first`` end before ``start``)."""
    pos = start
    for i in range(first, len(comments)):
        c_start, c_end = comments[i]
        if c_end <= pos:
            continue
        if c_start >= end:
            break
        if text[pos:c_start].strip():
            return True
        pos = max(pos, c_end)
    return bool(text[pos:end].strip()) if pos < end else False
