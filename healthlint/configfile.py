"""Finding the config file, and the folder settings (and caches) are relative to.

Looked for, walking up from the working folder: ``.healthlint.yaml`` (or ``.yml``), else a
``pyproject.toml`` with a ``[tool.healthlint]`` table. ``--config FILE`` overrides the search.
Apart from :mod:`healthlint.config` (which reads and validates the file) so that the CLI can
place its start-up caches in that folder before it imports anything that fills them.
"""

from __future__ import annotations

from pathlib import Path

from healthlint.errors import ConfigError

CONFIG_NAMES = (".healthlint.yaml", ".healthlint.yml")


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject
    return None


def _pyproject_table(path: Path) -> dict | None:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("healthlint")
    return table if isinstance(table, dict) or table is None else {"__invalid__": table}


def locate_config(explicit: str | None, cwd: Path) -> Path | None:
    """The config file to use: ``explicit`` (which must be a file), else the nearest one found."""
    if explicit is None:
        return find_config(cwd)
    path = Path(explicit)
    if not path.exists():
        raise ConfigError(f"{explicit}: config file not found")
    if not path.is_file():  # a folder, or a FIFO that would wait for a writer
        raise ConfigError(f"{explicit}: not a file (give the path of a .healthlint.yaml or pyproject.toml)")
    return path


def settings_base(path: Path | None, cwd: Path) -> Path:
    """The folder settings are relative to (and caches go in): the config file's, else ``cwd``."""
    return path.parent.resolve() if path is not None else cwd
