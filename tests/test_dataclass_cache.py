"""The generated-code cache for dataclasses (healthlint/dataclass_cache.py): faster start-up, same classes."""

from __future__ import annotations

import dataclasses
import marshal
import subprocess
import sys

import pytest

from cli_helpers import run, write
from healthlint import dataclass_cache


@pytest.fixture()
def cache(tmp_path):
    assert dataclass_cache.install(tmp_path)
    yield tmp_path
    dataclass_cache.uninstall()


def _make():
    @dataclasses.dataclass(frozen=True, slots=True, order=True)
    class Point:
        """A point."""

        x: int
        y: int = 0
        tags: list[str] = dataclasses.field(default_factory=list, compare=False)

    return Point


def _behaviour(cls) -> tuple:
    a, b = cls(1, 2, ["t"]), cls(1, 3)
    try:
        a.x = 5
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    return (repr(a), a == cls(1, 2), a < b, hash(a) == hash(cls(1, 2)), frozen, cls.__slots__,
            cls.__init__.__annotations__, [f.name for f in dataclasses.fields(cls)], b.tags)


def test_classes_made_from_kept_code_behave_the_same(cache):
    fresh = _behaviour(_make())
    dataclass_cache.save()
    dataclass_cache.uninstall()
    assert dataclass_cache.install(cache)  # a new run: the code comes from the file
    assert dataclass_cache._state["entries"]
    kept = _behaviour(_make())
    assert dataclass_cache._state["added"] == 0
    assert kept == fresh
    dataclass_cache.uninstall()
    assert _behaviour(_make()) == fresh  # and without the cache at all


def test_uninstall_gives_dataclasses_its_exec_back(cache):
    assert "exec" in vars(dataclasses)
    dataclass_cache.uninstall()
    assert "exec" not in vars(dataclasses)


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps({("x", 0): "not code"}), marshal.dumps([1])])
def test_a_damaged_file_is_ignored(tmp_path, content):
    dataclass_cache.cache_file(tmp_path).write_bytes(content)
    assert dataclass_cache.install(tmp_path)
    try:
        assert dataclass_cache._state["entries"] == {}
        assert _make()(1).y == 0
    finally:
        dataclass_cache.uninstall()


def test_future_annotations_of_the_caller_are_kept(cache):
    """exec of source inherits the caller's ``from __future__`` flags; the kept code must too."""
    namespace: dict = {}
    code = compile("from __future__ import annotations\n"
                   "def run(exec):\n    ns = {}\n    exec('def f(x: int) -> None: pass', {}, ns)\n    return ns['f']\n",
                   "<test>", "exec", dont_inherit=True)
    builtins_exec = exec
    builtins_exec(code, namespace)
    assert namespace["run"](dataclass_cache._exec).__annotations__ == {"x": "int", "return": "None"}
    assert namespace["run"](builtins_exec).__annotations__ == {"x": "int", "return": "None"}
    plain: dict = {}
    dataclass_cache._exec("def g(x: int) -> None: pass", {}, plain)  # called from this file: flags as it has them
    assert plain["g"].__annotations__ == {"x": "int", "return": "None"}


def test_the_cli_writes_it_and_gives_the_same_output(tmp_path, monkeypatch):
    write(tmp_path / "a.md", "# Eczema\n\nDetox tea cures eczema in every child.\n")
    monkeypatch.chdir(tmp_path)
    first = run("check", "--no-cache", "a.md")
    second = run("check", "--no-cache", "a.md")
    assert (second.code, second.out) == (first.code, first.out) and first.code == 1
    assert "exec" not in vars(dataclasses)  # the CLI leaves dataclasses as it found it


def test_a_fresh_process_uses_it(tmp_path):
    write(tmp_path / "a.md", "# Eczema\n\nDetox tea cures eczema in every child.\n")
    cmd = [sys.executable, "-m", "healthlint", "check", "--no-cache", "a.md"]
    runs = [subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=tmp_path) for _ in range(2)]
    assert dataclass_cache.cache_file(tmp_path / ".healthlint_cache").exists()
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode == 1
