"""The code that ``dataclasses`` generates, kept between runs, as Python keeps modules' code in __pycache__.

Every ``@dataclass`` writes the source of its ``__init__``, ``__repr__``, ``__eq__`` and so on
and compiles it when the class is created: healthlint and markdown-it define about 35 such
classes, and compiling their methods took ~11 ms of every run. This module keeps the compiled
code objects in ``.healthlint_cache/dataclass-<python>-<bytecode magic>.marshal``, keyed by the
exact source and compiler flags, and, for a source seen before, executes the kept code.

It only ever speeds things up, never changes a result:

- the same source compiled with the same flags is the same code; the file is tied to the
  interpreter's bytecode version (``importlib.util.MAGIC_NUMBER``) and ``-O`` level, as .pyc
  files are;
- the code is compiled with the ``from __future__`` flags of the ``dataclasses`` code that runs
  it, as ``exec`` of the source would;
- it works by giving the ``dataclasses`` module its own ``exec`` for the run; anything other
  than ``exec`` of source text, and anything unexpected (a damaged or unreadable file), goes the
  usual way; :func:`uninstall` restores the module.
"""

from __future__ import annotations

import __future__

import builtins
import sys
from pathlib import Path
from typing import Any

MAX_ENTRIES = 2000
_FUTURE_FLAGS = 0
for _name in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _name).compiler_flag
_state: dict[str, Any] = {}  # path, entries, used, added, module: set by install()


def cache_file(folder: Path) -> Path:
    """The cache file for this interpreter's bytecode (and ``-O`` level, as .pyc files) in ``folder``."""
    from importlib.util import MAGIC_NUMBER

    level = f".opt-{sys.flags.optimize}" if sys.flags.optimize else ""
    return folder / f"dataclass-{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}{level}.marshal"


def install(folder: Path) -> bool:
    """Run the code of dataclasses created from now on through the cache in ``folder``; False if not possible."""
    import dataclasses

    if _state or "exec" in vars(dataclasses):
        return False
    _state.update(path=cache_file(folder), entries=_read(cache_file(folder)), used=set(), added=0, module=dataclasses)
    dataclasses.exec = _exec  # a module global shadows the builtin for the module's own calls
    return True


def uninstall() -> None:
    """Give ``dataclasses`` back the builtin ``exec`` (tests; the end of a run)."""
    if _state:
        module = _state["module"]
        if vars(module).get("exec") is _exec:
            del module.exec
        _state.clear()


def save() -> None:
    """Write the code this run used, if it compiled any new code (atomically; failures are ignored)."""
    from healthlint.cachedir import save_marshal

    if _state and _state["added"] and save_marshal(_state["path"], _state["entries"], _state["used"], MAX_ENTRIES):
        _state["added"] = 0


def _read(path: Path) -> dict:
    from healthlint.cachedir import read_marshal

    code_type = type(_read.__code__)
    return {key: code for key, code in read_marshal(path).items() if isinstance(code, code_type)}


def _exec(source: Any, globals: dict | None = None, locals: dict | None = None) -> None:
    """``exec`` for the ``dataclasses`` module: source text seen before runs its kept code."""
    caller = sys._getframe(1)
    if globals is None:  # exec's defaults: the caller's namespaces, not this function's
        globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
    if not _state or type(source) is not str:
        return builtins.exec(source, globals, locals)
    flags = caller.f_code.co_flags & _FUTURE_FLAGS  # what exec would inherit from its caller
    key = (source, flags)
    code = _state["entries"].get(key)
    if code is None:
        code = compile(source, "<string>", "exec", flags, dont_inherit=True)
        _state["entries"][key] = code
        _state["added"] += 1
    _state["used"].add(key)
    return builtins.exec(code, globals, locals)
