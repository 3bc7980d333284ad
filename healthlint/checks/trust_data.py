"""The trust family's phrase lists (healthlint/data/trust.yaml), read once, and today's date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache, partial
from typing import Any

from healthlint.checks.phrase_search import FirstWordsTable, PhraseList
from healthlint.config import ConfigError
from healthlint.datafiles import data_path, load_yaml
from healthlint.patterns import flexible_spaces

DISCLAIMER_PARTS = ("information-only", "not-a-substitute", "see-a-professional", "emergency")
DATE_FIELDS = ("date_published", "last_reviewed")
DEFAULT_STALE_MONTHS = 24
FIRST_WORDS_FILE = "trust-first-words.json"  # written by scripts/build_first_words.py


def today() -> date:
    """Today's date (a function, so tests can fix it)."""
    return date.today()


# -- the phrase lists ------------------------------------------------------------------------------
class LazyPattern:
    """A regular expression built and compiled on first use (most documents never need it)."""

    __slots__ = ("_build", "_flags", "_compiled")

    def __init__(self, build: Callable[[], str], flags: int = 0) -> None:
        self._build = build
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._build(), self._flags)
        return self._compiled

    def search(self, *args) -> re.Match[str] | None:
        return self.compiled.search(*args)

    def match(self, *args) -> re.Match[str] | None:
        return self.compiled.match(*args)


@dataclass(frozen=True, slots=True)
class Sign:
    """A group of emergency warning signs and the sentence that tells readers what to do."""

    name: str
    advice: str


@dataclass(frozen=True)
class Lexicon:
    """Everything in trust.yaml, ready to search."""

    table: FirstWordsTable  # the phrase lists' first words, worked out ahead of time
    parts: dict[str, dict[str, Any]]
    advice: list[str]
    emergency: list[str]
    topics: dict[str, PhraseList]
    signs: list[Sign]
    sign_phrases: PhraseList  # each sign group's phrases captured as s0, s1, ...
    treatment: PhraseList
    recommend: PhraseList
    imperative: LazyPattern
    harms: PhraseList
    harms_denied: PhraseList
    shop_hosts: tuple[str, ...]
    shop_subdomains: frozenset[str]
    affiliate_params: frozenset[str]
    utm_values: tuple[str, ...]
    disclosure: PhraseList
    aliases: dict[str, list[str]]
    credential_marks: LazyPattern
    credential_roles: LazyPattern
    byline: LazyPattern
    reviewer_line: LazyPattern
    placeholder: LazyPattern


@cache
def lexicon() -> Lexicon:
    """Load ``healthlint/data/trust.yaml`` (once per process); phrase lists compile on first search."""
    data = load_yaml("trust.yaml")
    table = FirstWordsTable(data_path(FIRST_WORDS_FILE))
    phrases = partial(PhraseList.of, table=table)
    professionals = data["professionals"]
    advice = [p.replace("{professional}", professionals) for p in data["professional-advice"]]
    signs = data["emergency-signs"]
    rec = data["recommendations"]
    return Lexicon(
        table=table,
        parts=data["disclaimer-parts"],
        advice=advice,
        emergency=data["emergency-action"],
        topics={name: phrases(pats) for name, pats in data["topics"].items()},
        signs=[Sign(s["name"], s["advice"]) for s in signs],
        sign_phrases=PhraseList([(f"s{i}", s["patterns"]) for i, s in enumerate(signs)], table=table),
        treatment=phrases(data["treatment-terms"]),
        recommend=phrases(rec["always"] + rec["reader"]),
        imperative=LazyPattern(lambda: r"\s*(?:" + "|".join(flexible_spaces(p) for p in rec["imperative"]) + r")\b", re.IGNORECASE),
        harms=phrases(data["harms"]),
        harms_denied=phrases(data["harms-denied"]),
        shop_hosts=tuple(h.lower() for h in data["shop-hosts"]),
        shop_subdomains=frozenset(data["shop-subdomains"]),
        affiliate_params=frozenset(p.lower() for p in data["affiliate-params"]),
        utm_values=tuple(data["affiliate-utm-values"]),
        disclosure=phrases(data["disclosure-statements"]),
        aliases=data["aliases"],
        credential_marks=LazyPattern(lambda: flexible_spaces(data["credential-marks"])),
        credential_roles=LazyPattern(lambda: "(?:" + "|".join(flexible_spaces(p) for p in data["credential-roles"]) + r")\b",
                                     re.IGNORECASE),
        byline=LazyPattern(lambda: flexible_spaces(data["byline"])),
        reviewer_line=LazyPattern(lambda: flexible_spaces(data["reviewer-line"])),
        placeholder=LazyPattern(lambda: "|".join(f"(?:{p})" for p in data["date-placeholders"]), re.IGNORECASE),
    )


@lru_cache(maxsize=64)
def _phrase_list(patterns: tuple[str, ...]) -> PhraseList:
    """One object per list, so that rules searching the same list share its results."""
    return PhraseList.of(patterns, table=lexicon().table)


def _phrases(patterns: tuple[str, ...], what: str, configured: bool = False) -> PhraseList:
    """Built-in plus configured phrasings; a configured one that does not compile names its option.

    The built-in lists compile (tests check it), so only a list with ``configured`` phrasings is
    compiled here, before any file is read; the others compile on first use.
    """
    phrases = _phrase_list(patterns)
    if not configured:
        return phrases
    try:
        phrases.pattern  # noqa: B018 - compiling is the check
        return phrases
    except re.error as exc:
        for pattern in patterns:  # name the phrasing at fault, with its own error
            try:
                re.compile(flexible_spaces(pattern))
            except re.error as own:
                exc = f"{pattern!r}: {own}"
                break
        raise ConfigError(f"{what}: a phrasing does not compile: {exc}") from None


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of phrasings (regular expressions)")
    return tuple(value)


def line_of(doc, offset: int) -> int:
    """The 1-based line of an offset."""
    return doc.position(offset)[0]
