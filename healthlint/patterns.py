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


_SPECIAL = re.compile(r"\\.|[\[\]()]| +\??", re.S)  # what flexible_spaces looks at: escapes, brackets, spaces


def flexible_spaces(source: str) -> str:
    """``source`` with its literal spaces made to match any white space (see the module doc)."""
    if " " not in source:
        return source
    out: list[str] = []
    groups: list[bool] = []  # for each open group: is it a look-behind?
    in_class, copied = False, 0
    for m in _SPECIAL.finditer(source):
        token = m.group()
        if token[0] == "\\":  # an escaped character stays as written, in a class too
            continue
        if in_class:
            in_class = token != "]"
        elif token == "[":
            in_class = True
        elif token == "(":
            groups.append(source.startswith(("(?<=", "(?<!"), m.start()))
        elif token == ")":
            if groups:
                groups.pop()
        elif token[0] == " " and not any(groups):  # a run of spaces, maybe followed by "?"
            out.append(source[copied:m.start()])
            out.append(r"\s*" if token[-1] == "?" else r"\s+")
            copied = m.end()
    out.append(source[copied:])
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
