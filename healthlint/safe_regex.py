"""Regular expressions written by a team: screened when loaded, time-limited when run.

A team's own packs (``extend-rules``) are user input, and a regex such as ``(\\w+\\s?)+!`` can
backtrack for hours on one long line. So their patterns are compiled with the ``regex`` module,
which can stop a match after a time limit, and every pattern of one rule shares one
:class:`Budget` per document: when the rule has spent it, matching stops with
:class:`PatternTimeout` and the run reports the rule. Patterns that nest an unbounded repeat
inside another (``(a+)+``, ``(\\w+\\s?)*``) are refused at load time, before any file is read:
see :func:`nested_repeat`. The built-in packs keep the faster stdlib ``re``; their patterns are
reviewed by ``tests/test_regex_safety.py``.

Time is processor time (what the ``regex`` module counts), so a busy machine does not make a
sound pattern time out.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from typing import Any

DEFAULT_TIMEOUT = 2.0  # seconds of processing per rule and document
ADVICE = "nested quantifiers such as (a+)+ backtrack catastrophically"
LARGE_COUNT = 10  # an outer repeat allowed this many times or more counts as unbounded


class PatternTimeout(Exception):
    """A rule's patterns used up its time on one document."""

    def __init__(self, seconds: float, pattern: str | None) -> None:
        super().__init__(f"pattern took longer than {seconds:.3g} s")
        self.seconds = seconds
        self.pattern = pattern  # the pack author's pattern, when one alone was running


class Budget:
    """The processing time one rule may spend matching on one document."""

    __slots__ = ("idle", "seconds", "deadline")

    def __init__(self, idle: float = DEFAULT_TIMEOUT) -> None:
        self.idle = idle  # the limit of each call between documents (checking a pack as it loads)
        self.seconds = idle  # the limit of the current document, for messages
        self.deadline: float | None = None  # process time at which it runs out; None between documents

    def start(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.process_time() + seconds

    def stop(self) -> None:
        self.seconds = self.idle
        self.deadline = None

    def remaining(self, pattern: str | None = None) -> float:
        """Seconds left; raise :class:`PatternTimeout` (naming ``pattern``) when none are."""
        if self.deadline is None:
            return self.idle
        left = self.deadline - time.process_time()
        if left <= 0:  # the regex module reads 0 as "time out at once" but a negative value as "never"
            raise PatternTimeout(self.seconds, pattern)
        return left


class LimitedPattern:
    """A ``regex`` pattern whose matching draws on a :class:`Budget`.

    It offers the methods healthlint's rule types call on a compiled pattern, with the same
    arguments, and returns the ``regex`` module's match objects (which behave like ``re``'s).
    """

    __slots__ = ("compiled", "budget", "label")

    def __init__(self, compiled: Any, budget: Budget, label: str | None = None) -> None:
        self.compiled = compiled
        self.budget = budget
        self.label = label  # the author's pattern, to name in a timeout message

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def flags(self) -> int:
        return self.compiled.flags

    def _call(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self.compiled, method)(*args, timeout=self.budget.remaining(self.label))
        except TimeoutError:
            raise PatternTimeout(self.budget.seconds, self.label) from None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self._call("search", text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self._call("match", text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Any:
        return self._call("fullmatch", text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[Any]:
        scanner = self._call("finditer", text, pos, endpos)  # its time limit covers the whole iteration
        try:
            yield from scanner
        except TimeoutError:
            raise PatternTimeout(self.budget.seconds, self.label) from None

    def __repr__(self) -> str:
        return f"LimitedPattern({self.pattern!r})"


def compile_limited(source: str, flags: int, budget: Budget, label: str | None = None) -> LimitedPattern:
    """Compile ``source`` with the ``regex`` module (``re`` flags work: their values are the same).

    Raises ``re.error`` when it does not compile, with the stdlib's wording where the stdlib
    refuses it too (so messages do not depend on which kind of pack a pattern is in).
    """
    import regex  # imported on first use: a run without team packs never needs it (11 ms)

    try:
        compiled = regex.compile(source, flags)
    except regex.error as exc:
        re.compile(source, flags)  # raises re.error, worded as for a built-in pattern
        raise re.error(str(exc)) from None  # syntax only the stdlib accepts
    return LimitedPattern(compiled, budget, label)


# -- the load-time screen -----------------------------------------------------------------------
def nested_repeat(source: str, flags: int = 0) -> bool:
    """Whether ``source`` repeats, without bound, a part that can itself match a run in several ways.

    That is the shape that backtracks exponentially: ``(a+)+``, ``(a*)*``, ``(\\w+\\s?)+``,
    ``(?:x|y+)*``, ``(a{1,3})+``: the outer repeat's body holds a repeat of varying length and
    nothing else it must match, so a run of ``a`` splits between the iterations in exponentially
    many ways. An outer repeat of ``LARGE_COUNT`` or more (``{1,20}``) counts as unbounded. A body
    that must also match something else, as in ``(?:\\s+\\w+)*`` or ``\\w+(?:-\\w+)*``, splits in one
    way only and is not flagged; nor are atomic groups and possessive repeats, which never give
    back what they matched. Patterns the stdlib parser cannot read are not screened (the time
    limit still applies).
    """
    try:
        from re import _constants as c, _parser as parser  # the stdlib's own regex parser
    except ImportError:  # a future Python without them: the time limit alone protects
        return False
    for candidate in (source, _PROPERTY.sub(r"\\w", source)):  # \p{L} is regex-only: read it as \w
        try:
            tree = parser.parse(candidate, flags & ~re.DEBUG)
        except Exception:  # noqa: BLE001 - syntax only the regex module knows
            continue
        return _Screen(c).has_nested(list(tree))
    return False


_PROPERTY = re.compile(r"(?<!\\)\\[pP](?:\{[^}]*\}|[A-Za-z])")


class _Screen:
    """Walks a parsed pattern (``re._parser``'s tree) for an unbounded repeat of a pumpable body."""

    def __init__(self, constants: Any) -> None:
        self.c = constants
        self.repeats = (constants.MAX_REPEAT, constants.MIN_REPEAT)

    def has_nested(self, items: list) -> bool:
        c = self.c
        for op, av in items:
            if op in self.repeats:
                low, high, body = av
                if high >= LARGE_COUNT and self.pumpable(list(body)):
                    return True
                if self.has_nested(list(body)):
                    return True
            elif op == c.POSSESSIVE_REPEAT:
                if self.has_nested(list(av[2])):
                    return True
            elif op == c.SUBPATTERN:
                if self.has_nested(list(av[3])):
                    return True
            elif op == c.BRANCH:
                if any(self.has_nested(list(alt)) for alt in av[1]):
                    return True
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if self.has_nested(list(av[1])):
                    return True
            elif op == c.ATOMIC_GROUP:
                if self.has_nested(list(av)):
                    return True
            elif op == c.GROUPREF_EXISTS:
                if any(self.has_nested(list(branch)) for branch in av[1:] if branch is not None):
                    return True
        return False

    def pumpable(self, items: list) -> bool:
        """One item repeats without bound (or holds such a repeat) and everything else may be empty."""
        return any(self._pumpable_item(op, av) and all(self.nullable(o, a) for j, (o, a) in enumerate(items) if j != i)
                   for i, (op, av) in enumerate(items))

    def _pumpable_item(self, op, av) -> bool:
        c = self.c
        if op in self.repeats:  # a{1,2} splits "aaaa" in several ways too; a{3} and a? do not
            low, high, body = av
            return high > max(low, 1) or self.pumpable(list(body))
        if op == c.SUBPATTERN:
            return self.pumpable(list(av[3]))
        if op == c.BRANCH:
            return any(self.pumpable(list(alt)) for alt in av[1])
        return False  # a single character, an atomic group, a possessive repeat, an assertion

    def nullable(self, op, av) -> bool:
        """Whether an item can match the empty string."""
        c = self.c
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return True
        if op in self.repeats or op == c.POSSESSIVE_REPEAT:
            return av[0] == 0 or all(self.nullable(o, a) for o, a in av[2])
        if op == c.SUBPATTERN:
            return all(self.nullable(o, a) for o, a in av[3])
        if op == c.ATOMIC_GROUP:
            return all(self.nullable(o, a) for o, a in av)
        if op == c.BRANCH:
            return any(all(self.nullable(o, a) for o, a in alt) for alt in av[1])
        return False
