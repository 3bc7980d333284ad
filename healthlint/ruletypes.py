"""The data-driven rule types, after Vale's: a new word list or pattern needs no Python.

Each type validates its options and compiles its patterns once, when the pack is loaded, and
then only reads documents. Types:

- ``existence``: flag words, phrases or regexes (with exceptions).
- ``substitution``: flag a word and suggest a replacement.
- ``occurrence``: flag more than ``max`` matches per sentence, paragraph or document.
- ``required``: the document must contain one of these (or a front-matter key).
- ``metric``: a numeric property of a sentence, paragraph or document against a threshold.
- ``consistency``: use one of two forms throughout.
- ``check``: a Python check registered in :mod:`healthlint.checks` (for real logic).

A team's own packs are user input: a rule type built with a :class:`~healthlint.safe_regex.Budget`
compiles its patterns with the ``regex`` module under that time budget, and refuses patterns
that nest repeats (see :mod:`healthlint.safe_regex`). Built-in packs use the faster stdlib ``re``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from typing import Any

from healthlint.attribution import attributed, sentence_cites  # noqa: F401  (sentence_cites: re-exported)
from healthlint.findings import SEVERITIES, Hit
from healthlint.markup import FOOTNOTE, HEADING, LIST_ITEM, PARAGRAPH, HTML
from healthlint.patterns import flexible_spaces, literal_body, literal_pattern
from healthlint.prefilter import BlockGate
from healthlint.rules import message_fields
from healthlint.safe_regex import ADVICE, Budget, compile_limited, nested_repeat

SCOPES = {
    "prose": lambda b: b.kind != FOOTNOTE,
    "body": lambda b: b.kind not in (HEADING, FOOTNOTE),
    "headings": lambda b: b.kind == HEADING,
    "all": lambda b: True,
}
PARAGRAPH_KINDS = (PARAGRAPH, LIST_ITEM, HTML)


class RuleDefinitionError(ValueError):
    """A rule's options are wrong; the loader adds the file, line and rule."""


# -- helpers for options ------------------------------------------------------------------------
class _Options:
    """Typed access to a rule's options with errors a pack author can act on."""

    def __init__(self, options: Mapping[str, Any], allowed: set[str]) -> None:
        unknown = set(options) - allowed
        if unknown:
            raise RuleDefinitionError(
                f"unknown option(s) {', '.join(sorted(unknown))}; this type takes: {', '.join(sorted(allowed)) or 'none'}"
            )
        self.options = options

    def get(self, key: str, kind: type | tuple, default: Any = None) -> Any:
        value = self.options.get(key, default)
        if value is default:
            return value
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            raise RuleDefinitionError(f"option '{key}' must be {names}, not {type(value).__name__}")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.options.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleDefinitionError(f"option '{key}' must be a list of strings")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.options.get(key, default)
        if value not in choices:
            raise RuleDefinitionError(f"option '{key}' must be one of {', '.join(choices)}, not '{value}'")
        return value


def compile_pattern(source: str, flags: int, what: str, budget: Budget | None = None, label: str | None = None):
    """Compile a pack's pattern: with ``re``, or for a team pack (``budget`` given) time-limited.

    ``label`` is the pack author's pattern, named if it runs out of time.
    """
    try:
        if budget is None:
            return re.compile(flexible_spaces(source), flags)
        return compile_limited(flexible_spaces(source), flags, budget, label)
    except re.error as exc:
        raise RuleDefinitionError(f"{what} does not compile: {exc} in {source!r}") from None


def screen_pattern(source: str, flags: int, what: str) -> None:
    """Refuse a team pattern that backtracks catastrophically (see :func:`nested_repeat`)."""
    if nested_repeat(flexible_spaces(source), flags):
        raise RuleDefinitionError(
            f"{what} '{source}' repeats a part that can match the same text in several ways, so it can hang on "
            f"some text ({ADVICE}); rewrite it so each part matches one way, e.g. (\\w+\\s?)+ as \\w+(?:\\s\\w+)*"
        )


def compile_team_pattern(source: str, flags: int, what: str, budget: Budget | None):
    """:func:`compile_pattern` for one pattern as a pack author wrote it: screened if from a team pack."""
    compiled = compile_pattern(source, flags, what, budget, source)
    if budget is not None:
        screen_pattern(source, flags, what)
    return compiled


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


class TermMatcher:
    """Literal tokens and regex patterns compiled into one alternation, with per-term data.

    ``find`` yields each match with the term entry it came from, so a term can carry its own
    severity or suggestion. ``blocks`` says in which blocks of a document a match may be, so
    that searches block by block skip the others (:class:`~healthlint.prefilter.BlockGate`).
    """

    def __init__(self, tokens: list[Any], patterns: list[Any], ignorecase: bool, what: str = "pattern",
                 budget: Budget | None = None) -> None:
        self.flags = re.IGNORECASE if ignorecase else 0
        self.ignorecase = ignorecase
        self.literal: dict[str, dict] = {}
        self.regexes: list[tuple[re.Pattern[str], dict]] = []
        bodies, sources = [], []
        for entry in tokens:
            data = _entry(entry, "token")
            bodies.append(r"\s+".join(re.escape(w) for w in data["token"].split()))
            self.literal[self._key(data["token"])] = data
        for entry in patterns:
            data = _entry(entry, "pattern")
            compiled = compile_team_pattern(data["pattern"], self.flags, what, budget)
            if compiled.match(""):
                raise RuleDefinitionError(f"{what} {data['pattern']!r} matches empty text")
            self.regexes.append((compiled, data))
            sources.append(f"(?:{flexible_spaces(data['pattern'])})")
        # One boundary around each alternation (not one per term), longest literals first so
        # that "miracle cure" wins over "miracle".
        parts = []
        if bodies:
            words = [(e if isinstance(e, str) else e["token"]) for e in tokens]
            firsts = "".join(sorted({c for w in words for c in (w[0].lower(), w[0].upper())}))
            parts.append(rf"(?<![\w-])(?=[{re.escape(firsts)}])(?:" + "|".join(sorted(bodies, key=len, reverse=True)) + r")(?![\w-])")
        if sources:
            parts.append(r"(?<!\w)(?:" + "|".join(sources) + r")(?!\w)")
        label = self.regexes[0][1]["pattern"] if len(self.regexes) == 1 else None  # the one that can be slow
        self.regex = compile_pattern("|".join(parts), self.flags, what, budget, label) if parts else None
        self.gate = BlockGate(self.regex)

    def blocks(self, doc) -> Container[int]:
        """The indices (in ``doc.blocks``) of the blocks in which a match may be."""
        return self.gate.blocks(doc)

    def _key(self, text: str) -> str:
        return _normal(text) if self.ignorecase else " ".join(text.split())

    def entry_for(self, matched: str) -> dict:
        data = self.literal.get(self._key(matched))
        if data is not None:
            return data
        for compiled, data in self.regexes:
            if compiled.fullmatch(matched):
                return data
        return {}

    def find(self, text: str, start: int, end: int) -> Iterator[tuple[re.Match[str], dict]]:
        """Each match between two offsets of ``text``, with its term's entry."""
        for m in self.matches(text, start, end):
            yield m, self.entry_for(m.group())

    def matches(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """Each match between two offsets of ``text`` (what ``find`` yields, without the entries)."""
        if self.regex is None or not self.gate.may_match(text, start, end):
            return
        for m in self.regex.finditer(text, start, end):
            if m.end() > m.start():
                yield m

    def __bool__(self) -> bool:
        return self.regex is not None


_ENTRY_KEYS = {"token", "pattern", "severity", "suggestion", "note", "skip-if-sourced"}


def _entry(entry: Any, key: str) -> dict:
    if isinstance(entry, str):
        return {key: entry}
    if isinstance(entry, dict) and isinstance(entry.get(key), str):
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise RuleDefinitionError(f"unknown key(s) {', '.join(sorted(unknown))} in {key} entry {entry[key]!r}")
        if entry.get("severity", "warning") not in SEVERITIES:
            raise RuleDefinitionError(f"severity of {entry[key]!r} must be one of {', '.join(SEVERITIES)}")
        return dict(entry)
    raise RuleDefinitionError(f"each {key} is text, or a mapping with '{key}:' and optional severity, suggestion, note")


def _format(template: str, **values: Any) -> str:
    return template.format_map({k: ("" if v is None else v) for k, v in values.items()})


def _match_case(suggestion: str, matched: str) -> str:
    if matched[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


# -- the types ----------------------------------------------------------------------------------
class RuleType:
    """Base class: option validation, message validation, and the scopes shared by all types."""

    keys: set[str] = set()
    fields: set[str] = set()  # placeholders a message may use
    tunables: dict[str, Any] = {}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        self.name = name
        self.opts = _Options(options, self.keys)
        self.budget = budget  # a team rule's time for matching, per document; None: built-in, stdlib re

    def validate_message(self, template: str) -> None:
        try:
            used = message_fields(template)
        except ValueError as exc:
            raise RuleDefinitionError(str(exc)) from None
        unknown = used - self.fields
        if unknown:
            raise RuleDefinitionError(
                f"message uses unknown placeholder(s) {', '.join('{' + u + '}' for u in sorted(unknown))}; "
                f"this type offers: {', '.join('{' + f + '}' for f in sorted(self.fields)) or 'none'}"
            )

    def check(self, doc, rule, options: Mapping[str, Any], settings=None) -> Iterator[Hit]:  # pragma: no cover
        raise NotImplementedError


class _TermRule(RuleType):
    """Shared by existence and substitution: terms matched in prose blocks, minus exceptions."""

    keys = {"tokens", "patterns", "exceptions", "ignorecase", "scope", "skip-if-sourced", "skip-if-sentence-matches"}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        super().__init__(options, name, budget)
        o = self.opts
        self.terms = self._terms(o, o.get("ignorecase", bool, True))
        if not self.terms:
            raise RuleDefinitionError("needs 'tokens' or 'patterns' to look for")
        regexes = [e for e in o.strings("exceptions") if _looks_like_regex(e)]
        exceptions = [e if _looks_like_regex(e) else literal_pattern(e) for e in o.strings("exceptions")]
        self.exceptions = self._alternation(exceptions, regexes, self.terms.flags, "exception")
        skips = o.strings("skip-if-sentence-matches")
        self.sentence_skip = self._alternation(skips, skips, re.IGNORECASE, "skip-if-sentence-matches pattern")
        self.skip_if_sourced = o.get("skip-if-sourced", bool, False)
        self.in_scope = SCOPES[o.choice("scope", tuple(SCOPES), "prose")]

    def _terms(self, o: _Options, ignorecase: bool) -> TermMatcher:
        return TermMatcher(o.get("tokens", list, []), o.get("patterns", list, []), ignorecase, budget=self.budget)

    def _alternation(self, sources: list[str], regexes: list[str], flags: int, what: str):
        """One pattern for a list of patterns; a team pack's regexes (of ``sources``) are screened."""
        if not sources:
            return None
        if self.budget is not None:
            for source in regexes:
                screen_pattern(source, flags, what)
        label = regexes[0] if len(regexes) == 1 else None
        return compile_pattern("|".join(f"(?:{e})" for e in sources), flags, what, self.budget, label)

    def matches(self, doc) -> Iterator[tuple[re.Match[str], dict]]:
        """Every match in scope that no exception covers and no sentence condition skips."""
        masked = doc.masked
        need_sentences = self.skip_if_sourced or self.sentence_skip is not None
        skips: dict[int, bool] = {}  # by sentence start: each sentence is judged once, however many matches it holds
        sourced: dict[int, bool] = {}
        possible = self.terms.blocks(doc)
        for i, block in enumerate(doc.blocks):
            if i not in possible or not self.in_scope(block):
                continue
            found = list(self.terms.find(masked, block.start, block.end))
            if not found:
                continue
            covered = _Covered(self.exceptions.finditer(masked, block.start, block.end) if self.exceptions else ())
            for m, data in found:
                if covered.covers(m.start(), m.end()):
                    continue
                if need_sentences and self._sentence_skips(doc, m.start(), skips, sourced):
                    continue
                if data.get("skip-if-sourced") and self._sourced(doc, m.start(), sourced):
                    continue
                yield m, data

    @staticmethod
    def _sourced(doc, offset: int, memo: dict[int, bool]) -> bool:
        sentence = doc.sentence_at(offset)
        if sentence is None:
            return False
        if sentence.start not in memo:
            memo[sentence.start] = attributed(doc, sentence.start, sentence.end)
        return memo[sentence.start]

    def _sentence_skips(self, doc, offset: int, memo: dict[int, bool], sourced: dict[int, bool]) -> bool:
        sentence = doc.sentence_at(offset)
        if sentence is None:
            return False
        if sentence.start not in memo:
            memo[sentence.start] = bool(
                (self.skip_if_sourced and self._sourced(doc, offset, sourced))
                or (self.sentence_skip and self.sentence_skip.search(sentence.text))
            )
        return memo[sentence.start]


class _Covered:
    """The spans exceptions matched in a block, asked about matches in order of their start.

    Exception matches do not overlap and come in order, so one pass serves every question
    (linear where testing each match against every span was quadratic in a long block).
    """

    def __init__(self, matches) -> None:
        self.spans = iter(matches)
        self.reach = -1  # the furthest end of the spans starting at or before the last offset asked
        self.pending = next(self.spans, None)

    def covers(self, start: int, end: int) -> bool:
        while self.pending is not None and self.pending.start() <= start:
            self.reach = max(self.reach, self.pending.end())
            self.pending = next(self.spans, None)
        return end <= self.reach


def _looks_like_regex(text: str) -> bool:
    return bool(re.search(r"[\\()\[\]|?*+^$]", text))


class Existence(_TermRule):
    """Flag each occurrence of a listed word, phrase or pattern."""

    fields = {"match", "suggestion", "note"}

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        for m, data in self.matches(doc):
            matched = " ".join(m.group().split())
            yield Hit(
                m.start(), m.end(),
                _format(rule.message, match=matched, suggestion=data.get("suggestion"), note=data.get("note")),
                data.get("suggestion"), data.get("severity"),
            )


class Substitution(_TermRule):
    """Flag a word or phrase and suggest the replacement listed for it under ``swap``."""

    keys = (_TermRule.keys - {"tokens", "patterns"}) | {"swap", "regex"}
    fields = {"match", "suggestion"}

    def _terms(self, o: _Options, ignorecase: bool) -> TermMatcher:
        swap = o.get("swap", dict)
        if not swap or not all(isinstance(k, str) and isinstance(v, str) for k, v in swap.items()):
            raise RuleDefinitionError("option 'swap' must map each word or phrase to its replacement")
        key = "pattern" if o.get("regex", bool, False) else "token"
        entries = [{key: k, "suggestion": v} for k, v in swap.items()]
        return TermMatcher([] if key == "pattern" else entries, entries if key == "pattern" else [], ignorecase, budget=self.budget)

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        for m, data in self.matches(doc):
            matched = " ".join(m.group().split())
            suggestion = _match_case(data.get("suggestion", ""), matched)
            yield Hit(m.start(), m.end(), _format(rule.message, match=matched, suggestion=suggestion), suggestion)


class Occurrence(RuleType):
    """Flag more than ``max`` matches per sentence, paragraph or document, at the first one too many."""

    keys = {"tokens", "patterns", "ignorecase", "scope", "max"}
    fields = {"count", "max", "match"}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        super().__init__(options, name, budget)
        o = self.opts
        self.terms = TermMatcher(o.get("tokens", list, []), o.get("patterns", list, []), o.get("ignorecase", bool, True),
                                 budget=budget)
        if not self.terms:
            raise RuleDefinitionError("needs 'tokens' or 'patterns' to count")
        self.scope = o.choice("scope", ("sentence", "paragraph", "document"), "sentence")
        maximum = o.get("max", int)
        if maximum is None or maximum < 0:
            raise RuleDefinitionError("needs 'max', a whole number of 0 or more")
        self.tunables = {"max": maximum}

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        maximum = options["max"]
        for start, end in _scope_spans(doc, self.scope):
            found = list(self.terms.matches(doc.masked, start, end))
            if len(found) > maximum:
                m = found[maximum]
                yield Hit(m.start(), m.end(), _format(rule.message, count=len(found), max=maximum, match=m.group()))


def _scope_spans(doc, scope: str) -> Iterator[tuple[int, int]]:
    if scope == "sentence":
        for s in doc.sentences:
            if not s.is_heading:
                yield s.start, s.end
    elif scope == "paragraph":
        for b in doc.blocks:
            if b.kind in PARAGRAPH_KINDS:
                yield b.start, b.end
    elif doc.blocks:
        yield doc.blocks[0].start, doc.blocks[-1].end


def document_anchor(doc) -> tuple[int, int]:
    """Where a document-level finding helps most: the title, else the first prose, else line 1."""
    if doc.blocks:
        first = doc.blocks[0]
        line, _ = doc.position(first.start)
        return first.start, doc.line_span(line)[1]
    return 0, doc.line_span(1)[1]


def first_line_anchor(doc) -> tuple[int, int]:
    """Line 1 for a finding about the whole file, or the document anchor when line 1 is blank."""
    start, end = doc.line_span(1)
    return (start, end) if doc.text[start:end].strip() else document_anchor(doc)


class Required(RuleType):
    """The document must contain one of the tokens or patterns, or one of the front-matter keys."""

    keys = {"tokens", "patterns", "ignorecase", "front-matter", "scope"}
    fields = {"title"}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        super().__init__(options, name, budget)
        o = self.opts
        self.terms = TermMatcher(o.get("tokens", list, []), o.get("patterns", list, []), o.get("ignorecase", bool, True),
                                 budget=budget)
        self.keys_ok = o.strings("front-matter")
        if not self.terms and not self.keys_ok:
            raise RuleDefinitionError("needs 'tokens', 'patterns' or 'front-matter' keys that satisfy it")
        self.in_scope = SCOPES[o.choice("scope", tuple(SCOPES), "all")]

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        if not doc.has_prose:
            return
        if any(doc.front_matter.data.get(k) for k in self.keys_ok):
            return
        possible = self.terms.blocks(doc)
        for i, block in enumerate(doc.blocks):
            if i in possible and self.in_scope(block) and next(self.terms.matches(doc.masked, block.start, block.end), None):
                return
        start, end = document_anchor(doc)
        title = doc.masked[doc.title_block.start:doc.title_block.end] if doc.title_block else ""
        yield Hit(start, end, _format(rule.message, title=title))


def _metric_words(doc, start: int, end: int) -> float:
    return len(doc.words(start, end))


def _metric_sentences(doc, start: int, end: int) -> float:
    return sum(1 for s in doc.sentences_between(start, end) if not s.is_heading)


def _metric_characters(doc, start: int, end: int) -> float:
    return len(doc.masked[start:end].strip())


def _formula(name: str):
    def measure(doc, start: int, end: int) -> float:
        from healthlint.checks import grade  # imported on first use: most runs never need it

        counts = grade.count_words(doc.words(start, end), max(1, int(_metric_sentences(doc, start, end))))
        return float(getattr(grade, name)(counts)) if counts.words else 0.0

    return measure


METRICS = {
    "words": _metric_words,
    "sentences": _metric_sentences,
    "characters": _metric_characters,
    "flesch-kincaid-grade": _formula("flesch_kincaid"),
    "smog-grade": _formula("smog"),
    "flesch-reading-ease": _formula("reading_ease"),
}


class Metric(RuleType):
    """A number measured per sentence, paragraph or document, against ``max`` and/or ``min``."""

    keys = {"metric", "scope", "max", "min"}
    fields = {"value", "max", "min", "metric"}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        super().__init__(options, name, budget)
        o = self.opts
        self.metric = o.choice("metric", tuple(METRICS), "words")
        self.scope = o.choice("scope", ("sentence", "paragraph", "document"), "sentence")
        self.tunables = {"max": o.get("max", (int, float)), "min": o.get("min", (int, float))}
        if self.tunables["max"] is None and self.tunables["min"] is None:
            raise RuleDefinitionError("needs 'max' or 'min'")

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        measure = METRICS[self.metric]
        high, low = options.get("max"), options.get("min")
        for start, end in _scope_spans(doc, self.scope):
            value = measure(doc, start, end)
            if (high is not None and value > high) or (low is not None and value < low):
                if self.scope == "document":
                    start, end = document_anchor(doc)
                shown = int(value) if float(value).is_integer() else round(value, 1)
                yield Hit(start, end, _format(rule.message, value=shown, max=high, min=low, metric=self.metric))


class Consistency(RuleType):
    """Two forms of the same thing: once both appear, flag the one used second, suggest the first."""

    keys = {"either", "ignorecase", "scope"}
    fields = {"match", "suggestion", "first_line"}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        super().__init__(options, name, budget)
        o = self.opts
        pairs = o.get("either", dict)
        if not pairs or not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
            raise RuleDefinitionError("option 'either' must map each form to its alternative")
        flags = re.IGNORECASE if o.get("ignorecase", bool, True) else 0
        self.forms: list[str] = [f for pair in pairs.items() for f in pair]  # form 2k and 2k+1 are a pair
        regexes = [form for form in self.forms if _looks_like_regex(form)]
        for form in self.forms:
            compile_pattern(_either(form), flags, "form", budget)  # name the bad form, if any
            if budget is not None and form in regexes:
                screen_pattern(form, flags, "form")
        label = regexes[0] if len(regexes) == 1 else None
        self.regex = compile_pattern(_forms_pattern(self.forms), flags, "form", budget, label)
        self.gate = BlockGate(self.regex)
        self.in_scope = SCOPES[o.choice("scope", tuple(SCOPES), "prose")]

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        found: dict[int, list[re.Match[str]]] = {}
        possible = self.gate.blocks(doc)
        for i, b in enumerate(doc.blocks):
            if i in possible and self.in_scope(b):
                for m in self.regex.finditer(doc.masked, b.start, b.end):
                    found.setdefault(int(m.lastgroup[1:]), []).append(m)
        for i in range(0, len(self.forms), 2):
            a, b = found.get(i), found.get(i + 1)
            if not a or not b:
                continue
            # The form used first is the writer's choice; suggest it as the pack spells it
            # (a regex form: as first written), in the case of the word it replaces.
            keep, other, kept_text = (a, b, self.forms[i]) if a[0].start() <= b[0].start() else (b, a, self.forms[i + 1])
            kept = " ".join(keep[0].group().split()) if _looks_like_regex(kept_text) else kept_text
            first_line = doc.position(keep[0].start())[0]
            for m in other:
                matched = " ".join(m.group().split())
                suggestion = _match_case(kept, matched)
                yield Hit(m.start(), m.end(), _format(rule.message, match=matched, suggestion=suggestion, first_line=first_line), suggestion)


def _forms_pattern(forms: list[str]) -> str:
    """One pattern with a named group per form (f0, f1, ...).

    When every form is a literal word or phrase, the word boundary and a look-ahead on the
    possible first letters are checked once, not once per form: most positions fail at once.
    """
    if any(_looks_like_regex(f) for f in forms):
        return "|".join(f"(?P<f{i}>{_either(f)})" for i, f in enumerate(forms))
    firsts = "".join(sorted({c for f in forms for c in (f[0].lower(), f[0].upper())}))
    bodies = "|".join(f"(?P<f{i}>{literal_body(f)})" for i, f in enumerate(forms))
    return rf"(?<![\w-])(?=[{re.escape(firsts)}])(?:{bodies})(?![\w-])"


def _either(form: str) -> str:
    return form if _looks_like_regex(form) else literal_pattern(form)


class Check(RuleType):
    """A Python check registered in :mod:`healthlint.checks` under this rule's name (or ``check``)."""

    keys = {"check", "options"}

    def __init__(self, options: Mapping[str, Any], name: str, budget: Budget | None = None) -> None:
        super().__init__(options, name, None)  # a Python check's own patterns are built in
        from healthlint.checks import REGISTRY

        self.check_name = self.opts.get("check", str, name)
        entry = REGISTRY.get(self.check_name)
        if entry is None:
            raise RuleDefinitionError(f"no Python check named '{self.check_name}' (known: {', '.join(sorted(REGISTRY))})")
        self.function, self.fields, defaults = entry
        extra = self.opts.get("options", dict, {})
        unknown = set(extra) - set(defaults)
        if unknown:
            raise RuleDefinitionError(f"check '{self.check_name}' has no option(s) {', '.join(sorted(unknown))}")
        self.tunables = {**defaults, **extra}

    def check(self, doc, rule, options, settings=None) -> Iterator[Hit]:
        return self.function(doc, rule, options, settings)


RULE_TYPES: dict[str, type[RuleType]] = {
    "existence": Existence,
    "substitution": Substitution,
    "occurrence": Occurrence,
    "required": Required,
    "metric": Metric,
    "consistency": Consistency,
    "check": Check,
}
