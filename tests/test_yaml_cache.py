"""The parsed-YAML cache (healthlint/yaml_cache.py): rule packs and data files without parsing, same results."""

from __future__ import annotations

import marshal
import subprocess
import sys

import pytest

from cli_helpers import run, write
from healthlint import rules, yaml_cache
from healthlint.rules import PackError, builtin_pack_paths, load_pack

PACK = """rules:
  - code: HL150
    name: superfood
    severity: warning
    type: existence
    tokens: &words [superfood, super food]
    message: '"{match}" is a marketing word.'
    explanation: Marketing words promise more than a food can do.
    examples:
      bad: ["Kale is a superfood."]
      good: ["Kale is a vegetable."]
"""


@pytest.fixture()
def cache(tmp_path):
    assert yaml_cache.install(tmp_path)
    yield tmp_path
    yaml_cache.uninstall()


def _next_run(folder) -> None:
    yaml_cache.save()
    yaml_cache.uninstall()
    assert yaml_cache.install(folder)


def _shape(rule) -> tuple:
    return (rule.code, rule.name, rule.severity, rule.type, rule.message, rule.summary, rule.explanation,
            rule.bad, rule.good, rule.source, rule.line, rule.about, rule.tunables)


def test_builtin_packs_load_the_same_from_the_cache(cache, monkeypatch):
    fresh = [_shape(r) for path in builtin_pack_paths() for r in load_pack(path, builtin=True)]
    _next_run(cache)
    monkeypatch.setattr(rules, "_parse_pack", lambda *a: pytest.fail("parsed a pack the cache holds"))
    cached = [_shape(r) for path in builtin_pack_paths() for r in load_pack(path, builtin=True)]
    assert cached == fresh


def test_a_changed_pack_is_parsed_again(cache, tmp_path):
    pack = write(tmp_path / "team.yaml", PACK)
    assert load_pack(pack)[0].message == '"{match}" is a marketing word.'
    _next_run(cache)
    write(pack, PACK.replace("a marketing word", "an advert"))
    assert load_pack(pack)[0].message == '"{match}" is an advert.'


def test_a_pack_with_a_problem_is_never_kept(cache, tmp_path):
    pack = write(tmp_path / "team.yaml", PACK.replace("severity: warning", "severity: loud"))
    for _ in range(2):
        with pytest.raises(PackError, match=r"team.yaml:2: rule HL150 \(superfood\): severity must be one of"):
            load_pack(pack)
        _next_run(cache)
    assert not yaml_cache._state["entries"]


def test_another_healthlint_or_pyyaml_empties_it(cache, tmp_path):
    load_pack(write(tmp_path / "team.yaml", PACK))
    yaml_cache.save()
    content = marshal.loads(yaml_cache.cache_file(cache).read_bytes())
    assert content["entries"]
    content["signature"] = ("0.0.0",)
    yaml_cache.cache_file(cache).write_bytes(marshal.dumps(content))
    _next_run(cache)
    assert not yaml_cache._state["entries"]


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps([1, 2]), marshal.dumps({"signature": 1})])
def test_a_damaged_file_is_ignored(tmp_path, content):
    yaml_cache.cache_file(tmp_path).write_bytes(content)
    assert yaml_cache.install(tmp_path)
    try:
        assert len(load_pack(write(tmp_path / "team.yaml", PACK))) == 1
    finally:
        yaml_cache.uninstall()


def test_a_warm_run_does_not_import_yaml(tmp_path):
    """No config, no team pack, no front matter: nothing left for yaml to parse."""
    write(tmp_path / "a.md", "# Eczema\n\nDetox tea cures eczema in every child.\n")
    code = ("import sys\nfrom healthlint.cli import main\ntry:\n    main(['check', '--no-cache', 'a.md'])\n"
            "except SystemExit:\n    pass\nprint('yaml' in sys.modules, file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
            for _ in range(2)]
    assert [r.stderr.splitlines()[-1] for r in runs] == ["True", "False"], runs[1].stderr
    assert runs[0].stdout == runs[1].stdout and "HL1" in runs[0].stdout


def test_the_cli_gives_the_same_output_from_the_cache(tmp_path, monkeypatch):
    write(tmp_path / "a.md", "---\ntitle: Eczema\n---\n# Eczema\n\nDetox tea cures eczema in every child.\n")
    monkeypatch.chdir(tmp_path)
    first = run("check", "--no-cache", "a.md")
    assert yaml_cache.cache_file(tmp_path / ".healthlint_cache").exists()
    assert not yaml_cache._state  # the CLI leaves no cache installed
    second = run("check", "--no-cache", "a.md")
    assert (second.code, second.out) == (first.code, first.out) and first.code == 1
