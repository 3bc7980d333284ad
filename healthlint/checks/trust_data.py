"""The trust family's phrase lists (healthlint/data/trust.yaml), compiled once, and today's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from healthlint.config import ConfigError
from healthlint.datafiles import load_yaml
from healthlint.patterns import flexible_spaces, phrase_alternation

DISCLAIMER_PARTS = ("information-only", "not-a-substitute", "see-a-professional", "emergency")
DATE_FIELDS = ("date_published", "last_reviewed")
DEFAULT_STALE_MONTHS = 24


def today() -> date:
    """Today's date (a function, so tests can fix it)."""
    return date.today()


# -- the phrase lists, compiled once ----------------------------------------------------------------
def compile_phrases(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One regex for a list of phrases, each matched on whole words."""
    if not any(patterns):
        return None
    return re.compile(phrase_alternation(patterns), flags)


@dataclass(frozen=True, slots=True)
class Sign:
    """A group of emergency warning signs and the sentence that tells readers what to do."""

    name: str
    advice: str


@dataclass(frozen=True)
class Lexicon:
    """Everything in trust.yaml, compiled."""

    parts: dict[str, dict[str, Any]]
    advice: list[str]
    emergency: list[str]
    topics: dict[str, re.Pattern[str]]
    signs: list[Sign]
    sign_regex: re.Pattern[str]
    treatment: re.Pattern[str]
    recommend: re.Pattern[str]
    imperative: re.Pattern[str]
    harms: re.Pattern[str]
    harms_denied: re.Pattern[str]
    shop_hosts: tuple[str, ...]
    shop_subdomains: frozenset[str]
    affiliate_params: frozenset[str]
    utm_values: tuple[str, ...]
    disclosure: re.Pattern[str]
    aliases: dict[str, list[str]]
    credential_marks: re.Pattern[str]
    credential_roles: re.Pattern[str]
    byline: re.Pattern[str]
    reviewer_line: re.Pattern[str]
    placeholder: re.Pattern[str]


@cache
def lexicon() -> Lexicon:
    """Load and compile ``healthlint/data/trust.yaml`` (once per process)."""
    data = load_yaml("trust.yaml")
    professionals = data["professionals"]
    advice = [p.replace("{professional}", professionals) for p in data["professional-advice"]]
    signs = data["emergency-signs"]
    sign_regex = "|".join(f"(?P<s{i}>{'|'.join(flexible_spaces(p) for p in s['patterns'])})" for i, s in enumerate(signs))
    rec = data["recommendations"]
    return Lexicon(
        parts=data["disclaimer-parts"],
        advice=advice,
        emergency=data["emergency-action"],
        topics={name: compile_phrases(pats) for name, pats in data["topics"].items()},
        signs=[Sign(s["name"], s["advice"]) for s in signs],
        sign_regex=re.compile(rf"(?<![\w-])(?:{sign_regex})(?![\w-])", re.IGNORECASE),
        treatment=compile_phrases(data["treatment-terms"]),
        recommend=compile_phrases(rec["always"] + rec["reader"]),
        imperative=re.compile(r"\s*(?:" + "|".join(flexible_spaces(p) for p in rec["imperative"]) + r")\b", re.IGNORECASE),
        harms=compile_phrases(data["harms"]),
        harms_denied=compile_phrases(data["harms-denied"]),
        shop_hosts=tuple(h.lower() for h in data["shop-hosts"]),
        shop_subdomains=frozenset(data["shop-subdomains"]),
        affiliate_params=frozenset(p.lower() for p in data["affiliate-params"]),
        utm_values=tuple(data["affiliate-utm-values"]),
        disclosure=compile_phrases(data["disclosure-statements"]),
        aliases=data["aliases"],
        credential_marks=re.compile(flexible_spaces(data["credential-marks"])),
        credential_roles=re.compile("(?:" + "|".join(flexible_spaces(p) for p in data["credential-roles"]) + r")\b", re.IGNORECASE),
        byline=re.compile(flexible_spaces(data["byline"])),
        reviewer_line=re.compile(flexible_spaces(data["reviewer-line"])),
        placeholder=re.compile("|".join(f"(?:{p})" for p in data["date-placeholders"]), re.IGNORECASE),
    )


@lru_cache(maxsize=64)
def _phrases(patterns: tuple[str, ...], what: str) -> re.Pattern[str] | None:
    """Built-in plus configured phrasings; a configured one that does not compile names its option."""
    try:
        return compile_phrases(list(patterns))
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
