"""Configuration trouble (issue 8): unknown keys, wrong types, missing and odd paths, and YAML that
is valid but costly (anchor bombs, recursive aliases, deep nesting, huge files) in the config file,
in a team rule pack and in an article's front matter.

Every case ends in one clear line naming the file (and line where there is one): exit status 2
for the config and packs, an HL902 finding for front matter. The costly-YAML cases run in a
subprocess with a memory limit and a timeout, so a regression fails instead of hanging or
swapping; there are no timing assertions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import run, write

TIMEOUT = 60
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GB of address space: an expanded bomb needs far more


def _bomb(levels: int = 9, indent: str = "") -> str:
    """The 'billion laughs': nine anchors, each a list of nine aliases of the one before."""
    lines = [f'{indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{indent}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


BOMB_INLINE = "[" + ", ".join(
    ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
) + "]"
RULE = """  - code: HL950
    name: team-rule
    severity: warning
    type: existence
    message: "Avoid '{match}'."
    explanation: House style.
    tokens: TOKENS
    examples:
      bad: ["We sell a miracle."]
      good: ["We sell a cream."]
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def doc(tmp_path):
    return write(tmp_path / "doc.md", "A miracle.\n")


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``healthlint ARGS`` in a subprocess with 1 GB of memory and a timeout."""
    preexec = _limit_memory if sys.platform.startswith("linux") else None
    return subprocess.run([sys.executable, "-m", "healthlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=preexec, stdin=subprocess.DEVNULL)


def one_error(r) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    return lines[0]


# -- costly YAML in the config file --------------------------------------------------------------
@pytest.mark.parametrize("content,line,problem", [
    ("vocabulary:\n  accept: [" + BOMB_INLINE + "]\n", 2, "aliases repeat more than 100,000 values (an 'anchor bomb')"),
    ("rules:\n  HL402:\n    max: " + BOMB_INLINE + "\n", 3, "aliases repeat more than 100,000 values (an 'anchor bomb')"),
    ("select: &s [HL1, *s]\n", 1, "the alias *s is inside the value it names (a recursive alias)"),
    ("select: " + "[" * 100_000 + "]" * 100_000 + "\n", 1, "lists and mappings nested more than 100 deep"),
    ("exclude: [2024-02-30]\n", 1, "cannot read this value: day is out of range for month"),
    ("max-file-size: " + "9" * 5000 + "\n", 1, "cannot read this value: a number over 4,300 digits long"),
])
def test_costly_or_unreadable_yaml_in_the_config(tmp_path, doc, content, line, problem):
    write(tmp_path / ".healthlint.yaml", content)
    error = one_error(bounded("check", "doc.md", cwd=tmp_path))
    assert error.startswith(f"healthlint: error: {tmp_path / '.healthlint.yaml'}:{line}: invalid YAML: {problem}")


def test_config_over_the_size_limit(tmp_path, doc):
    write(tmp_path / ".healthlint.yaml", "# padding\n" * 120_000 + "select: [HL1]\n")
    error = one_error(bounded("check", "doc.md", cwd=tmp_path))
    assert error == f"healthlint: error: {tmp_path / '.healthlint.yaml'}: invalid YAML: 1.2 MB of YAML is over the 1.0 MB limit"


def test_aliases_within_the_budget_are_fine(tmp_path):
    write(tmp_path / ".healthlint.yaml", "per-file-ignores:\n  'a.md': &quiet [HL103]\n  'b.md': *quiet\n")
    write(tmp_path / "a.md", "A miracle.\n")
    write(tmp_path / "b.md", "A miracle.\n")
    write(tmp_path / "c.md", "A miracle.\n")
    r = run("check", "--select", "HL103", ".")
    assert r.findings == [("c.md", 1, 3, "HL103")]


# -- costly YAML in a team rule pack ---------------------------------------------------------------
@pytest.mark.parametrize("tokens,problem", [
    (BOMB_INLINE, "aliases repeat more than 100,000 values (an 'anchor bomb')"),
    ("&t [miracle, *t]", "the alias *t is inside the value it names (a recursive alias)"),
    ("[" * 5000 + "]" * 5000, "lists and mappings nested more than 100 deep"),
])
def test_costly_yaml_in_a_team_pack(tmp_path, doc, tokens, problem):
    write(tmp_path / "team.yaml", "rules:\n" + RULE.replace("TOKENS", tokens))
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    error = one_error(bounded("check", "doc.md", cwd=tmp_path))
    assert error.startswith(f"healthlint: error: {tmp_path / 'team.yaml'}:8: invalid YAML: {problem}")


def test_team_pack_with_a_block_bomb(tmp_path, doc):
    write(tmp_path / "team.yaml", _bomb() + "rules:\n" + RULE.replace("TOKENS", "*l8"))
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    error = one_error(bounded("check", "doc.md", cwd=tmp_path))
    assert error.startswith(f"healthlint: error: {tmp_path / 'team.yaml'}:6: invalid YAML: aliases repeat more than")


def test_team_pack_within_limits_still_loads(tmp_path):
    words = "&w [miracle, wonder]"
    write(tmp_path / "team.yaml", "rules:\n" + RULE.replace("TOKENS", words))
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    write(tmp_path / "doc.md", "A miracle.\n")
    r = run("check", "--select", "HL950", "doc.md")
    assert r.findings == [("doc.md", 1, 3, "HL950")]


# -- costly YAML in an article's front matter --------------------------------------------------------
@pytest.mark.parametrize("front_matter,line,problem", [
    ("title: Eczema\n" + _bomb(), 8, "aliases repeat more than 100,000 values (an 'anchor bomb')"),
    ("title: Eczema\nauthors: &a [Jo, *a]\n", 3, "the alias *a is inside the value it names (a recursive alias)"),
    ("title: Eczema\nsources: " + "[" * 100_000 + "]" * 100_000 + "\n", 3, "lists and mappings nested more than 100 deep"),
    ("title: Eczema\nlast_reviewed: !!timestamp 2024-13-01\n", 3, "cannot read this value: month must be in 1..12"),
])
def test_costly_front_matter_is_a_finding_and_the_rest_is_linted(tmp_path, front_matter, line, problem):
    write(tmp_path / "bomb.md", f"---\n{front_matter}---\n\nA miracle.\n")
    write(tmp_path / "ok.md", "A miracle.\n")
    r = bounded("check", "--select", "HL103,HL902", "--format", "json", "--no-cache", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert r.stderr == ""
    found = [(d["path"], d["line"], d["code"], d["message"]) for d in json.loads(r.stdout)["diagnostics"]]
    assert [f[:3] for f in found] == [("bomb.md", line, "HL902"), ("bomb.md", front_matter.count("\n") + 4, "HL103"),
                                      ("ok.md", 1, "HL103")]
    assert f"front matter is not valid YAML: {problem}" in found[0][3]


# -- unknown keys, wrong types, odd paths ---------------------------------------------------------
@pytest.mark.parametrize("content,expected", [
    ("select: [HL1]\nselct: [HL2]\n", ":2: unknown key 'selct' (did you mean 'select'? known keys: "),
    ("fail_on: error\n", ":1: unknown key 'fail_on' (did you mean 'fail-on'? known keys: "),
    ("colour: red\n", ":1: unknown key 'colour' (known keys: "),
    ("select: [HL1]\nignore: {HL2: yes}\n", ":2: 'ignore' must be a list of strings"),
    ("fail-on: [error]\n", ":1: 'fail-on' must be one of error, warning, info"),
    ("max-file-size: .inf\n", ":1: 'max-file-size' must be a positive number of megabytes"),
    ("max-file-size: true\n", ":1: 'max-file-size' must be a positive number of megabytes"),
    ("vocabulary:\n  accept: [[a, b, c, d, e, f], x]\n", ":1: 'vocabulary.accept': each entry must be a name, not ['a', 'b', 'c', 'd', ...]"),
    ("vocabulary:\n  allow: [x]\n", ":1: 'vocabulary' has no key 'allow' (keys: accept, reject)"),
    ("front-matter:\n  require: [author, reviewer]\n", ":1: 'front-matter.require' names unknown field 'reviewer'"),
    ("select: [HL1]\n---\nignore: [HL2]\n", ":2: invalid YAML: a second YAML document (after a '---' line); a config is one document"),
    ("a: &x 1\nb: &x 2\n", ":2: invalid YAML: found duplicate anchor"),
    ("select:\n\t- HL1\n", ":2: invalid YAML: "),
])
def test_bad_config_is_one_line_with_file_and_line(tmp_path, doc, content, expected):
    write(tmp_path / ".healthlint.yaml", content)
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.err_lines() == [r.err_lines()[0]]
    assert r.err_lines()[0].startswith(f"healthlint: error: {tmp_path / '.healthlint.yaml'}{expected}")


def test_wrong_types_in_pyproject_name_the_file(tmp_path, doc):
    write(tmp_path / "pyproject.toml", "[tool.healthlint]\nselect = 5\n")
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.err_lines() == [f"healthlint: error: {tmp_path / 'pyproject.toml'}: 'select' must be a list of strings"]


def test_config_that_is_not_utf8(tmp_path, doc):
    write(tmp_path / ".healthlint.yaml", b"select: [HL1]\n# caf\xe9\n")
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.err_lines()[0].startswith(f"healthlint: error: {tmp_path / '.healthlint.yaml'}: cannot read: ")


def test_config_with_a_byte_order_mark_is_read(tmp_path, doc):
    write(tmp_path / ".healthlint.yaml", "\ufeffselect: [HL103]\n")
    r = run("check", "doc.md")
    assert r.findings == [("doc.md", 1, 3, "HL103")]


def test_extend_rules_that_does_not_exist(tmp_path, doc):
    write(tmp_path / ".healthlint.yaml", "extend-rules: [packs/team.yaml]\n")
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.err_lines() == [f"healthlint: error: {tmp_path / 'packs' / 'team.yaml'}: rule pack not found"]


def test_extend_rules_that_is_a_folder(tmp_path, doc):
    (tmp_path / "packs").mkdir()
    write(tmp_path / ".healthlint.yaml", "select: [HL1]\nextend-rules: [packs]\n")
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.err_lines() == [f"healthlint: error: {tmp_path / '.healthlint.yaml'}:2: 'extend-rules' names packs, "
                             "which is not a file (name each pack's YAML file)"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("config", [
    "extend-rules: [pipe.yaml]\n",
    "vocabulary:\n  accept: pipe.yaml\n",
])
def test_paths_in_the_config_that_are_fifos_do_not_hang(tmp_path, doc, config):
    os.mkfifo(tmp_path / "pipe.yaml")
    write(tmp_path / ".healthlint.yaml", config)
    error = one_error(bounded("check", "doc.md", cwd=tmp_path))
    assert error.startswith(f"healthlint: error: {tmp_path / '.healthlint.yaml'}:")
    assert "is not a file" in error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_config_option_naming_a_fifo_does_not_hang(tmp_path, doc):
    os.mkfifo(tmp_path / "config.yaml")
    error = one_error(bounded("check", "--config", "config.yaml", "doc.md", cwd=tmp_path))
    assert error == "healthlint: error: config.yaml: not a file (give the path of a .healthlint.yaml or pyproject.toml)"
