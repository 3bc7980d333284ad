"""Baselines: ``--write-baseline FILE`` records today's findings, ``--baseline FILE`` reports only new ones.

A finding is known by its rule, file and text, not its line, so edits elsewhere in the file do not
bring it back. Runs go through the real command line in a temporary folder.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from cli_helpers import run, write
from git_helpers import commit_all, git_env, init_repo  # noqa: F401  (git_env is a fixture)
from healthlint.baseline import Baseline, load
from healthlint.findings import Finding

ARTICLE = """# Eczema

Eczema makes skin dry and itchy.

Some sites sell a miracle cream for it.

Moisturise twice a day.
"""
SELECT = ("--select", "HL103,HL201")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def record(*args: str, baseline: str = "baseline.json") -> None:
    r = run("check", *SELECT, "--write-baseline", baseline, *args)
    assert (r.code, r.out) == (0, ""), r.output


def check(*args: str, baseline: str = "baseline.json"):
    return run("check", *SELECT, "--baseline", baseline, *args)


# -- writing -----------------------------------------------------------------------------------------
def test_write_baseline_records_every_finding_and_exits_zero(tmp_path):
    write(tmp_path / "b.md", ARTICLE)
    write(tmp_path / "a.md", ARTICLE.replace("Moisturise", "Detox and moisturise"))
    r = run("check", *SELECT, "--write-baseline", "baseline.json", ".")
    assert (r.code, r.out) == (0, "")
    assert r.err_lines() == ["healthlint: recorded 5 findings in baseline.json"]
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["findings"] == [
        {"path": "a.md", "code": "HL103", "text": "Detox", "count": 1},
        {"path": "a.md", "code": "HL103", "text": "miracle", "count": 1},
        {"path": "a.md", "code": "HL201", "text": "Eczema", "count": 1},
        {"path": "b.md", "code": "HL103", "text": "miracle", "count": 1},
        {"path": "b.md", "code": "HL201", "text": "Eczema", "count": 1},
    ]


def test_baseline_file_is_stable_sorted_json_with_a_trailing_newline(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    record("a.md")
    first = (tmp_path / "baseline.json").read_bytes()
    assert first.endswith(b"}\n") and b'\n  "findings": [\n    {\n      "path": "a.md",' in first
    write(tmp_path / "a.md", "\n\n" + ARTICLE)  # positions move; what is recorded does not
    record("a.md")
    assert (tmp_path / "baseline.json").read_bytes() == first
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left behind


def test_write_replaces_the_file_and_keeps_its_permissions(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    target = write(tmp_path / "baseline.json", "old")
    os.chmod(target, 0o640)
    record("a.md")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert json.loads(target.read_text(encoding="utf-8"))["findings"]


def test_write_baseline_into_a_missing_folder_is_one_line(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    r = run("check", "--write-baseline", "no/such/folder/baseline.json", "a.md")
    assert r.code == 2 and len(r.err_lines()) == 1
    assert r.err.startswith("healthlint: error: no/such/folder/baseline.json: cannot write the baseline")


def test_no_baseline_written_when_a_path_cannot_be_checked(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    r = run("check", "--write-baseline", "baseline.json", "a.md", "missing.md")
    assert r.code == 2
    assert "missing.md: no such file or folder" in r.err and "baseline not written" in r.err
    assert not (tmp_path / "baseline.json").exists()


@pytest.mark.parametrize("other", [("--baseline", "x.json"), ("--changed-since", "HEAD"), ("--statistics",)])
def test_write_baseline_refuses_other_filters(tmp_path, other):
    write(tmp_path / "a.md", ARTICLE)
    r = run("check", "--write-baseline", "baseline.json", *other, "a.md")
    assert r.code == 2 and len(r.err_lines()) == 1
    assert f"run it without {other[0]}" in r.err
    assert not (tmp_path / "baseline.json").exists()


# -- checking against it ----------------------------------------------------------------------------
def test_known_findings_are_hidden_and_the_run_passes(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    record("a.md")
    r = check("a.md")
    assert (r.code, r.out) == (0, "All checks passed (1 file checked).\n")
    assert r.err_lines() == ["healthlint: note: 2 findings already in the baseline not shown"]


def test_unrelated_edit_above_does_not_resurrect_a_finding(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    record("a.md")
    edited = ARTICLE.replace("Eczema makes skin dry and itchy.\n", "Eczema makes skin dry.\n\nIt can itch,\nespecially at night.\n")
    write(tmp_path / "a.md", edited.replace("Moisturise twice a day.", "A miracle balm helps."))
    r = check("a.md")
    assert r.code == 1
    assert r.findings == [("a.md", 10, 3, "HL103")]  # the new one; the recorded one moved from line 5 to 8


def test_occurrences_beyond_the_recorded_count_are_reported(tmp_path):
    write(tmp_path / "a.md", "# Cream\n\nA miracle. Another miracle.\n")
    record("a.md")
    assert json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"][0]["count"] == 2
    write(tmp_path / "a.md", "# Cream\n\nA miracle. Another miracle.\n\nA third miracle.\n")
    assert check("a.md").findings == [("a.md", 5, 9, "HL103")]  # 3 identical findings, 2 recorded: 1 reported


def test_same_text_in_another_file_or_rule_is_new(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    record("a.md")
    write(tmp_path / "b.md", ARTICLE)
    assert check("a.md", "b.md").findings == [("b.md", 1, 3, "HL201"), ("b.md", 5, 19, "HL103")]


def test_document_level_finding_is_keyed_by_its_text(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    record("a.md")
    write(tmp_path / "a.md", ARTICLE.replace("# Eczema", "# Eczema in children"))
    assert check("a.md").findings == [("a.md", 1, 3, "HL201")]


def test_paths_are_relative_to_the_baseline_file(tmp_path, monkeypatch):
    write(tmp_path / "drafts" / "a.md", ARTICLE)
    record("drafts")
    assert {e["path"] for e in json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]} == {"drafts/a.md"}
    monkeypatch.chdir(tmp_path / "drafts")
    r = check("a.md", baseline="../baseline.json")
    assert (r.code, r.findings) == (0, [])


def test_stdin_uses_its_stdin_filename(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    record("a.md")
    r = run("check", *SELECT, "--baseline", "baseline.json", "-", "--stdin-filename", "a.md", input=ARTICLE)
    assert (r.code, r.findings) == (0, [])


def test_baseline_and_changed_since_together(tmp_path, monkeypatch, git_env):
    repo = init_repo(tmp_path / "repo")
    write(repo / "a.md", ARTICLE)
    commit_all(repo, "draft")
    monkeypatch.chdir(repo)
    record("a.md")
    write(repo / "a.md", ARTICLE.replace("Moisturise twice a day.", "A miracle balm helps, a miracle."))
    r = run("check", *SELECT, "--baseline", "baseline.json", "--changed-since", "HEAD", "a.md")
    assert r.findings == [("a.md", 7, 3, "HL103"), ("a.md", 7, 25, "HL103")]  # HL201 of the changed file is known


# -- unusable baseline files: one line, exit status 2 ------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (None, "baseline.json: baseline file not found; create it with --write-baseline baseline.json"),
    ('{"version": 1,\n "findings": [}\n', "baseline.json:2: the baseline is not valid JSON"),
    ("[]", "baseline.json: not a healthlint baseline"),
    ('{"version": 9, "findings": []}', "baseline.json: baseline version 9 is not supported"),
    ('{"version": 1, "findings": [{"path": "a.md", "code": "HL103"}]}', "baseline.json: entry 1 of 'findings' needs"),
    ('{"version": 1, "findings": [{"path": "a.md", "code": "HL103", "text": "x", "count": 0}]}', "entry 1 of 'findings' needs"),
    (b"\xff\xfe", "baseline.json: cannot read the baseline"),
])
def test_unusable_baseline(tmp_path, content, message):
    write(tmp_path / "a.md", ARTICLE)
    if content is not None:
        write(tmp_path / "baseline.json", content)
    r = check("a.md")
    assert r.code == 2 and r.out == ""
    [line] = r.err_lines()
    assert line.startswith("healthlint: error: ") and message in line


# -- the module ------------------------------------------------------------------------------------------
def finding(path: str, line: int, text: str, code: str = "HL103") -> Finding:
    return Finding(path, line, 1, code, line, 1 + len(text), "red-flag-language", "warning", "m", text)


def test_filter_counts_identical_findings_in_document_order(tmp_path):
    base = Baseline.of([finding("a.md", 3, "miracle"), finding("a.md", 9, "miracle")], tmp_path)
    new = [finding("a.md", 20, "miracle"), finding("a.md", 4, "miracle"), finding("a.md", 12, "miracle"), finding("a.md", 5, "detox")]
    kept, hidden = base.filter(new)
    assert hidden == 2 and [(f.line, f.excerpt) for f in kept] == [(5, "detox"), (20, "miracle")]


def test_round_trip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = Baseline.of([finding("a.md", 3, "caf\u00e9 miracle"), finding("sub/b.md", 1, "x", "HL201")], tmp_path)
    path = write(tmp_path / "baseline.json", base.to_json())
    assert "caf\u00e9" in path.read_text(encoding="utf-8")  # readable in review, not \u escapes
    assert load(path).counts == base.counts
