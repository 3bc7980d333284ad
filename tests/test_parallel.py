"""--jobs: forked workers give the same result as one process, byte for byte, and fail cleanly.

Most tests lower :data:`healthlint.parallel.MIN_BYTES_PER_WORKER` so that small test files are
linted in workers, and spy on the forking of workers to prove that they were.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cli_helpers import run, write
from healthlint import engine, parallel
from healthlint.config import ConfigError, Settings
from healthlint.engine import Linter, lint_paths

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked on Linux only")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ARTICLE = "# Eczema\n\nThis cream cures eczema and is a miracle. Studies show it works. It was found to be safe.\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """Lower the size threshold and record the number of workers of each parallel run."""
    monkeypatch.setattr(parallel, "MIN_BYTES_PER_WORKER", 1)
    calls: list[int] = []
    real = parallel._start

    def spy(task, workers):
        calls.append(workers)
        return real(task, workers)

    monkeypatch.setattr(parallel, "_start", spy)
    return calls


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Files of many sizes, so that largest-first scheduling reorders them, plus unusable ones."""
    for example in EXAMPLES.iterdir():
        shutil.copy(example, tmp_path / example.name)
    for i in range(12):
        write(tmp_path / "more" / f"{i:02}.md", ARTICLE * (1 + (i * 7) % 5) + f"\nNumber {i} is always safe.\n")
    write(tmp_path / "more" / "binary.md", b"\x00\x01binary")
    write(tmp_path / "more" / "latin1.md", "Caf\xe9 cures colds.\n".encode("latin-1"))
    write(tmp_path / "more" / "empty.md", "")
    return tmp_path


def linter(**settings) -> Linter:
    return Linter(engine._builtin(), Settings(**settings))


def as_tuple(result) -> tuple:
    return result.findings, result.errors, result.notes, result.files_checked, result.documents


def in_worker(parent: int) -> bool:
    return os.getpid() != parent


# -- the same result --------------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_the_serial_result(corpus, forks, jobs):
    paths = [".", "missing.md", "more/01.md", "more"]
    serial = lint_paths(linter(), paths, summaries=True)
    parallel_result = lint_paths(linter(), paths, summaries=True, jobs=jobs)
    assert forks == [jobs]
    assert as_tuple(parallel_result) == as_tuple(serial)
    assert serial.errors == ["missing.md: no such file or folder"] and serial.notes and serial.files_checked == 19


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_cli_output_is_byte_identical(corpus, forks, fmt):
    one = run("check", "--no-cache", "--format", fmt, "--jobs", "1", ".", "missing.md")
    many = run("check", "--no-cache", "--format", fmt, "--jobs", "3", ".", "missing.md")
    assert forks == [3]
    assert (many.code, many.out, many.err) == (one.code, one.out, one.err)
    assert one.code == 2 and one.out


def test_stdin_is_linted_like_a_file(corpus, forks, monkeypatch):
    parent, where = os.getpid(), {}
    real = Linter.lint

    def spy(self, doc):
        where[doc.path] = "worker" if in_worker(parent) else "parent"
        return real(self, doc)

    monkeypatch.setattr(Linter, "lint", spy)
    serial = lint_paths(linter(), ["more", "-"], stdin=ARTICLE.encode(), stdin_filename="typed.md")
    where.clear()
    result = lint_paths(linter(), ["more", "-"], stdin=ARTICLE.encode(), stdin_filename="typed.md", jobs=2)
    assert forks == [2] and as_tuple(result) == as_tuple(serial)
    # the first file warms up the lexicons every worker inherits; the rest, stdin too, go to workers
    assert where == {"more/00.md": "parent"}


def test_results_stream_in_order_as_workers_finish(corpus, forks):
    """The outcomes come in path order while the run goes on, not all at the end."""
    outcomes = engine.iter_outcomes(linter(), ["more"], jobs=2)
    first = next(outcomes)
    assert first.path == "more/00.md" and forks == []  # linted here before any worker exists
    rest = [o.path for o in outcomes]
    assert forks == [2] and rest == sorted(rest) and len(rest) == 14


# -- when workers are used ------------------------------------------------------------------------
def test_plan_workers():
    big = parallel.MIN_BYTES_PER_WORKER
    assert parallel.plan_workers(8, [10 * big]) == 1  # one file: no pool to start
    assert parallel.plan_workers(1, [big] * 10) == 1
    assert parallel.plan_workers(8, [100] * 10) == 1  # too little to lint
    assert parallel.plan_workers(8, [big] * 3) == 3
    assert parallel.plan_workers(2, [big] * 10) == 2
    assert parallel.plan_workers(8, [big // 2] * 6) == 3


def test_one_file_or_a_small_run_stays_in_this_process(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(parallel, "_start", lambda *a: calls.append(a))
    write(tmp_path / "a.md", ARTICLE * 200)
    write(tmp_path / "b.md", ARTICLE)
    assert run("check", "--no-cache", "--jobs", "8", "a.md").findings
    assert run("check", "--no-cache", "--jobs", "8", ".").findings  # 2 files, mostly one of them
    write(tmp_path / "c.md", ARTICLE)
    assert run("check", "--no-cache", "--jobs", "8", "b.md", "c.md").findings
    assert calls == []


def test_jobs_must_be_positive(tmp_path):
    write(tmp_path / "a.md", ARTICLE)
    for bad in ("0", "-1", "two"):
        r = run("check", "--jobs", bad, "a.md")
        assert r.code == 2 and "--jobs" in r.err and r.out == ""


# -- failures -------------------------------------------------------------------------------------
def test_a_dead_worker_is_one_error_naming_the_file(corpus, forks, monkeypatch):
    parent, real = os.getpid(), Linter.lint

    def lint(self, doc):
        if in_worker(parent) and doc.path.endswith("07.md"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, doc)

    monkeypatch.setattr(Linter, "lint", lint)
    r = run("check", "--no-cache", "--jobs", "2", "more")
    serial = run("check", "--no-cache", "--jobs", "1", "more")
    assert r.code == 2 and r.out and serial.out.startswith(r.out)  # the files before it are reported
    assert "more/07.md" not in r.out and "problems" not in r.out
    assert r.err_lines() == ["healthlint: error: more/07.md: the worker process linting this file was killed by signal 9 (SIGKILL); "
                             "rerun with --jobs 1 to lint in one process"]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("error", [ConfigError("rules.HL402: 'max' must be above 'min'"), RuntimeError("a bug")])
def test_an_exception_in_a_worker_is_reported_as_in_one_process(corpus, forks, monkeypatch, error):
    real = Linter.lint

    def lint(self, doc):
        if doc.path.endswith(("04.md", "09.md")):
            raise error
        return real(self, doc)

    monkeypatch.setattr(Linter, "lint", lint)
    one = run("check", "--no-cache", "--jobs", "1", "more")
    many = run("check", "--no-cache", "--jobs", "2", "more")
    assert forks == [2]
    assert (many.code, many.out, many.err) == (one.code, one.out, one.err)
    assert one.code == 2 and len(one.err_lines()) == 1 and str(error) in one.err


def test_workers_never_print(corpus, forks, monkeypatch, capfd):
    parent, real = os.getpid(), Linter.lint

    def lint(self, doc):
        if in_worker(parent):
            print("LEAK")
            print("LEAK", file=sys.stderr)
            os.write(1, b"LEAK")  # as C code would
        return real(self, doc)

    monkeypatch.setattr(Linter, "lint", lint)
    lint_paths(linter(), ["more"], jobs=2)
    assert forks == [2]
    out, err = capfd.readouterr()
    assert "LEAK" not in out + err


def test_ctrl_c_stops_the_workers(corpus, forks, monkeypatch):
    parent, real = os.getpid(), Linter.lint

    def lint(self, doc):
        if in_worker(parent):
            os.kill(parent, signal.SIGINT)  # Ctrl-C while the workers are busy
            time.sleep(60)
        return real(self, doc)

    monkeypatch.setattr(Linter, "lint", lint)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        lint_paths(linter(), ["more"], jobs=2)
    assert forks == [2]
    assert time.monotonic() - start < 30
    assert multiprocessing.active_children() == []


SLOW_RUN = textwrap.dedent("""
    import os, sys, time
    from healthlint import engine, parallel
    from healthlint.cli import main
    parallel.MIN_BYTES_PER_WORKER = 1
    parent, real = os.getpid(), engine.Linter.lint
    def lint(self, doc):
        if os.getpid() != parent:
            print(os.getpid(), file=open("workers.txt", "a"), flush=True)
            time.sleep(60)
        return real(self, doc)
    engine.Linter.lint = lint
    main(["check", "--no-cache", "--jobs", "2", "more"])
""")


def test_ctrl_c_at_the_terminal_ends_every_process(corpus):
    """SIGINT to the whole process group, as a terminal sends it: one line promptly, no worker left."""
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RUN], cwd=corpus, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = corpus / "workers.txt"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(set(workers.read_text().split()) if workers.exists() else ()) < 2:
        time.sleep(0.05)
    assert workers.exists() and len(set(workers.read_text().split())) == 2, "the workers did not start"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    # as in one process: click turns Ctrl-C into Abort, which healthlint reports in one line
    assert (proc.returncode, err.strip()) == (2, "healthlint: aborted"), err
    assert "more/01.md" not in out and "problems" not in out  # only the file linted before the workers started
    for pid in map(int, set(workers.read_text().split())):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_no_fork_means_one_process(corpus, monkeypatch):
    def refuse(*args):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "MIN_BYTES_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "_start", refuse)
    serial = lint_paths(linter(), ["."], summaries=True)
    assert as_tuple(lint_paths(linter(), ["."], summaries=True, jobs=2)) == as_tuple(serial)


def test_a_parallel_run_fills_the_cache_for_any_later_run(corpus, forks):
    fresh = run("check", "--no-cache", "--format", "json", "--jobs", "1", ".")
    filled = run("check", "--format", "json", "--jobs", "2", ".")
    assert forks == [2] and len(list(corpus.glob(".healthlint_cache/*/*.json"))) == fresh.json["files_checked"]
    for jobs in ("1", "2"):
        again = run("check", "--format", "json", "--jobs", jobs, ".")
        assert (again.code, again.out, again.err) == (fresh.code, fresh.out, fresh.err) == (filled.code, filled.out, filled.err)
    assert forks == [2]  # everything came from the cache: no workers needed
