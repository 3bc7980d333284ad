"""Building regular expressions from word lists: one convention for every pack and lexicon.

In a listed phrase or pattern, a space matches any run of white space (so a phrase wrapped
across lines is still found) and " ?" an optional one ("health ?visitor"). Spaces inside
character classes and look-behinds (which must keep a fixed width) and escaped spaces stay as
written.
"""

from __future__ import annotations

import re

WORD_START = r"(?<![\w-])"
WORD_END = r"(?![\w-])"


def flexible_spaces(source: str) -> str:
    """``source`` with its literal spaces made to match any white space (see the module doc)."""
    out: list[str] = []
    groups: list[bool] = []  # for each open group: is it a look-behind?
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
            if source.startswith("?", i + 1):  # " ?": an optional space
                out.append(r"\s*")
                i += 2
            else:
                out.append(r"\s+")
                i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def literal_body(phrase: str) -> str:
    """A literal word or phrase, escaped, with any run of white space between its words."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


def literal_pattern(phrase: str) -> str:
    """A literal word or phrase matched on whole words only."""
    return WORD_START + literal_body(phrase) + WORD_END


def phrase_alternation(patterns: list[str]) -> str:
    """One regex for a list of patterns, each matched on whole words, with flexible spaces."""
    return WORD_START + "(?:" + "|".join(f"(?:{flexible_spaces(p)})" for p in patterns if p) + ")" + WORD_END


def literal_alternation(words: list[str]) -> str:
    """An alternation of literal words or phrases, longest first (no word boundaries added).

    Words of the same length are in alphabetical order, so the pattern is the same in every run
    (a set's order changes with the hash seed, and the compiled-pattern cache keys on the text).
    """
    unique = sorted({w.strip() for w in words if w.strip()}, key=lambda w: (-len(w), w))
    return "|".join(literal_body(w) for w in unique)
