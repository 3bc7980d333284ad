"""Finding the files to lint and reading them safely.

Folders are walked recursively in a stable (sorted) order, skipping hidden folders and files,
``node_modules`` and the config's ``exclude`` globs. Reading never raises into the caller: a file
that cannot be used comes back as an :class:`InputError` (exit 2), a binary file as a note.

Only regular files are read, and nothing waits on one: a named pipe (FIFO), device or socket
named on the command line is an error, and one met while walking a folder (with a Markdown or
text suffix) is skipped with a note (:class:`Skipped`), as is a broken symbolic link. Files are
opened with ``O_NONBLOCK`` and checked again once open, so a file swapped for a FIFO between
the check and the open cannot block the run. Symbolic links to folders are followed once each
(a loop is walked no further). Nothing is ever written to an input file.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from healthlint.document import LINT_SUFFIXES, PLAIN_SUFFIXES, Document, InputProblem

SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Read-only; O_NONBLOCK so that opening a FIFO never waits for a writer; no controlling terminal.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class InputError(Exception):
    """A path that cannot be linted: the message names it and says why."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path met while walking a folder that is not linted (a FIFO, a broken link); a note, not an error."""

    note: str

    def __str__(self) -> str:
        return self.note


@dataclass(frozen=True, slots=True)
class Source:
    """A file to lint: where it is on disk (None for stdin) and the path to report."""

    path: Path | None
    display: str
    explicit: bool = False


def discover(paths: Iterable[str], exclude: list[str], base: Path,
             force_exclude: bool = False) -> Iterator[Source | InputError | Skipped]:
    """Yield each file to lint, an error for a path that does not exist, or a note for a skipped one.

    Explicitly named files are linted whatever their suffix (unless ``force_exclude`` and an
    exclude glob matches); folders yield only Markdown and text files.
    """
    for raw in paths:
        p = Path(raw)
        if not os.path.lexists(p):
            yield InputError(f"{raw}: no such file or folder")
            continue
        if p.is_dir():
            yield from _walk(p, exclude, base)
        elif raw.endswith(("/", os.sep)):
            yield InputError(f"{raw}: not a folder")
        elif force_exclude and is_excluded(p, exclude, base):
            continue
        else:
            yield Source(p, _display(p), explicit=True)


def _walk(root: Path, exclude: list[str], base: Path) -> Iterator[Source | InputError | Skipped]:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue  # a symlink loop
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield InputError(f"{_display(folder)}: cannot read folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if is_excluded(path, exclude, base):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:  # a symbolic link loop: not a folder, and noted below if it looks like a file
                is_dir = is_file = False
            if is_dir:
                if entry.name not in SKIP_DIRS:
                    subfolders.append(path)
            elif path.suffix.lower() in LINT_SUFFIXES:
                yield Source(path, _display(path)) if is_file else Skipped(f"{_display(path)}: skipped, {_not_a_file(entry)}")
        stack.extend(reversed(subfolders))


def _not_a_file(entry: os.DirEntry) -> str:
    """What a folder entry that is neither a file nor a folder is, for a note."""
    try:
        kind = _special_kind(entry.stat().st_mode)
        return f"{kind}, not a file" if kind else "it changed while the folder was being read"
    except OSError as exc:
        return _link_problem(Path(entry.path), exc) if entry.is_symlink() else f"cannot read: {exc.strerror or exc}"


def _special_kind(mode: int) -> str | None:
    """What a stat mode is when it is not a regular file ("a named pipe (FIFO)"), else None."""
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a regular file"


def _link_problem(path: Path, exc: OSError) -> str:
    """Why a symbolic link cannot be followed: a loop, or a missing target."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (the link leads back to itself)"
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return f"a broken symbolic link (it points to {target}, which does not exist)"


def _display(path: Path) -> str:
    text = str(path)
    return text[2:] if text.startswith("./") else text


def relative_posix(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` in forward slashes (for glob matching)."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def glob_matches(rel: str, pattern: str) -> bool:
    """A glob against a relative path; a pattern without '/' also matches any path component."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, pattern + "/*"):
        return True
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(part, pattern) for part in rel.split("/"))
    return pattern.startswith("**/") and glob_matches(rel, pattern[3:])


def is_excluded(path: Path, exclude: list[str], base: Path) -> bool:
    """True when an ``exclude`` glob (relative to ``base``) matches the path."""
    if not exclude:
        return False
    rel = relative_posix(path, base)
    return any(glob_matches(rel, pattern) for pattern in exclude)


def read_source(source: Source, stdin_bytes: bytes | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | str:
    """Read and parse a file. Returns the document, or a note (str) for a skipped binary file.

    Raises :class:`InputError` when the file cannot be used at all.
    """
    return parse_source(source, source_bytes(source, stdin_bytes, max_bytes))


def source_bytes(source: Source, stdin_bytes: bytes | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a source (``stdin_bytes`` when it is stdin); raises :class:`InputError`."""
    return (stdin_bytes or b"") if source.path is None else _read_bytes(source, max_bytes)


def parse_source(source: Source, data: bytes) -> Document | str:
    """Parse bytes read by :func:`source_bytes`: the document, or a note (str) for a binary file."""
    if b"\x00" in data[:8192]:
        return f"{source.display}: skipped, looks like a binary file"
    text, problems = decode(data)
    plain = (source.path or Path(source.display)).suffix.lower() in PLAIN_SUFFIXES
    return Document(source.display, text, plain=plain, problems=problems)


def _read_bytes(source: Source, max_bytes: int) -> bytes:
    """A regular file's bytes. Special files are refused before they are opened, and again once
    open (a FIFO swapped in after the first check opens without waiting, and is refused)."""
    path = source.path
    assert path is not None
    try:
        _check_regular(source, path.stat().st_mode, 0, max_bytes)
        with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as fh:
            st = os.fstat(fh.fileno())
            _check_regular(source, st.st_mode, st.st_size, max_bytes)
            data = fh.read(max_bytes + 1)
    except InputError:
        raise
    except FileNotFoundError as exc:
        problem = _link_problem(path, exc) if path.is_symlink() else "no such file (was it deleted during the run?)"
        raise InputError(f"{source.display}: {problem}") from None
    except PermissionError:
        raise InputError(f"{source.display}: permission denied") from None
    except OSError as exc:
        problem = _link_problem(path, exc) if exc.errno == errno.ELOOP else f"cannot read: {exc.strerror or exc}"
        raise InputError(f"{source.display}: {problem}") from None
    _check_regular(source, stat.S_IFREG, len(data), max_bytes)  # it may have grown since fstat
    return data


def _check_regular(source: Source, mode: int, size: int, max_bytes: int) -> None:
    """Raise :class:`InputError` unless ``mode`` is a regular file of at most ``max_bytes``."""
    kind = _special_kind(mode)
    if kind == "a folder":
        raise InputError(f"{source.display}: is a folder")
    if kind:
        raise InputError(f"{source.display}: {kind}, not a file (healthlint reads regular files; use '-' for standard input)")
    if size > max_bytes:
        raise InputError(
            f"{source.display}: {_over(size, max_bytes)} limit "
            "(raise max-file-size in the config to lint it)"
        )


def _over(size: int, limit: int) -> str:
    """``1.5 MB is over the 1 MB``, in bytes when rounding would make the two look equal."""
    said = human_size(size), human_size(limit)
    if said[0] == said[1]:
        said = f"{size:,} bytes", f"{limit:,}-byte"
    return f"{said[0]} is over the {said[1]}"


def human_size(n: int) -> str:
    """``1.5 MB``, ``12 KB``, ``900 bytes``."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
            return f"{text.removesuffix('.0')} {unit}"
    return f"{n} byte{'s' if n != 1 else ''}"


def decode(data: bytes) -> tuple[str, list[InputProblem]]:
    """Decode UTF-8 (dropping a byte-order mark); invalid bytes become U+FFFD and a problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        text = data.decode("utf-8", errors="replace")
        offset = len(good)
        line_end = text.find("\n", offset)
        detail = f"byte 0x{data[exc.start]:02x} at byte offset {exc.start} is not valid UTF-8"
        return text, [InputProblem("invalid-utf8", offset, line_end if line_end != -1 else len(text), detail)]
