"""The pull-request filters of ``healthlint check``, applied after linting and before reporting.

``--changed-since REF`` keeps the findings on lines changed since a git ref (see
:mod:`healthlint.changes`); ``--baseline FILE`` drops the findings a baseline records and
``--write-baseline FILE`` records them (see :mod:`healthlint.baseline`). ``--statistics`` only
changes the reporter, but its combinations with the others are checked here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from healthlint import baseline as baselines
from healthlint.changes import Changes, ChangesError, changed_since
from healthlint.findings import Finding
from healthlint.rules import Rule

STATISTICS_FORMATS = ("text", "json")


class FilterError(Exception):
    """A filter option that cannot be used (a conflict, an unknown ref, a bad baseline): one line."""


@dataclass
class Filters:
    """What the options ask for, with the git changes and the baseline already read.

    A run calls :meth:`start` once, :meth:`apply` on each file's findings as they come, then
    :meth:`notes` and, for ``--write-baseline``, :meth:`record`.
    """

    changes: Changes | None = None
    baseline: baselines.Baseline | None = None
    write_baseline: str | None = None
    hidden: int = 0  # findings the baseline accounted for
    recording: baselines.Baseline | None = None
    document_codes: set[str] = field(default_factory=set)

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

    def start(self, rules: Iterable[Rule], stdin: bytes | None = None, stdin_filename: str = "-") -> None:
        """Get ready for a run with these rules (and this standard input, compared with git as a file)."""
        self.document_codes = {r.code for r in rules if r.document_level}
        if self.write_baseline:
            self.recording = baselines.for_file(self.write_baseline)
        if self.changes is not None and stdin is not None:
            from healthlint.files import decode

            self.changes.use_text(stdin_filename, decode(stdin)[0])

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """The findings of one file to report (none when recording a baseline)."""
        if self.recording is not None:
            self.recording.add(findings)
            return []
        if self.baseline is not None:  # first: it counts identical findings over the whole file
            findings, hidden = self.baseline.filter(findings)
            self.hidden += hidden
        if self.changes is not None:
            findings = self.changes.filter(findings, self.document_codes)
        return findings

    def notes(self) -> list[str]:
        """What the user should know about what was left out."""
        if not self.hidden:
            return []
        return [f"{self.hidden} finding{'s' if self.hidden != 1 else ''} already in the baseline not shown"]

    def record(self, errors: list[str]) -> str:
        """Write the baseline (not when some paths could not be checked); the line to tell the user."""
        assert self.write_baseline and self.recording is not None
        if errors:
            raise FilterError(f"{self.write_baseline}: baseline not written, because some paths could not be checked (see above)")
        try:
            n = baselines.write(self.write_baseline, self.recording)
        except baselines.BaselineError as exc:
            raise FilterError(str(exc)) from None
        return f"recorded {n} finding{'s' if n != 1 else ''} in {self.write_baseline}"
