r"""Reading regular expressions as the standard library's own parser sees them.

Two readers walk these parse trees: :mod:`healthlint.prefilter` for the literal strings a match
must contain, and :mod:`healthlint.checks.phrase_search` for the words a match can begin with.
What they share is here: parsing, the one way both give up on a pattern (:class:`Unsupported`),
and what a look-around at a match's edge says about the character beyond it
(``(?<![\w-])``, ``(?![\w-])``, ``\b``). Anything a reader does not model makes it give up: no
answer is ever a wrong one.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the standard library's regex parser (Python 3.11+)
from re import _parser

__all__ = ["FAILURES", "ZERO_WIDTH", "Unsupported", "edge", "group_body", "parse", "refuses_word", "sre"]

ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # the parts that match no character: anchors, look-arounds


class Unsupported(Exception):
    """The pattern uses something the reader does not model."""


# What reading a pattern may raise, besides a changed parser: the reader then has no answer.
FAILURES = (Unsupported, re.error, RecursionError)


def parse(source: str, flags: int) -> tuple[list, int]:
    """The parsed items of a pattern and its flags, those set inside it (``(?i)``) included."""
    parsed = _parser.parse(source, flags)
    return list(parsed), parsed.state.flags


def refuses_word(body) -> bool:
    r"""Whether a look-around's body is one character class that holds ``\w`` (not negated)."""
    items = list(body)
    if len(items) != 1 or items[0][0] is not sre.IN:
        return False
    members = items[0][1]
    return (sre.CATEGORY, sre.CATEGORY_WORD) in members and not any(op is sre.NEGATE for op, _ in members)


def edge(item, direction: int) -> str | bool:
    r"""What a part of a pattern says about the character before (-1) or after (1) it.

    "space": a look-behind (-1) or look-ahead (1) that refuses word characters, like
    ``(?<![\w-])``; "boundary": ``\b``; False: something else.
    """
    op, av = item
    if op is sre.AT and av is sre.AT_BOUNDARY:
        return "boundary"
    if op is sre.ASSERT_NOT and av[0] == direction and refuses_word(av[1]):
        return "space"
    return False


def group_body(av, refused_flags: int) -> list:
    """The items of a group (a SUBPATTERN's argument); :class:`Unsupported` if it switches one of
    ``refused_flags`` on or off inside the pattern."""
    _group, add_flags, del_flags, sub = av
    if (add_flags | del_flags) & refused_flags:
        raise Unsupported("a flag switched inside the pattern")
    return list(sub)
