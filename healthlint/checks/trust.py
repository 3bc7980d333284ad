"""HL2xx, the trust family: what tells readers whether health information can be trusted.

HONcode, the JAMA benchmarks (authorship, attribution, disclosure, currency) and DISCERN ask a
health article for a disclaimer, advice to see a professional, emergency guidance, sources, a
named and qualified author and reviewer, current dates, disclosure of commercial links, and the
harms of what it recommends. The phrase lists are data (``healthlint/data/trust.yaml``); this
module holds the logic. :func:`trust_summary` reports the four JAMA benchmarks for a document.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit


from healthlint.attribution import CITATION_MARKER  # citation markers: [3], (Smith et al., 2020), doi:
from healthlint.checks import register
from healthlint.datafiles import load_yaml
from healthlint.config import ConfigError
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING
from healthlint.ruletypes import document_anchor

DISCLAIMER_PARTS = ("information-only", "not-a-substitute", "see-a-professional", "emergency")
DATE_FIELDS = ("date_published", "last_reviewed")
DEFAULT_STALE_MONTHS = 24


def today() -> date:
    """Today's date (a function, so tests can fix it)."""
    return date.today()


# -- the phrase lists, compiled once ----------------------------------------------------------------
def _spaces(pattern: str) -> str:
    """A space in a list entry matches any run of white space; `` ?`` matches optional space."""
    return re.sub(r"(?<!\\) ", r"\\s+", pattern.replace(" ?", r"\s*"))


def compile_phrases(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """One regex for a list of phrases, each matched on whole words."""
    parts = [f"(?:{_spaces(p)})" for p in patterns if p]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", flags)


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
    sign_regex = "|".join(f"(?P<s{i}>{'|'.join(_spaces(p) for p in s['patterns'])})" for i, s in enumerate(signs))
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
        imperative=re.compile(r"\s*(?:" + "|".join(_spaces(p) for p in rec["imperative"]) + r")\b", re.IGNORECASE),
        harms=compile_phrases(data["harms"]),
        harms_denied=compile_phrases(data["harms-denied"]),
        shop_hosts=tuple(h.lower() for h in data["shop-hosts"]),
        shop_subdomains=frozenset(data["shop-subdomains"]),
        affiliate_params=frozenset(p.lower() for p in data["affiliate-params"]),
        utm_values=tuple(data["affiliate-utm-values"]),
        disclosure=compile_phrases(data["disclosure-statements"]),
        aliases=data["aliases"],
        credential_marks=re.compile(_spaces(data["credential-marks"])),
        credential_roles=re.compile("(?:" + "|".join(_spaces(p) for p in data["credential-roles"]) + r")\b", re.IGNORECASE),
        byline=re.compile(_spaces(data["byline"])),
        reviewer_line=re.compile(_spaces(data["reviewer-line"])),
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
                re.compile(_spaces(pattern))
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


# -- searching the prose ------------------------------------------------------------------------
def _prose(doc, *, footnotes: bool = True):
    return [b for b in doc.blocks if footnotes or b.kind != FOOTNOTE]


def _search(doc, pattern: re.Pattern[str] | None, blocks) -> re.Match[str] | None:
    """The first match of ``pattern`` in the masked text of ``blocks``."""
    if pattern is None:
        return None
    for b in blocks:
        m = pattern.search(doc.masked, b.start, b.end)
        if m:
            return m
    return None


def _line(doc, offset: int) -> int:
    return doc.position(offset)[0]


def _join(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _sections(doc) -> list[list]:
    """The blocks of each section: split at the top heading level used below the title."""
    title = doc.title_block
    headings = [b for b in doc.blocks if b.kind == HEADING and b is not title]
    if not headings:
        return [doc.blocks]
    top = min(b.level for b in headings)
    sections: list[list] = [[]]
    for b in doc.blocks:
        if b.kind == HEADING and b is not title and b.level <= top:
            sections.append([])
        sections[-1].append(b)
    return [s for s in sections if s]


def _advice_regex(options: dict) -> re.Pattern[str]:
    lex = lexicon()
    extra = _strings(options.get("phrasings", []), "rules.missing-professional-advice.phrasings")
    return _phrases((*lex.advice, *lex.emergency, *extra), "rules.missing-professional-advice.phrasings")


def _emergency_regex(options: dict) -> re.Pattern[str]:
    what = "rules.missing-emergency-guidance.phrasings"
    return _phrases((*lexicon().emergency, *_strings(options.get("phrasings", []), what)), what)


# -- HL201 missing-disclaimer ---------------------------------------------------------------------
def _part_patterns(options: dict) -> list[tuple[str, re.Pattern[str]]]:
    """(part, pattern) for each part a disclaimer must have, with the team's own phrasings."""
    lex = lexicon()
    what = "rules.missing-disclaimer"
    parts = _strings(options.get("parts", list(DISCLAIMER_PARTS)), f"{what}.parts")
    phrasings = options.get("phrasings") or {}
    if not isinstance(phrasings, dict):
        raise ConfigError(f"{what}.phrasings must map disclaimer parts to lists of phrasings")
    for name in (*parts, *phrasings):
        if name not in DISCLAIMER_PARTS:
            raise ConfigError(f"{what}: unknown disclaimer part '{name}' (parts: {', '.join(DISCLAIMER_PARTS)})")
    out = []
    for name in parts:
        base = list(lex.parts[name]["patterns"] or [])
        if name == "see-a-professional":
            base += lex.advice + lex.emergency
        elif name == "emergency":
            base += lex.emergency
        extra = _strings(phrasings.get(name, []), f"{what}.phrasings.{name}")
        out.append((name, _phrases((*base, *extra), f"{what}.phrasings.{name}")))
    return out


def disclaimer_parts(doc, options: dict | None = None) -> dict[str, int | None]:
    """For each disclaimer part, the line that says it, or None."""
    blocks = _prose(doc)
    found = {}
    for name, pattern in _part_patterns(options or {}):
        m = _search(doc, pattern, blocks)
        found[name] = _line(doc, m.start()) if m else None
    return found


@register("missing-disclaimer", fields={"problem", "example"}, options={"parts": list(DISCLAIMER_PARTS), "phrasings": {}})
def missing_disclaimer(doc, rule, options, settings) -> Iterator[Hit]:
    """No medical disclaimer, or one that lacks some of its parts (and no 'disclaimer: true')."""
    if not doc.has_prose or _truthy(metadata(doc, settings).value("disclaimer")):
        return
    found = disclaimer_parts(doc, options)
    missing = [p for p, line in found.items() if line is None]
    if not missing:
        return
    parts = lexicon().parts
    problem = f"the article never says {_join([parts[p]['label'] for p in missing], 'or')}."
    present = [f"{parts[p]['found']} (line {line})" for p, line in found.items() if line is not None]
    if present:
        problem = f"No complete medical disclaimer: {problem} It already {_join(present)}."
    else:
        problem = f"No medical disclaimer: {problem}"
    example = " ".join(parts[p]["example"] for p in missing)
    start, end = document_anchor(doc)
    yield Hit(start, end, rule.message.format(problem=problem, example=example))


missing_disclaimer.validate_options = _part_patterns  # the engine calls it before reading any file


# -- HL202 missing-professional-advice --------------------------------------------------------------
def discussed_topics(doc) -> list[tuple[str, int]]:
    """(topic, first line) for symptoms, diagnosis and treatment, in the order they appear."""
    blocks = _prose(doc, footnotes=False)
    out = []
    for name, pattern in lexicon().topics.items():
        m = _search(doc, pattern, blocks)
        if m:
            out.append((m.start(), name, _line(doc, m.start())))
    return [(name, line) for _, name, line in sorted(out)]


@register("missing-professional-advice", fields={"topics"}, options={"phrasings": []})
def missing_professional_advice(doc, rule, options, settings) -> Iterator[Hit]:
    """Symptoms, diagnosis or treatment are discussed and the reader is never told to see anyone."""
    if not doc.has_prose:
        return
    topics = discussed_topics(doc)
    if not topics or _search(doc, _advice_regex(options), _prose(doc)):
        return
    start, end = document_anchor(doc)
    yield Hit(start, end, rule.message.format(topics=_join([f"{t} (line {n})" for t, n in topics])))


missing_professional_advice.validate_options = _advice_regex


# -- HL203 missing-emergency-guidance ---------------------------------------------------------------
@register("missing-emergency-guidance", fields={"match", "advice"}, options={"phrasings": []})
def missing_emergency_guidance(doc, rule, options, settings) -> Iterator[Hit]:
    """An emergency warning sign is mentioned and its section never says to call for help."""
    lex = lexicon()
    action = _emergency_regex(options)
    for blocks in _sections(doc):
        blocks = [b for b in blocks if b.kind != FOOTNOTE]
        sign = _search(doc, lex.sign_regex, blocks)
        if sign is None or _search(doc, action, blocks):
            continue
        group = lex.signs[int(sign.lastgroup[1:])]
        yield Hit(sign.start(), sign.end(), rule.message.format(match=" ".join(sign.group().split()), advice=group.advice))


missing_emergency_guidance.validate_options = _emergency_regex


# -- HL204 no-sources ---------------------------------------------------------------------------
_SOURCES_HEADING = re.compile(r"^\s*(?:references|sources|bibliography|citations|further reading|works cited|evidence)\b", re.I)
_WEB = ("http://", "https://", "www.", "doi:")


def has_sources(doc, settings=None) -> bool:
    """Web links that are not shops, footnotes, citation markers, a reference list, or sources in front matter."""
    if _truthy(metadata(doc, settings).value("sources")):
        return True
    shops = {end for _, end, _, _ in commercial_links(doc)}
    if any(link.value.startswith(_WEB) and link.end not in shops for link in doc.links):
        return True
    if doc.footnotes:
        return True
    if any(b.kind == HEADING and _SOURCES_HEADING.match(doc.masked[b.start:b.end]) for b in doc.blocks):
        return True
    return any(CITATION_MARKER.search(doc.text, b.start, b.end) for b in doc.blocks)


@register("no-sources")
def no_sources(doc, rule, options, settings) -> Iterator[Hit]:
    """The article cites nothing a reader could check."""
    if doc.has_prose and not has_sources(doc, settings):
        start, end = document_anchor(doc)
        yield Hit(start, end, rule.message)


# -- front matter: which key holds which field ------------------------------------------------------
def _norm(key: str) -> str:
    return re.sub(r"[-\s]+", "_", str(key).strip().lower())


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not (value.strip() if isinstance(value, str) else value))


def _truthy(value: Any) -> bool:
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
        self.missing_span = (0, 3) if self.present else doc.line_span(1)
        keys: dict[str, str] = {}
        for key in fm.data:
            keys.setdefault(_norm(key), key)
        self.fields: dict[str, Field] = {}
        for name, aliases in lexicon().aliases.items():
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
            if b.kind == HEADING or len(doc.words(b.start, b.end)) > 14:
                continue
            text = doc.masked[b.start:b.end].strip()
            for name, regex in (("author", lex.byline), ("medically_reviewed_by", lex.reviewer_line)):
                m = regex.match(text)
                if m and not self.has(name):
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
    now = today()
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
    now = today()
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


# -- HL211 missing-disclosure -------------------------------------------------------------------------
_URL_IN_TEXT = re.compile(r"""^ {0,3}\[[^\]\n]+\]:[ \t]*<?((?:https?://|www\.)[^\s>]+)|\bhref\s*=\s*["']((?:https?://|www\.)[^"'\s]+)""", re.I | re.M)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)


def _urls(doc) -> list[tuple[int, int, str]]:
    """Every link target: prose links, reference definitions and HTML hrefs outside code fences."""
    out = [(_link_start(doc.text, s.start), s.end, s.value) for s in doc.links]
    fenced = _fenced_spans(doc.text)
    for m in _URL_IN_TEXT.finditer(doc.text, doc.front_matter.end):
        group = 1 if m.group(1) else 2
        if not any(s <= m.start() < e for s, e in fenced):
            out.append((m.start(group), m.end(group), m.group(group)))
    return sorted(set(out))


def _link_start(text: str, pos: int) -> int:
    """For a Markdown link whose recorded span starts at ``](``, the offset of its opening ``[``."""
    if not text.startswith("]", pos):
        return pos
    depth = 0
    for i in range(pos - 1, max(-1, pos - 1000), -1):
        if text[i] == "]":
            depth += 1
        elif text[i] == "[":
            if depth == 0:
                return i
            depth -= 1
        elif text[i] == "\n" and text[i - 1:i] == "\n":
            break  # a blank line: the link cannot span paragraphs
    return pos


def _fenced_spans(text: str) -> list[tuple[int, int]]:
    spans, opened = [], None
    for m in _FENCE.finditer(text):
        if opened is None:
            opened = m
        elif m.group(1)[0] == opened.group(1)[0] and len(m.group(1)) >= len(opened.group(1)):
            spans.append((opened.start(), m.end()))
            opened = None
    if opened is not None:
        spans.append((opened.start(), len(text)))
    return spans


def commercial_reason(url: str) -> str | None:
    """Why a link is a shop or affiliate link ('links to a shop (shop.example.com)'), or None."""
    lex = lexicon()
    try:
        parts = urlsplit(url if "//" in url else "http://" + url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = host[4:] if host.startswith("www.") else host
    labels = host.split(".")
    for entry in lex.shop_hosts:
        if ("." in entry and (host == entry or host.endswith("." + entry))) or ("." not in entry and entry in labels[:-1]):
            return f"links to a shop or affiliate network ({host})"
    if len(labels) > 2 and labels[0] in lex.shop_subdomains:
        return f"links to a shop ({host})"
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        key = name.lower()
        if (key in lex.affiliate_params and value) or (key.startswith("utm_") and any(v in value.lower() for v in lex.utm_values)):
            return f"carries an affiliate link ({name}={value[:24]})"
    return None


def commercial_links(doc) -> list[tuple[int, int, str, str]]:
    """(start, end, url, reason) for each shop or affiliate link, in document order."""
    cached = doc.__dict__.get("_trust_commercial")
    if cached is None:
        cached = [(s, e, url, why) for s, e, url in _urls(doc) if (why := commercial_reason(url))]
        doc.__dict__["_trust_commercial"] = cached
    return cached


def has_disclosure(doc, meta: Metadata) -> bool:
    return _truthy(meta.value("disclosure")) or _search(doc, lexicon().disclosure, _prose(doc)) is not None


@register("missing-disclosure", fields={"reason"})
def missing_disclosure(doc, rule, options, settings) -> Iterator[Hit]:
    """Shop or affiliate links (or a required disclosure) with no disclosure statement."""
    meta = metadata(doc, settings)
    if not doc.has_prose or meta.broken or has_disclosure(doc, meta):
        return
    links = commercial_links(doc)
    if links:
        start, end, _, why = links[0]
        line = _line(doc, start)
        reason = f"Line {line} {why}" + (f" ({len(links) - 1} more such link{'s' if len(links) > 2 else ''} follow)" if len(links) > 1 else "")
        yield Hit(start, end, rule.message.format(reason=reason))
    elif "disclosure" in meta.config.require:
        yield Hit(*meta.span("disclosure"), rule.message.format(reason="Your configuration requires a disclosure statement"))


# -- HL212 harms-not-mentioned ---------------------------------------------------------------------
def harms_mentioned(doc) -> bool:
    """Side effects, risks or harms named anywhere, not counting denials like "no side effects"."""
    lex = lexicon()
    for b in _prose(doc):
        denied = [(m.start(), m.end()) for m in lex.harms_denied.finditer(doc.masked, b.start, b.end)]
        for m in lex.harms.finditer(doc.masked, b.start, b.end):
            if not any(s <= m.start() < e for s, e in denied):
                return True
    return False


def first_recommendation(doc):
    """(sentence, start, end of its cue) for the first sentence recommending a treatment, or None."""
    lex = lexicon()
    for s in doc.sentences:
        if s.block.kind in (HEADING, FOOTNOTE) or not lex.treatment.search(s.text):
            continue
        m = lex.recommend.search(s.text) or lex.imperative.match(s.text)
        if m:
            lead = len(m.group()) - len(m.group().lstrip())
            return s, s.start + m.start() + lead, s.start + m.end()
    return None


def _excerpt(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


@register("harms-not-mentioned", fields={"sentence"})
def harms_not_mentioned(doc, rule, options, settings) -> Iterator[Hit]:
    """A treatment is recommended and no side effect, risk or harm is mentioned anywhere."""
    found = first_recommendation(doc)
    if found is None or harms_mentioned(doc):
        return
    sentence, start, end = found
    yield Hit(start, end, rule.message.format(sentence=_excerpt(sentence.text)))


# -- the per-document summary ----------------------------------------------------------------------
def trust_summary(doc, settings=None) -> dict[str, Any]:
    """The four JAMA benchmarks for one document, for editors auditing a whole site.

    ``{"authorship": {...}, "attribution": {...}, "disclosure": {...}, "currency": {...},
    "met": [...]}``; each benchmark has ``met`` (bool) and the facts it was judged on.
    """
    meta = metadata(doc, settings)
    now = today()
    authors = people(meta.value("author"))
    reviewers = people(meta.value("medically_reviewed_by"))
    credentials = bool(authors) and (meta.has("credentials") or all(ok for _, ok in authors))
    links = commercial_links(doc)
    disclosed = has_disclosure(doc, meta)
    found = currency_date(meta, now)
    months = months_between(found[1].last, now) if found else None
    stale = meta.config.stale_months
    summary = {
        "authorship": {"met": credentials, "author": ", ".join(n for n, _ in authors) or None,
                       "credentials": credentials, "medical_reviewer": ", ".join(n for n, _ in reviewers) or None},
        "attribution": {"met": has_sources(doc, settings)},
        "disclosure": {"met": disclosed, "commercial_links": len(links)},
        "currency": {"met": found is not None and add_months(found[1].last, stale) >= now,
                     "date_published": _shown(meta, "date_published"), "last_reviewed": _shown(meta, "last_reviewed"),
                     "months_since": months, "stale_after_months": stale},
    }
    summary["met"] = [k for k in ("authorship", "attribution", "disclosure", "currency") if summary[k]["met"]]
    return summary


def _shown(meta: Metadata, name: str) -> str | None:
    return " ".join(str(meta.value(name)).split()) if meta.has(name) else None
