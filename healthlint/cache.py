"""The results cache: each file's findings, kept so that re-running on unchanged files is near-instant.

An entry is keyed by a SHA-256 of the file's bytes, the path findings report, and a fingerprint of
everything else that decides them: the effective settings, the rule packs (built-in and the team's),
healthlint's own code and data files, its version and its dependencies', the working folder and
today's date (date rules such as stale-review-date change their verdict with it).

Layout: ``.healthlint_cache/`` next to the config file (or in the current folder without one), holding
``CACHEDIR.TAG``, a ``.gitignore`` of ``*`` and one folder per day and fingerprint, ``<date>-<hash>/``,
of JSON entries. Folders of other days can never match again and are removed on the first write of a
run. Entries are written atomically (temporary file, then :func:`os.replace`); an entry that cannot be
read or parsed is a miss, and a cache that cannot be written is one note, never a failure.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthlint import __version__
from healthlint.atomicfile import write_atomic
from healthlint.cachedir import CACHE_DIR_NAME, CACHEDIR_TAG, GITIGNORE, cache_folder, make  # noqa: F401  (names kept here)
from healthlint.config import Settings
from healthlint.findings import Finding

FORMAT = 1  # bump when the entry layout changes
_FIELDS = ("line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "excerpt", "suggestion")


@dataclass(slots=True)
class Entry:
    """What the cache holds for one file: its findings, and its trust summary when one was made."""

    findings: list[Finding]
    summary: dict[str, Any] | None = None


class ResultCache:
    """Entries of one run's fingerprint in one cache folder."""

    def __init__(self, root: Path, fingerprint: str, day: str) -> None:
        self.root = root
        self.fingerprint = fingerprint
        self.day = day
        self.folder = root / f"{day}-{fingerprint[:20]}"
        self.problem: str | None = None  # why entries could not be written (reported once)
        self._prepared = False

    def key(self, display: str, data: bytes) -> str:
        """The entry key of a file's bytes, reported as ``display``."""
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(b"\0" + display.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str, display: str, *, need_summary: bool = False) -> Entry | None:
        """The entry for ``key``, or None when there is none or it cannot be used."""
        try:
            raw = json.loads((self.folder / f"{key}.json").read_bytes())
            return _entry(raw, display, need_summary)
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def put(self, key: str, entry: Entry) -> None:
        """Store an entry atomically; on failure, remember one note and stop writing."""
        if self.problem is not None:
            return
        raw: dict[str, Any] = {"format": FORMAT, "findings": [[getattr(f, n) for n in _FIELDS] for f in entry.findings]}
        if entry.summary is not None:
            raw["summary"] = entry.summary
        try:
            text = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
            self._prepare()
            write_atomic(self.folder / f"{key}.json", text)
        except (TypeError, ValueError):  # a summary JSON cannot hold: leave this file uncached
            return
        except FileNotFoundError:  # another run pruned this day's folder at midnight: not worth a note
            self.problem = ""
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.problem = (f"{self.root}: cannot write the results cache ({reason}); results are not cached "
                            "(make the folder writable, or pass --no-cache)")

    def _prepare(self) -> None:
        """Create the folder (tagged and git-ignored) and remove other days' folders, once a run."""
        if self._prepared:
            return
        make(self.root)
        _prune(self.root, self.day)
        self.folder.mkdir(exist_ok=True)
        self._prepared = True


def open_cache(settings: Settings) -> ResultCache:
    """The cache for a run with ``settings``: in the config file's folder, else the current folder."""
    from healthlint.checks.trust_data import today
    from healthlint.rules import builtin_pack_paths

    day = today().isoformat()
    packs = [*builtin_pack_paths(), *settings.extend_rules]
    return ResultCache(cache_root(settings), fingerprint(settings, packs, day), day)


def cache_root(settings: Settings) -> Path:
    """Where ``.healthlint_cache/`` goes: ``settings.base``, the config file's folder (or the current one)."""
    return cache_folder(settings.base)


def fingerprint(settings: Settings, pack_paths: list[Path], today: str) -> str:
    """A hash of everything besides a file itself that decides its findings."""
    digest = hashlib.sha256()
    for part in (f"healthlint-cache {FORMAT} {__version__}", sys.version, _dependency_versions(), os.getcwd(), today,
                 _stable_settings(settings)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for path in pack_paths:
        digest.update(str(path).encode("utf-8", "surrogatepass") + b"\0")
        try:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")
    digest.update(_package_signature().encode())
    return digest.hexdigest()


def _stable_settings(settings: Settings) -> str:
    """The effective settings as canonical JSON (every field, so new settings count automatically)."""
    fields = dataclasses.asdict(settings)
    try:
        return json.dumps(fields, sort_keys=True, default=_jsonable, ensure_ascii=False)
    except (TypeError, ValueError):  # keys of mixed types from odd YAML: its own order is stable too
        return repr(fields)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    return f"{type(value).__name__}:{value}"


def _dependency_versions() -> str:
    """The versions of the libraries that parse documents (a new parser may place findings differently)."""
    import markdown_it
    import mdit_py_plugins
    import yaml

    return " ".join(f"{m.__name__}={getattr(m, '__version__', '?')}" for m in (markdown_it, mdit_py_plugins, yaml))


def _package_signature() -> str:
    """Name, size and modification time of each of healthlint's own files: code, data and built-in packs.

    A stat rather than a hash keeps a warm run fast (the word lists are megabytes); any edit, install
    or checkout changes a file's time or size.
    """
    package = Path(__file__).resolve().parent
    parts = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            parts.append(f"{os.path.relpath(path, package)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def _entry(raw: Any, display: str, need_summary: bool) -> Entry | None:
    """Rebuild an entry from its JSON, or None when it is not one this version wrote."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return None
    summary = raw.get("summary")
    if need_summary and not isinstance(summary, dict):
        return None
    findings = []
    for values in raw["findings"]:
        if not _well_formed(values):
            return None
        findings.append(Finding(path=display, **dict(zip(_FIELDS, values))))
    return Entry(findings, summary if isinstance(summary, dict) else None)


def _well_formed(values: Any) -> bool:
    """Four whole numbers, five strings and a suggestion (string or null): a finding as :meth:`put` stores it."""
    return (isinstance(values, list) and len(values) == len(_FIELDS)
            and all(type(v) is int for v in values[:4]) and all(isinstance(v, str) for v in values[4:9])
            and (values[9] is None or isinstance(values[9], str)))


def _prune(root: Path, day: str) -> None:
    """Remove the folders of other days: their fingerprint holds another date, so they never match again."""
    import shutil

    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not entry.name.startswith(day) and entry.name[:4].isdigit():
            shutil.rmtree(entry.path, ignore_errors=True)
