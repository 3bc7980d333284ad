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
from bisect import bisect_left
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

from healthlint.datafiles import data_path  # also used by scripts/build_vocabulary.py

KEYS_FILE = "conditions.txt.gz"  # names in normal form, sorted, one a line
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


class Vocabulary:
    """Recognised condition names in normal form."""

    def __init__(self, keys: frozenset[str]) -> None:
        self._keys = keys

    @classmethod
    def load(cls, path: Path | None = None, extra: frozenset[str] = frozenset()) -> Vocabulary:
        with gzip.open(path or data_path(KEYS_FILE), "rt", encoding="utf-8") as fh:
            return cls(frozenset(fh.read().split("\n")) | extra)

    def __contains__(self, name: str) -> bool:
        return normalise(name) in self._keys

    def has_key(self, key: str) -> bool:
        """Is this name, already in normal form, recognised?"""
        return key in self._keys

    def ends_a_name(self, key: str) -> bool:
        """Does some recognised name end with this one ("ovarian cancer syndrome" ends
        "hereditary breast and ovarian cancer syndrome")?"""
        tail = (" " + key)[::-1]
        reversed_keys = self._reversed()
        i = bisect_left(reversed_keys, tail)
        return i < len(reversed_keys) and reversed_keys[i].startswith(tail)

    @cache
    def _reversed(self) -> list[str]:
        """Every name spelled backwards, sorted: names ending alike sit together (built on first use)."""
        return sorted(k[::-1] for k in self._keys)

    @cache
    def words(self) -> frozenset[str]:
        """Every word used in a recognised name."""
        return frozenset(w for k in self._keys for w in k.split())

    def __len__(self) -> int:
        return len(self._keys)


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
def display_names() -> tuple[tuple[str, str], ...]:
    """(normal form, display name) of every name that may be suggested."""
    with gzip.open(data_path(NAMES_FILE), "rt", encoding="utf-8") as fh:
        pairs = [tuple(line.split("\t", 1)) for line in fh.read().split("\n") if "\t" in line]
    pairs += [(key, name) for key, (name, _, suggest) in project_names().items() if suggest]
    hidden = unsuggested()
    return tuple(p for p in pairs if p[0] not in hidden)  # type: ignore[misc]


@cache
def _display_index() -> dict[str, str]:
    return dict(display_names())


def display_name(key: str) -> str | None:
    """How a source writes a name given in normal form ("milia" -> "milia", "sjogren syndrome" -> ...)."""
    return _display_index().get(key)


@cache
def descriptors() -> frozenset[str]:
    """Words that say what kind of condition something is ("rare", "skin", "autoimmune")."""
    return frozenset(fold(w) for w in read_list(data_path(DESCRIPTORS_FILE)))


def related_names(term_key: str) -> list[str]:
    """The real conditions the project list names for a lay term ("milia" -> "Rombo syndrome"...)."""
    entry = project_names().get(term_key)
    return list(entry[1]) if entry else []


@cache
def _word_index() -> dict[str, list[int]]:
    """Word -> positions in display_names() of the names that use it (built on first use)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, (key, _) in enumerate(display_names()):
        for word in set(key.split()):
            index[word].append(i)
    return index


def names_sharing(words: list[str], head: str, exclude: set[str], limit: int, least: int = 1) -> list[str]:
    """Display names containing the most of ``words`` (normal form, at least ``least`` of them),
    same head word first, shortest first."""
    if not words or limit <= 0:
        return []
    names, index = display_names(), _word_index()
    shared: dict[int, int] = defaultdict(int)
    for word in set(words):
        for i in index.get(word, ()):
            shared[i] += 1
    ranked = []
    for i, count in shared.items():
        key, name = names[i]
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
