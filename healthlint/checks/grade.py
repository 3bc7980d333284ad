"""Syllables and reading-grade formulas (Flesch-Kincaid grade, SMOG), offline and fast.

Syllables are counted by rule from the spelling: vowel groups, less silent endings ("-e",
"-es", "-ed"), plus vowel pairs said as two syllables ("bacteri-a", "di-et"). Measured against
the CMU Pronouncing Dictionary (``bench/eval_readability.py --cmudict``) this is right for about
96% of the distinct words of biomedical text, where the hyphenation dictionary behind textstat
0.7.4 (pyphen) is right for about 83% and misses one word in ten of three or more syllables
("chemotherapy" 3, "leukemia" 1), which is what SMOG counts. It needs no data file, no network
and no import of textstat, whose 0.7.4 release imports ``pkg_resources`` at start-up (about
0.1 s, and an ImportError where current setuptools is installed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Vowel pairs heard as two syllables: "medi-a", "radi-o", "flu-id", "di-et", "are-a", "cre-ate".
_HIATUS = re.compile(
    r"(?<![cgst])ia|ia(?=t)"
    r"|(?<![cstgx])(?<!ll)io"
    r"|iu|ii|uo|(?<![qg])ua|(?<![cpg])eo(?!u)|(?<![qg])ui(?=d)"
    r"|[^aeioutcs]ie(?=t|nt|nce|r$|rs$|st$)"
    r"|eas?$|creat|reac(?=t)|(?<=[aeiouy][ng])eal$|ei(?=ng)"
    r"|[^aeiouy]y[aeiou]"
)
_SILENT_E = re.compile(r"(?<=[aeiouy][^aeiouy])e[sd]?$|(?<=[aeiouy][^aeiouy]{2})e[sd]?$")
_SYLLABIC_LE = re.compile(r"[^aeiouyl]le[sd]?$")  # "ta-ble", "mus-cles"
_SOUNDED_ENDING = re.compile(r"(?:[szx]|ch|sh|[cg])es$|[td]ed$")  # "chang-es", "treat-ed"
_SILENT_ED = re.compile(r"[^aeiouytd]ed$")  # "formed", "helped"
_INNER_SILENT_E = re.compile(r"(?<=[aeiouy][^aeiouy])e(?=ly|ment|ful|less|ness|some|times?|where|way|thing|body)")
_GLIDE_U = re.compile(r"(?<=[qg])u(?=[aeiouy])")  # the u of "quit", "guide" is no vowel
_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """The number of syllables in an English word (0 for a word with no letters).

    An initialism of up to three capitals is read letter by letter ("HIV" has 3).
    """
    if len(word) <= 3 and word.isupper() and word.isalpha():
        return len(word)
    w = word.lower()
    if not (w.isascii() and w.isalpha()):  # (a plain word skips the patterns that cannot apply)
        w = _NOT_LETTER.sub("", w)
    if not w:
        return 0
    if w[0] == "y":
        w = "_" + w[1:]
    if "qu" in w or "gu" in w:
        w = _GLIDE_U.sub("_", w)
    groups = _VOWEL_GROUPS.findall(w)
    n = len(groups)
    if max(map(len, groups), default=0) > 1:  # every vowel pair said as two has two vowels together
        n += len(_HIATUS.findall(w))
    if w.endswith(("e", "es", "ed")):
        if _SILENT_E.search(w) and not _SYLLABIC_LE.search(w) and not _SOUNDED_ENDING.search(w):
            n -= 1
        elif _SILENT_ED.search(w) and not _SYLLABIC_LE.search(w):
            n -= 1
    n -= len(_INNER_SILENT_E.findall(w))
    return max(1, n)


@dataclass(frozen=True, slots=True)
class TextCounts:
    """What the formulas need: sentences, words, syllables, and words of 3+ syllables."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int

    def __add__(self, other: TextCounts) -> TextCounts:
        return TextCounts(
            self.sentences + other.sentences, self.words + other.words,
            self.syllables + other.syllables, self.polysyllables + other.polysyllables,
        )


_POLY = 1 << 32  # added to a word's syllables when it has 3 or more, so one sum counts both


class _WordCodes(dict):
    """word -> its syllables (a number counts as one), plus ``_POLY`` for 3 or more; filled on demand."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 100_000:  # a bound for very large runs; words of one article repeat
            self.clear()
        n = syllables(word) or 1
        code = self[word] = n + _POLY if n >= 3 else n
        return code


_CODES = _WordCodes()


def count_words(words: Iterable[str], sentences: int = 1) -> TextCounts:
    """Counts for the words making up ``sentences`` sentences.

    A token with no letters (a number) counts as a word of one syllable. Each word is looked
    up once in a table (filled on demand), and one sum gives both totals.
    """
    if not isinstance(words, list):
        words = list(words)
    packed = sum(map(_CODES.__getitem__, words))
    return TextCounts(sentences, len(words), packed % _POLY, packed // _POLY)


def flesch_kincaid(c: TextCounts) -> float:
    """Flesch-Kincaid grade level (Kincaid et al., 1975)."""
    if not c.words or not c.sentences:
        return 0.0
    return 0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59


def smog(c: TextCounts) -> float:
    """SMOG grade (McLaughlin, 1969), normalised to 30 sentences."""
    if not c.sentences:
        return 0.0
    return 1.0430 * math.sqrt(c.polysyllables * 30 / c.sentences) + 3.1291


def reading_ease(c: TextCounts) -> float:
    """Flesch reading ease (Flesch, 1948): higher is easier; 60-70 is plain English."""
    if not c.words or not c.sentences:
        return 0.0
    return 206.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words


def grade(c: TextCounts, smog_min_sentences: int = 30) -> tuple[str, float]:
    """The formula that suits the text's length and its grade: SMOG from 30 sentences, else Flesch-Kincaid."""
    if c.sentences >= smog_min_sentences:
        return "SMOG", smog(c)
    return "Flesch-Kincaid", flesch_kincaid(c)
