"""The vocabulary of recognised condition names, shipped compiled in ``healthlint/data``.

``scripts/build_vocabulary.py`` compiles it from the sources named in ``healthlint/data/SOURCES``;
``healthlint/data/project-names.txt`` adds lay and rare names written for this project. Names are
compared in a normal form (:func:`normalise`), so "Sjögren's syndrome", "Sjogren syndrome" and
"Sjögren-syndromes" are one name. The files are read on first use only: a run that never meets
a condition name pays nothing for them.

Standard library only: the build script imports this module to normalise names exactly the way
the linter looks them up.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from collections.abc import Iterator
from pathlib import Path

from healthlint.datafiles import data_path  # also used by scripts/build_vocabulary.py

KEYS_FILE = "conditions.txt"  # names in normal form, sorted, one a line
REVERSED_FILE = "conditions-reversed.txt"  # the same names spelled backwards, sorted (for "ends a name")
WORDS_FILE = "condition-words.txt"  # every word used in a name, sorted
NAMES_FILE = "condition-names.txt.gz"  # "normal form<TAB>display name": the names we may suggest
PROJECT_FILE = "project-names.txt"  # lay names and rare names written for this project
DESCRIPTORS_FILE = "descriptors.txt"  # words that say what kind of condition, never which one

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?!\w)")
_DASHES = re.compile(r"[-‐‑‒–—―/_]+")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
# British spellings folded into American ones: anaemia, oesophagus, coeliac, tumour, apnoea.
_SPELLING = re.compile(r"ae|oe|(?<=\w)our\b")
_SPELLING_MAP = {"ae": "e", "oe": "e", "our": "or"}
_LEADING = re.compile(r"^(?:the|a|an) ")
_TRAILING = re.compile(r" (?:nos|nec)$")


def fold(text: str) -> str:
    """Lower case without accents: 'Sjögren' -> 'sjogren'."""
    if text.isascii():
        return text.lower()  # the same, without decomposing (most text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def singular(word: str) -> str:
    """A crude singular, applied alike to both sides of a lookup: 'syndromes' -> 'syndrome'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The form names are compared in.

    Case and accents folded, possessives dropped, hyphens and dashes as spaces, British
    spellings as American, inverted names turned round ("Lupus erythematosus, discoid" ->
    "discoid lupus erythematosus"), a leading article dropped and the last word singular.
    """
    text = _POSSESSIVE.sub("", fold(name.translate(_APOSTROPHES)))
    if "," in text:
        text = " ".join(reversed([p for p in (p.strip() for p in text.split(",")) if p]))
    text = _NOT_WORD.sub(" ", _DASHES.sub(" ", text))
    words = _TRAILING.sub("", _LEADING.sub("", " ".join(text.split()))).split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    text = " ".join(words)
    while _SPELLING.search(text):  # "zooe" -> "zoe" -> "ze": until none is left, so it is idempotent
        text = _SPELLING.sub(lambda m: _SPELLING_MAP[m.group()], text)
    return text




def read_list(path: Path) -> list[str]:
    """The entries of a word list: one a line, without '#' comments and blank lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [s for s in (line.split("#", 1)[0].strip() for line in lines) if s]


class SortedLines:
    """A sorted list of lines kept as one string and searched by bisection.

    Nothing is split or hashed when a file is loaded, so the 53,000 names cost one read and a
    decode (about 2 ms) instead of building a set and a reversed index on every run.
    """

    def __init__(self, text: str) -> None:
        body = text.strip("\n")
        self._text = "\n" + body + "\n" if body else "\n"

    @classmethod
    def read(cls, path: Path) -> SortedLines:
        return cls(path.read_text(encoding="utf-8"))

    def _first_at_or_after(self, key: str) -> str | None:
        """The first line that sorts at or after ``key`` (None if there is none).

        Position ``p`` stands for the line after the first newline at or after ``p``: that line
        never sorts before the one a smaller position stands for, so positions can be bisected.
        """
        text, last = self._text, len(self._text) - 1
        lo, hi = 0, last
        while lo < hi:
            mid = (lo + hi) // 2
            nl = text.index("\n", mid)
            if nl == last or text[nl + 1:text.index("\n", nl + 1)] >= key:
                hi = mid
            else:
                lo = nl + 1
        nl = text.index("\n", lo)
        return None if nl == last else text[nl + 1:text.index("\n", nl + 1)]

    def __contains__(self, key: str) -> bool:
        return "\n" not in key and self._first_at_or_after(key) == key

    def has_prefix(self, prefix: str) -> bool:
        """Does some line start with ``prefix``?"""
        line = self._first_at_or_after(prefix)
        return line is not None and line.startswith(prefix)

    def __iter__(self) -> Iterator[str]:
        return iter(self._text[1:-1].split("\n") if len(self._text) > 1 else ())

    def __len__(self) -> int:
        return max(self._text.count("\n") - 1, 0)


def index_files(keys: list[str]) -> dict[str, list[str]]:
    """The files the vocabulary is shipped as, from its names in normal form (for the build script)."""
    unique = sorted(set(k for k in keys if k))
    return {
        KEYS_FILE: unique,
        REVERSED_FILE: sorted(k[::-1] for k in unique),
        WORDS_FILE: sorted({w for k in unique for w in k.split()}),
    }


_MEMO_LIMIT = 100_000  # remembered lookups before the memo starts again


class Vocabulary:
    """Recognised condition names in normal form."""

    def __init__(self, keys: SortedLines, reversed_keys: SortedLines, words: SortedLines,
                 extra: frozenset[str] = frozenset()) -> None:
        self._keys = keys
        self._reversed = reversed_keys
        self._words = words
        self._extra = extra
        self._extra_words = frozenset(w for k in extra for w in k.split())
        self._known: dict[str, bool] = {}

    @classmethod
    def load(cls, folder: Path | None = None, extra: frozenset[str] = frozenset()) -> Vocabulary:
        """The shipped files (or those in ``folder``) plus ``extra`` names in normal form."""
        path = (lambda name: folder / name) if folder else data_path
        return cls(SortedLines.read(path(KEYS_FILE)), SortedLines.read(path(REVERSED_FILE)),
                   SortedLines.read(path(WORDS_FILE)), extra)

    def __contains__(self, name: str) -> bool:
        return self.has_key(normalise(name))

    def has_key(self, key: str) -> bool:
        """Is this name, already in normal form, recognised? (Answers are remembered: the same
        candidate names come up again and again across a site's articles.)"""
        known = self._known.get(key)
        if known is None:
            if len(self._known) > _MEMO_LIMIT:
                self._known.clear()
            known = self._known[key] = key in self._extra or key in self._keys
        return known

    def ends_a_name(self, key: str) -> bool:
        """Does some recognised name end with this one ("ovarian cancer syndrome" ends
        "hereditary breast and ovarian cancer syndrome")?"""
        tail = " " + key
        return self._reversed.has_prefix(tail[::-1]) or any(k.endswith(tail) for k in self._extra)

    def has_word(self, word: str) -> bool:
        """Is ``word`` (folded) used in some recognised name?"""
        return word in self._extra_words or word in self._words

    def __len__(self) -> int:
        return len(self._keys) + len(self._extra)


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary with the project's own names, loaded once per process."""
    return Vocabulary.load(extra=frozenset(project_names()))


@cache
def project_names() -> dict[str, tuple[str, list[str], bool]]:
    """Names written for this project: normal form -> (name as written, related names to
    suggest, whether it may itself be suggested)."""
    out: dict[str, tuple[str, list[str], bool]] = {}
    for line in read_list(data_path(PROJECT_FILE)):
        name, _, related = line.partition("|")
        name = name.strip()
        suggest = not name.startswith("!")
        name = name.lstrip("!").strip()
        out[normalise(name)] = (name, [r.strip() for r in related.split(";") if r.strip()], suggest)
    return out


def unsuggested() -> frozenset[str]:
    """Known names never to suggest (pseudo-diagnoses), in normal form."""
    return frozenset(key for key, (_, _, suggest) in project_names().items() if not suggest)


@cache
def _names_text() -> str:
    """The shipped display names, "normal form<TAB>display name" lines, each with a newline on
    both sides. Read as one string: a run looks up a few names, never all 43,000 of them."""
    with gzip.open(data_path(NAMES_FILE), "rt", encoding="utf-8") as fh:
        text = fh.read()
    return "\n" + text + ("" if text.endswith("\n") else "\n")


@cache
def display_names() -> tuple[tuple[str, str], ...]:
    """(normal form, display name) of every name that may be suggested."""
    pairs = [tuple(line.split("\t", 1)) for line in _names_text().split("\n") if "\t" in line]
    pairs += [(key, name) for key, (name, _, suggest) in project_names().items() if suggest]
    hidden = unsuggested()
    return tuple(p for p in pairs if p[0] not in hidden)  # type: ignore[misc]


def display_name(key: str) -> str | None:
    """How a source writes a name given in normal form ("milia" -> "milia", "sjogren syndrome" -> ...).

    The last of :func:`display_names` with that normal form: the project's own, else the file's last.
    """
    if "\n" in key or "\t" in key or key in unsuggested():
        return None
    entry = project_names().get(key)
    if entry is not None and entry[2]:
        return entry[0]
    text = _names_text()
    at = text.rfind("\n" + key + "\t")
    if at < 0:
        return None
    start = at + len(key) + 2
    return text[start:text.index("\n", start)]


@cache
def descriptors() -> frozenset[str]:
    """Words that say what kind of condition something is ("rare", "skin", "autoimmune")."""
    return frozenset(fold(w) for w in read_list(data_path(DESCRIPTORS_FILE)))


def related_names(term_key: str) -> list[str]:
    """The real conditions the project list names for a lay term ("milia" -> "Rombo syndrome"...)."""
    entry = project_names().get(term_key)
    return list(entry[1]) if entry else []


def _lines_using(text: str, word: str) -> Iterator[int]:
    """Where each line of :func:`_names_text` whose normal form has ``word`` starts (once each)."""
    size, at = len(word), text.find(word)
    while at >= 0:
        if text[at - 1] in "\n " and text[at + size] in " \t":
            start = text.rfind("\n", 0, at) + 1
            tab = text.find("\t", start)
            if at + size <= tab < text.index("\n", at):  # the word is in the normal form
                yield start
                at = text.index("\n", at)  # one word is used once a line at most
        at = text.find(word, at + 1)


def _sharing(words: set[str]) -> Iterator[tuple[str, str, int]]:
    """(normal form, display name, how many of ``words`` it has) of each of :func:`display_names`
    that has one of them at least."""
    text, hidden = _names_text(), unsuggested()
    shared: dict[int, int] = defaultdict(int)
    for word in words:
        if word and not any(c.isspace() for c in word):  # a word of a name holds no white space
            for start in _lines_using(text, word):
                shared[start] += 1
    for start, count in shared.items():
        tab = text.index("\t", start)
        key = text[start:tab]
        if key not in hidden:
            yield key, text[tab + 1:text.index("\n", tab)], count
    for key, (name, _, suggest) in project_names().items():
        count = len(words.intersection(key.split()))
        if suggest and count and key not in hidden:
            yield key, name, count


def names_sharing(words: list[str], head: str, exclude: set[str], limit: int, least: int = 1) -> list[str]:
    """Display names containing the most of ``words`` (normal form, at least ``least`` of them),
    same head word first, shortest first."""
    if not words or limit <= 0:
        return []
    ranked = []
    for key, name, count in _sharing(set(words)):
        if count >= least and key not in exclude:
            ranked.append(((-count, 0 if key.endswith(" " + head) else 1, len(key.split()), key), key, name))
    out: list[str] = []
    seen: set[str] = set()
    for _, key, name in sorted(ranked):
        if key not in seen:
            seen.add(key)
            out.append(name)
        if len(out) == limit:
            break
    return out
