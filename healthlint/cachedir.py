"""Where healthlint keeps its caches: ``.healthlint_cache/`` in the settings' base folder.

The results cache (:mod:`healthlint.cache`) and the start-up caches (compiled patterns, parsed
YAML, dataclasses' generated code) share the folder. Whichever writes first creates it, tagged
(``CACHEDIR.TAG``, so backup tools skip it) and ignored by git. A module of its own so that the CLI
can place the start-up caches before it imports anything that compiles patterns.
"""

from __future__ import annotations

from pathlib import Path

CACHE_DIR_NAME = ".healthlint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by healthlint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by healthlint: its caches are never committed.\n*\n"


def cache_folder(base: Path) -> Path:
    """``.healthlint_cache/`` in ``base`` (the config file's folder, or the current one)."""
    return base / CACHE_DIR_NAME


def make(folder: Path) -> None:
    """Create the cache folder, tagged and git-ignored, if it is not there; raise :class:`OSError` if it cannot be."""
    from healthlint.atomicfile import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", GITIGNORE)):
        if not (folder / name).exists():
            write_atomic(folder / name, text)


def read_marshal(path: Path) -> dict:
    """A start-up cache's marshalled mapping; empty when missing, unreadable or damaged."""
    import marshal

    try:
        content = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return content if isinstance(content, dict) else {}


def save_marshal(path: Path, entries: dict, used: set, max_entries: int, wrap=None) -> bool:
    """Write a start-up cache's entries atomically; False if it could not be written (never an error).

    Past ``max_entries`` only the entries this run ``used`` are kept, so entries made from
    documents' text do not pile up. ``wrap`` turns the entries into what is written.
    """
    import marshal

    from healthlint.atomicfile import write_atomic

    if len(entries) > max_entries:
        entries = {key: value for key, value in entries.items() if key in used}
    try:
        make(path.parent)
        write_atomic(path, marshal.dumps(wrap(entries) if wrap else entries))
    except (OSError, ValueError):
        return False
    return True
