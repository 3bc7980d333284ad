"""Front-matter metadata: which key holds which field, and the HL205-HL210 checks on it.

Author, credentials, medical reviewer and dates (JAMA's authorship and currency benchmarks) are
read from the front matter under the names in DESIGN.md section 4 or a team's own aliases.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from healthlint.checks import register, trust_data
from healthlint.checks.trust_data import DATE_FIELDS, DEFAULT_STALE_MONTHS, lexicon
from healthlint.checks.trust_data import line_of as _line
from healthlint.findings import Hit
from healthlint.markup import HEADING
from healthlint.ruletypes import first_line_anchor

# -- front matter: which key holds which field ------------------------------------------------------
@lru_cache(maxsize=4096)
def _norm(key: str) -> str:
    return re.sub(r"[-\s]+", "_", str(key).strip().lower())


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not (value.strip() if isinstance(value, str) else value))


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "no", "off", "none", "0")
    return bool(value)


@dataclass(frozen=True, slots=True)
class Field:
    """A field's value and where it is: the front-matter key's line, or a byline in the text."""

    name: str
    key: str | None  # the key as written; None for a byline found in the text
    value: Any
    start: int
    end: int


@dataclass(frozen=True)
class FrontMatterConfig:
    aliases: dict[str, list[str]]
    require: frozenset[str]
    stale_months: int


def front_matter_config(settings) -> FrontMatterConfig:
    """The ``front-matter:`` settings (validated by config.parse_front_matter), with defaults."""
    raw = getattr(settings, "front_matter", None) or {}
    return FrontMatterConfig(
        aliases={k: list(v) for k, v in (raw.get("aliases") or {}).items()},
        require=frozenset(raw.get("require") or ()),
        stale_months=int(raw.get("stale-after-months") or DEFAULT_STALE_MONTHS),
    )


class Metadata:
    """The trust fields of one document: from its front matter (with aliases) or a byline."""

    def __init__(self, doc, settings) -> None:
        self.config = front_matter_config(settings)
        fm = doc.front_matter
        self.broken = any(p.kind == "front-matter" for p in doc.problems)
        self.present = fm.lines > 0 and not self.broken
        self.missing_span = (0, 3) if self.present else first_line_anchor(doc)
        keys: dict[str, str] = {}
        for key in fm.data:
            keys.setdefault(_norm(key), key)
        self.fields: dict[str, Field] = {}
        for name, aliases in lexicon().aliases.items() if keys else ():
            for alias in (*aliases, *self.config.aliases.get(name, ())):
                key = keys.get(_norm(alias))
                if key is not None:
                    self.fields[name] = Field(name, key, fm.data[key], *self._key_span(doc, key))
                    break
        self._bylines(doc)

    def _key_span(self, doc, key: str) -> tuple[int, int]:
        offsets = doc.front_matter.key_offsets
        offset = next((offsets[k] for k in (key, f'"{key}"', f"'{key}'") if k in offsets), None)
        return doc.line_span(_line(doc, offset)) if offset is not None else (0, 3)

    def _bylines(self, doc) -> None:
        """'By Dr. A. Patel, MD' or 'Medically reviewed by ...' as a short paragraph of the text."""
        lex = lexicon()
        for b in doc.blocks:
            if b.kind == HEADING:
                continue
            text = doc.masked[b.start:b.end].strip()
            for name, regex in (("author", lex.byline), ("medically_reviewed_by", lex.reviewer_line)):
                m = regex.match(text)
                if m and not self.has(name) and len(doc.words(b.start, b.end)) <= 14:
                    self.fields[name] = Field(name, None, text[m.start("name"):], b.start, b.end)

    def value(self, name: str) -> Any:
        f = self.fields.get(name)
        return None if f is None else f.value

    def has(self, name: str) -> bool:
        f = self.fields.get(name)
        return f is not None and not _empty(f.value)

    def expected(self, name: str) -> bool:
        """Whether a missing ``name`` is a finding: front matter is there, or the config requires it."""
        return not self.broken and (self.present or name in self.config.require)

    def span(self, name: str) -> tuple[int, int]:
        """Where a finding about ``name`` goes: its key's line, else the top of the front matter (or file)."""
        f = self.fields.get(name)
        return (f.start, f.end) if f is not None else self.missing_span

    def where(self) -> str:
        return "in the front matter" if self.present else "(this article has no front matter, and your configuration requires this field)"


def metadata(doc, settings) -> Metadata:
    """The document's :class:`Metadata`, built once per document and settings."""
    cache_ = doc.__dict__.setdefault("_trust_metadata", {})
    key = id(settings)
    if key not in cache_:
        cache_[key] = Metadata(doc, settings)
    return cache_[key]


# -- HL205 missing-author, HL206 missing-credentials, HL207 missing-medical-reviewer --------------
@register("missing-author", fields={"where"})
def missing_author(doc, rule, options, settings) -> Iterator[Hit]:
    """Front matter (or a required field) with no author and no byline."""
    yield from _missing(doc, settings, rule, "author")


@register("missing-medical-reviewer", fields={"where"})
def missing_medical_reviewer(doc, rule, options, settings) -> Iterator[Hit]:
    """Front matter (or a required field) naming no medical reviewer."""
    yield from _missing(doc, settings, rule, "medically_reviewed_by")


def _missing(doc, settings, rule, name: str) -> Iterator[Hit]:
    meta = metadata(doc, settings)
    if doc.has_prose and meta.expected(name) and not meta.has(name):
        yield Hit(*meta.span(name), rule.message.format(where=meta.where()))


def people(value: Any) -> list[tuple[str, bool]]:
    """(name, has credentials) for each person in a field: text, a list, or {name:, credentials:}."""
    if isinstance(value, list):
        return [p for item in value for p in people(item)]
    if isinstance(value, dict):
        name = str(value.get("name") or value.get("full_name") or "").strip()
        extra = any(not _empty(value.get(k)) for k in ("credentials", "degree", "degrees", "qualifications", "job_title", "role"))
        return [(name, extra or _credentialed(name))] if name or extra else []
    if _empty(value):
        return []
    text = str(value).strip()
    return [(text, _credentialed(text))]


def _credentialed(text: str) -> bool:
    lex = lexicon()
    return bool(lex.credential_marks.search(text) or lex.credential_roles.search(text))


def uncredentialed(meta: Metadata) -> list[tuple[str, str]]:
    """(field, name) for the author and the reviewer when named without credentials."""
    out = []
    if meta.has("author") and not meta.has("credentials"):
        lacking = [n for n, ok in people(meta.value("author")) if not ok]
        if lacking:
            out.append(("author", lacking[0]))
    if meta.has("medically_reviewed_by"):
        lacking = [n for n, ok in people(meta.value("medically_reviewed_by")) if not ok]
        if lacking:
            out.append(("medically_reviewed_by", lacking[0]))
    return out


_ROLE = {"author": "author", "medically_reviewed_by": "medical reviewer"}


@register("missing-credentials", fields={"role", "name"})
def missing_credentials(doc, rule, options, settings) -> Iterator[Hit]:
    """An author or medical reviewer named without credentials."""
    meta = metadata(doc, settings)
    if not doc.has_prose or meta.broken:
        return
    for name, person in uncredentialed(meta):
        yield Hit(*meta.span(name), rule.message.format(role=_ROLE[name], name=" ".join(person.split())))


# -- dates: HL208 missing-date, HL209 stale-review-date, HL210 invalid-date --------------------------
@dataclass(frozen=True, slots=True)
class Period:
    """A written date as the days it may mean: 2024 is 1 January to 31 December 2024."""

    first: date
    last: date


_MONTH_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y")


def parse_date(value: Any) -> Period | str:
    """A :class:`Period`, or why it is not one: 'placeholder' or 'unreadable'."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 9999:
        return Period(date(value, 1, 1), date(value, 12, 31))
    text = str(value).strip().strip("'\"")
    if not isinstance(value, (str, int)) or lexicon().placeholder.search(text):
        return "placeholder" if isinstance(value, str) else "unreadable"
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?", text)
    try:
        if m:
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return Period(day, day)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if m:
            year, month = int(m[1]), int(m[2])
            return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        if re.fullmatch(r"\d{4}", text):
            return Period(date(int(text), 1, 1), date(int(text), 12, 31))
    except ValueError:
        return "unreadable"
    words = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text.replace(",", " "))
    words = " ".join(words.split())
    for fmt in _MONTH_FORMATS:
        try:
            parsed = datetime.strptime(words, fmt).date()
        except ValueError:
            continue
        if "%d" in fmt:
            return Period(parsed, parsed)
        return Period(parsed, parsed.replace(day=calendar.monthrange(parsed.year, parsed.month)[1]))
    return "unreadable"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def _age(months: int) -> str:
    years, rest = divmod(months, 12)
    if years == 0:
        return f"{months} month{'s' if months != 1 else ''}"
    text = f"{years} year{'s' if years != 1 else ''}"
    return text + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")


def date_problem(value: Any, now: date) -> str | None:
    """Why a date field's value is not a usable date, in words; None when it is."""
    parsed = parse_date(value)
    shown = " ".join(str(value).split())
    if parsed == "placeholder":
        return f'"{shown}" is a template placeholder, not a date'
    if parsed == "unreadable":
        return f'"{shown}" is not a date healthlint can read'
    if parsed.first > now:
        return f'{shown} is in the future (today is {now.isoformat()})'
    return None


def currency_date(meta: Metadata, now: date) -> tuple[Field, Period] | None:
    """The date currency is judged by: last reviewed, else published (when readable and not future)."""
    for name in ("last_reviewed", "date_published"):
        if meta.has(name):
            f = meta.fields[name]
            if date_problem(f.value, now):
                return None
            return f, parse_date(f.value)
    return None


_DATE_WORDS = {"date_published": "publication date", "last_reviewed": "last-reviewed date"}


@register("missing-date", fields={"what", "where", "key"})
def missing_date(doc, rule, options, settings) -> Iterator[Hit]:
    """No publication or review date (each required date field, when the config requires them)."""
    meta = metadata(doc, settings)
    if not doc.has_prose or meta.broken:
        return
    required = [n for n in DATE_FIELDS if n in meta.config.require]
    if required:
        for name in required:
            if not meta.has(name):
                yield Hit(*meta.span(name), rule.message.format(what=_DATE_WORDS[name], where=meta.where(), key=name))
    elif meta.present and not any(meta.has(n) for n in DATE_FIELDS):
        name = next((n for n in DATE_FIELDS if n in meta.fields), "date_published")
        yield Hit(*meta.span(name), rule.message.format(what="publication or last-reviewed date", where=meta.where(), key=name))


@register("invalid-date", fields={"key", "problem"})
def invalid_date(doc, rule, options, settings) -> Iterator[Hit]:
    """A date field holding a placeholder, something that is not a date, or a date in the future."""
    meta = metadata(doc, settings)
    if not doc.has_prose or meta.broken:
        return
    now = trust_data.today()
    for name in DATE_FIELDS:
        if meta.has(name):
            f = meta.fields[name]
            problem = date_problem(f.value, now)
            if problem:
                yield Hit(f.start, f.end, rule.message.format(key=f.key, problem=problem))


@register("stale-review-date", fields={"key", "date", "age", "months", "review_key"})
def stale_review_date(doc, rule, options, settings) -> Iterator[Hit]:
    """The last review (or, never reviewed, the publication) is older than the configured months."""
    meta = metadata(doc, settings)
    if not doc.has_prose or meta.broken:
        return
    now = trust_data.today()
    found = currency_date(meta, now)
    if found is None:
        return
    f, period = found
    limit = meta.config.stale_months
    if add_months(period.last, limit) < now:
        review_key = meta.fields["last_reviewed"].key if "last_reviewed" in meta.fields else "last_reviewed"
        yield Hit(f.start, f.end, rule.message.format(
            key=f.key or "date", date=" ".join(str(f.value).split()), age=_age(months_between(period.last, now)),
            months=limit, review_key=review_key))

