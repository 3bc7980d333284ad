"""The results cache (.healthlint_cache/): never changes the output, and anything that decides findings invalidates it.

Runs use ``--jobs 1`` where they count which files were linted (a spy on the engine sees only
this process).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cli_helpers import run, write
from healthlint import cache as cache_module
from healthlint import engine
from healthlint.checks import trust_data
from healthlint.config import Settings

ARTICLE = "# Eczema\n\nThis cream cures eczema and is a miracle. Studies show it works.\n"
OTHER = "# Acne\n\nAcne is common in teenagers. It always goes away.\n"
TEAM_PACK = """rules:
  - code: HL150
    name: superfood
    severity: warning
    type: existence
    tokens: [superfood]
    message: '"{match}" is a marketing word.'
    explanation: Marketing words promise more than a food can do.
    examples:
      bad: ["Kale is a superfood."]
      good: ["Kale is a vegetable."]
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def linted(monkeypatch) -> list[str]:
    """The paths linted afresh (not served from the cache) in this process."""
    seen: list[str] = []
    real = engine._lint_work

    def spy(linter, summaries, work):
        seen.append(work.source.display)
        return real(linter, summaries, work)

    monkeypatch.setattr(engine, "_lint_work", spy)
    return seen


@pytest.fixture
def docs(tmp_path) -> Path:
    write(tmp_path / "docs" / "a.md", ARTICLE)
    write(tmp_path / "docs" / "b.md", OTHER)
    return tmp_path


def entries(root: Path) -> list[Path]:
    return sorted(root.glob(".healthlint_cache/*/*.json"))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_output_is_the_same_with_and_without_the_cache(docs, linted, fmt):
    fresh = run("check", "--format", fmt, "--jobs", "1", "--no-cache", "docs")
    first = run("check", "--format", fmt, "--jobs", "1", "docs")
    assert linted == ["docs/a.md", "docs/b.md"] * 2
    second = run("check", "--format", fmt, "--jobs", "1", "docs")
    assert linted == ["docs/a.md", "docs/b.md"] * 2  # all from the cache
    assert fresh.out == first.out == second.out and fresh.out
    assert (fresh.code, fresh.err) == (first.code, first.err) == (second.code, second.err)


def test_cache_folder_is_tagged_and_ignored_by_git(docs):
    subprocess.run(["git", "init", "-q", str(docs)], check=True)
    run("check", "docs")
    root = docs / ".healthlint_cache"
    assert (root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert "*" in (root / ".gitignore").read_text().splitlines()
    assert len(entries(docs)) == 2
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=docs, capture_output=True, text=True, check=True)
    assert ".healthlint_cache" not in status.stdout and "docs/a.md" in status.stdout
    assert not list(root.rglob(".tmp-*"))  # atomic writes leave no temporary files


def test_the_start_up_caches_of_a_no_cache_run_are_tagged_and_ignored_by_git(docs):
    subprocess.run(["git", "init", "-q", str(docs)], check=True)
    subprocess.run([sys.executable, "-m", "healthlint", "check", "--no-cache", "docs"], cwd=docs, capture_output=True, timeout=60)
    root = docs / ".healthlint_cache"
    assert list(root.glob("*.marshal")) and not entries(docs)  # compiled patterns etc., no results
    assert (root / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=docs, capture_output=True, text=True, check=True)
    assert ".healthlint_cache" not in status.stdout and "docs/a.md" in status.stdout


def test_editing_a_file_relints_only_that_file(docs, linted):
    run("check", "--jobs", "1", "docs")
    write(docs / "docs" / "b.md", OTHER + "\nIt is a miracle.\n")
    linted.clear()
    r = run("check", "--jobs", "1", "--select", "HL103", "docs")
    assert linted == ["docs/a.md", "docs/b.md"]  # a different selection: a different fingerprint
    linted.clear()
    r2 = run("check", "--jobs", "1", "--select", "HL103", "docs")
    assert linted == [] and r2.out == r.out
    write(docs / "docs" / "b.md", OTHER)
    r3 = run("check", "--jobs", "1", "--select", "HL103", "docs")
    assert linted == ["docs/b.md"]
    assert "docs/b.md" in r.out and "docs/b.md" not in r3.out


def test_editing_the_config_invalidates(docs, linted):
    write(docs / ".healthlint.yaml", "select: [HL103]\n")
    assert {d["severity"] for d in run("check", "--jobs", "1", "--format", "json", "docs").json["diagnostics"]} == {"error"}
    write(docs / ".healthlint.yaml", "select: [HL103]\nrules:\n  HL103:\n    severity: info\n")
    linted.clear()
    r = run("check", "--jobs", "1", "--format", "json", "docs")
    assert linted == ["docs/a.md", "docs/b.md"]
    assert {d["severity"] for d in r.json["diagnostics"]} == {"info"}
    assert (docs / ".healthlint_cache").is_dir()  # next to the config file


def test_editing_a_team_pack_invalidates(tmp_path, linted):
    write(tmp_path / "packs" / "team.yaml", TEAM_PACK)
    write(tmp_path / ".healthlint.yaml", "extend-rules: [packs/team.yaml]\nselect: [HL150]\n")
    write(tmp_path / "kale.md", "Kale is a superfood.\n")
    first = run("check", "--jobs", "1", "--format", "json", "kale.md")
    assert [d["message"] for d in first.json["diagnostics"]] == ['"superfood" is a marketing word.']
    write(tmp_path / "packs" / "team.yaml", TEAM_PACK.replace("is a marketing word.", "is hype."))
    linted.clear()
    second = run("check", "--jobs", "1", "--format", "json", "kale.md")
    assert linted == ["kale.md"]
    assert [d["message"] for d in second.json["diagnostics"]] == ['"superfood" is hype.']


def test_a_vocabulary_file_is_part_of_the_key(tmp_path, linted):
    write(tmp_path / "names.txt", "Morvan Rash\n")
    write(tmp_path / ".healthlint.yaml", "select: [HL301]\nvocabulary:\n  accept: names.txt\n")
    write(tmp_path / "a.md", "# Rashes\n\nMorvan Rash Syndrome is rare.\n")
    first = run("check", "--jobs", "1", "--format", "json", "a.md")
    write(tmp_path / "names.txt", "Morvan Rash\nMorvan Rash Syndrome\n")
    linted.clear()
    second = run("check", "--jobs", "1", "--format", "json", "a.md")
    assert linted == ["a.md"]
    fresh = run("check", "--jobs", "1", "--format", "json", "--no-cache", "a.md")
    assert second.out == fresh.out
    assert first.out != second.out or first.json["diagnostics"] == []


def test_a_new_day_invalidates_and_prunes_old_days(docs, linted, monkeypatch):
    monkeypatch.setattr(trust_data, "today", lambda: date(2031, 5, 1))
    run("check", "--jobs", "1", "docs")
    [old] = {p.parent for p in entries(docs)}
    assert old.name.startswith("2031-05-01-")
    monkeypatch.setattr(trust_data, "today", lambda: date(2031, 5, 2))
    linted.clear()
    run("check", "--jobs", "1", "docs")
    assert linted == ["docs/a.md", "docs/b.md"]
    assert not old.exists()
    assert {p.parent.name[:10] for p in entries(docs)} == {"2031-05-02"}


def test_the_cache_is_read_and_no_cache_bypasses_it(docs):
    run("check", "--select", "HL103", "docs/a.md")
    [entry] = entries(docs)
    raw = json.loads(entry.read_text())
    raw["findings"][0][7] = "A message only the cache knows."
    entry.write_text(json.dumps(raw))
    assert "A message only the cache knows." in run("check", "--select", "HL103", "docs/a.md").out
    bypassed = run("check", "--select", "HL103", "--no-cache", "docs/a.md")
    assert "A message only the cache knows." not in bypassed.out and bypassed.findings
    assert json.loads(entry.read_text()) == raw  # --no-cache writes nothing either


@pytest.mark.parametrize("damage", [b"", b"{\"format\": 1, \"findings\": [[1, 2", b"\xff\xfe", b"[]",
                                    b'{"format": 1, "findings": [["x", 1, 1, 1, "HL103", "r", "error", "m", "e", null]]}',
                                    b'{"format": 99, "findings": []}'])
def test_a_corrupt_entry_is_recomputed(docs, linted, damage):
    expected = run("check", "--jobs", "1", "--select", "HL103", "docs/a.md")
    [entry] = entries(docs)
    entry.write_bytes(damage)
    linted.clear()
    again = run("check", "--jobs", "1", "--select", "HL103", "docs/a.md")
    assert linted == ["docs/a.md"]
    assert (again.code, again.out, again.err) == (expected.code, expected.out, expected.err)
    assert json.loads(entry.read_text())["format"] == cache_module.FORMAT  # rewritten whole


def test_an_unwritable_cache_is_one_note_not_a_failure(docs):
    expected = run("check", "--no-cache", "docs")
    shutil.rmtree(docs / ".healthlint_cache", ignore_errors=True)  # --no-cache keeps the start-up caches
    write(docs / ".healthlint_cache", "not a folder")
    r = run("check", "--jobs", "1", "docs")
    assert (r.code, r.out) == (expected.code, expected.out)
    notes = r.err_lines()
    assert len(notes) == 1 and notes[0].startswith("healthlint: note: ") and "cannot write the results cache" in notes[0]
    assert "--no-cache" in notes[0]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write to read-only folders")
def test_a_read_only_cache_folder_is_one_note(docs):
    expected = run("check", "docs")
    root = docs / ".healthlint_cache"
    write(docs / "docs" / "c.md", OTHER + "\nMore.\n")
    os.chmod(root, 0o500)
    try:
        r = run("check", "docs")
    finally:
        os.chmod(root, 0o700)
    assert r.code == expected.code and len(r.err_lines()) == 1


def test_a_failed_write_is_one_note_for_the_whole_run(docs, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache_module, "write_atomic", refuse)
    r = run("check", "--jobs", "1", "docs")
    assert r.err_lines() == [f"healthlint: note: {docs / '.healthlint_cache'}: cannot write the results cache (Permission denied); "
                             "results are not cached (make the folder writable, or pass --no-cache)"]


def test_stdin_is_not_cached(tmp_path):
    r = run("check", "--select", "HL103", "-", "--stdin-filename", "a.md", input=ARTICLE)
    assert r.findings
    assert not list(tmp_path.glob(".healthlint_cache/*/*.json"))  # (the start-up caches may be there)


def test_json_summaries_after_a_text_run(docs, linted):
    text = run("check", "--jobs", "1", "docs").out  # entries without trust summaries
    fresh = run("check", "--jobs", "1", "--format", "json", "--no-cache", "docs")
    linted.clear()
    cached = run("check", "--jobs", "1", "--format", "json", "docs")
    assert linted == ["docs/a.md", "docs/b.md"]  # summaries were missing: linted again
    assert cached.out == fresh.out and cached.json["documents"]
    linted.clear()
    assert run("check", "--jobs", "1", "--format", "json", "docs").out == fresh.out
    assert run("check", "--jobs", "1", "docs").out == text
    assert linted == []


def test_the_path_findings_report_is_part_of_the_key(docs, monkeypatch):
    first = run("check", "--select", "HL103", "docs/a.md")
    monkeypatch.chdir(docs / "docs")
    second = run("check", "--select", "HL103", "a.md")
    assert first.out.startswith("docs/a.md:") and second.out.startswith("a.md:")


def test_per_file_ignores_follow_the_working_folder(docs, monkeypatch):
    write(docs / ".healthlint.yaml", "select: [HL103]\nper-file-ignores:\n  'docs/a.md': [HL103]\n")
    write(docs / "sub" / "a.md", ARTICLE)  # the same bytes, reported as the same path from its folder
    monkeypatch.chdir(docs / "docs")
    assert run("check", "--config", "../.healthlint.yaml", "a.md").findings == []
    monkeypatch.chdir(docs / "sub")
    assert run("check", "--config", "../.healthlint.yaml", "a.md").findings


def test_the_fingerprint_covers_every_setting():
    base = Settings(base=Path("/x"))
    prints = {cache_module.fingerprint(base, [], "2031-01-01")}
    for change in ({"select": ["HL1"]}, {"ignore": ["HL101"]}, {"per_file_ignores": {"*.md": ["HL1"]}},
                   {"rule_options": {"HL402": {"max": 30}}}, {"vocabulary": {"accept": ["X"], "reject": {}}},
                   {"front_matter": {"require": ["author"]}}, {"base": Path("/y")}, {"max_file_size_mb": 1.0}):
        prints.add(cache_module.fingerprint(Settings(**{"base": Path("/x"), **change}), [], "2031-01-01"))
    prints.add(cache_module.fingerprint(base, [], "2031-01-02"))
    assert len(prints) == 10
    assert cache_module.fingerprint(base, [], "2031-01-01") == cache_module.fingerprint(Settings(base=Path("/x")), [], "2031-01-01")


def test_help_describes_the_options():
    out = run("check", "--help").out
    assert "--no-cache" in out and ".healthlint_cache/" in out and "--jobs" in out
