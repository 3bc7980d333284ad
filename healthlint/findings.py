"""What rules report: a raw hit (offsets) and a finding (lines, columns, metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field

from healthlint.severities import SEVERITIES, SEVERITY_RANK  # noqa: F401  (exported here too)


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's raw result: offsets into the document, the message and an optional suggestion.

    ``severity`` overrides the rule's own severity for this hit (a term listed as worse than
    the rest, say); ``None`` keeps the rule's.
    """

    start: int
    end: int
    message: str
    suggestion: str | None = None
    severity: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One diagnostic, as the reporters print it. Sorts by path, line, column, code."""

    path: str
    line: int
    column: int
    code: str
    end_line: int = field(compare=False)
    end_column: int = field(compare=False)
    rule: str = field(compare=False)
    severity: str = field(compare=False)
    message: str = field(compare=False)
    excerpt: str = field(compare=False, default="")
    suggestion: str | None = field(compare=False, default=None)

    def as_dict(self) -> dict:
        """The JSON shape of DESIGN.md section 3, keys in a stable order."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "excerpt": self.excerpt,
            "suggestion": self.suggestion,
        }
