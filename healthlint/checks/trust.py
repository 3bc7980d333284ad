"""HL2xx, the trust family: what tells readers whether health information can be trusted.

HONcode, the JAMA benchmarks (authorship, attribution, disclosure, currency) and DISCERN ask a
health article for a disclaimer, advice to see a professional, emergency guidance, sources, a
named and qualified author and reviewer, current dates, disclosure of commercial links, and the
harms of what it recommends. The phrase lists are data (``healthlint/data/trust.yaml``, read in
:mod:`trust_data`, searched with :mod:`phrase_search`, which tries a phrase only where a word it
can begin with starts); this module holds the checks on the text (HL201-HL204, HL211, HL212),
and :mod:`metadata` those on the front matter (HL205-HL210). :func:`trust_summary` reports the
four JAMA benchmarks for a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from healthlint.attribution import CITATION_MARKER  # citation markers: [3], (Smith et al., 2020), doi:
from healthlint.checks import register, trust_data
from healthlint.checks.metadata import (
    Metadata, truthy, add_months, currency_date, metadata, months_between, people,
)
from healthlint.checks.phrase_search import PhraseList
from healthlint.checks.trust_data import DISCLAIMER_PARTS, _phrases, _strings, lexicon
from healthlint.config import ConfigError
from healthlint.checks.trust_data import line_of as _line
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING
from healthlint.ruletypes import document_anchor

# -- searching the prose ------------------------------------------------------------------------
def _prose(doc, *, footnotes: bool = True):
    return [b for b in doc.blocks if footnotes or b.kind != FOOTNOTE]


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


def _advice_phrases(options: dict) -> PhraseList:
    lex = lexicon()
    extra = _strings(options.get("phrasings", []), "rules.missing-professional-advice.phrasings")
    return _phrases((*lex.advice, *lex.emergency, *extra), "rules.missing-professional-advice.phrasings", bool(extra))


def _emergency_phrases(options: dict) -> PhraseList:
    what = "rules.missing-emergency-guidance.phrasings"
    extra = _strings(options.get("phrasings", []), what)
    return _phrases((*lexicon().emergency, *extra), what, bool(extra))


def builtin_phrase_lists() -> list[PhraseList]:
    """Every phrase list the trust checks search with their default options."""
    lex = lexicon()
    return [*(p for _, p in _part_patterns({})), _advice_phrases({}), _emergency_phrases({}), *lex.topics.values(),
            lex.sign_phrases, lex.treatment, lex.recommend, lex.harms, lex.harms_denied, lex.disclosure]


# -- HL201 missing-disclaimer ---------------------------------------------------------------------
def _part_patterns(options: dict) -> list[tuple[str, PhraseList]]:
    """(part, phrases) for each part a disclaimer must have, with the team's own phrasings."""
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
        out.append((name, _phrases((*base, *extra), f"{what}.phrasings.{name}", bool(extra))))
    return out


def disclaimer_parts(doc, options: dict | None = None) -> dict[str, int | None]:
    """For each disclaimer part, the line that says it, or None."""
    blocks = _prose(doc)
    found = {}
    for name, phrases in _part_patterns(options or {}):
        m = phrases.search_blocks(doc, blocks)
        found[name] = _line(doc, m.start()) if m else None
    return found


@register("missing-disclaimer", fields={"problem", "example"}, options={"parts": list(DISCLAIMER_PARTS), "phrasings": {}})
def missing_disclaimer(doc, rule, options, settings) -> Iterator[Hit]:
    """No medical disclaimer, or one that lacks some of its parts (and no 'disclaimer: true')."""
    if not doc.has_prose or truthy(metadata(doc, settings).value("disclaimer")):
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
    for name, phrases in lexicon().topics.items():
        m = phrases.search_blocks(doc, blocks)
        if m:
            out.append((m.start(), name, _line(doc, m.start())))
    return [(name, line) for _, name, line in sorted(out)]


@register("missing-professional-advice", fields={"topics"}, options={"phrasings": []})
def missing_professional_advice(doc, rule, options, settings) -> Iterator[Hit]:
    """Symptoms, diagnosis or treatment are discussed and the reader is never told to see anyone."""
    if not doc.has_prose:
        return
    topics = discussed_topics(doc)
    if not topics or _advice_phrases(options).search_blocks(doc, _prose(doc)):
        return
    start, end = document_anchor(doc)
    yield Hit(start, end, rule.message.format(topics=_join([f"{t} (line {n})" for t, n in topics])))


missing_professional_advice.validate_options = _advice_phrases


# -- HL203 missing-emergency-guidance ---------------------------------------------------------------
@register("missing-emergency-guidance", fields={"match", "advice"}, options={"phrasings": []})
def missing_emergency_guidance(doc, rule, options, settings) -> Iterator[Hit]:
    """An emergency warning sign is mentioned and its section never says to call for help."""
    lex = lexicon()
    action = _emergency_phrases(options)
    for blocks in _sections(doc):
        blocks = [b for b in blocks if b.kind != FOOTNOTE]
        sign = lex.sign_phrases.search_blocks(doc, blocks)
        if sign is None or action.search_blocks(doc, blocks):
            continue
        group = lex.signs[int(sign.lastgroup[1:])]
        yield Hit(sign.start(), sign.end(), rule.message.format(match=" ".join(sign.group().split()), advice=group.advice))


missing_emergency_guidance.validate_options = _emergency_phrases


# -- HL204 no-sources ---------------------------------------------------------------------------
_SOURCES_HEADING = re.compile(r"^\s*(?:references|sources|bibliography|citations|further reading|works cited|evidence)\b", re.I)
_WEB = ("http://", "https://", "www.", "doi:")


def has_sources(doc, settings=None) -> bool:
    """Web links that are not shops, footnotes, citation markers, a reference list, or sources in front matter."""
    if truthy(metadata(doc, settings).value("sources")):
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


# -- HL211 missing-disclosure -------------------------------------------------------------------------
_URL_IN_TEXT = re.compile(r"""^ {0,3}\[[^\]\n]+\]:[ \t]*<?((?:https?://|www\.)[^\s>]+)|\bhref\s*=\s*["']((?:https?://|www\.)[^"'\s]+)""", re.I | re.M)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)


def _urls(doc) -> list[tuple[int, int, str]]:
    """Every link target: prose links, reference definitions and HTML hrefs outside code fences."""
    text = doc.text
    out = [(_link_start(text, s.start), s.end, s.value) for s in doc.links]
    if "]:" in text or "href" in text.lower():  # one of them is in every match: skip the scan
        fenced = None
        for m in _URL_IN_TEXT.finditer(text, doc.front_matter.end):
            group = 1 if m.group(1) else 2
            if fenced is None:
                fenced = _fenced_spans(text)
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
    return truthy(meta.value("disclosure")) or lexicon().disclosure.search_blocks(doc, _prose(doc)) is not None


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
        denied = None
        for m in lex.harms.finditer(doc, b.start, b.end):
            if denied is None:
                denied = [(d.start(), d.end()) for d in lex.harms_denied.finditer(doc, b.start, b.end)]
            if not any(s <= m.start() < e for s, e in denied):
                return True
    return False


def first_recommendation(doc):
    """(sentence, start, end of its cue) for the first sentence recommending a treatment, or None."""
    lex = lexicon()
    prose = (s for s in doc.sentences if s.block.kind not in (HEADING, FOOTNOTE))
    for s, _ in lex.treatment.search_sentences(doc, prose):  # the sentences that name a treatment
        m = lex.recommend.search_sentence(doc, s) or lex.imperative.match(s.text)
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
    now = trust_data.today()
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

