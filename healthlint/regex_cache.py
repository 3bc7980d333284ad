"""Compiled regular expressions kept between runs, as Python keeps compiled modules in __pycache__.

healthlint compiles about 300 patterns, some of them long phrase lists, and compiling them took
about 50 ms of every run: most of a pre-commit run on one file. The standard library compiles a
pattern in two steps: a parser and code generator written in Python (the slow part), then
``_sre.compile``, in C, which builds the pattern object from the generated code. This module
keeps the generated code in ``.healthlint_cache/regex-<python>-<engine>.marshal`` and, for a
pattern seen before, hands it straight to ``_sre.compile``.

It only ever speeds things up, never changes a result:

- the file is keyed by the interpreter (``sys.implementation.cache_tag``) and the regex engine's
  own version number (``_sre.MAGIC``), so another Python never reads it;
- ``_sre.compile`` validates the code it is given and raises on anything malformed;
- anything unexpected (an interpreter without these internals, a damaged or unreadable file, an
  error from the engine) turns the cache off for the run and patterns compile as usual;
- :func:`install` never being called (the library API; the ``rules`` and ``explain`` commands)
  leaves ``re`` untouched; ``check`` installs it also with ``--no-cache``, which is about results.

A character class of single characters (``[!#\\-]``) is keyed by its characters in sorted
order: libraries build such classes from sets (markdown-it's inline terminators), whose order
changes with the hash seed, and a key that changed every run would rewrite the file every run.

The file keeps what earlier runs compiled; past :data:`MAX_ENTRIES` (patterns made from
documents' text add up) it keeps only what the last run used.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

MAX_ENTRIES = 3000
_state: dict[str, Any] = {}  # path, entries, used, added, original: set by install()


def cache_file(folder: Path) -> Path | None:
    """The cache file for this interpreter in ``folder``; None if the interpreter has no usable internals."""
    try:
        import _sre
        from re import _compiler, _parser  # noqa: F401  (Python 3.11+)
    except ImportError:
        return None
    tag = sys.implementation.cache_tag
    if not tag or not hasattr(_sre, "MAGIC") or not hasattr(_compiler, "_code"):
        return None
    return folder / f"regex-{tag}-{_sre.MAGIC}.marshal"


def install(folder: Path) -> bool:
    """Compile patterns through the cache in ``folder`` for the rest of the process; False if not possible."""
    path = cache_file(folder)
    if path is None or _state:
        return False
    from re import _compiler

    from healthlint.cachedir import read_marshal

    _state.update(path=path, entries=read_marshal(path), used=set(), added=0, original=_compiler.compile)
    _compiler.compile = _compile
    return True


def uninstall() -> None:
    """Compile patterns the usual way again (tests; the end of a run)."""
    if _state:
        from re import _compiler

        _compiler.compile = _state["original"]
        _state.clear()


def save() -> None:
    """Write the patterns this run used, if it compiled any new ones (atomically; failures are ignored)."""
    from healthlint.cachedir import save_marshal

    if _state and _state["added"] and save_marshal(_state["path"], _state["entries"], _state["used"], MAX_ENTRIES):
        _state["added"] = 0


def _compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` with the generated code remembered (see the module docstring)."""
    import _sre
    from re import _compiler, _parser

    original = _state.get("original") or _compiler.compile
    if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
        return original(p, flags)
    key = (type(p) is str, _canonical(p), int(flags))
    entry = _state["entries"].get(key) if _state else None
    parsed = _parser.parse(p, flags) if entry is None else None  # a bad pattern raises re.error here, as usual
    try:
        if parsed is not None:
            groupindex = dict(parsed.state.groupdict)
            indexgroup = [None] * parsed.state.groups
            for name, index in groupindex.items():
                indexgroup[index] = name
            code = [int(c) for c in _compiler._code(parsed, flags)]
            entry = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
            _state["entries"][key] = entry
            _state["added"] += 1
        _state["used"].add(key)
        final_flags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(p, final_flags, code, groups, groupindex, indexgroup)
    except Exception:  # noqa: BLE001 - any surprise from the internals turns the cache off for the run
        uninstall()
        return original(p, flags)


def _canonical(p: str | bytes) -> str | bytes:
    """The cache key's text of a pattern: itself, or for a class of single characters, its characters sorted."""
    if type(p) is not str or len(p) < 3 or p[0] != "[" or p[-1] != "]":
        return p
    units = _class_units(p[1:-1])
    return p if units is None else "[" + "".join(sorted(units)) + "]"


def _class_units(body: str) -> list[str] | None:
    """The characters of a class body (each maybe escaped), or None unless it is a plain set of them.

    Ranges, negation, nested brackets and escapes of letters or digits (``\\d``, ``\\x41``) are
    not plain: their meaning depends on the order, so such patterns keep their own text as key.
    """
    units: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            if i + 1 >= len(body) or body[i + 1].isalnum():
                return None
            units.append(body[i:i + 2])
            i += 2
        elif c in "[]^-":
            return None
        else:
            units.append(c)
            i += 1
    return units
