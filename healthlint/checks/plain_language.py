"""HL4xx checks about words and numbers: jargon, undefined abbreviations, relative risks alone.

Word lists live in ``healthlint/data/jargon.yaml`` and ``healthlint/data/readability.yaml``;
each is read and compiled once, on first use (the jargon list into a word index, the others
into one pattern each). Sentences are skipped without a search when their words (found once per
document, :func:`healthlint.checks.readability.sentence_words`) show that nothing can match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

from healthlint.checks import register
from healthlint.checks.readability import body_sentence_words, body_sentences, load_data
from healthlint.findings import Hit
from healthlint.patterns import literal_alternation
from healthlint.markup import FOOTNOTE, HEADING

# -- HL405 jargon -------------------------------------------------------------------------------
_JARGON_FILE = "jargon.yaml"


@dataclass(frozen=True)
class _Term:
    term: str  # the headword, shared by all its forms
    plain: str


_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")  # the words of Document.words, with their offsets


class PhraseIndex:
    """Whole-word phrases found by looking up each word, not by one huge alternation.

    A regex of several hundred alternatives, each with its own word-boundary checks, is tried
    at every position of the text: on a 2,800-word file it took about 170 ms, this about 6 ms.
    """

    def __init__(self, phrases: dict[str, _Term]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], _Term]]] = {}
        for phrase, term in phrases.items():
            words = tuple(_TOKEN.findall(phrase.lower()))
            if words:
                self.by_first.setdefault(words[0], []).append((words, term))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)

    def may_occur(self, words: list[str]) -> bool:
        """False when ``words`` (a sentence's, as ``Document.words`` gives them) lack a word of every phrase."""
        if not words:
            return False
        lowered = " ".join(words).lower().split(" ")  # as find() lower-cases them
        if self.by_first.keys().isdisjoint(lowered):
            return False
        present = set(lowered)
        return any(present.issuperset(phrase)
                   for first in present & self.by_first.keys() for phrase, _ in self.by_first[first])

    def find(self, text: str, start: int, end: int) -> Iterator[tuple[int, int, _Term]]:
        """(start, end, term) of each phrase in ``text[start:end]``, left to right, longest first."""
        tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text, start, end)]
        i = 0
        while i < len(tokens):
            match = self._match_at(text, tokens, i)
            if match is None:
                i += 1
                continue
            n, term = match
            yield tokens[i][0], tokens[i + n - 1][1], term
            i += n

    def _match_at(self, text: str, tokens: list[tuple[int, int, str]], i: int) -> tuple[int, _Term] | None:
        for words, term in self.by_first.get(tokens[i][2], ()):
            n = len(words)
            if i + n > len(tokens):
                continue
            if all(tokens[i + k][2] == words[k] and text[tokens[i + k - 1][1]:tokens[i + k][0]].isspace() for k in range(1, n)):
                return n, term
        return None


def jargon_entries(extra: tuple[tuple[str, str], ...] = ()) -> dict[str, tuple[str, list[str]]]:
    """Every term of the built-in list (plus ``extra``): term -> (plain words, forms)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for group in load_data(_JARGON_FILE).values():
        for term, value in group.items():
            if isinstance(value, str):
                out[term] = (value, [])
            else:
                out[term] = (value["plain"], list(value.get("forms", [])))
    for term, plain in extra:
        out[term] = (plain, [])
    return out


def _inflections(term: str) -> list[str]:
    """The term and its regular plural: -s/-es, -y -> -ies, -is -> -es (on the last word)."""
    head, _, last = term.rpartition(" ")
    prefix = f"{head} " if head else ""
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    elif last.endswith("is"):
        plural = last[:-2] + "es"
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return [term, prefix + plural]


@lru_cache(maxsize=8)
def _jargon(extra: tuple[tuple[str, str], ...], allow: tuple[str, ...]) -> PhraseIndex:
    allowed = {a.lower() for a in allow}
    terms: dict[str, _Term] = {}
    for term, (plain, forms) in jargon_entries(extra).items():
        if term.lower() in allowed:
            continue
        entry = _Term(term.lower(), plain)
        for form in [*_inflections(term), *forms]:
            terms.setdefault(" ".join(form.lower().split()), entry)
    return PhraseIndex(terms)


# What next to a term shows that the writer explains it: "X (plain)", "X, also called", "plain (X)".
_EXPLAINED_BY = (r"(?:also\s+(?:called|known\s+as|named)|which\s+(?:means|is|are)|meaning|that\s+is|"
                 r"i\.e\.|means|refers\s+to|is\s+(?:a|an|the)\s+(?:medical|technical|scientific)\s+(?:term|word|name))")
# Written so no run of white space can be split two ways (``\s*,?\s+`` backtracks quadratically).
_EXPLAINED_AFTER = re.compile(rf"\s*(?:\(|[-–—:]\s|,\s+{_EXPLAINED_BY})|\s+{_EXPLAINED_BY}", re.I)
_EXPLAINED_BEFORE = re.compile(
    r"(?:\(|\b(?:called|known\s+as|named|termed|medical\s+(?:term|word|name)\s+(?:for\s+(?:this|it)\s+)?(?:is|of)|"
    r"doctors\s+call\s+(?:this|it|that))|[-–—]|:)\s*[\"'“‘]?$",
    re.I,
)
_DEFINITION = re.compile(r"\s+(?:is|are)\s+(?:a|an|the|when|what|where|how)\b", re.I)
_OR_BEFORE = re.compile(r",\s*or\s*$", re.I)
_OR_AFTER = re.compile(r"\s*,\s*or\b", re.I)
_SENTENCE_START = re.compile(r"^[\s\"'“‘(]*(?:(?:the|a|an)\s*)?$", re.I)


def explains(sentence_text: str, start: int, end: int, plain: str) -> bool:
    """True when the sentence explains the term found at ``start:end`` (offsets in the sentence)."""
    before, after = sentence_text[:start], sentence_text[end:]
    if _EXPLAINED_AFTER.match(after) or _EXPLAINED_BEFORE.search(before):
        return True
    # "Dyspnea is a feeling of being short of breath" defines; "Pruritus is the main symptom"
    # does not, nor does "fever, cough, or dyspnea", where "itching, or pruritus" explains.
    definition = _SENTENCE_START.match(before) and _DEFINITION.match(after)
    if definition or _OR_BEFORE.search(before) or _OR_AFTER.match(after):
        return _mentions_plain(sentence_text, plain)
    return plain.lower() in sentence_text.lower()


def _mentions_plain(text: str, plain: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in re.findall(r"[a-z]{4,}", plain.lower()))


def _as_pairs(value) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in (value or {}).items()))


@register("jargon", fields={"match", "suggestion"}, options={"extra": {}, "allow": []})
def jargon(doc, rule, options, settings) -> Iterator[Hit]:
    """A medical term with an everyday alternative, at its first use if that use does not explain it."""
    jg = _jargon(_as_pairs(options["extra"]), tuple(options["allow"]))
    settled: set[str] = set()  # terms explained or already reported
    for s, words in body_sentence_words(doc):
        if not jg.may_occur(words):
            continue
        for start, end, term in jg.find(doc.masked, s.start, s.end):
            if term.term in settled:
                continue
            settled.add(term.term)
            if explains(s.text, start - s.start, end - s.start, term.plain):
                continue
            matched = " ".join(doc.masked[start:end].split())
            suggestion = term.plain[:1].upper() + term.plain[1:] if matched[:1].isupper() else term.plain
            yield Hit(start, end, rule.message.format(match=matched, suggestion=suggestion), suggestion)


# -- HL406 undefined-abbreviation ---------------------------------------------------------------
# A word with two capitals or more (anything with fewer is an ordinary word to abbreviation_key).
# It opens with the capital, and looks behind it for the start of the word, so that the search
# can leap from capital to capital.
_ABBREVIATION = re.compile(r"[A-Z](?<![\w'’-][A-Z])(?=[a-z0-9-]*[A-Z])[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w'’-])")
_PAREN_AFTER = re.compile(r"\s*\(\s*([^()]{2,120}?)\s*\)")
_STANDS_FOR = re.compile(r"\s*(?:,\s*)?(?:\(|which\s+)?(?:stands|is\s+short)\s+for\b", re.I)


@dataclass(frozen=True)
class _AbbrevData:
    known: frozenset[str]
    not_abbreviations: frozenset[str]
    explained_by_next: re.Pattern[str]
    skip_words: frozenset[str]


@lru_cache(maxsize=8)
def _abbrev_data(known: tuple[str, ...]) -> _AbbrevData:
    a = load_data()["abbreviations"]
    return _AbbrevData(
        frozenset(k.upper() for k in [*a["known"], *known]),
        frozenset(a["not_abbreviations"]),
        re.compile(rf"\s+(?:{literal_alternation(a['explained_by_next_word'])})\b", re.I),
        frozenset(a["skip_words"]),
    )


def abbreviation_key(token: str) -> str | None:
    """The abbreviation a token is ("MRIs" -> "MRI"), or None if it is an ordinary word."""
    core = token[:-1] if token.endswith("s") and len(token) > 2 and token[-2].isupper() else token
    upper = sum(c.isupper() for c in core)
    lower = sum(c.islower() for c in core)
    if upper < 2 or lower >= upper:
        return None
    return core


def _unknown_key(token: str, data: _AbbrevData) -> str | None:
    """The abbreviation a token is, unless readers know it or it is no abbreviation."""
    key = abbreviation_key(token)
    if key is None or key.upper() in data.known or key in data.not_abbreviations:
        return None
    return key


def long_form_match(short: str, candidate: str) -> str | None:
    """Schwartz and Hearst (2003): the shortest tail of ``candidate`` whose letters spell ``short``.

    Every character of the short form must appear, in order, in the long form, and its first
    character must start a word. Returns that tail, or None.
    """
    s, pos = len(short) - 1, len(candidate) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while pos >= 0 and (candidate[pos].lower() != c or (s == 0 and pos > 0 and candidate[pos - 1].isalnum())):
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
        s -= 1
    start = candidate.rfind(" ", 0, pos + 1) + 1
    tail = candidate[start:].strip()
    return tail if len(tail.split()) <= min(len(short) + 5, 2 * len(short)) and len(tail) > len(short) else None


def _defined_here(doc, m: re.Match[str], key: str, data: _AbbrevData, sentence_start: int) -> bool:
    """True when this occurrence comes with its expansion or says what it is."""
    text = doc.masked
    before = text[sentence_start:m.start()]
    if before.rstrip().endswith("(") and _ends_with_long_form(key, before.rstrip()[:-1]):
        return True  # "discoid lupus erythematosus (DLE)"
    after = _PAREN_AFTER.match(text, m.end())
    if after and long_form_match(key, after.group(1)):
        return True  # "DLE (discoid lupus erythematosus)"
    return bool(_STANDS_FOR.match(text, m.end()) or data.explained_by_next.match(text, m.end()))


def _ends_with_long_form(key: str, before: str) -> bool:
    words = before.split()[-min(len(key) + 5, 2 * len(key)):]
    return long_form_match(key, " ".join(words)) is not None


# A word here runs from the first ASCII letter of a run of word characters, apostrophes and
# hyphens to the end of the run ("9Km" holds the word "Km").
_NEXT_WORD = re.compile(r"\s+([A-Za-z][\w'’-]*)")


def spelled_out(text: str, key: str, skip: frozenset[str]) -> str | None:
    """Capitalised words in ``text`` whose initials spell ``key`` ("Acute Lymphoblastic Leukemia").

    Only words in title case, with nothing but spaces between them, are taken: lower-case
    runs spell short keys by chance ("gets inflamed" is not what "GI" stands for). Words in
    ``skip`` ("of", "the") may come between them.
    """
    letters = key.lower()
    if not letters.isalpha() or len(letters) < 2:
        return None
    for first in re.finditer(re.escape(letters[0].upper()) + r"[\w'’-]*", text):
        if _starts_word(text, first.start()):
            end = _spelled_from(text, first.end(), letters, skip)
            if end is not None:
                return text[first.start():end]
    return None


def _starts_word(text: str, at: int) -> bool:
    """Whether a word starts at ``at``: no ASCII letter comes before it in its run."""
    i = at - 1
    while i >= 0 and (text[i].isalnum() or text[i] in "_'’-"):
        if text[i].isascii() and text[i].isalpha():
            return False
        i -= 1
    return True


def _spelled_from(text: str, at: int, letters: str, skip: frozenset[str]) -> int | None:
    """Where the words after ``at`` finish spelling ``letters`` (its first letter is spelled)."""
    k = 1
    while k < len(letters):
        m = _NEXT_WORD.match(text, at)
        if m is None:
            return None
        word = m.group(1)
        if word[0].isupper() and word[0].lower() == letters[k]:
            k += 1
        elif word.lower() not in skip:
            return None
        at = m.end()
    return at


_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")


def _shouting(doc, block) -> bool:
    """Mostly capital letters (a heading or warning in capitals, not prose with abbreviations)."""
    upper = len(_UPPER.findall(doc.masked, block.start, block.end))
    if upper < 8:  # capitals are letters: 12 letters or more, over 60% capitals, make 8 or more
        return False
    letters = len(_LETTER.findall(doc.masked, block.start, block.end))
    return letters >= 12 and upper > 0.6 * letters


@register("undefined-abbreviation", fields={"match", "note"}, options={"known": []})
def undefined_abbreviation(doc, rule, options, settings) -> Iterator[Hit]:
    """An abbreviation whose first use in the text comes before, or without, its expansion."""
    data = _abbrev_data(tuple(options["known"]))
    first_use: dict[str, tuple[int, int, str]] = {}  # key -> (start, end, token)
    defined_at: dict[str, int] = {}
    shouting: dict[int, bool] = {}  # id(block) -> _shouting(doc, block)
    for s in doc.sentences:
        if s.block.kind == FOOTNOTE:
            continue
        found = [(m, key) for m in _ABBREVIATION.finditer(doc.masked, s.start, s.end)
                 if (key := _unknown_key(m.group(), data))]
        if not found:
            continue
        if id(s.block) not in shouting:
            shouting[id(s.block)] = _shouting(doc, s.block)
        if shouting[id(s.block)]:
            continue
        for m, key in found:
            if _defined_here(doc, m, key, data, s.start):
                defined_at.setdefault(key, m.start())
            elif s.block.kind != HEADING:
                first_use.setdefault(key, (m.start(), m.end(), m.group()))
    for key, (start, end, token) in first_use.items():
        defined = defined_at.get(key)
        if defined is not None and defined < start:
            continue
        yield Hit(start, end, rule.message.format(match=token, note=_note(doc, key, defined, data)))


def _note(doc, key: str, defined: int | None, data: _AbbrevData) -> str:
    if defined is not None:
        return f"It is spelled out only later, on line {doc.position(defined)[0]}: move that to the first use."
    long_form = spelled_out(doc.masked, key, data.skip_words)
    if long_form:
        return f'Write "{long_form} ({key})" the first time.'
    return f'Write it out in full the first time, with "{key}" after it in brackets.'


# -- HL407 relative-risk-only -------------------------------------------------------------------
def _alternatives(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@lru_cache(maxsize=1)
def _relative_pattern() -> re.Pattern[str]:
    return re.compile(_alternatives(load_data()["relative_risk"]["relative"]), re.I)


@lru_cache(maxsize=1)
def _relative_cues() -> tuple[str, ...]:
    return tuple(c.lower() for c in load_data()["relative_risk"]["relative_cues"])


@lru_cache(maxsize=1)
def _absolute_pattern() -> re.Pattern[str]:
    """The absolute numbers and baselines (compiled only for a document with a relative change)."""
    return re.compile(_alternatives(load_data()["relative_risk"]["absolute"]), re.I)


_DIGIT = re.compile(r"\d")
# Letters that the case-blind search takes for i and s, and that lower() does not make so.
_FOLD = (("İ", "i"), ("ı", "i"), ("ſ", "s"))


def _cued(doc, sentences: list) -> set[int]:
    """Indices of the ``sentences`` that hold a digit or a cue of a relative phrasing (see
    ``relative_cues`` in the data file): the only ones a relative phrasing can be in."""
    text = doc.masked
    for odd, plain in _FOLD:
        if odd in text:
            text = text.replace(odd, plain)
    lowered = text.lower()
    if len(lowered) != len(text):
        return set(range(len(sentences)))
    starts = [s.start for s in sentences]
    found: set[int] = set()
    _mark(sentences, starts, partial(_next_digit, text), found)
    for cue in _relative_cues():
        _mark(sentences, starts, partial(lowered.find, cue), found)
    return found


def _next_digit(text: str, at: int) -> int:
    m = _DIGIT.search(text, at)
    return m.start() if m else -1


def _mark(sentences: list, starts: list[int], next_at: Callable[[int], int], found: set[int]) -> None:
    """Add to ``found`` each sentence in which ``next_at(offset)`` (-1 for none) finds something
    at or after ``offset``, asking once per such sentence."""
    at = next_at(0)
    while at != -1:
        i = bisect_right(starts, at) - 1  # the sentence that starts at or before ``at``
        if i >= 0 and at < sentences[i].end:
            found.add(i)
        if i + 1 >= len(starts):
            return
        at = next_at(starts[i + 1])


@register("relative-risk-only", fields={"match"})
def relative_risk_only(doc, rule, options, settings) -> Iterator[Hit]:
    """A relative change in risk with no absolute numbers or baseline in the same sentence or the next."""
    sentences = body_sentences(doc)
    for i in sorted(_cued(doc, sentences)):
        s = sentences[i]
        m = _relative_pattern().search(doc.masked, s.start, s.end)
        if m is None:
            continue
        absolute = _absolute_pattern()
        window = [s, sentences[i + 1]] if i + 1 < len(sentences) else [s]
        if any(absolute.search(doc.masked, w.start, w.end) for w in window):
            continue
        yield Hit(m.start(), m.end(), rule.message.format(match=" ".join(m.group().split())))
