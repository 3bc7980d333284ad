"""HL3xx checks: invented condition names, pseudo-diagnoses and the team's rejected names.

invented-condition works in two passes over a document. The first finds phrases presented as a
named condition (a head word such as "syndrome" with the words before it, or a capitalised
multi-word name introduced as a condition) and judges each against the vocabulary of recognised
names (:mod:`healthlint.vocabulary`) and the team's ``vocabulary.accept``. The second flags every
line where a name judged invented appears, headings included, so a reader of any section sees it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from healthlint.checks import register
from healthlint.findings import Hit
from healthlint.markup import FOOTNOTE, HEADING
from healthlint.patterns import literal_pattern
from healthlint.ruletypes import TermMatcher
from healthlint.vocabulary import descriptors, display_name, fold, names_sharing, normalise, related_names, vocabulary

_WORD = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*(?:(?<=[sS])['’](?!\w))?")
_HARD_STOP = re.compile(r"[.;:!?()\[\]{}\"“”«»|/]")  # a name never runs across these
MAX_MODIFIERS = 5  # words before the head word that can belong to a name
MAX_CONTEXT = 8  # words before the head word looked up in the vocabulary ("hereditary breast and ...")
# Function words and verbs: a name never starts before one ("can cause Milia Syndrome").
_STOP = frozenset("""
a an the of in on at by for from to with without about into onto upon over under between among
through during before after and or but nor if so because while although though per via vs versus
is are was were be been being has have had do does did can could may might will would should must
it its they them their we our you your he she his her i my me this that these those which who whom
whose what when where why how there here such as than like also not no any all some many most more
each every other another same both either neither only even just very called known named termed
include includes included including cause causes caused causing develop develops developed
developing diagnose diagnosed diagnosing treat treats treated treating get gets got see seen say
said call calls considered consider considers reduce reduces prevent prevents manage manages
""".split())
# In ASCII text, two capitalised words with only white space between them (the start of every
# capitalised name; a word's characters are all in the class): a block without one has no such name.
_CAPITALISED_PAIR = re.compile(r"[A-Z][\w'-]*\s+[A-Z]")
_ABBREVIATION = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Z0-9\-]+s?$|\d")
_CONTEXT_WORDS = ("condition", "disorder", "disease", "syndrome", "illness", "infection", "diagnosis", "ailment")
_CONTEXT_AFTER = re.compile(
    r"^\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
    rf"(?:{'|'.join(_CONTEXT_WORDS)})s?\b", re.I)
# Every match of _CONTEXT_AFTER or _CONTEXT_BEFORE contains one of these (lower case).
_CONTEXT_HINTS = (*_CONTEXT_WORDS, "diagnosed with", "suffer", "living with", "symptoms of", "signs of", "treatment",
                  "treating", "cure for", "causes of", "people with", "patients with", "children with", "cases of", "forms of")
_CONTEXT_BEFORE = re.compile(
    r"(?:diagnosed with|suffer(?:s|ed|ing)? from|living with|symptoms of|signs of|treatment (?:of|for)|"
    r"treating|cure for|causes of|people with|patients with|children with|cases of|forms of)\s+$", re.I)


class Token(NamedTuple):  # a NamedTuple: a document has thousands, and a tuple is the cheapest to make
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True, slots=True)
class Verdict:
    """A name judged not recognised: its normal form, as written, and the real term inside it."""

    key: str
    name: str
    head: str  # normal form of the head word, or "" for a capitalised name without one
    term: str | None  # the recognised term it is made of, plus a head word ("milia"), if any
    inner: str | None  # a recognised term among its words, for suggestions


RECOGNISED = "recognised"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A head word with the words before it, as found in the text."""

    context: list[Token]  # up to MAX_CONTEXT words before the head, commas and "and" allowed
    modifiers: list[Token]  # the words that can belong to the name (an ending of context)
    head: Token
    in_heading: bool
    sentence_start: int  # offset where the sentence starts
    title_sentence: bool  # the sentence capitalises most of its words (a title line)


@lru_cache(maxsize=8)
def _hints(heads: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Strings whose absence from a block of lower-cased ASCII text lets it be skipped.

    The first are the first four letters of every head word: a word whose normal form is a head
    word contains them (normalising ASCII text only lowers case, drops possessives and articles
    and makes the last word singular). The second are the words one of the context patterns
    needs, which a capitalised name must have around it.
    """
    return tuple(sorted({h[:4] for h in heads})), _CONTEXT_HINTS


class Judge:
    """Decides whether a phrase presented as a condition is a recognised name."""

    def __init__(self, heads: frozenset[str], accept: frozenset[str]) -> None:
        self.heads = heads
        self.accept = accept
        self.hints = _hints(heads)

    @property
    def vocab(self):
        return vocabulary()  # loaded on first use: most documents never get this far

    @property
    def descriptors(self) -> frozenset[str]:
        return descriptors()

    def known(self, key: str) -> bool:
        return self.vocab.has_key(key) or key in self.accept

    def recognised(self, words: list[str], latest_start: int) -> bool:
        """Is some ending of ``words`` (the last is the head word), starting at or before
        ``latest_start``, a recognised name? "disease" and "disorder" stand for each other."""
        head = words[-1]
        alternatives = [head, *({"disease": ["disorder"], "disorder": ["disease"]}.get(normalise(head), []))]
        for start in range(min(latest_start, len(words) - 2) + 1):
            for alt in alternatives:
                if self.known(normalise(" ".join([*words[start:-1], alt]))):
                    return True
        return False

    def descriptive(self, token: Token) -> bool:
        word = fold(token.text)
        return word in self.descriptors or word.endswith(("ing", "ly")) and len(word) > 5

    def core(self, modifiers: list[Token]) -> list[Token]:
        """The modifiers without leading words that only describe ("rare", "genetic", "diagnosing")."""
        i = 0
        while i < len(modifiers) and self.descriptive(modifiers[i]):
            i += 1
        return modifiers[i:]

    def real_term(self, core: list[Token], whole: bool) -> str | None:
        """The longest ending of the modifiers that is itself a recognised term ("milia");
        with ``whole``, only all of them."""
        for i in range(1 if whole else len(core)):
            part = core[i:]
            if all(self.descriptive(t) for t in part):
                return None
            if self.known(normalise(" ".join(t.text for t in part))):
                return " ".join(t.text for t in part)
        return None

    def name_like(self, tokens: list[Token]) -> bool:
        """Ordinary words made into a name: no abbreviation, no eponym, one medical word at least."""
        if any(_ABBREVIATION.search(t.text) or re.search(r"['’]", t.text) for t in tokens):
            return False
        return any(self.vocab.has_word(fold(t.text)) or fold(t.text) in self.descriptors for t in tokens)

    def head_phrase(self, phrase: Phrase) -> Verdict | str | None:
        """Judge "<modifiers> <head>": RECOGNISED, a Verdict (not recognised), or None (not a name)."""
        core = self.core(phrase.modifiers)
        core_start = len(phrase.context) - len(core)
        if self.recognised([t.text for t in (*phrase.context, phrase.head)], core_start):
            return RECOGNISED
        if not core or any(_ABBREVIATION.search(t.text) for t in core):
            return None  # "a rare genetic disorder"; "CACT deficiency": nothing to judge
        title_case = all(t.capitalised for t in (*core, phrase.head)) and not phrase.in_heading
        name_tokens = [*self._capitalised_descriptors(phrase, len(core)), *core, phrase.head] if title_case else [*core, phrase.head]
        name = " ".join(t.text for t in name_tokens)
        key = normalise(name)
        if len(key.split()) >= 3 and self.vocab.ends_a_name(key):
            return RECOGNISED  # a recognised name the sentence cut short ("... ovarian cancer syndrome")
        head_key = normalise(phrase.head.text)
        term = self.real_term(core, whole=True)
        if term is not None:
            return Verdict(key, name, head_key, term, term)
        opens_sentence = phrase.sentence_start == core[0].start
        if title_case and not phrase.title_sentence and (len(core) > 1 or not opens_sentence) and self.name_like(core):
            return Verdict(key, name, head_key, None, self.real_term(core, whole=False))
        return None

    def _capitalised_descriptors(self, phrase: Phrase, core_len: int) -> list[Token]:
        """Capitalised descriptive words right before the core belong to a Title Case name
        ("Chronic Skin Fatigue Syndrome"), except the first word of a sentence."""
        out: list[Token] = []
        for token in reversed(phrase.modifiers[: len(phrase.modifiers) - core_len]):
            if not token.capitalised or fold(token.text) not in self.descriptors or token.start == phrase.sentence_start:
                break
            out.insert(0, token)
        return out

    def capitalised_name(self, tokens: list[Token]) -> Verdict | None:
        """Judge a capitalised multi-word phrase introduced as a condition ("Dermal Keratin Overgrowth")."""
        name = " ".join(t.text for t in tokens)
        key = normalise(name)
        if any(self.known(normalise(" ".join(t.text for t in tokens[i:]))) for i in range(len(tokens))):
            return None
        if self.vocab.ends_a_name(key) or not self.name_like(tokens) or all(self.descriptive(t) for t in tokens):
            return None
        return Verdict(key, name, "", None, self.real_term(tokens, whole=False))


def _tokens(doc, start: int, end: int) -> list[Token]:
    return [Token(*m.span(), m.group()) for m in _WORD.finditer(doc.masked, start, end)]


def _joined(doc, left: Token, right: Token, allow_comma: bool = False) -> bool:
    """Are two neighbouring words joined by white space only (or a comma, when allowed)?"""
    gap = doc.masked[left.end:right.start]
    if _HARD_STOP.search(gap):
        return False
    return not gap.strip() or allow_comma and gap.strip() == ","


def _run_before(doc, tokens: list[Token], i: int, limit: int, stop: bool, allow_comma: bool) -> list[Token]:
    """The words right before ``tokens[i]``, up to ``limit``, not crossing punctuation (or stop words)."""
    j = i
    while j > 0 and i - j < limit and _joined(doc, tokens[j - 1], tokens[j], allow_comma):
        if stop and fold(tokens[j - 1].text) in _STOP:
            break
        j -= 1
    return tokens[j:i]


def _prose_blocks(doc):
    return [b for b in doc.blocks if b.kind != FOOTNOTE]


def _blocks_to_search(doc, matcher: TermMatcher):
    """The prose blocks in which the matcher may find something."""
    possible = matcher.blocks(doc)
    return [b for i, b in enumerate(doc.blocks) if i in possible and b.kind != FOOTNOTE]


def _judge_document(doc, judge: Judge) -> tuple[dict[str, Verdict], set[int]]:
    """Pass one: every name judged invented (by normal form), and the heads of recognised names."""
    invented: dict[str, Verdict] = {}
    recognised_heads: set[int] = set()
    head_hint, context_hint = judge.hints
    for block in _prose_blocks(doc):
        text = doc.masked[block.start:block.end]
        low = text.lower() if text.isascii() else None  # other text is never skipped
        heads_possible = low is None or any(hint in low for hint in head_hint)
        names_possible = block.kind != HEADING and (low is None or _CAPITALISED_PAIR.search(text) is not None) \
            and (heads_possible or any(hint in low for hint in context_hint))
        if not (heads_possible or names_possible):
            continue  # no head word and no wording that presents a name as a condition
        tokens = _tokens(doc, block.start, block.end)
        for i, token in enumerate(tokens if heads_possible else ()):
            if normalise(token.text) not in judge.heads:
                continue
            modifiers = _run_before(doc, tokens, i, MAX_MODIFIERS, True, False)
            if not modifiers:
                continue
            sentence = doc.sentence_at(token.start)
            start, end = (sentence.start, sentence.end) if sentence else (block.start, block.end)
            phrase = Phrase(_run_before(doc, tokens, i, MAX_CONTEXT, False, True), modifiers, token,
                            block.kind == HEADING, _first_word(doc, start, end),
                            _title_sentence(doc, start, end, modifiers[0].start, token.end))
            verdict = judge.head_phrase(phrase)
            if verdict == RECOGNISED:
                recognised_heads.add(token.start)
            elif isinstance(verdict, Verdict):
                invented.setdefault(verdict.key, verdict)
        if names_possible:
            for verdict in _capitalised_names(doc, block, tokens, judge):
                invented.setdefault(verdict.key, verdict)
    return invented, recognised_heads


def _first_word(doc, start: int, end: int) -> int:
    m = _WORD.search(doc.masked, start, end)
    return m.start() if m else start


def _title_sentence(doc, start: int, end: int, name_start: int, name_end: int) -> bool:
    """Does the sentence capitalise most of its other words, like a title line?"""
    others = [w for w in _WORD.findall(doc.masked[start:name_start] + " " + doc.masked[name_end:end]) if w[:1].isalpha()]
    return len(others) >= 2 and sum(w[:1].isupper() for w in others) >= 0.6 * len(others)


def _capitalised_names(doc, block, tokens: list[Token], judge: Judge) -> Iterator[Verdict]:
    """Capitalised runs of two to five words that their block presents as a condition."""
    following = 0  # where the next run may start: runs do not overlap
    for i in [k for k, t in enumerate(tokens) if t.text[:1].isupper()]:  # a run starts with a capital
        if i < following:
            continue
        j = i
        while j < len(tokens) and tokens[j].capitalised and not _ABBREVIATION.search(tokens[j].text) \
                and (j == i or _joined(doc, tokens[j - 1], tokens[j])) and j - i < 5:
            j += 1
        run = tokens[i:j]
        while run and fold(run[0].text) in _STOP:
            run = run[1:]
        if len(run) >= 2 and not any(normalise(t.text) in judge.heads for t in run):
            after = doc.masked[run[-1].end:min(block.end, run[-1].end + 80)]
            before = doc.masked[max(block.start, run[0].start - 40):run[0].start]
            if _CONTEXT_AFTER.match(after) or _CONTEXT_BEFORE.search(before):
                verdict = judge.capitalised_name(run)
                if verdict is not None:
                    yield verdict
        following = max(j, i + 1)


def _name_pattern(name: str) -> str:
    """Every spelling of a name: any case, hyphen or space, possessive, plural head, accents or not."""
    parts = []
    for word in re.split(r"[\s\-‐‑–—]+", name):
        word = re.sub(r"['’]s?$", "", word)
        body = "".join(f"[{re.escape(c)}{re.escape(fold(c))}]" if fold(c) != c.lower() else re.escape(c) for c in word)
        parts.append(body + r"(?:['’]s?)?")
    parts[-1] += r"(?:e?s)?"
    return r"[\s\-‐‑–—]+".join(parts)


def _occurrences(doc, invented: dict[str, Verdict], recognised_heads: set[int]) -> dict[str, list[tuple[int, int]]]:
    """Where each invented name appears in prose (one pass for all names), outside recognised names."""
    patterns = sorted({_name_pattern(v.name) for v in invented.values()}, key=len, reverse=True)
    combined = re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])", re.I)
    found: dict[str, list[tuple[int, int]]] = {}
    for block in _prose_blocks(doc):
        for m in combined.finditer(doc.masked, block.start, block.end):
            words = list(_WORD.finditer(m.group()))
            if words and m.start() + words[-1].start() in recognised_heads:
                continue  # part of a longer, recognised name
            key = normalise(m.group())
            if key in invented:
                found.setdefault(key, []).append((m.start(), m.end()))
    return found


def debunked(doc, spans: list[tuple[int, int]], cues: re.Pattern[str] | None) -> bool:
    """Does any sentence that mentions the name say it is not a real diagnosis?"""
    if cues is None:
        return False
    for start, _ in spans:
        sentence = doc.sentence_at(start)
        if sentence is not None and cues.search(" ".join(sentence.text.split())):  # a wrapped line reads as one
            return True
    return False


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _accepted(settings) -> frozenset[str]:
    vocab = getattr(settings, "vocabulary", None) or {}
    return _accept_keys(tuple(vocab.get("accept") or ()))


@lru_cache(maxsize=16)
def _accept_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise(n) for n in names)


@lru_cache(maxsize=1024)
def _advice(verdict: Verdict, limit: int) -> tuple[str, str, tuple[str, ...]]:
    """The reason shown after the name ({match} is filled per line), the advice, the names to suggest."""
    term_key = normalise(verdict.inner) if verdict.inner else ""
    suggestions = related_names(term_key) if term_key else []
    if len(suggestions) < limit:
        words = term_key.split() if term_key else [w for w in verdict.key.split() if w != verdict.head]
        taken = {normalise(s) for s in suggestions} | {verdict.key, term_key}
        least = 1 if term_key else min(2, len(words))  # one shared ordinary word is no kinship
        suggestions += names_sharing(words, verdict.head, taken, limit - len(suggestions), least)
    suggestions = suggestions[:limit]
    if verdict.term:
        term = display_name(normalise(verdict.term)) or verdict.term
        reason = f': "{term}" is a recognised term, but no recognised condition is called "{{match}}"'
    else:
        reason = " in ICD-10-CM, the Disease Ontology or MeSH"
    if suggestions:
        text = f"Name the real condition (such as {', '.join(suggestions)}) or describe the signs without a name."
    else:
        text = "Check the name in a medical source, or describe the signs without a name."
    return reason, text + " If it is right, add it to vocabulary.accept.", tuple(suggestions)


@register("invented-condition", fields={"match", "reason", "advice"},
          options={"head-words": [], "debunk-cues": [], "suggestions": 4})
def invented_condition(doc, rule, options, settings) -> Iterator[Hit]:
    """Condition names that no recognised vocabulary lists, on every line they appear."""
    heads = frozenset(normalise(h) for h in options["head-words"])
    if not heads or not doc.has_prose:
        return
    judge = Judge(heads, _accepted(settings))
    invented, recognised_heads = _judge_document(doc, judge)
    cues = _compiled(tuple(options["debunk-cues"]))
    if not invented:
        return
    found: list[tuple[int, int, Verdict]] = []
    for key, spans in _occurrences(doc, invented, recognised_heads).items():
        if not debunked(doc, spans, cues):
            found += [(s, e, invented[key]) for s, e in spans]
    for start, end, verdict in _first_per_line(doc, _outermost(found)):
        reason, text, suggestions = _advice(verdict, options["suggestions"])
        match = " ".join(doc.text[start:end].split())
        message = rule.message.format(match=match, reason=reason.format(match=match), advice=text)
        yield Hit(start, end, message, "; ".join(suggestions) or None)


def _outermost(found: list[tuple[int, int, Verdict]]) -> list[tuple[int, int, Verdict]]:
    """Drop spans inside a longer one ("Milia Syndrome" inside "Chronic Milia Syndrome")."""
    out: list[tuple[int, int, Verdict]] = []
    for item in sorted(found, key=lambda f: (f[0], -f[1])):
        if not out or item[0] >= out[-1][1]:
            out.append(item)
    return out


def _first_per_line(doc, found: list[tuple[int, int, Verdict]]) -> list[tuple[int, int, Verdict]]:
    """One finding per name per line: a long paragraph that repeats the name is flagged once."""
    seen: set[tuple[int, str]] = set()
    out = []
    for item in found:
        where = (doc.position(item[0])[0], item[2].key)
        if where not in seen:
            seen.add(where)
            out.append(item)
    return out


# -- pseudo-diagnosis -----------------------------------------------------------------------------
@lru_cache(maxsize=16)
def _pseudo_matcher(terms_json: str) -> TermMatcher:
    """Term lists compiled once per distinct list (the options of a run are the same object each time)."""
    terms = json.loads(terms_json)
    return TermMatcher([t for t in terms if "token" in t], [t for t in terms if "pattern" in t], True, "term list")


@register("pseudo-diagnosis", fields={"match", "note"}, options={"terms": [], "debunk-cues": [], "sentence-cues": []})
def pseudo_diagnosis(doc, rule, options, settings) -> Iterator[Hit]:
    """Names that expert bodies reject as diagnoses, unless the article itself says so."""
    if not options["terms"]:
        return
    matcher = _pseudo_matcher(json.dumps(options["terms"], sort_keys=True))
    cues = _compiled(tuple(options["debunk-cues"]))
    sentence_cues = _compiled(tuple(options["sentence-cues"]))
    accepted = _accepted(settings)
    found: dict[str, list[tuple[re.Match[str], dict]]] = {}
    for block in _blocks_to_search(doc, matcher):
        for m, entry in matcher.find(doc.masked, block.start, block.end):
            if normalise(m.group()) not in accepted:
                found.setdefault(entry.get("token") or entry.get("pattern", ""), []).append((m, entry))
    for matches in found.values():
        if debunked(doc, [(m.start(), m.end()) for m, _ in matches], cues):
            continue  # the article says the term is not a diagnosis: every mention is fine
        for m, entry in matches:
            if debunked(doc, [(m.start(), m.end())], sentence_cues):
                continue  # this sentence calls it unproven or disputed
            matched = " ".join(m.group().split())
            yield Hit(m.start(), m.end(), rule.message.format(match=matched, note=entry.get("note", "")))


# -- rejected-term ------------------------------------------------------------------------------
@lru_cache(maxsize=16)
def _team_rejects(entries: tuple[tuple[str, str | None], ...]) -> list[tuple[re.Pattern[str], str | None, re.Pattern[str] | None]]:
    out = []
    for name, preferred in entries:
        keep = re.compile(literal_pattern(preferred), re.I) if preferred else None
        out.append((re.compile(literal_pattern(name), re.I), preferred, keep))
    return out


def _inside(spans: list[tuple[int, int]], m: re.Match[str]) -> bool:
    return any(s <= m.start() and m.end() <= e for s, e in spans)


@register("rejected-term", fields={"match", "why", "advice"}, options={"retired": []})
def rejected_term(doc, rule, options, settings) -> Iterator[Hit]:
    """The names the team bans in vocabulary.reject, and retired names (built in)."""
    vocab = getattr(settings, "vocabulary", None) or {}
    blocks = _prose_blocks(doc)
    team: list[Hit] = []
    for pattern, preferred, keep in _team_rejects(tuple((vocab.get("reject") or {}).items())):
        for block in blocks:
            kept = [(k.start(), k.end()) for k in keep.finditer(doc.masked, block.start, block.end)] if keep else []
            for m in pattern.finditer(doc.masked, block.start, block.end):
                if not _inside(kept, m):
                    team.append(_reject_hit(m, rule, "is on your team's list of names not to use (vocabulary.reject)", preferred))
    yield from team
    if not options["retired"]:
        return
    accepted = _accepted(settings)
    matcher = _pseudo_matcher(json.dumps(options["retired"], sort_keys=True))
    for block in _blocks_to_search(doc, matcher):
        for m, entry in matcher.find(doc.masked, block.start, block.end):
            if normalise(m.group()) in accepted or any(h.start < m.end() and m.start() < h.end for h in team):
                continue  # allowed by the team, or already reported with the team's own preferred form
            why = f"is a retired name ({entry.get('note', 'no longer used')}): readers who search for it find outdated information"
            yield _reject_hit(m, rule, why, entry.get("suggestion"))


def _reject_hit(m: re.Match[str], rule, why: str, preferred: str | None) -> Hit:
    matched = " ".join(m.group().split())
    advice = f'Write "{preferred}" instead.' if preferred else "Use the name your style guide gives instead."
    return Hit(m.start(), m.end(), rule.message.format(match=matched, why=why, advice=advice), preferred)
