"""Rules: the metadata every rule carries, and loading YAML rule packs.

A pack is a YAML file with a list of rules under ``rules:``. Each rule says, in one place, its
code, name, severity, message, explanation and examples, and how it checks: a data-driven
``type`` (existence, substitution, occurrence, required, metric, consistency) or ``check``,
which names a Python check registered in :mod:`healthlint.checks`. Packs are validated and their
patterns compiled once, at load; any problem stops the run with a message naming the file,
the line and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from healthlint.errors import PackError, RuleTimeout  # noqa: F401  (exported here too)
from healthlint.findings import SEVERITIES, Hit

# yaml is imported only when a pack is parsed: a warm CLI run takes the packs from
# healthlint.yaml_cache and never imports it.

CODE_RE = re.compile(r"^HL[1-9]\d\d$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
FAMILIES = {"1": "claims", "2": "trust", "3": "terms", "4": "readability", "9": "engine"}
COMMON_KEYS = frozenset({"code", "name", "severity", "type", "message", "summary", "explanation", "examples", "about"})
REQUIRED_KEYS = ("code", "name", "severity", "type", "message", "explanation", "examples")


@dataclass(frozen=True, slots=True)
class Example:
    """Text that must (bad) or must not (good) trigger a rule."""

    text: str
    plain: bool = False  # read as plain text rather than Markdown
    raw: bytes | None = None  # the file's bytes, for examples that are not valid UTF-8


@dataclass(slots=True)
class Rule:
    """A rule: its metadata and the compiled check that runs it."""

    code: str
    name: str
    severity: str
    type: str
    message: str
    summary: str
    explanation: str
    bad: list[Example]
    good: list[Example]
    source: str
    line: int
    impl: Any = field(repr=False)  # a healthlint.ruletypes.RuleType
    about: str | None = None  # the pack's 'about': 'document' or 'text'; None: decided by the type

    @property
    def document_level(self) -> bool:
        """Whether findings judge the whole article (a missing disclaimer, the reading grade), not the text they point at.

        A pack says so with ``about: document``; otherwise ``required`` rules and ``metric`` rules
        measuring the whole document are, and every other rule is about its text.
        """
        if self.about is not None:
            return self.about == "document"
        return self.type == "required" or (self.type == "metric" and getattr(self.impl, "scope", None) == "document")

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[2], "other")

    @property
    def tunables(self) -> dict[str, Any]:
        """Options a config may set for this rule, with their defaults."""
        return dict(self.impl.tunables)

    def run(self, doc, options: Mapping[str, Any] | None = None, settings=None) -> Iterator[Hit]:
        """Run the rule on a document with the given options over its defaults.

        ``settings`` (a :class:`healthlint.config.Settings`) is passed to Python checks that read
        team-wide configuration such as vocabularies.
        """
        opts = self.impl.tunables if not options else {**self.impl.tunables, **options}
        budget = getattr(self.impl, "budget", None)
        if budget is None:  # a built-in rule
            return iter(self.impl.check(doc, self, opts, settings))
        return iter(self._run_limited(doc, opts, settings, budget))

    def _run_limited(self, doc, opts: Mapping[str, Any], settings, budget) -> list[Hit]:
        """A team rule: its patterns share a time budget on this document; raise :class:`RuleTimeout` past it."""
        from healthlint.safe_regex import ADVICE, PatternTimeout

        budget.start(regex_time_limit(settings, len(doc.text)))
        try:
            return list(self.impl.check(doc, self, opts, settings))
        except PatternTimeout as exc:
            what = f"pattern '{exc.pattern}'" if exc.pattern else "its patterns"
            raise RuleTimeout(
                f"{self.source}:{self.line}: rule {self.code} ({self.name}): {what} took longer than {exc.seconds:.3g} s "
                f"on {doc.path}; simplify it ({ADVICE})"
            ) from None
        finally:
            budget.stop()


def regex_time_limit(settings, chars: int) -> float:
    """Seconds a team rule may spend matching on a document of ``chars`` characters.

    The config's ``regex-timeout`` (default 2) per megabyte of text, and at least that much for
    smaller files, so that a sound pattern on a very large file never times out.
    """
    from healthlint.safe_regex import DEFAULT_TIMEOUT

    seconds = getattr(settings, "regex_timeout", None) or DEFAULT_TIMEOUT
    return seconds * max(1.0, chars / 1_000_000)


class RuleSet:
    """The rules in force: built-in packs first, then the team's own."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self.rules: list[Rule] = []
        self._by_code: dict[str, Rule] = {}
        self._by_name: dict[str, Rule] = {}
        for rule in rules:
            self.add(rule)

    def add(self, rule: Rule) -> None:
        for key, index, what in ((rule.code, self._by_code, "code"), (rule.name, self._by_name, "name")):
            if key in index:
                other = index[key]
                raise PackError(
                    f"{rule.source}:{rule.line}: rule {rule.code} ({rule.name}): duplicate {what} "
                    f"'{key}', already used by {other.source}:{other.line}"
                )
        self.rules.append(rule)
        self._by_code[rule.code] = rule
        self._by_name[rule.name] = rule

    def get(self, key: str) -> Rule | None:
        """A rule by code (any case) or name."""
        return self._by_code.get(key.upper()) or self._by_name.get(key.lower())

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self.rules, key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self.rules)


# -- loading -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _line_loader() -> type:
    """A safe loader that remembers the line each mapping starts on, under the key ``__line__``."""
    import yaml

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        loader.flatten_mapping(node)
        data = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "unhashable key", key_node.start_mark) from None
            data[key] = loader.construct_object(value_node, deep=True)
        data["__line__"] = node.start_mark.line + 1
        return data

    loader = type("_LineLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {"__doc__": _line_loader.__doc__})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return loader


def builtin_pack_paths() -> list[Path]:
    """The YAML packs shipped with healthlint, in a stable order."""
    import importlib.util

    try:  # importlib.util, not importlib.resources: the latter costs ~4 ms of start-up
        spec = importlib.util.find_spec("healthlint.packs")
    except ModuleNotFoundError:
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    # Installed: the package healthlint.packs; a source tree that was never installed: rules/.
    root = Path(locations[0]) if locations else Path(__file__).resolve().parent.parent / "rules"
    return sorted(root.glob("*.yaml"))


def load_builtin() -> RuleSet:
    """Load the built-in packs."""
    ruleset = RuleSet()
    for path in builtin_pack_paths():
        for rule in load_pack(path, f"built-in pack {path.name}", builtin=True):
            ruleset.add(rule)
    return ruleset


def load_packs(paths: Iterable[Path], into: RuleSet | None = None) -> RuleSet:
    """Load packs into ``into`` (or a new rule set); raise :class:`PackError` on any problem."""
    ruleset = into if into is not None else RuleSet()
    for path in paths:
        for rule in load_pack(Path(path)):
            ruleset.add(rule)
    return ruleset


def load_pack(path: Path, label: str | None = None, *, builtin: bool = False) -> list[Rule]:
    """Read and validate one pack file; ``label`` is how messages name it (default: its path).

    A pack that is not ``builtin`` is a team's: its patterns are screened and run under a time
    limit (see :mod:`healthlint.safe_regex`).
    """
    shown = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError(f"{shown}: rule pack not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{shown}: cannot read rule pack: {exc}") from None
    from healthlint import yaml_cache

    data = yaml_cache.lookup("pack", path, text)
    dumped = None
    if data is None:
        data = _parse_pack(text, shown)
        dumped = yaml_cache.dump(data)  # before building the rules changes it
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise PackError(f"{shown}: a rule pack is a mapping with a list of rules under 'rules:'")
    unknown = set(data) - {"rules", "family", "description", "__line__"}
    if unknown:
        raise PackError(f"{shown}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    rules = []
    for i, item in enumerate(data["rules"], 1):
        if not isinstance(item, dict):
            raise PackError(f"{shown}: rule #{i} is not a mapping of keys to values")
        rules.append(_build_rule(item, shown, i, builtin))
    yaml_cache.remember("pack", path, text, dumped)  # only a pack that loaded cleanly
    return rules


def _parse_pack(text: str, shown: str) -> Any:
    """A pack's YAML, each mapping with its ``__line__``, within yamlsafe's bounds."""
    import yaml

    from healthlint import yamlsafe

    try:
        return yamlsafe.load(text, _line_loader(), max_chars=yamlsafe.MAX_PACK_CHARS)  # no anchor bombs
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(f"{where}: invalid YAML: {problem}") from None


def _build_rule(item: dict, source: str, index: int, builtin: bool = False) -> Rule:
    from healthlint.ruletypes import RULE_TYPES, RuleDefinitionError
    from healthlint.safe_regex import Budget

    line = item.pop("__line__", 0)
    code = str(item.get("code", f"#{index}"))
    name = str(item.get("name", "?"))

    def fail(problem: str) -> PackError:
        return PackError(f"{source}:{line}: rule {code} ({name}): {problem}")

    for key in REQUIRED_KEYS:
        if key not in item or item[key] in (None, ""):
            raise fail(f"missing required field '{key}'")
    if not CODE_RE.match(code):
        raise fail("code must look like HLnnn (HL1xx claims, HL2xx trust, HL3xx terms, HL4xx readability, HL9xx engine)")
    if not NAME_RE.match(name):
        raise fail("name must be kebab-case, like 'long-sentence'")
    severity = item["severity"]
    if severity not in SEVERITIES:
        raise fail(f"severity must be one of {', '.join(SEVERITIES)}, not '{severity}'")
    rtype = item["type"]
    if rtype not in RULE_TYPES:
        raise fail(f"unknown type '{rtype}'; known types: {', '.join(sorted(RULE_TYPES))}")
    for key in ("message", "explanation", "summary"):
        if key in item and not isinstance(item[key], str):
            raise fail(f"'{key}' must be text")
    bad, good = _examples(item["examples"], fail)
    options = {k: _strip_lines(v) for k, v in item.items() if k not in COMMON_KEYS}
    try:
        impl = RULE_TYPES[rtype](options, name, None if builtin else Budget())
        impl.validate_message(item["message"])
    except RuleDefinitionError as exc:
        raise fail(str(exc)) from None
    explanation = item["explanation"].strip()
    summary = item.get("summary") or _first_sentence(explanation)
    about = item.get("about")
    if about not in (None, "document", "text"):
        raise fail("'about' must be 'document' (findings judge the whole article) or 'text' (they are about the text they point at)")
    return Rule(code, name, severity, rtype, item["message"].strip(), summary.strip(), explanation, bad, good, source, line, impl, about)


def _examples(value: Any, fail) -> tuple[list[Example], list[Example]]:
    if not isinstance(value, dict) or not value.get("bad"):
        raise fail("'examples' needs a non-empty 'bad' list (text that must trigger the rule) and a 'good' list")
    unknown = set(value) - {"bad", "good", "__line__"}
    if unknown:
        raise fail(f"unknown key(s) in 'examples': {', '.join(sorted(unknown))}")
    out: list[list[Example]] = []
    for kind in ("bad", "good"):
        items = value.get(kind) or []
        if not isinstance(items, list):
            raise fail(f"'examples.{kind}' must be a list")
        parsed = []
        for ex in items:
            if isinstance(ex, str):
                parsed.append(Example(ex))
            elif isinstance(ex, dict) and isinstance(ex.get("text"), str):
                parsed.append(Example(ex["text"], bool(ex.get("plain", False))))
            elif isinstance(ex, dict) and isinstance(ex.get("bytes"), str):
                import codecs

                raw = codecs.escape_decode(ex["bytes"].encode("utf-8"))[0]
                parsed.append(Example(raw.decode("utf-8", "replace"), bool(ex.get("plain", False)), raw))
            else:
                raise fail(
                    f"each example in 'examples.{kind}' is text, or a mapping with 'text' "
                    "(or 'bytes' with \\x escapes) and optionally 'plain: true'"
                )
        out.append(parsed)
    if not out[1]:
        raise fail("'examples' needs a non-empty 'good' list (text that must not trigger the rule)")
    return out[0], out[1]


def _strip_lines(value: Any) -> Any:
    """Drop the loader's ``__line__`` bookkeeping from nested option values."""
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _first_sentence(text: str) -> str:
    first = text.strip().split("\n\n")[0].replace("\n", " ")
    m = re.match(r"(.+?[.!?])(\s|$)", first)
    return m.group(1) if m else first


def message_fields(template: str) -> set[str]:
    """The ``{placeholders}`` a message template uses."""
    import string

    try:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise ValueError(f"message template is malformed: {exc}") from None
