"""Finding the files to lint and reading them safely.

Folders are walked recursively in a stable (sorted) order, skipping hidden folders and files,
``node_modules`` and the config's ``exclude`` globs. Reading never raises into the caller: a file
that cannot be used comes back as an :class:`InputError` (exit 2), a binary file as a note.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from healthlint.document import LINT_SUFFIXES, PLAIN_SUFFIXES, Document, InputProblem

SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class InputError(Exception):
    """A path that cannot be linted: the message names it and says why."""


@dataclass(frozen=True, slots=True)
class Source:
    """A file to lint: where it is on disk (None for stdin) and the path to report."""

    path: Path | None
    display: str
    explicit: bool = False


def discover(paths: Iterable[str], exclude: list[str], base: Path, force_exclude: bool = False) -> Iterator[Source | InputError]:
    """Yield each file to lint, or an error for a path that does not exist.

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


def _walk(root: Path, exclude: list[str], base: Path) -> Iterator[Source | InputError]:
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
            except OSError:
                continue
            if is_dir:
                if entry.name not in SKIP_DIRS:
                    subfolders.append(path)
            elif is_file and path.suffix.lower() in LINT_SUFFIXES:
                yield Source(path, _display(path))
        stack.extend(reversed(subfolders))


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
    if source.path is None:
        data = stdin_bytes or b""
    else:
        data = _read_bytes(source, max_bytes)
    if b"\x00" in data[:8192]:
        return f"{source.display}: skipped, looks like a binary file"
    text, problems = decode(data)
    plain = (source.path or Path(source.display)).suffix.lower() in PLAIN_SUFFIXES
    return Document(source.display, text, plain=plain, problems=problems)


def _read_bytes(source: Source, max_bytes: int) -> bytes:
    path = source.path
    assert path is not None
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{source.display}: not a regular file")
        if st.st_size > max_bytes:
            raise InputError(
                f"{source.display}: {st.st_size / 1048576:.1f} MB is over the {max_bytes / 1048576:.0f} MB limit "
                "(raise max-file-size in the config to lint it)"
            )
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(f"{source.display}: is a folder") from None
    except FileNotFoundError:
        raise InputError(f"{source.display}: no such file (was it deleted during the run?)") from None
    except PermissionError:
        raise InputError(f"{source.display}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source.display}: cannot read: {exc.strerror or exc}") from None


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
