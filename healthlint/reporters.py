"""Reporters: they only format findings (text, JSON, GitHub workflow commands, SARIF 2.1.0)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable

from healthlint import __version__
from healthlint.engine import RunResult
from healthlint.findings import SEVERITY_RANK, Finding
from healthlint.rules import Rule

INFORMATION_URI = "https://pypi.org/project/healthlint/"


def text(result: RunResult, rules: Iterable[Rule], *, summary: bool = True) -> str:
    """One finding a line, ``path:line:col: CODE severity message [rule]``, then a summary."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.severity} {f.message} [{f.rule}]" for f in result.findings]
    if summary:
        lines.append(_summary(result))
    return "\n".join(lines) + "\n" if lines else ""


def _summary(result: RunResult) -> str:
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
    failed = len(result.errors)
    unchecked = f" {failed} path{'s' if failed != 1 else ''} could not be checked." if failed else ""
    if not result.findings:
        if failed:
            return f"No problems found in {files} checked.{unchecked}"
        return f"All checks passed ({files} checked)."
    counts = Counter(f.severity for f in result.findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in ("error", "warning", "info") if counts[s]]
    n = len(result.findings)
    return f"Found {n} problem{'s' if n != 1 else ''} ({', '.join(parts)}) in {files}.{unchecked}"


def json_report(result: RunResult, rules: Iterable[Rule], **_) -> str:
    """The stable JSON document of DESIGN.md section 3."""
    doc = {
        "version": 1,
        "files_checked": result.files_checked,
        "diagnostics": [f.as_dict() for f in result.findings],
        "documents": result.documents,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: RunResult, rules: Iterable[Rule], **_) -> str:
    """GitHub Actions workflow commands: annotations on the lines concerned."""
    out = []
    for f in result.findings:
        props = ",".join([
            f"file={_gh_property(f.path)}",
            f"line={f.line}",
            f"col={f.column}",
            f"endLine={f.end_line}",
            f"endColumn={f.end_column}",
            f"title={_gh_property(f'{f.code} {f.rule}')}",
        ])
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {props}::{_gh_data(f.message)}")
    return "\n".join(out) + "\n" if out else ""


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif(result: RunResult, rules: Iterable[Rule], **_) -> str:
    """SARIF 2.1.0, with every rule's metadata and help text, for code-scanning tools."""
    rule_list = sorted(rules, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rule_list)}
    driver = {
        "name": "healthlint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [_sarif_rule(r) for r in rule_list],
    }
    results = [_sarif_result(f, index) for f in result.findings]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [_sarif_invocation(result)],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_invocation(result: RunResult) -> dict:
    """Whether the run could read everything, with the input errors and notes as notifications."""
    notes = [("error", e) for e in result.errors] + [("note", n) for n in result.notes]
    invocation: dict = {"executionSuccessful": not result.errors}
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


def statistics(result: RunResult, rules: Iterable[Rule], *, summary: bool = True) -> str:
    """``--statistics``: count, code, name and severity of each rule's findings, most first (as Ruff does)."""
    rows = _statistics(result.findings)
    count_width = max((len(str(n)) for n, *_ in rows), default=1)
    name_width = max((len(name) for _, _, name, _ in rows), default=1)
    lines = [f"{n:>{count_width}}  {code}  {name:<{name_width}}  {severity}" for n, code, name, severity in rows]
    if summary:
        lines.append(_summary(result))
    return "\n".join(lines) + "\n" if lines else ""


def statistics_json(result: RunResult, rules: Iterable[Rule], **_) -> str:
    """``--statistics --format json``: the same rows as one stable JSON object."""
    rows = [{"code": code, "rule": name, "severity": severity, "count": n} for n, code, name, severity in _statistics(result.findings)]
    doc = {"version": 1, "files_checked": result.files_checked, "statistics": rows}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _statistics(findings: Iterable[Finding]) -> list[tuple[int, str, str, str]]:
    """(count, code, rule name, severity), by count (highest first), then code, then severity (worst first).

    A rule whose findings have different severities (a term listed as worse than the rest) gets
    one row per severity.
    """
    counts = Counter((f.code, f.rule, f.severity) for f in findings)
    rows = [(n, code, name, severity) for (code, name, severity), n in counts.items()]
    return sorted(rows, key=lambda r: (-r[0], r[1], -SEVERITY_RANK[r[3]]))


REPORTERS: dict[str, Callable[..., str]] = {"text": text, "json": json_report, "github": github, "sarif": sarif}
STATISTICS: dict[str, Callable[..., str]] = {"text": statistics, "json": statistics_json}  # --statistics; other formats refuse it
