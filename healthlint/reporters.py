"""Reporters: they only format findings (text, JSON, GitHub workflow commands, SARIF 2.1.0).

A reporter writes to a stream as each file's findings arrive and keeps nothing of them but
counts, so a run over thousands of files needs no more memory than one over ten. The JSON and
SARIF documents put counts and errors before the findings, so their findings wait in a spool
file (in memory while small, on disk beyond :data:`SPOOL_MEMORY`) until the run ends.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from healthlint import __version__
from healthlint.engine import FileOutcome, RunResult
from healthlint.findings import SEVERITY_RANK, Finding
from healthlint.rules import Rule

INFORMATION_URI = "https://pypi.org/project/healthlint/"
SPOOL_MEMORY = 4 * 1024 * 1024


@dataclass
class Tally:
    """A run counted: enough for the summary line, SARIF's invocation and the exit status."""

    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # unusable input: exit status 2
    notes: list[str] = field(default_factory=list)
    severities: Counter[str] = field(default_factory=Counter)  # findings reported, by severity

    @property
    def findings(self) -> int:
        return sum(self.severities.values())

    def fails(self, fail_on: str) -> bool:
        """Whether a reported finding is at or above the severity ``fail_on``."""
        return any(n and SEVERITY_RANK[s] >= SEVERITY_RANK[fail_on] for s, n in self.severities.items())

    @classmethod
    def of(cls, result: RunResult) -> Tally:
        return cls(result.files_checked, result.errors, result.notes, Counter(f.severity for f in result.findings))


class Reporter:
    """One format's report: :meth:`add` each checked file's findings, then :meth:`finish`."""

    def __init__(self, out: TextIO, rules: Iterable[Rule] = (), *, summary: bool = True) -> None:
        self.out, self.rules, self.summary = out, rules, summary

    def add(self, findings: list[Finding], outcome: FileOutcome | None = None) -> None:
        """A checked file's findings (after any filter), in order; ``outcome`` carries its summary."""
        if outcome is not None and outcome.summary is not None:
            self.document(outcome.path, outcome.summary)

    def document(self, path: str, summary: dict) -> None:
        """A checked file's trust summary (only the JSON report shows them)."""

    def finish(self, tally: Tally) -> None:
        """Write what comes after the findings."""


class Text(Reporter):
    """One finding a line, ``path:line:col: CODE severity message [rule]``, then a summary."""

    def add(self, findings: list[Finding], outcome: FileOutcome | None = None) -> None:
        self.out.writelines(f"{f.path}:{f.line}:{f.column}: {f.code} {f.severity} {f.message} [{f.rule}]\n" for f in findings)

    def finish(self, tally: Tally) -> None:
        if self.summary:
            self.out.write(summary_line(tally) + "\n")


def summary_line(tally: Tally) -> str:
    """``Found 3 problems (1 error, 2 warnings) in 2 files.``, or that all checks passed."""
    files = f"{tally.files_checked} file{'s' if tally.files_checked != 1 else ''}"
    failed = len(tally.errors)
    unchecked = f" {failed} path{'s' if failed != 1 else ''} could not be checked." if failed else ""
    n = tally.findings
    if not n:
        if failed:
            return f"No problems found in {files} checked.{unchecked}"
        return f"All checks passed ({files} checked)."
    counts = tally.severities
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in ("error", "warning", "info") if counts[s]]
    return f"Found {n} problem{'s' if n != 1 else ''} ({', '.join(parts)}) in {files}.{unchecked}"


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


class GitHub(Reporter):
    """GitHub Actions workflow commands: annotations on the lines concerned."""

    def add(self, findings: list[Finding], outcome: FileOutcome | None = None) -> None:
        self.out.writelines(_gh_annotation(f) + "\n" for f in findings)


def _gh_annotation(f: Finding) -> str:
    props = ",".join([
        f"file={_gh_property(f.path)}",
        f"line={f.line}",
        f"col={f.column}",
        f"endLine={f.end_line}",
        f"endColumn={f.end_column}",
        f"title={_gh_property(f'{f.code} {f.rule}')}",
    ])
    return f"::{_GITHUB_LEVEL[f.severity]} {props}::{_gh_data(f.message)}"


class _JsonArrays(Reporter):
    """A JSON document some of whose arrays grow as files arrive: their items wait in spool files.

    The document is written as ``json.dumps(..., indent=2, ensure_ascii=False)`` would write it
    whole, byte for byte.
    """

    arrays: tuple[str, ...] = ()
    depth = 1  # how deep in the document the arrays' key is (items are indented one level more)

    def __init__(self, out: TextIO, rules: Iterable[Rule] = (), *, summary: bool = True) -> None:
        super().__init__(out, rules, summary=summary)
        self.spools = {name: _Spool() for name in self.arrays}

    def item(self, array: str, value: object) -> None:
        pad = "  " * (self.depth + 1)
        self.spools[array].write(pad + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + pad))

    def write_document(self, doc: dict) -> None:
        """``doc`` with each spooled array's key set to its placeholder, ``"<name>"``."""
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        close = "  " * self.depth + "]"
        for name, spool in self.spools.items():
            before, _, text = text.partition(json.dumps(_placeholder(name)))
            self.out.write(before)
            if spool.count:
                self.out.write("[\n")
                spool.copy_to(self.out)
                self.out.write("\n" + close)
            else:
                self.out.write("[]")
            spool.close()
        self.out.write(text)


def _placeholder(name: str) -> str:
    return f"\x00{name}\x00"  # a string no real value holds


class _Spool:
    """Items of a JSON array, comma-separated, in memory while small and on disk beyond that."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, mode="w+", encoding="utf-8")  # noqa: SIM115
        self.count = 0

    def write(self, text: str) -> None:
        if self.count:
            self.file.write(",\n")
        self.file.write(text)
        self.count += 1

    def copy_to(self, out: TextIO) -> None:
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)

    def close(self) -> None:
        self.file.close()


class Json(_JsonArrays):
    """The stable JSON document of DESIGN.md section 3."""

    arrays = ("diagnostics", "documents")

    def add(self, findings: list[Finding], outcome: FileOutcome | None = None) -> None:
        for f in findings:
            self.item("diagnostics", f.as_dict())
        super().add(findings, outcome)

    def document(self, path: str, summary: dict) -> None:
        self.item("documents", {"path": path, "trust": summary})

    def finish(self, tally: Tally) -> None:
        self.write_document({"version": 1, "files_checked": tally.files_checked, "diagnostics": _placeholder("diagnostics"),
                             "documents": _placeholder("documents")})


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


class Sarif(_JsonArrays):
    """SARIF 2.1.0, with every rule's metadata and help text, for code-scanning tools."""

    arrays = ("results",)
    depth = 3  # runs[0].results

    def __init__(self, out: TextIO, rules: Iterable[Rule] = (), *, summary: bool = True) -> None:
        super().__init__(out, rules, summary=summary)
        self.rule_list = sorted(rules, key=lambda r: r.code)
        self.index = {r.code: i for i, r in enumerate(self.rule_list)}

    def add(self, findings: list[Finding], outcome: FileOutcome | None = None) -> None:
        for f in findings:
            self.item("results", _sarif_result(f, self.index))

    def finish(self, tally: Tally) -> None:
        driver = {
            "name": "healthlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_sarif_rule(r) for r in self.rule_list],
        }
        self.write_document({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": driver},
                "invocations": [_sarif_invocation(tally)],
                "columnKind": "unicodeCodePoints",
                "results": _placeholder("results"),
            }],
        })


def _sarif_invocation(tally: Tally) -> dict:
    """Whether the run could read everything, with the input errors and notes as notifications."""
    notes = [("error", e) for e in tally.errors] + [("note", n) for n in tally.notes]
    invocation: dict = {"executionSuccessful": not tally.errors}
    if notes:
        invocation["toolExecutionNotifications"] = [{"level": level, "message": {"text": text}} for level, text in notes]
    return invocation


def _sarif_rule(rule: Rule) -> dict:
    help_text = rule.explanation
    if rule.bad:
        help_text += "\n\nExample that triggers it:\n  " + rule.bad[0].text.strip().replace("\n", "\n  ")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [rule.family], "family": rule.family},
    }


def _sarif_result(f: Finding, index: dict[str, int]) -> dict:
    region = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": f.end_column,
    }
    if f.excerpt and f.line == f.end_line and len(f.excerpt) == f.end_column - f.column:
        region["snippet"] = {"text": f.excerpt}  # only when the excerpt is the region's exact text
    res = {
        "ruleId": f.code,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": region}}],
    }
    if f.code in index:
        res["ruleIndex"] = index[f.code]
    if f.suggestion:
        res["properties"] = {"suggestion": f.suggestion}
    return res


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"))


class Statistics(Reporter):
    """``--statistics``: count, code, name and severity of each rule's findings, most first (as Ruff does)."""

    def __init__(self, out: TextIO, rules: Iterable[Rule] = (), *, summary: bool = True) -> None:
        super().__init__(out, rules, summary=summary)
        self.counts: Counter[tuple[str, str, str]] = Counter()

    def add(self, findings: list[Finding], outcome: FileOutcome | None = None) -> None:
        self.counts.update((f.code, f.rule, f.severity) for f in findings)

    def rows(self) -> list[tuple[int, str, str, str]]:
        """(count, code, rule name, severity), by count (highest first), then code, then severity (worst first).

        A rule whose findings have different severities (a term listed as worse than the rest) gets
        one row per severity.
        """
        rows = [(n, code, name, severity) for (code, name, severity), n in self.counts.items()]
        return sorted(rows, key=lambda r: (-r[0], r[1], -SEVERITY_RANK[r[3]]))

    def finish(self, tally: Tally) -> None:
        rows = self.rows()
        count_width = max((len(str(n)) for n, *_ in rows), default=1)
        name_width = max((len(name) for _, _, name, _ in rows), default=1)
        self.out.writelines(f"{n:>{count_width}}  {code}  {name:<{name_width}}  {severity}\n" for n, code, name, severity in rows)
        if self.summary:
            self.out.write(summary_line(tally) + "\n")


class StatisticsJson(Statistics):
    """``--statistics --format json``: the same rows as one stable JSON object."""

    def finish(self, tally: Tally) -> None:
        rows = [{"code": code, "rule": name, "severity": severity, "count": n} for n, code, name, severity in self.rows()]
        doc = {"version": 1, "files_checked": tally.files_checked, "statistics": rows}
        self.out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


REPORTS: dict[str, type[Reporter]] = {"text": Text, "json": Json, "github": GitHub, "sarif": Sarif}
STATISTICS_REPORTS: dict[str, type[Reporter]] = {"text": Statistics, "json": StatisticsJson}  # other formats refuse it


def render(kind: type[Reporter], result: RunResult, rules: Iterable[Rule] = (), *, summary: bool = True) -> str:
    """A whole report of a run held in memory, as one string (for tests, scripts and the library API)."""
    out = io.StringIO()
    report = kind(out, rules, summary=summary)
    report.add(result.findings)
    for doc in result.documents:
        report.document(doc["path"], doc["trust"])
    report.finish(Tally.of(result))
    return out.getvalue()


def _renderer(kind: type[Reporter]) -> Callable[..., str]:
    def rendered(result: RunResult, rules: Iterable[Rule] = (), *, summary: bool = True) -> str:
        return render(kind, result, rules, summary=summary)

    rendered.__doc__ = kind.__doc__
    return rendered


text, json_report, github, sarif = (_renderer(REPORTS[f]) for f in ("text", "json", "github", "sarif"))
statistics, statistics_json = _renderer(Statistics), _renderer(StatisticsJson)
REPORTERS: dict[str, Callable[..., str]] = {"text": text, "json": json_report, "github": github, "sarif": sarif}
