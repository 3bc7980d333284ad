"""Loading YAML that users write (config files, team rule packs, front matter) within bounds.

PyYAML's safe loaders refuse arbitrary Python objects but not YAML that is cheap to write and
costly to use. :func:`load` reads the document's events once before building anything, and
stops with a :class:`YamlLimitError` (a ``yaml.YAMLError``, so existing handlers report it with
the file and line) when:

- the text is longer than ``max_chars`` (default 1 MB);
- collections nest more than :data:`MAX_DEPTH` deep (libyaml's composer recurses in C, and
  crashes the interpreter at around 100,000 levels);
- an alias refers to the collection that contains it (a recursive alias);
- aliases repeat more than :data:`MAX_ALIAS_VALUES` values in all (an anchor bomb, "billion
  laughs": nine anchors of nine aliases each make 387 million values from 300 bytes).

Values the constructors reject with a plain Python error (an impossible date such as
``2024-02-30``, an integer over Python's 4,300-digit limit, ``!!timestamp`` on text that is not
a date) become a ``yaml.YAMLError`` that names the line, instead of escaping as an internal error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_CHARS = 1_000_000  # a config file or an article's front matter
MAX_PACK_CHARS = 5_000_000  # a rule pack (a team's word lists can be long)
MAX_DEPTH = 100
MAX_ALIAS_VALUES = 100_000
_OPEN = -1  # the size of an anchored collection that has not closed yet


class YamlLimitError(yaml.MarkedYAMLError):
    """YAML that is valid but over a limit; ``problem`` says which, ``problem_mark`` where."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def load(text: str, loader: type = FAST_LOADER, *, max_chars: int = MAX_CHARS) -> Any:
    """The data of a single-document YAML text, after :func:`check_limits`."""
    return load_with_node(text, loader, max_chars=max_chars)[0]


def load_with_node(text: str, loader: type = FAST_LOADER, *, max_chars: int = MAX_CHARS) -> tuple[Any, yaml.Node | None]:
    """The data and the composed root node (for the lines of keys), after :func:`check_limits`."""
    check_limits(text, loader, max_chars=max_chars)
    instance = loader(text)
    try:
        node = instance.get_single_node()
        if node is None:
            return None, None
        try:
            return instance.construct_document(node), node
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - PyYAML's constructors raise whatever the value provokes
            raise _constructor_error(instance, exc) from None
    finally:
        instance.dispose()


def check_limits(text: str, loader: type = FAST_LOADER, *, max_chars: int = MAX_CHARS,
                 max_depth: int = MAX_DEPTH, max_alias_values: int = MAX_ALIAS_VALUES) -> None:
    """Raise :class:`YamlLimitError` if ``text`` is over a limit; YAML syntax errors raise as usual.

    One pass over the parser's events, keeping only a stack of open collections and the size
    (in values, aliases expanded) of each anchor, so the check itself is linear in the text.
    """
    if len(text) > max_chars:
        raise YamlLimitError(f"{_size(len(text))} of YAML is over the {_size(max_chars)} limit")
    instance = loader(text)
    try:
        _scan(instance, max_depth, max_alias_values)
    finally:
        instance.dispose()


def _scan(parser: Any, max_depth: int, max_alias_values: int) -> None:
    sizes: dict[str, int] = {}  # anchor -> values it stands for (_OPEN while being read)
    stack: list[list[Any]] = []  # [anchor, values so far] for each open collection
    repeated = 0
    while parser.check_event():
        event = parser.get_event()
        if isinstance(event, CollectionStartEvent):
            if len(stack) >= max_depth:
                raise YamlLimitError(f"lists and mappings nested more than {max_depth} deep", event.start_mark)
            if event.anchor is not None:
                sizes[event.anchor] = _OPEN
            stack.append([event.anchor, 1])
            continue
        if isinstance(event, CollectionEndEvent):
            anchor, size = stack.pop()
        elif isinstance(event, ScalarEvent):
            anchor, size = event.anchor, 1
        elif isinstance(event, AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 0)  # an unknown alias: the composer reports it
            if size == _OPEN:
                raise YamlLimitError(f"the alias *{event.anchor} is inside the value it names (a recursive alias)",
                                     event.start_mark)
            repeated += size
            if repeated > max_alias_values:
                raise YamlLimitError(
                    f"aliases repeat more than {max_alias_values:,} values (an 'anchor bomb'); "
                    "write the values out, or use fewer aliases", event.start_mark)
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if stack:
            stack[-1][1] += size


def _constructor_error(loader: Any, exc: Exception) -> yaml.YAMLError:
    """A constructor's plain Python error as a YAML error at the value being built.

    PyYAML's constructor keeps the nodes it is building in ``recursive_objects``, innermost
    last; when that is not available the error has no line.
    """
    building = list(getattr(loader, "recursive_objects", None) or ())
    node = building[-1] if building else None
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, RecursionError):
        detail = "values nested too deeply"
    elif "integer string conversion" in detail:
        detail = "a number over 4,300 digits long"
    elif not isinstance(exc, ValueError):  # e.g. !!timestamp or !!bool on text that is not one
        kind = str(getattr(node, "tag", "")).rsplit(":", 1)[-1] or "YAML"
        detail = f"not a valid {kind} value"
    return YamlLimitError(f"cannot read this value: {detail}", node.start_mark if node is not None else None)


def _size(chars: int) -> str:
    return f"{chars / 1_000_000:.1f} MB" if chars >= 100_000 else f"{chars / 1000:.0f} KB"
