"""Baselines: record today's findings, then report only new ones (``--write-baseline``, ``--baseline``).

A finding is identified by its rule code, its file (relative to the baseline file's folder, in
forward slashes) and the text it is about (its excerpt), not by its line number, so edits
elsewhere in the file do not bring a recorded finding back. When a file has several findings with
the same identity, the baseline records how many; the first that many, in document order, count as
known and any more are reported. The file is JSON with sorted entries, meant to be committed and
reviewed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from healthlint.atomicfile import write_atomic
from healthlint.findings import Finding

VERSION = 1
Key = tuple[str, str, str]  # (path, code, text)


class BaselineError(Exception):
    """A baseline file that cannot be read or written: one line naming the file."""


def _relative(path: str, base: Path) -> str:
    """A finding's path relative to ``base``, in forward slashes (absolute when on another drive)."""
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, os.path.abspath(base))
    except ValueError:
        rel = full
    return rel.replace(os.sep, "/")


def _keys(findings: Iterable[Finding], base: Path) -> Iterator[tuple[Key, Finding]]:
    """What identifies each finding across edits: its file, rule code and excerpt."""
    paths: dict[str, str] = {}
    for f in findings:
        rel = paths.get(f.path)
        if rel is None:
            rel = paths[f.path] = _relative(f.path, base)
        yield (rel, f.code, f.excerpt), f


@dataclass
class Baseline:
    """Known findings, counted by identity, with paths relative to ``base`` (the baseline's folder)."""

    base: Path
    counts: Counter[Key]

    @classmethod
    def of(cls, findings: Iterable[Finding], base: Path) -> Baseline:
        baseline = cls(base, Counter())
        baseline.add(findings)
        return baseline

    def add(self, findings: Iterable[Finding]) -> None:
        """Record more findings (a run records each file's as it comes)."""
        self.counts.update(k for k, _ in _keys(findings, self.base))

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """The findings the baseline does not account for, and how many it hid."""
        seen: Counter[Key] = Counter()
        kept, hidden = [], 0
        for k, f in _keys(sorted(findings), self.base):
            seen[k] += 1
            if seen[k] <= self.counts.get(k, 0):
                hidden += 1
            else:
                kept.append(f)
        return kept, hidden

    def to_json(self) -> str:
        """Stable JSON: sorted entries, two-space indent, a trailing newline."""
        entries = [{"path": p, "code": c, "text": t, "count": n} for (p, c, t), n in sorted(self.counts.items())]
        doc = {"version": VERSION, "tool": "healthlint", "findings": entries}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load(path: str | os.PathLike) -> Baseline:
    """Read a baseline file; any problem is a :class:`BaselineError` naming the file."""
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found; create it with --write-baseline {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: the baseline is not valid JSON ({exc.msg}); write it again with --write-baseline {path}") from None
    return Baseline(where.absolute().parent, _entries(data, path))


def _entries(data: object, path: str | os.PathLike) -> Counter[Key]:
    """The counts in a parsed baseline, checking its shape."""
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a healthlint baseline (expected an object with a 'findings' list); write it with --write-baseline")
    if data.get("version") != VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not supported (expected {VERSION}); write it again with --write-baseline")
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(data["findings"], 1):
        ok = isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("path", "code", "text"))
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if not ok or not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{path}: entry {i} of 'findings' needs text 'path', 'code' and 'text' and a positive whole 'count'")
        counts[(entry["path"], entry["code"], entry["text"])] += count
    return counts


def write(path: str | os.PathLike, baseline: Baseline) -> int:
    """Write ``baseline`` (made with :func:`for_file`) to ``path`` atomically; returns how many findings it records.

    A reader never sees half a file.
    """
    try:
        write_atomic(Path(path), baseline.to_json())
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return sum(baseline.counts.values())


def for_file(path: str | os.PathLike) -> Baseline:
    """An empty baseline to be written to ``path`` (paths in it are relative to its folder)."""
    return Baseline(Path(path).absolute().parent, Counter())
