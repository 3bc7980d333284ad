"""Parsed YAML kept between runs: the rule packs and data files, as the pattern cache keeps patterns.

Parsing the five built-in packs and the data files' YAML took ~9 ms of every run, and importing
yaml for them ~6 ms more. This module keeps what a run parsed in
``.healthlint_cache/yaml-<python>.marshal``: for each file, its text and its data (marshalled),
so a later run with the same text takes the data without parsing it, or importing yaml.

It only ever speeds things up, never changes a result:

- an entry is used only when the file's text is exactly the text it was parsed from;
- the file is tied to the interpreter, healthlint's version, and the size and modification time
  of the code that decides what the text parses to (healthlint's loaders and PyYAML): any
  change there empties it;
- an entry is only made from a file that loaded cleanly (a pack: every rule in it validated),
  so every problem is still found and reported by parsing, as before;
- data marshal cannot hold (a date) is not kept; anything unexpected (a damaged or unreadable
  file) is a miss;
- nothing is read or written unless :func:`install` was called (the CLI's ``check`` does, like the
  pattern cache, also with ``--no-cache``).
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any

MAX_ENTRIES = 64  # the built-in packs and data files, and a team's packs: past this, keep the run's
_LOADER_MODULES = ("rules.py", "yamlsafe.py", "datafiles.py", "yaml_cache.py")
_state: dict[str, Any] = {}  # path, signature, entries, used, added: set by install()


def cache_file(folder: Path) -> Path:
    """The cache file for this interpreter in ``folder``."""
    return folder / f"yaml-{sys.implementation.cache_tag}-{marshal.version}.marshal"


def install(folder: Path) -> bool:
    """Keep and use parsed YAML in ``folder`` for the rest of the process; False if already installed."""
    if _state:
        return False
    path = cache_file(folder)
    signature = _signature()
    _state.update(path=path, signature=signature, entries=_read(path, signature), used=set(), added=0)
    return True


def uninstall() -> None:
    """Stop using the cache (tests; the end of a run)."""
    _state.clear()


def lookup(kind: str, path: Path, text: str) -> Any:
    """The data ``text`` (the content of ``path``) parsed to as ``kind`` in an earlier run, or None."""
    if not _state:
        return None
    key = (kind, str(path))
    entry = _state["entries"].get(key)
    if entry is None or entry[0] != text:
        return None
    try:
        data = marshal.loads(entry[1])
    except (EOFError, ValueError, TypeError):
        return None
    _state["used"].add(key)
    return data


def dump(data: Any) -> bytes | None:
    """``data`` marshalled for :func:`remember` (before anything changes it), or None if marshal cannot hold it."""
    if not _state:
        return None
    try:
        return marshal.dumps(data)
    except ValueError:
        return None


def remember(kind: str, path: Path, text: str, dumped: bytes | None) -> None:
    """Keep what ``text`` parsed to (from :func:`dump`), once the file has loaded cleanly."""
    if not _state or dumped is None:
        return
    key = (kind, str(path))
    _state["entries"][key] = (text, dumped)
    _state["used"].add(key)
    _state["added"] += 1


def save() -> None:
    """Write the cache if this run parsed anything new (atomically; failures are ignored)."""
    from healthlint.cachedir import save_marshal

    if _state and _state["added"] and save_marshal(_state["path"], _state["entries"], _state["used"], MAX_ENTRIES,
                                                   lambda entries: {"signature": _state["signature"], "entries": entries}):
        _state["added"] = 0


def _read(path: Path, signature: tuple) -> dict:
    from healthlint.cachedir import read_marshal

    content = read_marshal(path)
    entries = content.get("entries") if content.get("signature") == signature else None
    if not isinstance(entries, dict):
        return {}
    return {key: value for key, value in entries.items()
            if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], bytes)}


def _signature() -> tuple:
    """What decides how a text parses: the interpreter, healthlint's loaders and PyYAML's code (by stat)."""
    from healthlint import __version__

    here = Path(__file__).resolve().parent
    files = [here / name for name in _LOADER_MODULES]
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        files.append(Path(spec.origin))  # yaml/__init__.py: an upgrade or reinstall rewrites it
    return (__version__, sys.version, tuple(_stat(f) for f in files))


def _stat(path: Path) -> tuple:
    try:
        st = os.stat(path)
    except OSError:
        return (str(path), None)
    return (str(path), st.st_size, st.st_mtime_ns)
