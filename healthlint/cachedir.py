"""Where healthlint keeps its caches: ``.healthlint_cache/`` in the settings' base folder.

A module of its own so that the CLI can place the compiled-pattern cache before it imports
anything that compiles patterns (see :mod:`healthlint.regex_cache`).
"""

from __future__ import annotations

from pathlib import Path

CACHE_DIR_NAME = ".healthlint_cache"


def cache_folder(base: Path) -> Path:
    """``.healthlint_cache/`` in ``base`` (the config file's folder, or the current one)."""
    return base / CACHE_DIR_NAME
