"""Configuration: finding it, validating it, merging it over the defaults.

Looked for, walking up from the working folder: ``.healthlint.yaml`` (or ``.yml``), else a
``pyproject.toml`` with a ``[tool.healthlint]`` table. ``--config FILE`` overrides the search.
Unknown keys and wrong types are errors that name the key (and, in a YAML file, its line): a
typo must not silently do nothing. The YAML is read by :mod:`healthlint.yamlsafe`, so a config
over 1 MB, or with an anchor bomb or recursive alias, is an error rather than a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint.configfile import CONFIG_NAMES, _pyproject_table, find_config, locate_config, settings_base  # noqa: F401
from healthlint.errors import ConfigError
from healthlint.severities import SEVERITIES

if TYPE_CHECKING:
    import yaml

# yaml, difflib and reprlib are imported where they are needed: most runs have no YAML config.
# Finding the config file is in healthlint.configfile: the CLI does it before it places the
# start-up caches in the config's folder, and before anything compiles a pattern or makes a
# dataclass (so that this module's Settings comes from the cache too).

KEYS = {
    "select": "rule codes, prefixes or names to turn on (default: all)",
    "ignore": "rule codes, prefixes or names to turn off",
    "fail-on": "lowest severity that makes the exit status 1",
    "exclude": "globs of files and folders not to lint",
    "per-file-ignores": "glob -> codes to ignore in matching files",
    "extend-rules": "paths of the team's own YAML rule packs",
    "rules": "per-rule options: severity and the rule's own settings",
    "max-file-size": "largest file to lint, in megabytes",
    "regex-timeout": "seconds a team rule's patterns may take per document (per MB of text for larger files)",
    "vocabulary": "the team's own condition names: accept (allowed) and reject (banned)",
    "front-matter": "the front-matter key names your site uses, and which are required",
}


@dataclass
class Settings:
    """The effective configuration: defaults with the config file merged over them."""

    select: list[str] = field(default_factory=lambda: ["HL"])
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    extend_rules: list[Path] = field(default_factory=list)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_file_size_mb: float = 50.0
    regex_timeout: float = 2.0  # team rules' pattern time limit per document (healthlint.safe_regex)
    vocabulary: dict[str, Any] = field(default_factory=dict)  # see parse_vocabulary
    front_matter: dict[str, Any] = field(default_factory=dict)  # see parse_front_matter
    base: Path = field(default_factory=Path.cwd)  # globs are relative to this folder
    source: Path | None = None  # the config file, if any

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_size_mb * 1024 * 1024)


def load_settings(explicit: str | None = None, cwd: Path | None = None) -> Settings:
    """Find (or take) the config file and return the merged settings."""
    cwd = cwd or Path.cwd()
    return settings_from(locate_config(explicit, cwd), cwd)


def settings_from(path: Path | None, cwd: Path) -> Settings:
    """The settings of the config file ``path`` (from :func:`locate_config`); the defaults if None."""
    if path is None:
        return Settings(base=cwd)
    data, lines = _read(path)
    return parse_settings(data, path, lines)


def _read(path: Path) -> tuple[dict, dict[str, int]]:
    """The config mapping, and the 1-based line of each top-level key (YAML only)."""
    if path.name == "pyproject.toml":
        table = _pyproject_table(path)
        if table is None:
            raise ConfigError(f"{path}: no [tool.healthlint] table")
        if "__invalid__" in table:
            raise ConfigError(f"{path}: [tool.healthlint] must be a table")
        return table, {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: byte 0x{exc.object[exc.start]:02x} at byte offset {exc.start} "
                          "is not valid UTF-8 (save the file as UTF-8)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    import yaml

    from healthlint import yamlsafe

    try:
        data, node = yamlsafe.load_with_node(text)
    except yaml.YAMLError as exc:
        raise ConfigError(_yaml_message(path, exc)) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys to values")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return data, lines


def _yaml_message(path: Path, exc: yaml.YAMLError) -> str:
    """One line for a YAML error: file, line, and what is wrong."""
    mark = getattr(exc, "problem_mark", None)
    where = f"{path}:{mark.line + 1}" if mark else str(path)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if problem == "but found another document":
        problem = "a second YAML document (after a '---' line); a config is one document"
    elif context and str(context).startswith("found duplicate anchor"):
        problem = f"{str(context).split(';')[0]} (each &name may be defined once)"
    return f"{where}: invalid YAML: {problem}"


# Front-matter fields healthlint reads (DESIGN.md section 4), and those 'require' may name.
FRONT_MATTER_FIELDS = ("title", "author", "credentials", "medically_reviewed_by", "date_published",
                       "last_reviewed", "sources", "disclosure", "disclaimer")
REQUIRABLE_FIELDS = ("author", "credentials", "medically_reviewed_by", "date_published", "last_reviewed", "disclosure")


def parse_front_matter(value: Any, path: Path, line: int | None = None) -> dict[str, Any]:
    """Validate ``front-matter:``: {aliases: {field: [names]}, require: [fields], stale-after-months: N}."""
    where = f"{path}{f':{line}' if line else ''}: 'front-matter"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}' must be a mapping")
    unknown = set(value) - {"aliases", "require", "stale-after-months"}
    if unknown:
        raise ConfigError(f"{where}' has no key '{sorted(unknown)[0]}' (keys: aliases, require, stale-after-months)")
    aliases = value.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise ConfigError(f"{where}.aliases' must map field names to lists of your own key names")
    out: dict[str, Any] = {"aliases": {}, "require": [], "stale-after-months": 24}
    for name, keys in aliases.items():
        if name not in FRONT_MATTER_FIELDS:
            raise ConfigError(f"{where}.aliases' names unknown field '{name}' (fields: {', '.join(FRONT_MATTER_FIELDS)})")
        keys = [keys] if isinstance(keys, str) else keys
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            raise ConfigError(f"{where}.aliases.{name}' must be a key name or a list of key names")
        out["aliases"][name] = [k.strip() for k in keys]
    require = value.get("require") or []
    require = [r.strip() for r in require.split(",") if r.strip()] if isinstance(require, str) else require
    if not isinstance(require, list) or not all(isinstance(r, str) for r in require):
        raise ConfigError(f"{where}.require' must be a list of field names")
    for name in require:
        if name not in REQUIRABLE_FIELDS:
            raise ConfigError(f"{where}.require' names unknown field '{name}' (fields: {', '.join(REQUIRABLE_FIELDS)})")
    out["require"] = list(dict.fromkeys(require))
    months = value.get("stale-after-months", 24)
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ConfigError(f"{where}.stale-after-months' must be a whole number of months, 1 or more")
    out["stale-after-months"] = months
    return out


def parse_vocabulary(value: Any, path: Path, line: int | None = None) -> dict[str, Any]:
    """Validate ``vocabulary:`` -> {"accept": [names], "reject": {name: preferred or None}}.

    ``accept`` is a list of names or the path of a file (one name a line); ``reject`` is a list
    of names, a mapping of name to preferred form (or null), or a file ("name | preferred" lines).
    File paths are relative to the config file; '#' starts a comment in a file.
    """
    where = f"{path}{f':{line}' if line else ''}: 'vocabulary"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}' must be a mapping with 'accept' and/or 'reject'")
    unknown = set(value) - {"accept", "reject"}
    if unknown:
        raise ConfigError(f"{where}' has no key '{sorted(unknown)[0]}' (keys: accept, reject)")
    out: dict[str, Any] = {"accept": [], "reject": {}}
    for key in ("accept", "reject"):
        entries = value.get(key)
        if entries is None:
            continue
        if isinstance(entries, str):
            entries = _vocabulary_file(path.parent / entries, f"{where}.{key}'")
        if isinstance(entries, dict) and key == "reject":
            entries = [{k: v} for k, v in entries.items()]
        if not isinstance(entries, list):
            raise ConfigError(f"{where}.{key}' must be a list of names or the path of a file")
        for entry in entries:
            name, preferred = _vocabulary_entry(entry, key, f"{where}.{key}'")
            if key == "accept":
                out["accept"].append(name)
            else:
                out["reject"][name] = preferred
    return out


def _vocabulary_file(file: Path, where: str) -> list[str]:
    if file.exists() and not file.is_file():  # a folder, or a FIFO that would wait for a writer
        raise ConfigError(f"{where}: {file} is not a file (give the path of a text file, one name a line)")
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None
    return [s for s in (line.split("#", 1)[0].strip() for line in lines) if s]


def _vocabulary_entry(entry: Any, key: str, where: str) -> tuple[str, str | None]:
    """A name, "name | preferred", or (reject only) {name: preferred}."""
    if isinstance(entry, dict) and key == "reject" and len(entry) == 1:
        name, preferred = next(iter(entry.items()))
        if preferred is not None and not (isinstance(preferred, str) and preferred.strip()):
            raise ConfigError(f"{where}: the preferred form for '{name}' must be text")
    elif isinstance(entry, str):
        name, _, preferred = entry.partition("|") if key == "reject" else (entry, "", "")
    else:
        raise ConfigError(f"{where}: each entry must be a name{' or name: preferred form' if key == 'reject' else ''}, not {_short_repr(entry)}")
    name, preferred = str(name).strip(), (preferred or "").strip() or None
    if not name:
        raise ConfigError(f"{where}: an entry has an empty name")
    return name, preferred


def _short_repr(value: Any) -> str:
    """``repr`` cut short, for a value quoted in a one-line error (it may be a large nested list)."""
    import reprlib

    short = reprlib.Repr()
    short.maxlevel, short.maxlist, short.maxdict, short.maxstring, short.maxother = 2, 4, 4, 40, 40
    return short.repr(value)


def parse_settings(data: dict, path: Path, lines: dict[str, int] | None = None) -> Settings:
    """Validate a config mapping and merge it over the defaults.

    ``lines`` gives the line of each top-level key, so that errors can name it.
    """
    lines = lines or {}

    def at(key: str) -> str:
        return f"{path}:{lines[key]}" if key in lines else str(path)

    unknown = [k for k in data if k not in KEYS]
    if unknown:
        import difflib

        key = str(unknown[0])
        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ConfigError(f"{at(key)}: unknown key '{key}' ({hint}known keys: {', '.join(sorted(KEYS))})")
    base = settings_base(path, path.parent)
    s = Settings(base=base, source=path)

    def strings(key: str) -> list[str]:
        value = data[key]
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{at(key)}: '{key}' must be a list of strings")
        return value

    if "select" in data:
        s.select = strings("select")
    if "ignore" in data:
        s.ignore = strings("ignore")
    if "exclude" in data:
        s.exclude = strings("exclude")
    if "fail-on" in data:
        if data["fail-on"] not in SEVERITIES:
            raise ConfigError(f"{at('fail-on')}: 'fail-on' must be one of {', '.join(SEVERITIES)}")
        s.fail_on = data["fail-on"]
    if "extend-rules" in data:
        s.extend_rules = [_rule_pack(base, p, at("extend-rules")) for p in strings("extend-rules")]
    if "max-file-size" in data:
        s.max_file_size_mb = _positive_number(data["max-file-size"], at("max-file-size"), "'max-file-size' must be a positive number of megabytes")
    if "regex-timeout" in data:
        s.regex_timeout = _positive_number(data["regex-timeout"], at("regex-timeout"), "'regex-timeout' must be a positive number of seconds")
    if "per-file-ignores" in data:
        pfi = data["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise ConfigError(f"{at('per-file-ignores')}: 'per-file-ignores' must map globs to lists of codes")
        for glob, codes in pfi.items():
            if isinstance(codes, str):
                codes = [c.strip() for c in codes.split(",") if c.strip()]
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise ConfigError(f"{at('per-file-ignores')}: 'per-file-ignores' entry '{glob}' must be a list of codes")
            s.per_file_ignores[str(glob)] = codes
    for key in ("vocabulary", "front-matter"):
        if key in data and not isinstance(data[key], dict):
            raise ConfigError(f"{at(key)}: '{key}' must be a mapping")
    if "front-matter" in data:
        s.front_matter = parse_front_matter(data["front-matter"], path, lines.get("front-matter"))
    if "vocabulary" in data:
        s.vocabulary = parse_vocabulary(data["vocabulary"], path, lines.get("vocabulary"))
    if "rules" in data:
        opts = data["rules"]
        if not isinstance(opts, dict) or not all(isinstance(v, dict) for v in opts.values()):
            raise ConfigError(f"{at('rules')}: 'rules' must map rule codes or names to their options")
        s.rule_options = {str(k): dict(v) for k, v in opts.items()}
    return s


def _rule_pack(base: Path, name: str, where: str) -> Path:
    """The path of an ``extend-rules`` pack, relative to the config's folder.

    A missing pack is reported when the packs load; a folder or a FIFO (which would wait for a
    writer) is refused here.
    """
    path = base / name
    if path.exists() and not path.is_file():
        raise ConfigError(f"{where}: 'extend-rules' names {name}, which is not a file (name each pack's YAML file)")
    return path


def _positive_number(value: Any, where: str, problem: str) -> float:
    """A finite positive number from the config, else a :class:`ConfigError` at ``where``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise ConfigError(f"{where}: {problem}")
    return float(value)
