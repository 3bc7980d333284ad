"""HL1xx checks that need real logic: unhedged claims, serious-harm claims, contradictions.

The word lists (hedges, qualifiers, boosters, claim cues, negations, named sources, grave
outcomes) live in ``healthlint/data/claims.yaml`` and are compiled once into combined patterns;
each sentence is then read with a fixed number of regex searches, so a document costs time
linear in its length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from healthlint.checks import register
from healthlint.datafiles import load_yaml
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING
from healthlint.attribution import attributed, names_source
from healthlint.patterns import phrase_alternation

_LEXICON_FILE = "claims.yaml"


@dataclass(frozen=True)
class Lexicon:
    """The compiled claim lexicons."""

    speculation: re.Pattern[str]
    qualifiers: re.Pattern[str]
    boosters: re.Pattern[str]
    claims: re.Pattern[str]  # one named group per kind of claim
    hedge_for: dict[str, str]
    negation: re.Pattern[str]
    instruction: re.Pattern[str]
    debunking: re.Pattern[str]
    grave: re.Pattern[str]
    harm_forward: re.Pattern[str]
    harm_backward: re.Pattern[str]
    safety: re.Pattern[str]


@lru_cache(maxsize=8)
def lexicon(extra_hedges: tuple[str, ...] = (), extra_claims: tuple[str, ...] = ()) -> Lexicon:
    """Load and compile the lexicons once (per set of team additions)."""
    data = load_yaml(_LEXICON_FILE)
    flags = re.IGNORECASE
    kinds = dict(data["claims"])
    if extra_claims:
        kinds["team"] = {"hedge": "may / in some people", "patterns": list(extra_claims)}
    claim_alt = "|".join(f"(?P<{kind}>{phrase_alternation(spec['patterns'])})" for kind, spec in kinds.items())
    return Lexicon(
        speculation=re.compile(phrase_alternation(data["speculation"] + list(extra_hedges)), flags),
        qualifiers=re.compile(phrase_alternation(data["qualifiers"]), flags),
        boosters=re.compile(phrase_alternation(data["boosters"]), flags),
        claims=re.compile(claim_alt, flags),
        hedge_for={kind: spec["hedge"] for kind, spec in kinds.items()},
        negation=re.compile(phrase_alternation(data["negations"]) + r"|n't\b", flags),
        instruction=re.compile("|".join(f"(?:{p})" for p in data["instructions"]), flags),
        debunking=re.compile(phrase_alternation(data["debunking"]), flags),
        grave=re.compile(phrase_alternation(data["grave_outcomes"]), flags),
        harm_forward=re.compile(phrase_alternation(data["harm_links_forward"]), flags),
        harm_backward=re.compile(phrase_alternation(data["harm_links_backward"]), flags),
        safety=re.compile(phrase_alternation(kinds["safety"]["patterns"]), flags),
    )


def _lexicon_for(options) -> Lexicon:
    return lexicon(tuple(options.get("extra-hedges") or ()), tuple(options.get("extra-claims") or ()))


# -- reading one sentence ------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """What the lexicons find in one sentence."""

    speculation: re.Match[str] | None
    qualifier: re.Match[str] | None
    booster: re.Match[str] | None
    claim: re.Match[str] | None
    negated: bool
    question: bool
    instruction: bool
    debunking: bool
    named_source: bool

    @property
    def hedged(self) -> bool:
        """The sentence carries a speculation cue or a lay qualifier."""
        return bool(self.speculation or self.qualifier)

    @property
    def claim_kind(self) -> str | None:
        return self.claim.lastgroup if self.claim else None

    @property
    def unhedged_claim(self) -> bool:
        """A claim stated as certain: no hedge, not negated, not a question, instruction or debunking."""
        return bool(
            self.claim and not self.hedged and not self.negated and not self.question
            and not self.instruction and not self.debunking and not self.named_source
        )


_WORDS_BEFORE = re.compile(r"(?:\S+\s+){0,4}$")
_EMBEDDING = re.compile(
    r"\b(?:whether|if|how|find out|test(?:s|ing)? (?:if|whether)|determine|studied|studying|to see"
    r"|(?:risk|chance|likelihood|possibility|odds) that)\b",
    re.I,
)


def _embedded(text: str, start: int) -> bool:
    """The claim sits in an embedded question ("trials test whether new drugs are safe")."""
    window = _WORDS_BEFORE_WIDE.search(text, max(0, start - 90), start)
    return bool(window and _EMBEDDING.search(re.split(r"[,;:]", window.group())[-1]))


_WORDS_BEFORE_WIDE = re.compile(r"(?:\S+\s+){0,7}$")


def _negated_before(lex: Lexicon, text: str, start: int) -> bool:
    """A negation among the four words before ``start`` (within the same clause)."""
    window = _WORDS_BEFORE.search(text, max(0, start - 60), start)
    chunk = window.group() if window else ""
    chunk = re.split(r"[,;:]", chunk)[-1]
    return bool(lex.negation.search(chunk))


def read_sentence(lex: Lexicon, text: str) -> Reading:
    """Read a sentence with the lexicons (also used by bench/eval_claims.py)."""
    flat = " ".join(text.split())
    claim = _first_claim(lex, flat)
    return Reading(
        speculation=lex.speculation.search(flat),
        qualifier=lex.qualifiers.search(flat),
        booster=lex.boosters.search(flat),
        claim=claim,
        negated=bool(claim and (
            _negated_before(lex, flat, claim.start()) or lex.negation.search(claim.group()) or _embedded(flat, claim.start())
        )),
        question=flat.rstrip("\"'”’) ").endswith("?"),
        instruction=bool(lex.instruction.search(flat)),
        debunking=bool(lex.debunking.search(flat)),
        named_source=names_source(flat),
    )


_PURPOSE = re.compile(r"\b(?:to|ways? to|in order to|trying to|aims? to|goal is to|used to)\s+(?:\w+\s+(?:or|and)\s+)?$", re.I)


def _first_claim(lex: Lexicon, text: str) -> re.Match[str] | None:
    """The first claim cue that is not negated, else the first one.

    A cue introduced by "to" ("ways to prevent cancer", "the goal is to prevent") states a
    purpose, not a claim, and is skipped.
    """
    first = None
    if len(text.split()) < 4:
        return None  # a fragment ("heal better" in a list), not a sentence that asserts anything
    for m in lex.claims.finditer(text):
        if _PURPOSE.search(text, max(0, m.start() - 30), m.start()):
            continue
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue  # inside parentheses: a definition ("petechiae (spots caused by bleeding)")
        if first is None:
            first = m
        if not _negated_before(lex, text, m.start()) and not lex.negation.search(m.group()):
            return m
    return first


def _claim_sentences(doc) -> Iterator:
    for s in doc.sentences:
        if s.block.kind not in (HEADING, FOOTNOTE):
            yield s


class Flat:
    """A sentence with its white space collapsed, and the way back to document offsets."""

    __slots__ = ("text", "_flat_starts", "_raw_starts")

    def __init__(self, sentence) -> None:
        tokens = list(_TOKEN.finditer(sentence.text))
        self.text = " ".join(m.group() for m in tokens)
        self._raw_starts = [sentence.start + m.start() for m in tokens]
        self._flat_starts = []
        pos = 0
        for m in tokens:
            self._flat_starts.append(pos)
            pos += len(m.group()) + 1

    def _raw(self, flat: int) -> int:
        i = max(0, bisect_right(self._flat_starts, flat) - 1)
        return self._raw_starts[i] + (flat - self._flat_starts[i])

    def span(self, m: re.Match[str]) -> tuple[int, int]:
        """Document offsets of a match found in :attr:`text`."""
        return self.span_of(*m.span())

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of ``text[start:end]``."""
        if not self._raw_starts:
            return 0, 0
        raw_start = self._raw(start)
        return raw_start, (self._raw(end - 1) + 1 if end > start else raw_start)


def flats(doc) -> list[tuple[object, Flat]]:
    """The claim-bearing sentences of a document with their flattened text, built once per document."""
    cached = doc.__dict__.get("_claim_flats")
    if cached is None:
        cached = [(s, Flat(s)) for s in _claim_sentences(doc)]
        doc.__dict__["_claim_flats"] = cached
    return cached


_TOKEN = re.compile(r"\S+")


# -- the checks ----------------------------------------------------------------------------------
@register("unhedged-claim", fields={"trigger", "suggestion", "booster"}, options={"extra-hedges": [], "extra-claims": []})
def unhedged_claim(doc, rule, options, settings) -> Iterator[Hit]:
    """A sentence that asserts cause, effect, treatment, prevention, prognosis or safety as certain."""
    lex = _lexicon_for(options)
    for s, flat in flats(doc):
        if lex.claims.search(flat.text) is None:
            continue  # most sentences make no claim: skip the other lexicons
        reading = read_sentence(lex, flat.text)
        if not reading.unhedged_claim or attributed(doc, s.start, s.end):
            continue
        if _harm_link(lex, flat.text) or _safety_claim(lex, flat.text):
            continue  # serious-harm-claim reports this sentence, at a higher severity
        assert reading.claim is not None
        start, end = flat.span(reading.claim)
        suggestion = lex.hedge_for.get(reading.claim_kind or "", "may")
        booster = f' "{reading.booster.group()}" makes it sound even more certain.' if reading.booster else ""
        message = rule.message.format(trigger=reading.claim.group(), suggestion=suggestion, booster=booster)
        yield Hit(start, end, message, suggestion, "error" if reading.booster else None)


@register("serious-harm-claim", fields={"detail"}, options={"extra-hedges": [], "extra-claims": []})
def serious_harm_claim(doc, rule, options, settings) -> Iterator[Hit]:
    """A grave outcome (cancer, death, organ failure...) or a safety promise, with no source."""
    lex = _lexicon_for(options)
    for s, flat in flats(doc):
        found = _harm_link(lex, flat.text) or _safety_claim(lex, flat.text)
        if found is None or attributed(doc, s.start, s.end):
            continue
        (start, end), detail = found
        start, end = flat.span_of(start, end)
        yield Hit(start, end, rule.message.format(detail=detail))


_GAP = re.compile(r"^(?![^,.;:!?]*\b(?:that|which|who|before|after|when|while|if|because)\b)[^,.;:!?]{0,70}$", re.I)
_LIST_GAP = re.compile(r"^[^.;:!?]{0,160}$")
_LISTING = re.compile(r"\b(?:including|such as|like|even)\b", re.I)


def _short_gap(gap: str, words: int) -> bool:
    """Nothing but a few words (or a list: "including A, B and even C") between link and outcome."""
    if _GAP.match(gap) and len(gap.split()) <= words:
        return True
    return bool(_LIST_GAP.match(gap) and _LISTING.search(gap) and len(gap.split()) <= 20)


def _harm_link(lex: Lexicon, text: str):
    """'X can lead to skin cancer' or 'cancer caused by X': a link to a grave outcome."""
    for grave in lex.grave.finditer(text):
        for link in lex.harm_forward.finditer(text, 0, grave.start()):
            gap = text[link.end():grave.start()]
            if _short_gap(gap, 5) and not _negated_before(lex, text, link.start()):
                return (link.start(), grave.end()), f'It links "{grave.group()}" to something ("{link.group()} ... {grave.group()}")'
        for link in lex.harm_backward.finditer(text, grave.end()):
            gap = text[grave.end():link.start()]
            if _GAP.match(gap) and len(gap.split()) <= 4:  # "cancer (in adults) caused by"
                return (grave.start(), link.end()), f'It links "{grave.group()}" to a cause ("{grave.group()} ... {link.group()}")'
    return None


def _safety_claim(lex: Lexicon, text: str):
    for m in lex.safety.finditer(text):
        if not _negated_before(lex, text, m.start()) and not _embedded(text, m.start()):
            return m.span(), f'It declares "{m.group()}"'
    return None


# -- contradictions ------------------------------------------------------------------------------
_GENERIC_SUBJECTS = re.compile(
    r"^(?:it|this|they|the (?:condition|disorder|disease|syndrome|illness|problem)|this (?:condition|disorder|disease|syndrome|illness|problem))$",
    re.I,
)
_SUBJECT = re.compile(r"^\s*(?P<subj>[\w'’-]+(?:\s+[\w'’-]+){0,5}?)\s+(?:is|are|was|were|has|have|can|may|might|usually|often|typically)\b", re.I)
_DETERMINERS = re.compile(r"\b(?:the|a|an|this|that|these|those|its|their)\b\s*", re.I)
_RARE = re.compile(r"\b(?:is|are) (?:a |an )?(?:very |extremely |quite |relatively )?(?P<v>rare|uncommon)\b", re.I)
_COMMON = re.compile(
    r"\b(?:is|are) (?:a |an )?(?:very |quite |relatively |fairly )?(?P<v>common|widespread)\b(?! (?:in|among) [\w\s]{1,40} than)"
    r"|\baffects? (?P<v2>many|millions of|most) people\b",
    re.I,
)
_CAUSE_UNKNOWN = re.compile(
    r"\b(?:exact |precise |underlying |real )?cause (?:of (?P<of>[\w\s'’-]{1,40}?) )?(?:is|remains) (?:still |currently |largely )?"
    r"(?P<v>unknown|not known|unclear|not (?:fully |well |yet )?understood|a mystery)",
    re.I,
)
_STATED_CAUSE = re.compile(
    r"(?:^|[,;] (?:but |and |although |though |while )?)(?P<subj>[\w'’-]+(?:\s+[\w'’-]+){0,5}?)"
    r" (?:is|are|was|were|can be|may be|might be)(?P<gap>(?: [\w'’-]+){0,6}?)"
    r" (?:caused by|due to|the result of|related to|triggered by|brought on by) (?P<cause>[^,.;:()]{3,120})",
    re.I,
)
_NO_CURE = re.compile(r"\b(?:there is no (?:known )?cure|no (?:known )?cure (?:exists|is available)|(?:cannot|can't|can not) be cured|is incurable)\b", re.I)
_CURED = re.compile(
    r"\b(?:(?:can|will) be (?:completely |permanently |fully )?cured|is curable|(?:gone|cleared|cured) (?:for good|forever|permanently|once and for all))\b",
    re.I,
)
_STOP = frozenset(
    """a an the of in on at to for by with and or from that which who this these those its their
    is are was were be been being certain some other such as into than also may might can could
    mutation mutations gene genes genetic defect defects inherited factor factors problem problems
    cause causes caused codes code involved usually often thought believed""".split()
)


@dataclass(frozen=True)
class Fact:
    """A statement about the article's subject that another statement can contradict."""

    kind: str  # rarity | cause | cause-unknown | cure
    value: str
    subject: str
    line: int
    start: int
    end: int


def _key_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2)


def _same_subject(a: str, b: str) -> bool:
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _subject(text: str, topic: str) -> str:
    m = _SUBJECT.match(text)
    if not m:
        return topic
    subj = _DETERMINERS.sub("", m.group("subj")).strip().lower()
    if not subj or _GENERIC_SUBJECTS.match(m.group("subj").strip()):
        return topic
    return subj


def _facts(doc) -> Iterator[Fact]:
    """Facts with their subjects; "it" and "the condition" stand for the section's latest subject."""
    topic = ""
    headings = [b.start for b in doc.blocks if b.kind == HEADING]
    section = 0
    for s, flat in flats(doc):
        text = flat.text
        current = bisect_right(headings, s.start)
        if current != section:
            section, topic = current, ""
        subject = _subject(text, topic)
        if subject and _SUBJECT.match(text):
            topic = subject
        line = doc.position(s.start)[0]
        for pattern, kind in ((_RARE, "rarity"), (_COMMON, "rarity")):
            m = pattern.search(text)
            if m and not re.search(r"\b(?:more|most|less|least)\s+(?:\w+\s+)?$", text[: m.start("v") if m.group("v") else m.start()]):
                value = "rare" if pattern is _RARE else "common"
                yield _fact(flat, m, kind, value, subject, line)
        m = _CAUSE_UNKNOWN.search(text)
        if m:
            subj = _DETERMINERS.sub("", m.group("of")).strip().lower() if m.group("of") else subject
            yield _fact(flat, m, "cause-unknown", "unknown", subj or subject, line)
        for m in _STATED_CAUSE.finditer(text):
            clause_subject = _subject(m.group("subj") + " is", topic)
            yield _fact(flat, m, "cause", m.group("cause").strip(), clause_subject, line)
        for pattern, value in ((_NO_CURE, "no cure"), (_CURED, "cured")):
            m = pattern.search(text)
            if m:
                yield _fact(flat, m, "cure", value, subject, line)


def _fact(flat: Flat, m: re.Match[str], kind: str, value: str, subject: str, line: int) -> Fact:
    start, end = flat.span(m)
    return Fact(kind, value, subject, line, start, end)


def _conflict(earlier: Fact, later: Fact) -> str | None:
    """Why ``later`` contradicts ``earlier``, or None."""
    if not _same_subject(earlier.subject, later.subject) or earlier.line == later.line:
        return None
    if earlier.kind == later.kind == "rarity" and earlier.value != later.value:
        return f"line {earlier.line} says it is {earlier.value}; here it is {later.value}"
    if earlier.kind == later.kind == "cure" and earlier.value != later.value:
        return f"line {earlier.line} says {'there is no cure' if earlier.value == 'no cure' else 'it can be cured'}; here {'there is no cure' if later.value == 'no cure' else 'it can be cured'}"
    kinds = {earlier.kind, later.kind}
    if kinds == {"cause", "cause-unknown"}:
        if earlier.kind == "cause":
            return f'line {earlier.line} gives its cause as "{earlier.value}"; here the cause is unknown'
        return f'line {earlier.line} says the cause is unknown; here the cause is "{later.value}"'
    if earlier.kind == later.kind == "cause":
        a, b = _key_words(earlier.value), _key_words(later.value)
        if a and b and not a & b:  # no distinctive word in common: two different causes
            return f'line {earlier.line} gives its cause as "{earlier.value}"; here it is "{later.value}"'
    return None


@register("contradiction", fields={"detail", "subject"})
def contradiction(doc, rule, options, settings) -> Iterator[Hit]:
    """Incompatible facts about the same subject: rare vs common, unknown vs stated cause, ..."""
    seen: list[Fact] = []
    reported: set[int] = set()
    for fact in _facts(doc):
        if fact.line not in reported:
            for earlier in seen:
                why = _conflict(earlier, fact)
                if why:
                    reported.add(fact.line)
                    yield Hit(fact.start, fact.end, rule.message.format(detail=why, subject=fact.subject or "the subject"))
                    break
        seen.append(fact)
