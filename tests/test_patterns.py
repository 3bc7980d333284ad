"""Building regular expressions from word lists (healthlint/patterns.py)."""

from __future__ import annotations

import re

import pytest

from healthlint.patterns import flexible_spaces, literal_alternation

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _reference_flexible_spaces(source: str) -> str:
    """flexible_spaces as first written, one character at a time: the faster one must agree with it."""
    out: list[str] = []
    groups: list[bool] = []
    in_class, i = False, 0
    while i < len(source):
        c = source[i]
        if c == "\\" and i + 1 < len(source):
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            groups.append(source.startswith(("(?<=", "(?<!"), i))
        elif c == ")" and groups:
            groups.pop()
        elif c == " " and not any(groups):
            while i + 1 < len(source) and source[i + 1] == " ":
                i += 1
            if source.startswith("?", i + 1):
                out.append(r"\s*")
                i += 2
            else:
                out.append(r"\s+")
                i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


@given(st.text(alphabet="ab \\?()[]<=!\n", max_size=40))
@example("health ?visitor")
@example(r"(?<=a b)c d[ e]f\ g  ?h\\ i\)")
@example("a ]b (c) )d [x\\] y] z \\")
def test_flexible_spaces_agrees_with_the_first_version(source):
    assert flexible_spaces(source) == _reference_flexible_spaces(source)


def test_flexible_spaces_examples():
    assert flexible_spaces("health ?visitor") == r"health\s*visitor"
    assert flexible_spaces("take  it [ ] (?<!a b) x") == r"take\s+it\s+[ ]\s+(?<!a b)\s+x"
    assert re.search(flexible_spaces("side effect"), "side\n  effect")


def test_literal_alternation_is_the_same_in_any_order():
    words = ["test", "gene", "scan", "tests", "genes", "scans", "variant"]
    assert literal_alternation(words) == literal_alternation(list(reversed(words))) == "variant|genes|scans|tests|gene|scan|test"
