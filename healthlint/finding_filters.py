"""The pull-request filters of ``healthlint check``, applied after linting and before reporting.

``--changed-since REF`` keeps the findings on lines changed since a git ref (see
:mod:`healthlint.changes`); ``--baseline FILE`` drops the findings a baseline records and
``--write-baseline FILE`` records them (see :mod:`healthlint.baseline`). ``--statistics`` only
changes the reporter, but its combinations with the others are checked here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from healthlint import baseline as baselines
from healthlint.changes import Changes, ChangesError, changed_since
from healthlint.engine import RunResult
from healthlint.rules import Rule

STATISTICS_FORMATS = ("text", "json")


class FilterError(Exception):
    """A filter option that cannot be used (a conflict, an unknown ref, a bad baseline): one line."""


@dataclass
class Filters:
    """What the options ask for, with the git changes and the baseline already read."""

    changes: Changes | None = None
    baseline: baselines.Baseline | None = None
    write_baseline: str | None = None

    @classmethod
    def from_options(cls, *, changed_since_ref: str | None, baseline: str | None, write_baseline: str | None,
                     statistics: bool, fmt: str) -> Filters:
        """Check the options go together and read what they name, before any file is linted."""
        if write_baseline and (baseline or changed_since_ref or statistics):
            other = "--baseline" if baseline else "--changed-since" if changed_since_ref else "--statistics"
            raise FilterError(f"--write-baseline records every finding and prints nothing else; run it without {other}")
        if statistics and fmt not in STATISTICS_FORMATS:
            raise FilterError(f"--statistics works with --format text or json, not {fmt}; drop one of them")
        try:
            changes = changed_since(changed_since_ref) if changed_since_ref else None
            known = baselines.load(baseline) if baseline else None
        except (ChangesError, baselines.BaselineError) as exc:
            raise FilterError(str(exc)) from None
        return cls(changes, known, write_baseline)

    def apply(self, result: RunResult, rules: Iterable[Rule], stdin: bytes | None = None, stdin_filename: str = "-") -> list[str]:
        """Filter ``result.findings`` in place; returns notes for the user (how many the baseline hid)."""
        notes = []
        if self.baseline is not None:  # first: it counts identical findings over the whole file
            result.findings, hidden = self.baseline.filter(result.findings)
            if hidden:
                notes.append(f"{hidden} finding{'s' if hidden != 1 else ''} already in the baseline not shown")
        if self.changes is not None:
            if stdin is not None:
                from healthlint.files import decode

                self.changes.use_text(stdin_filename, decode(stdin)[0])
            document_codes = {r.code for r in rules if r.document_level}
            result.findings = self.changes.filter(result.findings, document_codes)
        return notes

    def record(self, result: RunResult) -> str:
        """Write the baseline (not when some paths could not be checked); the line to tell the user."""
        assert self.write_baseline
        if result.errors:
            raise FilterError(f"{self.write_baseline}: baseline not written, because some paths could not be checked (see above)")
        try:
            n = baselines.write(self.write_baseline, result.findings)
        except baselines.BaselineError as exc:
            raise FilterError(str(exc)) from None
        return f"recorded {n} finding{'s' if n != 1 else ''} in {self.write_baseline}"
