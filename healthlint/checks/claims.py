"""HL1xx checks that need real logic: unhedged claims, serious-harm claims, contradictions.

The word lists (hedges, qualifiers, boosters, claim cues, negations, named sources, grave
outcomes) live in ``healthlint/data/claims.yaml`` and are compiled into combined patterns, each
the first time it is needed; each sentence is then read with a fixed number of regex searches, so
a document costs time linear in its length.

Most sentences make no claim, name no grave outcome and state no fact about the subject. Once a
process has read a few hundred sentences, each pattern that every sentence would go through gets a
literal prefilter (:mod:`healthlint.prefilter`): one search of the whole document for the strings
a match must contain picks the sentences worth running the pattern on. The prefilter only skips
sentences the pattern cannot match, so the findings are the same with it or without it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from healthlint.attribution import attributed, names_source
from healthlint.checks import register
from healthlint.datafiles import load_yaml
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING
from healthlint.patterns import phrase_alternation
from healthlint.prefilter import Needles, NeedleSet, Probes, needles

_LEXICON_FILE = "claims.yaml"
_FLAGS = re.IGNORECASE

# Prefilters are built once this many sentences have been read in the process: building them
# costs about as much as reading a few hundred sentences without them, which a one-file run
# never recovers. (Tests set it to 0 to read every document through the prefilters.)
PREFILTER_AFTER = 200
_read = [0]  # sentences read so far by the claims checks, in this process


class Gate:
    """A pattern and, once enough text has been read, its prefilter."""

    def __init__(self, pattern: Callable[[], re.Pattern[str]], *, at_end: bool = True) -> None:
        self._pattern = pattern
        self._at_end = at_end
        self._needles: Needles | None = None
        self._built = False

    def needles(self) -> Needles | None:
        """The prefilter, or None (every sentence may match) while it is not worth building."""
        if _read[0] < PREFILTER_AFTER:
            return None
        if not self._built:
            self._needles, self._built = needles(self._pattern(), at_end=self._at_end), True
        return self._needles


class GateGroup:
    """Gates whose prefilters are looked for together: one pass over a document serves them all."""

    def __init__(self, gates) -> None:
        self.gates = tuple(gates)
        self._built: tuple[list[int], NeedleSet] | None = None

    def prefilter(self) -> tuple[list[int], NeedleSet] | None:
        """Which gates have a prefilter, and their needles as one set; None while not worth it."""
        if _read[0] < PREFILTER_AFTER:
            return None
        if self._built is None:
            known = [(i, n) for i, n in enumerate(g.needles() for g in self.gates) if n is not None]
            if not known or len({n.ignorecase for _, n in known}) > 1:
                return None  # nothing to look for together: each gate on its own
            self._built = [i for i, _ in known], NeedleSet([n for _, n in known])
        return self._built


class Lexicon:
    """The claim lexicons, each compiled the first time a document needs it."""

    def __init__(self, extra_hedges: tuple[str, ...] = (), extra_claims: tuple[str, ...] = ()) -> None:
        self._data = load_yaml(_LEXICON_FILE)
        self._extra_hedges = list(extra_hedges)
        self._kinds = dict(self._data["claims"])
        if extra_claims:
            self._kinds["team"] = {"hedge": "may / in some people", "patterns": list(extra_claims)}
        self.hedge_for = {kind: spec["hedge"] for kind, spec in self._kinds.items()}
        self._kind_patterns: dict[str, re.Pattern[str]] = {}
        self.kind_gates = {kind: Gate(lambda kind=kind: self.kind_pattern(kind)) for kind in self._kinds}
        self.grave_gate = Gate(lambda: self.grave)
        # Links found before a grave outcome are searched with an endpos (see prefilter.needles).
        self.harm_forward_gate = Gate(lambda: self.harm_forward, at_end=False)
        self.harm_backward_gate = Gate(lambda: self.harm_backward)
        self.safety_gate = Gate(lambda: self.safety)
        self.claim_gates = GateGroup(self.kind_gates.values())
        self.harm_gates = GateGroup([self.grave_gate, self.harm_forward_gate, self.harm_backward_gate, self.safety_gate])

    def _claim_group(self, kind: str) -> str:
        return f"(?P<{kind}>{phrase_alternation(self._kinds[kind]['patterns'])})"

    def kind_pattern(self, kind: str) -> re.Pattern[str]:
        """The claim pattern of one kind: its part of :attr:`claims`, alone."""
        pattern = self._kind_patterns.get(kind)
        if pattern is None:
            pattern = self._kind_patterns[kind] = re.compile(self._claim_group(kind), _FLAGS)
        return pattern

    def _words(self, key: str) -> re.Pattern[str]:
        return re.compile(phrase_alternation(self._data[key]), _FLAGS)

    @cached_property
    def speculation(self) -> re.Pattern[str]:
        return re.compile(phrase_alternation(self._data["speculation"] + self._extra_hedges), _FLAGS)

    @cached_property
    def qualifiers(self) -> re.Pattern[str]:
        return self._words("qualifiers")

    @cached_property
    def boosters(self) -> re.Pattern[str]:
        return self._words("boosters")

    @cached_property
    def claims(self) -> re.Pattern[str]:
        """One named group per kind of claim."""
        return re.compile("|".join(self._claim_group(kind) for kind in self._kinds), _FLAGS)

    @cached_property
    def negation(self) -> re.Pattern[str]:
        return re.compile(phrase_alternation(self._data["negations"]) + r"|n't\b", _FLAGS)

    @cached_property
    def instruction(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self._data["instructions"]), _FLAGS)

    @cached_property
    def debunking(self) -> re.Pattern[str]:
        return self._words("debunking")

    @cached_property
    def grave(self) -> re.Pattern[str]:
        return self._words("grave_outcomes")

    @cached_property
    def harm_forward(self) -> re.Pattern[str]:
        return self._words("harm_links_forward")

    @cached_property
    def harm_backward(self) -> re.Pattern[str]:
        return self._words("harm_links_backward")

    @cached_property
    def safety(self) -> re.Pattern[str]:
        return re.compile(phrase_alternation(self._kinds["safety"]["patterns"]), _FLAGS)


@lru_cache(maxsize=8)
def lexicon(extra_hedges: tuple[str, ...] = (), extra_claims: tuple[str, ...] = ()) -> Lexicon:
    """The lexicons, loaded once (per set of team additions)."""
    return Lexicon(extra_hedges, extra_claims)


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


_EMBEDDING = re.compile(
    r"\b(?:whether|if|how|find out|test(?:s|ing)? (?:if|whether)|determine|studied|studying|to see"
    r"|(?:risk|chance|likelihood|possibility|odds) that)\b",
    re.I,
)


def _clause_before(text: str, start: int, span: int, words: int) -> str:
    r"""Up to ``words`` words before ``start`` (within ``span`` characters), after any , ; or :.

    For single-spaced text, what ``(?:\S+\s+){0,words}$`` finds in ``text[start - span:start]``
    (a partial first word included), cut after its last comma, semicolon or colon.
    """
    window = text[max(0, start - span):start]
    if not window.endswith(" "):
        return ""
    parts = window[:-1].split(" ")
    if not parts[0]:
        del parts[0]  # the window starts with the space before a word
    chunk = " ".join(parts[-words:]) + " " if parts else ""
    return chunk[max(chunk.rfind(","), chunk.rfind(";"), chunk.rfind(":")) + 1:]


def _embedded(text: str, start: int) -> bool:
    """The claim sits in an embedded question ("trials test whether new drugs are safe")."""
    return bool(_EMBEDDING.search(_clause_before(text, start, 90, 7)))


def _negated_before(lex: Lexicon, text: str, start: int) -> bool:
    """A negation among the four words before ``start`` (within the same clause)."""
    return bool(lex.negation.search(_clause_before(text, start, 60, 4)))


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


def unhedged_claim_in(lex: Lexicon, text: str, kinds: list[str] | None = None) -> re.Match[str] | None:
    """The claim of a single-spaced sentence when :attr:`Reading.unhedged_claim` holds, else None.

    The same decision as :func:`read_sentence`, but each lexicon is only consulted until one
    excuses the sentence (the checks read many sentences; the evaluation wants every cue).
    ``kinds``: the only kinds of claim the sentence may hold (from the prefilters), if known.
    """
    claim = _first_claim(lex, text, kinds)
    if claim is None or text.rstrip("\"'”’) ").endswith("?"):
        return None
    if _negated_before(lex, text, claim.start()) or lex.negation.search(claim.group()) or _embedded(text, claim.start()):
        return None
    if lex.qualifiers.search(text) or lex.speculation.search(text) or lex.instruction.search(text):
        return None
    if lex.debunking.search(text) or names_source(text):
        return None
    return claim


_PURPOSE = re.compile(r"\b(?:to|ways? to|in order to|trying to|aims? to|goal is to|used to)\s+(?:\w+\s+(?:or|and)\s+)?$", re.I)


def _first_claim(lex: Lexicon, text: str, kinds: list[str] | None = None) -> re.Match[str] | None:
    """The first claim cue that is not negated, else the first one.

    A cue introduced by "to" ("ways to prevent cancer", "the goal is to prevent") states a
    purpose, not a claim, and is skipped. ``kinds``: the only kinds of claim the text may hold.
    """
    first = None
    if len(text.split()) < 4:
        return None  # a fragment ("heal better" in a list), not a sentence that asserts anything
    for m in lex.claims.finditer(text) if kinds is None else _claims_of(lex, text, kinds):
        if _PURPOSE.search(text, max(0, m.start() - 30), m.start()):
            continue
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue  # inside parentheses: a definition ("petechiae (spots caused by bleeding)")
        if first is None:
            first = m
        if not _negated_before(lex, text, m.start()) and not lex.negation.search(m.group()):
            return m
    return first


_UNSEARCHED = object()


def _claims_of(lex: Lexicon, text: str, kinds: list[str]) -> list[re.Match[str]]:
    """What ``lex.claims.finditer(text)`` gives when only ``kinds`` can match in ``text``.

    The combined pattern tries the kinds in order at each position, and the kinds that cannot
    match anywhere never win, so searching with the others' patterns alone gives the same
    matches (the leftmost; at one position, the first kind), for a fraction of the work.
    """
    patterns = [lex.kind_pattern(kind) for kind in kinds]
    ahead: list = [_UNSEARCHED] * len(patterns)  # each kind's next match (None: no more)
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        best = None
        for k, pattern in enumerate(patterns):
            m = ahead[k]
            if m is _UNSEARCHED or (m is not None and m.start() < pos):
                m = ahead[k] = pattern.search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return out
        if best.end() == best.start():
            return list(lex.claims.finditer(text))  # an empty match: let the combined pattern decide
        out.append(best)
        pos = best.end()


class Flat:
    """A sentence's single-spaced text, and the way back to document offsets.

    The way back is worked out only when a finding needs it.
    """

    __slots__ = ("sentence", "text", "_flat_starts", "_raw_starts")

    def __init__(self, sentence, text: str | None = None) -> None:
        self.sentence = sentence
        self.text = " ".join(sentence.text.split()) if text is None else text
        self._flat_starts: list[int] | None = None
        self._raw_starts: list[int] = []

    def _raw(self, flat: int) -> int:
        if self._flat_starts is None:
            self._flat_starts = []
            pos = 0
            for m in _TOKEN.finditer(self.sentence.text):
                self._raw_starts.append(self.sentence.start + m.start())
                self._flat_starts.append(pos)
                pos += m.end() - m.start() + 1
        i = max(0, bisect_right(self._flat_starts, flat) - 1)
        return self._raw_starts[i] + (flat - self._flat_starts[i])

    def span(self, m: re.Match[str]) -> tuple[int, int]:
        """Document offsets of a match found in :attr:`text`."""
        return self.span_of(*m.span())

    def span_of(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of ``text[start:end]``."""
        if not self.text:
            return 0, 0
        raw_start = self._raw(start)
        return raw_start, (self._raw(end - 1) + 1 if end > start else raw_start)


_TOKEN = re.compile(r"\S+")


class Sentences:
    """A document's claim-bearing sentences (not headings or footnotes), single-spaced once.

    :meth:`matching` says which of them a gated pattern may match, once per document and gate.
    """

    def __init__(self, doc) -> None:
        self.sentences = [s for s in doc.sentences if s.block.kind not in (HEADING, FOOTNOTE)]
        self.texts = [" ".join(s.text.split()) for s in self.sentences]
        self._flats: dict[int, Flat] = {}
        self._probes: Probes | None = None
        self._matching: dict[Gate, list[int] | range] = {}
        _read[0] += len(self.sentences)

    def flat(self, i: int) -> Flat:
        """Sentence ``i`` with its way back to document offsets."""
        found = self._flats.get(i)
        if found is None:
            found = self._flats[i] = Flat(self.sentences[i], self.texts[i])
        return found

    def matching(self, gate: Gate) -> list[int] | range:
        """Indices of the sentences the gate's pattern may match, in order."""
        found = self._matching.get(gate)
        if found is None:
            gate_needles = gate.needles()
            if gate_needles is None:
                found = range(len(self.texts))
            else:
                found = self._probes_now().matching(gate_needles)
            self._matching[gate] = found
        return found

    def matching_each(self, group: GateGroup) -> list[list[int] | range]:
        """:meth:`matching` for each gate of a group, in one pass over the document."""
        if any(g not in self._matching for g in group.gates):
            built = group.prefilter()
            if built is None:
                return [self.matching(g) for g in group.gates]
            every = range(len(self.texts))
            results: list[list[int] | range] = [every] * len(group.gates)
            members, needle_set = built
            for member, hits in zip(members, self._probes_now().matching_each(needle_set)):
                results[member] = hits
            self._matching.update(zip(group.gates, results))
        return [self._matching[g] for g in group.gates]

    def _probes_now(self) -> Probes:
        if self._probes is None:
            self._probes = Probes(self.texts)
        return self._probes


def sentences(doc) -> Sentences:
    """The claim-bearing sentences of a document, built once per document."""
    cached = doc.__dict__.get("_claim_sentences")
    if cached is None:
        cached = doc.__dict__["_claim_sentences"] = Sentences(doc)
    return cached


# -- the checks ----------------------------------------------------------------------------------
@register("unhedged-claim", fields={"trigger", "suggestion", "booster"}, options={"extra-hedges": [], "extra-claims": []})
def unhedged_claim(doc, rule, options, settings) -> Iterator[Hit]:
    """A sentence that asserts cause, effect, treatment, prevention, prognosis or safety as certain."""
    lex = _lexicon_for(options)
    found = sentences(doc)
    kinds_at: dict[int, list[str]] = {}
    for kind, matching in zip(lex.kind_gates, found.matching_each(lex.claim_gates)):
        for i in matching:
            kinds_at.setdefault(i, []).append(kind)
    every = len(lex.kind_gates)
    for i in sorted(kinds_at):
        s, text, kinds = found.sentences[i], found.texts[i], kinds_at[i]
        claim = unhedged_claim_in(lex, text, None if len(kinds) == every else kinds)
        if claim is None or attributed(doc, s.start, s.end):
            continue
        if _harm_link(lex, text) or _safety_claim(lex, text):
            continue  # serious-harm-claim reports this sentence, at a higher severity
        start, end = found.flat(i).span(claim)
        suggestion = lex.hedge_for.get(claim.lastgroup or "", "may")
        booster = lex.boosters.search(text)
        more = f' "{booster.group()}" makes it sound even more certain.' if booster else ""
        message = rule.message.format(trigger=claim.group(), suggestion=suggestion, booster=more)
        yield Hit(start, end, message, suggestion, "error" if booster else None)


@register("serious-harm-claim", fields={"detail"}, options={"extra-hedges": [], "extra-claims": []})
def serious_harm_claim(doc, rule, options, settings) -> Iterator[Hit]:
    """A grave outcome (cancer, death, organ failure...) or a safety promise, with no source."""
    lex = _lexicon_for(options)
    found = sentences(doc)
    # A harm link needs a grave outcome and a link to it; a safety claim, a safety cue.
    grave, forward, backward, safety = found.matching_each(lex.harm_gates)
    links = set(forward).union(backward)
    harms = links.intersection(grave) if links else links
    for i in sorted(harms.union(safety)):
        s, text = found.sentences[i], found.texts[i]
        hit = _harm_link(lex, text) or _safety_claim(lex, text)
        if hit is None or attributed(doc, s.start, s.end):
            continue
        (start, end), detail = hit
        start, end = found.flat(i).span_of(start, end)
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
    return _subject_of(_SUBJECT.match(text), topic)


def _subject_of(m: re.Match[str] | None, topic: str) -> str:
    if not m:
        return topic
    subj = _DETERMINERS.sub("", m.group("subj")).strip().lower()
    if not subj or _GENERIC_SUBJECTS.match(m.group("subj").strip()):
        return topic
    return subj


# The fact patterns, with their prefilters: most sentences state none of these facts.
_FACT_GATES = GateGroup(Gate(lambda p=p: p) for p in (_RARE, _COMMON, _CAUSE_UNKNOWN, _STATED_CAUSE, _NO_CURE, _CURED))


def _facts(doc) -> Iterator[Fact]:
    """Facts with their subjects; "it" and "the condition" stand for the section's latest subject.

    Only the sentences that may state a fact are read in full; the subject a fact refers to is
    found by reading back from it, to the sentence before (or the start of its section).
    """
    headings = [b.start for b in doc.blocks if b.kind == HEADING]
    found = sentences(doc)
    rare, common, unknown, stated, no_cure, cured = map(set, found.matching_each(_FACT_GATES))
    rarity, cure = rare | common, no_cure | cured

    def section(j: int) -> int:
        return bisect_right(headings, found.sentences[j].start)

    prev, prev_topic = -1, ""  # the last sentence read in full, and the topic after it
    for i in sorted(rarity | unknown | stated | cure):
        s, text, flat = found.sentences[i], found.texts[i], found.flat(i)
        topic, j = None, i - 1
        while j > prev and section(j) == section(i):
            topic = _subject_of(_SUBJECT.match(found.texts[j]), "") or None
            if topic:
                break
            j -= 1
        if topic is None:
            topic = prev_topic if j == prev and prev >= 0 and section(prev) == section(i) else ""
        m = _SUBJECT.match(text)
        subject = _subject_of(m, topic)
        if subject and m:
            topic = subject
        prev, prev_topic = i, topic
        line = doc.position(s.start)[0]
        if i in rarity:
            for pattern, kind in ((_RARE, "rarity"), (_COMMON, "rarity")):
                m = pattern.search(text)
                if m and not re.search(r"\b(?:more|most|less|least)\s+(?:\w+\s+)?$", text[: m.start("v") if m.group("v") else m.start()]):
                    value = "rare" if pattern is _RARE else "common"
                    yield _fact(flat, m, kind, value, subject, line)
        if i in unknown:
            m = _CAUSE_UNKNOWN.search(text)
            if m:
                subj = _DETERMINERS.sub("", m.group("of")).strip().lower() if m.group("of") else subject
                yield _fact(flat, m, "cause-unknown", "unknown", subj or subject, line)
        if i in stated:
            for m in _STATED_CAUSE.finditer(text):
                clause_subject = _subject(m.group("subj") + " is", topic)
                yield _fact(flat, m, "cause", m.group("cause").strip(), clause_subject, line)
        if i in cure:
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
