"""``healthlint check --statistics``: how many findings each rule has, like ``ruff check --statistics``.

Rows are count, code, rule name and severity, sorted by count (highest first), then code; the text
format prints them instead of the findings, json as one object; github and sarif refuse it.
"""

from __future__ import annotations

import json

import pytest

from cli_helpers import run, write
from healthlint.engine import RunResult
from healthlint.findings import Finding
from healthlint.reporters import statistics, statistics_json

# HL103: "miracle" is an error, "detox" and "quick fix" warnings; HL201: no disclaimer (one per file).
ARTICLE = """# Eczema

A miracle cream, a detox tea and a quick fix. Another miracle.
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", ARTICLE)
    write(tmp_path / "b.md", ARTICLE.replace("a detox tea and ", ""))


def test_table_sorted_by_count_then_code_with_the_summary():
    r = run("check", "--select", "HL103,HL201", "--statistics", ".")
    assert r.code == 1
    assert r.out == (
        "4  HL103  red-flag-language   error\n"
        "3  HL103  red-flag-language   warning\n"
        "2  HL201  missing-disclaimer  warning\n"
        "Found 9 problems (4 errors, 5 warnings) in 2 files.\n"
    )


def test_quiet_leaves_out_the_summary_and_exit_status_still_follows_the_findings():
    r = run("check", "--select", "HL201", "--statistics", "-q", "--fail-on", "error", ".")
    assert (r.code, r.out) == (0, "2  HL201  missing-disclaimer  warning\n")


def test_no_findings():
    r = run("check", "--select", "HL405", "--statistics", ".")
    assert (r.code, r.out) == (0, "All checks passed (2 files checked).\n")


def test_json():
    r = run("check", "--select", "HL103,HL201", "--statistics", "--format", "json", ".")
    assert r.code == 1
    assert r.json == {"version": 1, "files_checked": 2, "statistics": [
        {"code": "HL103", "rule": "red-flag-language", "severity": "error", "count": 4},
        {"code": "HL103", "rule": "red-flag-language", "severity": "warning", "count": 3},
        {"code": "HL201", "rule": "missing-disclaimer", "severity": "warning", "count": 2},
    ]}


@pytest.mark.parametrize("fmt", ["github", "sarif"])
def test_other_formats_refuse_it(fmt):
    r = run("check", "--statistics", "--format", fmt, ".")
    assert (r.code, r.out) == (2, "")
    assert r.err_lines() == [f"healthlint: error: --statistics works with --format text or json, not {fmt}; drop one of them"]


def test_counts_what_the_baseline_leaves():
    assert run("check", "--select", "HL103,HL201", "--write-baseline", "base.json", "a.md").code == 0
    r = run("check", "--select", "HL103,HL201", "--statistics", "--baseline", "base.json", "-q", ".")
    assert r.out == "2  HL103  red-flag-language   error\n1  HL103  red-flag-language   warning\n1  HL201  missing-disclaimer  warning\n"


def f(code: str, rule: str, severity: str, line: int) -> Finding:
    return Finding("a.md", line, 1, code, line, 2, rule, severity, "m")


def test_ties_sort_by_code_and_counts_align():
    findings = [f("HL402", "long-sentence", "warning", n) for n in range(10)]
    findings += [f("HL101", "unhedged-claim", "warning", 1), f("HL105", "vague-attribution", "info", 2), f("HL104", "overpromise", "warning", 3)]
    result = RunResult(findings=sorted(findings), files_checked=1)
    assert statistics(result, [], summary=False) == (
        "10  HL402  long-sentence      warning\n"
        " 1  HL101  unhedged-claim     warning\n"
        " 1  HL104  overpromise        warning\n"
        " 1  HL105  vague-attribution  info\n"
    )
    assert [row["code"] for row in json.loads(statistics_json(result, []))["statistics"]] == ["HL402", "HL101", "HL104", "HL105"]
