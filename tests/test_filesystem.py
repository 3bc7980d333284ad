"""File-system trouble (issue 8): special files, links, unreadable and vanishing files.

What healthlint does, as the README states it:

- named on the command line, anything but a regular file (a named pipe, a device such as
  /dev/null, a socket, a broken link, a link loop) is an error: exit status 2, one line;
- met while walking a folder, such a path (with a Markdown or text suffix) is skipped with a note
  and does not change the exit status;
- a file or folder that cannot be read, or that is deleted during the run, is an error (exit 2):
  the run did not check everything it was asked to; the other files are still reported;
- nothing ever waits on a pipe, and nothing is ever written to an input file.

Runs that could hang if the behaviour regressed run in a subprocess with a timeout.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_helpers import run, write

CMD = [sys.executable, "-m", "healthlint", "check", "--select", "HL103", "--no-cache"]
TIMEOUT = 60
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def cli(*args: str, cwd: Path, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """The installed command in a subprocess: a hang fails the test instead of stopping the suite."""
    return subprocess.run([*CMD, *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, stdin=stdin)


# -- special files -----------------------------------------------------------------------------
@needs_fifo
def test_special_files_in_a_walked_folder_are_skipped_with_a_note(tmp_path):
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    os.mkfifo(tmp_path / "docs" / "pipe.bin")  # not a Markdown or text name: not mentioned
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind("docs/sock.md")
        r = cli("docs", cwd=tmp_path)
    finally:
        sock.close()
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines()[0].startswith("docs/a.md:1:3: HL103")
    assert r.stderr.splitlines() == [
        "healthlint: note: docs/pipe.md: skipped, a named pipe (FIFO), not a file",
        "healthlint: note: docs/sock.md: skipped, a socket, not a file",
    ]


@needs_fifo
def test_special_files_named_explicitly_are_errors(tmp_path):
    write(tmp_path / "a.md", "A miracle.\n")
    os.mkfifo(tmp_path / "pipe.md")
    r = cli("pipe.md", "/dev/null", "/dev/zero", "a.md", cwd=tmp_path)
    assert r.returncode == 2
    assert "a.md:1:3: HL103" in r.stdout  # the other files are still linted
    errors = r.stderr.splitlines()
    assert [e.split(":")[2] for e in errors] == [" /dev/null", " /dev/zero", " pipe.md"]  # in the report's order
    assert errors[2] == "healthlint: error: pipe.md: a named pipe (FIFO), not a file (healthlint reads regular files; use '-' for standard input)"
    assert all("a character device, not a file" in e for e in errors[:2])
    assert "Traceback" not in r.stderr


@pytest.mark.skipif(not Path("/dev/stdin").exists(), reason="needs /dev/stdin")
def test_dev_stdin_named_as_a_file_does_not_wait_for_input(tmp_path):
    """Standard input is a pipe left open and empty: reading it as a file would block for ever."""
    proc = subprocess.Popen([*CMD, "/dev/stdin"], cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdin.close()
    assert proc.returncode == 2
    assert "healthlint: error: /dev/stdin: a named pipe (FIFO), not a file" in proc.stderr.read()


@needs_fifo
def test_a_fifo_swapped_in_after_the_check_is_refused_without_waiting(tmp_path):
    """The stat says 'regular file' but a FIFO is what opens: O_NONBLOCK and the check after
    opening refuse it at once (without them, opening would wait for a writer for ever)."""
    os.mkfifo(tmp_path / "pipe.md")
    script = textwrap.dedent("""
        import os, stat
        from pathlib import Path
        from healthlint import files

        real_stat = Path.stat
        def lying_stat(self, *args, **kwargs):
            st = real_stat(self, *args, **kwargs)
            if self.name != "pipe.md":
                return st
            fields = list(st)
            fields[0] = stat.S_IFREG | 0o644
            return os.stat_result(fields)
        Path.stat = lying_stat
        try:
            files.read_source(files.Source(Path("pipe.md"), "pipe.md", explicit=True))
        except files.InputError as exc:
            print(exc)
    """)
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert r.stdout.startswith("pipe.md: a named pipe (FIFO), not a file"), r.stdout + r.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can make device nodes")
def test_device_node_in_a_walked_folder_is_skipped(tmp_path):
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    os.mknod(tmp_path / "docs" / "null.md", 0o644 | 0o020000, os.makedev(1, 3))  # S_IFCHR: like /dev/null
    r = cli("docs", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["healthlint: note: docs/null.md: skipped, a character device, not a file"]


# -- symbolic links ----------------------------------------------------------------------------
def test_broken_links_and_link_loops_in_a_walked_folder_are_skipped_with_a_note(tmp_path):
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    (tmp_path / "docs" / "broken.md").symlink_to("gone.md")
    (tmp_path / "docs" / "loop1.md").symlink_to("loop2.md")
    (tmp_path / "docs" / "loop2.md").symlink_to("loop1.md")
    (tmp_path / "docs" / "self.md").symlink_to("self.md")
    r = run("check", "--select", "HL103", "docs")
    assert r.code == 1
    assert r.findings == [("docs/a.md", 1, 3, "HL103")]
    assert r.err_lines() == [
        "healthlint: note: docs/broken.md: skipped, a broken symbolic link (it points to gone.md, which does not exist)",
        "healthlint: note: docs/loop1.md: skipped, a symbolic link loop (the link leads back to itself)",
        "healthlint: note: docs/loop2.md: skipped, a symbolic link loop (the link leads back to itself)",
        "healthlint: note: docs/self.md: skipped, a symbolic link loop (the link leads back to itself)",
    ]


def test_broken_link_and_link_loop_named_explicitly_are_errors(tmp_path):
    Path("broken.md").symlink_to("gone.md")
    Path("self.md").symlink_to("self.md")
    r = run("check", "broken.md", "self.md")
    assert r.code == 2
    assert r.err_lines() == [
        "healthlint: error: broken.md: a broken symbolic link (it points to gone.md, which does not exist)",
        "healthlint: error: self.md: a symbolic link loop (the link leads back to itself)",
    ]


def test_folder_link_loops_are_walked_once(tmp_path):
    write(tmp_path / "docs" / "a" / "one.md", "A miracle.\n")
    write(tmp_path / "docs" / "b" / "two.md", "A miracle.\n")
    (tmp_path / "docs" / "a" / "to-b").symlink_to("../b", target_is_directory=True)
    (tmp_path / "docs" / "b" / "to-a").symlink_to("../a", target_is_directory=True)
    (tmp_path / "docs" / "b" / "up").symlink_to("..", target_is_directory=True)
    r = run("check", "--select", "HL103", "docs")
    assert r.code == 1
    assert sorted(f[3] for f in r.findings) == ["HL103", "HL103"]
    assert r.err_lines() == []


def test_link_to_a_file_is_linted_under_the_link_name(tmp_path):
    write(tmp_path / "elsewhere" / "real.md", "A miracle.\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "link.md").symlink_to(tmp_path / "elsewhere" / "real.md")
    r = run("check", "--select", "HL103", "docs")
    assert r.findings == [("docs/link.md", 1, 3, "HL103")]


# -- unreadable and vanishing files ------------------------------------------------------------
def test_unreadable_folder_is_an_error_and_the_rest_is_reported(tmp_path, monkeypatch):
    """Forced with a patched os.scandir, so it is covered when the tests run as root."""
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    write(tmp_path / "docs" / "locked" / "b.md", "A miracle.\n")
    real_scandir = os.scandir

    def guarded(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    r = run("check", "--select", "HL103", "--no-cache", "docs")
    assert r.code == 2
    assert r.findings == [("docs/a.md", 1, 3, "HL103")]
    assert r.err_lines() == ["healthlint: error: docs/locked: cannot read folder: Permission denied"]


def _deleting_after_yield(real_discover, victim: Path):
    """discover(), but ``victim`` is deleted once it has been found, before it is read."""
    def discover(*args, **kwargs):
        for item in real_discover(*args, **kwargs):
            if getattr(item, "path", None) is not None and item.path.name == victim.name:
                victim.unlink()
            yield item
    return discover


def test_file_deleted_during_the_run_is_an_error_and_the_rest_is_reported(tmp_path, monkeypatch):
    from healthlint import engine

    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    victim = write(tmp_path / "docs" / "b.md", "A miracle.\n")
    write(tmp_path / "docs" / "c.md", "A miracle.\n")
    monkeypatch.setattr(engine, "discover", _deleting_after_yield(engine.discover, victim))
    r = run("check", "--select", "HL103", "--no-cache", "docs")
    assert r.code == 2
    assert r.findings == [("docs/a.md", 1, 3, "HL103"), ("docs/c.md", 1, 3, "HL103")]
    assert r.err_lines() == ["healthlint: error: docs/b.md: no such file (was it deleted during the run?)"]


def test_folder_deleted_during_the_walk_is_an_error(tmp_path, monkeypatch):
    import shutil

    from healthlint import engine

    first = write(tmp_path / "docs" / "a.md", "A miracle.\n")
    write(tmp_path / "docs" / "sub" / "b.md", "A miracle.\n")
    real = engine.discover

    def discover(*args, **kwargs):
        for item in real(*args, **kwargs):
            yield item
            if getattr(item, "path", None) is not None and item.path.name == first.name:
                shutil.rmtree(tmp_path / "docs" / "sub")

    monkeypatch.setattr(engine, "discover", discover)
    r = run("check", "--select", "HL103", "--no-cache", "docs")
    assert r.code == 2
    assert r.findings == [("docs/a.md", 1, 3, "HL103")]
    assert r.err_lines() == ["healthlint: error: docs/sub: cannot read folder: No such file or directory"]


def test_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    """The size is checked on the bytes read, not only on the size the stat gave."""
    from healthlint import files

    write(tmp_path / ".healthlint.yaml", "max-file-size: 0.001\n")  # about 1 KB
    path = write(tmp_path / "a.md", "A miracle.\n")
    real_fstat = os.fstat

    def growing_fstat(fd):
        st = real_fstat(fd)
        with open(path, "a", encoding="utf-8") as fh:  # another program appends while we read
            fh.write("more text " * 200)
        return st

    monkeypatch.setattr(files.os, "fstat", growing_fstat)
    r = run("check", "--no-cache", "a.md")
    assert r.code == 2
    assert r.err_lines()[0].startswith("healthlint: error: a.md: ") and "over the" in r.err_lines()[0]


# -- input files are never written to -----------------------------------------------------------
def _snapshot(root: Path, skip: str = ".healthlint_cache") -> dict[str, tuple[bytes, int, int]]:
    """Bytes, modification time (ns) and mode of every file under ``root``, outside ``skip``."""
    out = {}
    for path in sorted(root.rglob("*")):
        if skip in path.parts or not path.is_file():
            continue
        st = path.stat()
        out[str(path.relative_to(root))] = (path.read_bytes(), st.st_mtime_ns, st.st_mode)
    return out


def test_input_files_are_never_written_to(tmp_path):
    root = Path(__file__).resolve().parent.parent
    for example in sorted((root / "examples").iterdir()):
        if example.is_file():
            write(tmp_path / "docs" / example.name, example.read_bytes())
    write(tmp_path / "docs" / "crlf.md", b"# Title\r\n\r\nThis cream cures eczema.\r\n")
    write(tmp_path / "docs" / "bom.md", b"\xef\xbb\xbfA miracle cure.\n")
    write(tmp_path / "docs" / "bad-utf8.md", b"Caf\xe9 au lait cures colds.\n")
    write(tmp_path / "docs" / "binary.md", b"\x00\x01\x02 PNG")
    write(tmp_path / "docs" / "empty.md", b"")
    write(tmp_path / "docs" / "sub" / "notes.txt", "Studies show it works.\n")
    os.utime(tmp_path / "docs" / "crlf.md", ns=(1_000_000_000, 1_000_000_000))  # an old, exact mtime
    before = _snapshot(tmp_path)
    out = tmp_path.parent / f"{tmp_path.name}-reports"
    out.mkdir()
    runs = [
        ("check", "docs"),
        ("check", "docs"),  # the second run reads the cache
        ("check", "--jobs", "2", "--no-cache", "docs"),
        ("check", "--format", "json", "docs/detox-tea-eczema.md", "docs/crlf.md"),
        ("check", "--format", "sarif", "-o", str(out / "report.sarif"), "docs"),
        ("check", "--format", "github", "docs"),
        ("check", "--write-baseline", str(out / "baseline.json"), "docs"),
    ]
    for args in runs:
        r = run(*args)
        assert r.code in (0, 1), (args, r.output)
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(("limit_mb", "size", "said"), [
    (0.001, 2000, "a.md: 2 KB is over the 1 KB limit"),
    (0.0001, 300, "a.md: 300 bytes is over the 104 bytes limit"),
    (1, 1048577, "a.md: 1,048,577 bytes is over the 1,048,576-byte limit"),
])
def test_size_limit_messages_read_well_at_any_size(tmp_path, limit_mb, size, said):
    write(tmp_path / ".healthlint.yaml", f"max-file-size: {limit_mb}\n")
    write(tmp_path / "a.md", "a" * size)
    r = cli("a.md", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith(f"healthlint: error: {said} (raise max-file-size")
