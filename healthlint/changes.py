"""Which lines changed since a git ref, for ``healthlint check --changed-since REF``.

The changes come from ``git diff --unified=0 REF`` (the ref against the working tree, so staged
and unstaged edits both count), run from the repository that holds the current folder. A finding
is kept when one of its lines was added or changed, or when it straddles a place where lines were
deleted. A finding about the whole document (a rule with ``about: document``) is kept when its file
changed at all. Files git does not track (new, untracked, outside the repository) count as
entirely changed; a renamed file counts only the lines edited in it.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.findings import Finding

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}
# Settings a user's git config may change that would alter what we parse.
_DIFF_FLAGS = ("--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames", "--no-relative",
               "--src-prefix=a/", "--dst-prefix=b/", "--ignore-submodules")
_FETCH_HINT = ("fetch it first: in GitHub Actions check out with 'fetch-depth: 0', "
               "or run 'git fetch origin main' (naming your base branch)")


class ChangesError(Exception):
    """The changed lines cannot be known (no git, not a repository, unknown ref): one line for the user."""


@dataclass
class FileChanges:
    """The changed lines of one file, numbered as in the working tree (1-based)."""

    lines: set[int] = field(default_factory=set)  # lines added or changed
    cuts: list[int] = field(default_factory=list)  # n: lines were deleted between line n and n + 1
    whole: bool = False  # new or untracked: every line counts as changed

    @property
    def changed(self) -> bool:
        return self.whole or bool(self.lines or self.cuts)

    def touches(self, line: int, end_line: int) -> bool:
        """Whether lines ``line``..``end_line`` include a changed line or enclose a deletion."""
        if self.whole or any(n in self.lines for n in range(line, max(line, end_line) + 1)):
            return True
        i = bisect_left(self.cuts, line)
        return i < len(self.cuts) and self.cuts[i] < end_line


UNCHANGED = FileChanges()
WHOLE = FileChanges(whole=True)


@dataclass
class Changes:
    """The changes in a repository since a ref, looked up by the paths findings report."""

    ref: str
    commit: str
    root: Path
    files: dict[str, FileChanges]  # by path relative to the root, in forward slashes
    tracked: frozenset[str]
    cwd: Path = field(default_factory=Path.cwd)

    def relative(self, path: str) -> str | None:
        """``path`` (as a finding reports it) relative to the repository root, or None if outside it."""
        full = Path(os.path.abspath(self.cwd / path))
        for candidate in (full, Path(os.path.realpath(full))):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        return None

    def for_path(self, path: str) -> FileChanges:
        rel = self.relative(path)
        if rel is None:
            return WHOLE
        if rel in self.files:
            return self.files[rel]
        return UNCHANGED if rel in self.tracked else WHOLE

    def use_text(self, path: str, text: str) -> None:
        """Compare ``text`` (standard input, reported as ``path``) with that file at the ref, not the working tree."""
        rel = self.relative(path)
        if rel is None or path == "-":
            return
        old = _git(self.root, "cat-file", "blob", f"{self.commit}:{rel}", check=False)
        if old is None:
            self.files[rel] = WHOLE
            return
        from healthlint.files import decode

        self.files[rel] = text_changes(decode(old)[0], text)

    def filter(self, findings: Iterable[Finding], document_codes: set[str]) -> list[Finding]:
        """The findings on changed lines, plus whole-document findings of files that changed."""
        kept, by_path = [], {}
        for f in findings:
            fc = by_path.get(f.path) or by_path.setdefault(f.path, self.for_path(f.path))
            if fc.touches(f.line, f.end_line) or (f.code in document_codes and fc.changed):
                kept.append(f)
        return kept


def changed_since(ref: str, cwd: Path | None = None) -> Changes:
    """The changes since ``ref`` in the repository holding ``cwd`` (default: the current folder)."""
    here = Path(cwd or Path.cwd())
    if not ref or ref.startswith("-"):
        raise ChangesError(f"--changed-since: '{ref}' is not a git ref; give a branch, tag or commit such as origin/main")
    inside = _git(here, "rev-parse", "--show-toplevel", check=False)
    if inside is None:
        raise ChangesError(f"--changed-since: {here} is not inside a git repository; run healthlint from your content repository")
    root = Path(os.fsdecode(inside.strip()))
    commit = _commit(root, ref)
    diff = _git(root, "-c", "core.quotePath=false", "diff", *_DIFF_FLAGS, commit, "--")
    tracked = _git(root, "-c", "core.quotePath=false", "ls-files", "-z", "--full-name")
    files = parse_diff(diff or b"")
    names = frozenset(os.fsdecode(n) for n in (tracked or b"").split(b"\0") if n)
    return Changes(ref, commit, root, files, names, here)


def _commit(root: Path, ref: str) -> str:
    """The commit ``ref`` names, or a one-line error that says how to fetch it."""
    out = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if out is not None:
        return out.decode().strip()
    shallow = (_git(root, "rev-parse", "--is-shallow-repository", check=False) or b"").strip() == b"true"
    if shallow:
        raise ChangesError(f"--changed-since: this shallow clone does not have '{ref}'; {_FETCH_HINT}")
    raise ChangesError(f"--changed-since: git knows no branch, tag or commit '{ref}' here; check the name, or {_FETCH_HINT}")


def _git(cwd: Path, *args: str, check: bool = True) -> bytes | None:
    """Run git; its output, or None when it fails and ``check`` is false."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}  # no index refresh: a commit in progress holds its lock
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env)
    except FileNotFoundError:
        raise ChangesError("--changed-since needs git, and no 'git' command was found; install git or drop --changed-since") from None
    except OSError as exc:
        raise ChangesError(f"--changed-since: cannot run git: {exc.strerror or exc}") from None
    if proc.returncode == 0:
        return proc.stdout
    if check:
        detail = " ".join(proc.stderr.decode("utf-8", "replace").split()) or f"exit status {proc.returncode}"
        raise ChangesError(f"--changed-since: git failed: {detail}")
    return None


def parse_diff(diff: bytes) -> dict[str, FileChanges]:
    """Changed lines per file (new path, relative to the root) from ``git diff --unified=0`` output."""
    files: dict[str, FileChanges] = {}
    current: FileChanges | None = None
    header = False  # before the file's first hunk; after it, '+++ x' is the added line '++ x'
    for raw in diff.split(b"\n"):
        if raw.startswith(b"diff --git "):
            current, header = FileChanges(), True
            name = _header_path(raw[len(b"diff --git "):])
            if name is not None:
                files[name] = current
        elif current is not None and (m := _HUNK.match(raw)):
            header = False
            start, count = int(m.group(1)), int(m.group(2) or 1)
            if count:
                current.lines.update(range(start, start + count))
            else:
                current.cuts.append(start)
        elif current is not None and header:
            _header_line(files, current, raw)
    for fc in files.values():
        fc.cuts.sort()
    return files


def _header_line(files: dict[str, FileChanges], current: FileChanges, raw: bytes) -> None:
    """A line of a file's diff header: its new name, or that git sees it as binary."""
    if raw.startswith((b"rename to ", b"copy to ")):
        _rename(files, current, _unquote(raw.split(b" to ", 1)[1]))
    elif raw.startswith(b"+++ "):
        target = raw[4:].rstrip(b"\t")  # git adds a tab after a name with spaces
        if target != b"/dev/null":
            _rename(files, current, _unquote(target)[2:])
    elif raw.startswith(b"Binary files "):
        current.whole = True


def _rename(files: dict[str, FileChanges], current: FileChanges, name: str) -> None:
    """Record ``current`` under its new name (a rename or copy header, or the ``+++`` line)."""
    for key in [k for k, v in files.items() if v is current and k != name]:
        del files[key]
    files[name] = current


def _header_path(rest: bytes) -> str | None:
    """The name in ``a/NAME b/NAME`` when both sides are the same (renames say their names elsewhere)."""
    if rest.startswith(b'"'):
        parts = _split_quoted(rest)
        return _unquote(parts[1])[2:] if len(parts) == 2 else None
    n = (len(rest) - 5) // 2
    if n > 0 and rest[:2] == b"a/" and rest[2 + n:5 + n] == b" b/" and rest[2:2 + n] == rest[5 + n:]:
        return os.fsdecode(rest[2:2 + n])
    return None


def _split_quoted(text: bytes) -> list[bytes]:
    parts, i = [], 0
    while i < len(text):
        if text[i:i + 1] == b'"':
            j = i + 1
            while j < len(text) and text[j:j + 1] != b'"':
                j += 2 if text[j:j + 1] == b"\\" else 1
            parts.append(text[i:j + 1])
            i = j + 2
        else:
            j = text.find(b" ", i)
            j = len(text) if j == -1 else j
            parts.append(text[i:j])
            i = j + 1
    return parts


def _unquote(name: bytes) -> str:
    """A path as git prints it: plain, or C-quoted (``"a/caf\\303\\251.md"``) when unusual."""
    if not (name.startswith(b'"') and name.endswith(b'"') and len(name) >= 2):
        return os.fsdecode(name)
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        c = body[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = body[i + 1:i + 2]
        if nxt.isdigit():
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        else:
            out.append(_ESCAPES.get(nxt, nxt[0] if nxt else 92))
            i += 2
    return os.fsdecode(bytes(out))


def text_changes(old: str, new: str) -> FileChanges:
    """The changed lines of ``new`` compared with ``old`` (for standard input, which git cannot diff)."""
    fc = FileChanges()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            fc.lines.update(range(j1 + 1, j2 + 1))
        elif tag == "delete":
            fc.cuts.append(j1)
    fc.cuts.sort()
    return fc
