"""Python checks: rules that need real logic, registered under the names their YAML entries use.

A check is a function ``(doc, rule, options, settings) -> Iterable[Hit]``: the document, the rule
(for its message), the rule's options (defaults merged with the config's ``rules:`` entry) and
the run's :class:`healthlint.config.Settings` (None in isolated runs) for team-wide data. Its metadata (code, severity,
message, explanation, examples) lives in the YAML pack with ``type: check``, like every other
rule, so listing, explaining, selecting and suppressing treat it the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from healthlint.findings import Hit

CheckFunction = Callable[..., Iterable[Hit]]
# name -> (function, message placeholders it fills, default options)
REGISTRY: dict[str, tuple[CheckFunction, set[str], dict[str, Any]]] = {}


def register(name: str, *, fields: Iterable[str] = (), options: dict[str, Any] | None = None):
    """Register a check under ``name``; ``fields`` are the placeholders its messages may use."""

    def wrap(fn: CheckFunction) -> CheckFunction:
        REGISTRY[name] = (fn, set(fields), dict(options or {}))
        return fn

    return wrap


def _load_all() -> None:
    from healthlint.checks import claims, engine, metadata, terms, trust  # noqa: F401  (registers on import)
    from healthlint.checks import plain_language, readability  # noqa: F401  (HL4xx)


_load_all()
