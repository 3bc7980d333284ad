r"""Searching long phrase lists fast: try a phrase only where a word it can begin with starts.

A phrase list (``healthlint/data/trust.yaml``) compiles to one case-insensitive alternation inside
``(?<![\w-])...(?![\w-])``. The regex engine tries every phrase at every word of the text, which
is what makes such a search slow. Here each phrase is read once, with the standard library's own
regex parser, for the words its matches can begin with (``seek (?:\w+ ){0,2}medical advice``
begins with "seek"; ``symptoms?`` with "symptom" or "symptoms"), and each document's words are
indexed once (:class:`WordIndex`). A search then goes through the starts of the words some phrase
can begin with, in order, and at each tries only the phrases that can begin with that word, in
the list's order. That gives the same matches as ``search`` with the whole alternation: the
alternation fails at every position skipped, and at a word only the phrases tried can match.

A phrase the reader does not model (one that could begin anywhere, or in the middle of a word)
gets no filter: its list is searched with the whole alternation, as before. Words are compared
lower-cased, with ı and ſ read as i and s (case-insensitively they match those letters; the
Kelvin sign lower-cases to k, and a text holding İ, which lower-cases to two characters, is
searched whole).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from healthlint.patterns import WORD_END, WORD_START, flexible_spaces
from healthlint.regex_tree import FAILURES, ZERO_WIDTH, Unsupported, edge, group_body, parse, sre

_RUN = re.compile(r"\w+")
_RUN_ASCII = re.compile(r"\w+", re.ASCII)  # the same words in ASCII text, found a little faster
_OPEN, _DONE, _CUT = 0, 1, 2  # a first word still being read, ended, or of unknown continuation
_NONWORD, _UNKNOWN = "\0nonword", "\0unknown"  # what a consumed character is, besides a letter
_MAX_STATES = 256
_MAX_WORD_CACHE = 20_000
_UNSEEN = object()
_START, _END = attrgetter("start"), attrgetter("end")
# Lower-case letters that match an ASCII letter case-insensitively ("K", the Kelvin sign, lower-cases
# to "k"; "İ" to two characters, which the index refuses).
_FOLD = str.maketrans({"\u0131": "i", "\u017f": "s"})
_ENDS_WORD = (sre.AT_BOUNDARY, sre.AT_END, sre.AT_END_LINE, sre.AT_END_STRING)

State = tuple[str, int]
Candidates = tuple[list[int], dict[int, tuple[re.Pattern[str], ...]]]  # sorted starts, phrases at each


def _isword(ch: str) -> bool:
    """``\\w`` for one character (str.isalnum is the same test as the regex engine's)."""
    return ch.isalnum() or ch == "_"


# -- what a pattern's matches begin with ---------------------------------------------------------
class FirstWords(NamedTuple):  # a NamedTuple: cheaper to define at start-up than a dataclass
    """The lower-cased words a pattern's matches begin with."""

    exact: frozenset[str]  # the first word is one of these
    prefixes: tuple[str, ...]  # or begins with one of these

    def admits(self, word: str) -> bool:
        """Whether a match can begin with ``word`` (lower-cased, as far as the text goes)."""
        if not word.isascii():
            word = word.translate(_FOLD)
            if not word.isascii():  # only a phrase's unknown part can match a non-ASCII letter
                return word.startswith(self.prefixes)
        return word in self.exact or word.startswith(self.prefixes)


def first_words(source: str, flags: int = re.IGNORECASE) -> FirstWords | None:
    """The words every match of ``source`` begins with, or None when that is not known.

    Known only when the pattern opens (before consuming anything) with a look-behind that rules
    out a word character, like ``(?<![\\w-])``, or with ``\\b``, and every match begins with a
    word character: then a match can only begin where a word of the text begins.
    """
    try:
        items, all_flags = parse(source, flags)
        if all_flags & (re.ASCII | re.LOCALE) or not _starts_at_word(items):
            return None
        states = _sequence(items, {("", _OPEN)})
    except FAILURES:
        return None
    except (AttributeError, IndexError, TypeError, ValueError):  # pragma: no cover - a parser that changed shape
        return None  # no filter: the list is searched whole, which is never wrong
    if any(not prefix for prefix, _ in states):
        return None
    prefixes = tuple(sorted({p for p, s in states if s != _DONE}))
    return FirstWords(frozenset(p for p, s in states if s == _DONE and not p.startswith(prefixes)), prefixes)


def _starts_at_word(items) -> bool:
    """Whether the pattern opens, before consuming anything, with ``\\b`` or a look-behind that
    refuses word characters."""
    for item in items:
        if edge(item, -1):
            return True
        if item[0] not in ZERO_WIDTH:
            return False
    return False


def _sequence(items, states: set[State]) -> set[State]:
    for op, av in items:
        live = {s for s in states if s[1] == _OPEN}
        if not live:
            break
        states = (states - live) | _node(op, av, live)
        if len(states) > _MAX_STATES:
            raise Unsupported("too many first words")
    return states


def _node(op, av, live: set[State]) -> set[State]:
    if op is sre.LITERAL:
        return _consume({_kind(chr(av))}, live)
    if op is sre.IN:
        return _consume(_class_kinds(av), live)
    if op is sre.SUBPATTERN:  # ASCII-only matching switched inside: unsupported
        return _sequence(group_body(av, re.ASCII | re.LOCALE), live)
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av), live)
    if op is sre.BRANCH:
        out: set[State] = set()
        for alternative in av[1]:
            out |= _sequence(list(alternative), live)
        return out
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        if high == 0:
            return set(live)
        once = _sequence(list(sub), live)
        if high != 1:  # more rounds may follow: what comes after the first is unknown
            once = {(p, _CUT if s == _OPEN else s) for p, s in once}
        return once | live if low == 0 else once
    if op is sre.AT:
        ends = av in _ENDS_WORD
        return {(p, _DONE if ends and p else _OPEN) for p, _ in live}
    if op is sre.ASSERT_NOT:
        ends = edge((op, av), 1) == "space"  # a look-ahead: no word character follows
        return {(p, _DONE if ends and p else _OPEN) for p, _ in live}
    if op is sre.ASSERT:
        return set(live)
    return {(p, _CUT) for p, _ in live}  # ANY, NOT_LITERAL, a backreference...: unknown


def _kind(ch: str) -> str:
    """A consumed character: its lower-case letter, _NONWORD, or _UNKNOWN."""
    if ch.isascii():
        return ch.lower() if _isword(ch) else _NONWORD
    return _UNKNOWN  # case-insensitive matching relates some non-ASCII characters to letters


def _class_kinds(members) -> set[str]:
    kinds: set[str] = set()
    for op, av in members:
        if op is sre.LITERAL:
            kinds.add(_kind(chr(av)))
        elif op is sre.RANGE and av[1] - av[0] < 64:
            kinds.update(_kind(chr(c)) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD, sre.CATEGORY_LINEBREAK):
            kinds.add(_NONWORD)
        else:
            return {_UNKNOWN}  # a negated class, \w, \d, a wide range
    return kinds


def _consume(kinds: set[str], live: set[State]) -> set[State]:
    out: set[State] = set()
    for prefix, _ in live:
        for kind in kinds:
            if kind == _NONWORD:
                out.add((prefix, _DONE if prefix else _CUT))  # at the start: not a word at all
            elif kind == _UNKNOWN:
                out.add((prefix, _CUT))
            else:
                out.add((prefix + kind, _OPEN))
    return out


# -- first words worked out ahead of time -----------------------------------------------------
class FirstWordsTable:
    """The first words of built-in phrases, read from a JSON file instead of from the phrases.

    Reading a phrase takes the regex parser about as long as compiling it; a one-file run would
    pay that for every phrase. The file maps each phrase's pattern (as :meth:`PhraseList.source`
    writes it) to its first words; a pattern not in it (a team's own phrasing, or a built-in one
    changed since the file was written) is read as usual. The file is written by
    :func:`table_json`, and a test checks that it is current.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def entries(self) -> dict[str, FirstWords | None]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("flags") != re.IGNORECASE:
                return {}
            return {source: None if v is None else FirstWords(frozenset(v[0]), tuple(v[1]))
                    for source, v in data["patterns"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}  # no usable file: every phrase is read when first used

    def first_words(self, source: str, flags: int) -> FirstWords | None:
        if flags == re.IGNORECASE and source in self.entries:
            return self.entries[source]
        return first_words(source, flags)


def table_json(lists: Iterable[PhraseList]) -> str:
    """The contents of a :class:`FirstWordsTable` file for every phrase of ``lists``."""
    patterns: dict[str, list | None] = {}
    for phrases in lists:
        if phrases.flags != re.IGNORECASE:
            continue
        for i in range(len(phrases.raw)):
            source = phrases.source((i,))
            found = first_words(source, phrases.flags)
            patterns[source] = None if found is None else [sorted(found.exact), list(found.prefixes)]
    lines = [f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(patterns.items())]
    about = ("First words of built-in phrases: pattern -> [exact first words, first-word prefixes] "
             "(healthlint.checks.phrase_search.FirstWordsTable). Generated: python scripts/build_first_words.py")
    return ('{"about": %s,\n"flags": %d,\n"patterns": {\n%s\n}}\n'
            % (json.dumps(about), re.IGNORECASE, ",\n".join(lines)))


# -- a document's words ----------------------------------------------------------------------
class WordIndex:
    """The words of a text, lower-cased, with where each starts; built once per document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = text.lower()
        self.usable = len(self.low) == len(text)  # "İ" lower-cases to two characters
        starts: dict[str, list[int]] = {}
        if self.usable:
            for m in (_RUN_ASCII if self.low.isascii() else _RUN).finditer(self.low):
                word = m.group()
                found = starts.get(word)
                if found is None:
                    starts[word] = [m.start()]
                else:
                    found.append(m.start())
        self.starts = starts
        self.foreign = () if self.low.isascii() else tuple(w for w in starts if not w.isascii())
        self.memo: dict = {}  # per phrase list: its candidate words, and searches already made

    @cached_property
    def _sorted(self) -> list[str]:
        return sorted(self.starts)

    def with_prefix(self, prefix: str) -> list[str]:
        """The words that begin with ``prefix``."""
        words = self._sorted
        out = []
        for i in range(bisect_left(words, prefix), len(words)):
            if not words[i].startswith(prefix):
                break
            out.append(words[i])
        return out

    def admitted(self, first: FirstWords) -> set[str]:
        """The text's words a match can begin with."""
        words = self.starts.keys() & first.exact
        for prefix in first.prefixes:
            words.update(self.with_prefix(prefix))
        words.update(w for w in self.foreign if first.admits(w))
        return words


def word_index(doc) -> WordIndex:
    """The document's :class:`WordIndex` of its masked text, built on first use."""
    index = doc.__dict__.get("_phrase_index")
    if index is None or index.text is not doc.masked:
        index = doc.__dict__["_phrase_index"] = WordIndex(doc.masked)
    return index


# -- a phrase list ----------------------------------------------------------------------------------
class PhraseList:
    """Phrases matched on whole words, as one alternation would match them, only faster.

    ``groups`` holds the phrases (regular expressions, spaces matching any white space), each
    group captured under its name when it has one; the whole pattern is
    ``(?<![\\w-])(?:(?:p1)|(?:p2)|...)(?![\\w-])`` (ungrouped) or
    ``(?<![\\w-])(?:(?P<name>p1|p2)|...)(?![\\w-])`` (named groups), case-insensitive.
    Nothing is compiled until a search needs it.
    """

    def __init__(self, groups: Sequence[tuple[str | None, Sequence[str]]], flags: int = re.IGNORECASE,
                 table: FirstWordsTable | None = None) -> None:
        self.table = table
        self.names: list[str | None] = []
        self.raw: list[str] = []
        for name, phrases in groups:
            for phrase in phrases:
                if phrase:
                    self.names.append(name)
                    self.raw.append(phrase)
        self.flags = flags
        self._by_word: dict[str, tuple[re.Pattern[str], ...]] = {}
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self.raw)

    @classmethod
    def of(cls, phrases: Sequence[str], flags: int = re.IGNORECASE, table: FirstWordsTable | None = None) -> PhraseList:
        """An ungrouped list: the pattern :func:`healthlint.patterns.phrase_alternation` builds."""
        return cls([(None, phrases)], flags, table)

    def __bool__(self) -> bool:
        return bool(self.raw)

    @cached_property
    def items(self) -> list[str]:
        return [flexible_spaces(p) for p in self.raw]

    def source(self, indices: Sequence[int] | None = None) -> str:
        """The pattern of the phrases at ``indices`` (all of them by default), in list order."""
        chosen = range(len(self.raw)) if indices is None else indices
        parts: list[str] = []
        group: list[str] = []
        name: str | None = None
        for i in chosen:
            if self.names[i] is None:
                parts.append(f"(?:{self.items[i]})")
                continue
            if group and self.names[i] != name:
                parts.append(f"(?P<{name}>{'|'.join(group)})")
                group = []
            name = self.names[i]
            group.append(self.items[i])
        if group:
            parts.append(f"(?P<{name}>{'|'.join(group)})")
        return WORD_START + "(?:" + "|".join(parts) + ")" + WORD_END

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The whole alternation, compiled (for texts and phrases the index cannot serve)."""
        return re.compile(self.source(), self.flags)

    @cached_property
    def _first(self) -> list[FirstWords] | None:
        """Each phrase's first words; None when some phrase may begin anywhere."""
        out = []
        read = self.table.first_words if self.table is not None else first_words
        for i in range(len(self.raw)):
            found = read(self.source((i,)), self.flags)
            if found is None:
                return None
            out.append(found)
        return out

    @cached_property
    def _union(self) -> FirstWords | None:
        first = self._first
        if first is None:
            return None
        return FirstWords(frozenset().union(*(f.exact for f in first)),
                          tuple(sorted({p for f in first for p in f.prefixes})))

    def _phrase(self, i: int) -> re.Pattern[str]:
        """The pattern of phrase ``i`` alone (compiled on first use)."""
        compiled = self._compiled[i]
        if compiled is None:
            compiled = self._compiled[i] = re.compile(self.source((i,)), self.flags)
        return compiled

    def _for_word(self, word: str) -> tuple[re.Pattern[str], ...]:
        """The patterns of the phrases that can begin with ``word``, in list order.

        At one position, the alternation tries its phrases in order and returns the first that
        matches (with what follows it); trying them one by one gives the same match.
        """
        found = self._by_word.get(word)
        if found is None:
            found = tuple(self._phrase(i) for i, f in enumerate(self._first) if f.admits(word))
            if len(self._by_word) >= _MAX_WORD_CACHE:
                self._by_word.clear()
            self._by_word[word] = found
        return found

    # -- searching ---------------------------------------------------------------------------
    def search(self, doc, start: int, end: int) -> re.Match[str] | None:
        """``pattern.search(doc.masked, start, end)`` (remembered per document)."""
        if not self.raw:
            return None
        index = word_index(doc)
        key = (self, start, end)
        m = index.memo.get(key, _UNSEEN)
        if m is _UNSEEN:
            m = index.memo[key] = self._search(index, doc.masked, 0, start, end, False)
        return m

    def search_blocks(self, doc, blocks: Sequence) -> re.Match[str] | None:
        """The first match in the masked text of ``blocks``, searched one block at a time
        (remembered per document)."""
        if not self.raw or not blocks:
            return None
        index = word_index(doc)
        key = (self, *map(_START, blocks), *map(_END, blocks))
        m = index.memo.get(key, _UNSEEN)
        if m is _UNSEEN:
            m = index.memo[key] = self._search_blocks(index, doc.masked, blocks)
        return m

    def _search_blocks(self, index: WordIndex, text: str, blocks: Sequence) -> re.Match[str] | None:
        found = self._candidates(index)
        if found is None or not _plain_blocks(index.low, blocks):
            for b in blocks:  # the general case
                m = self._search(index, text, 0, b.start, b.end, False)
                if m:
                    return m
            return None
        # Blocks in text order, no word cut at a block's end: one pass over the candidates.
        j, last = 0, len(blocks) - 1
        starts, at = found
        for i in range(bisect_left(starts, blocks[0].start), len(starts)):
            pos = starts[i]
            while blocks[j].end <= pos:
                if j == last:
                    return None
                j += 1
            if pos >= blocks[j].start:
                for pattern in at[pos]:
                    m = pattern.match(text, pos, blocks[j].end)
                    if m:
                        return m
        return None

    def search_sentences(self, doc, sentences: Iterable) -> Iterator[tuple[object, re.Match[str]]]:
        """(sentence, ``pattern.search(sentence.text)``) for each of ``sentences`` the list matches."""
        if not self.raw:
            return
        index = word_index(doc)
        found = self._candidates(index)
        low, n = index.low, len(index.low)
        for s in sentences:
            start, end = s.start, s.end
            if found is not None:  # skip a sentence in which no phrase can begin
                starts = found[0]
                i = bisect_left(starts, start)
                if not ((i < len(starts) and starts[i] < end)
                        or (0 < start < end and _isword(low[start - 1]) and _isword(low[start]))
                        or (start < end < n and _isword(low[end]) and _isword(low[end - 1]))):
                    continue
            m = self._search(index, s.text, start, start, end, True)
            if m:
                yield s, m

    def search_sentence(self, doc, sentence) -> re.Match[str] | None:
        """``pattern.search(sentence.text)``: offsets in the match are the sentence's own."""
        if not self.raw:
            return None
        return self._search(word_index(doc), sentence.text, sentence.start, sentence.start, sentence.end, True)

    def finditer(self, doc, start: int, end: int) -> Iterator[re.Match[str]]:
        """``pattern.finditer(doc.masked, start, end)``."""
        if not self.raw:
            return
        index = word_index(doc)
        if self._candidates(index) is None:
            yield from self.pattern.finditer(doc.masked, start, end)
            return
        while start < end:
            m = self._search(index, doc.masked, 0, start, end, False)
            if m is None:
                return
            yield m
            start = m.end()  # never empty: every match holds a word

    def _candidates(self, index: WordIndex) -> Candidates | None:
        """Where in the document a phrase can begin (sorted), with the phrases that can begin
        at each of those starts; None when the list must be searched whole."""
        found = index.memo.get(self, _UNSEEN)
        if found is _UNSEEN:
            first = self._union
            found = None
            if first is not None and index.usable:
                starts: list[int] = []
                at: dict[int, tuple[re.Pattern[str], ...]] = {}
                for word in index.admitted(first):
                    patterns = self._for_word(word)
                    if patterns:
                        starts += index.starts[word]
                        at.update(dict.fromkeys(index.starts[word], patterns))
                starts.sort()
                found = (starts, at)
            index.memo[self] = found
        return found

    def _search(self, index: WordIndex, text: str, shift: int, start: int, end: int, own_string: bool):
        """``pattern.search(text, start - shift, end - shift)``, where ``text`` is the document's
        masked text from ``shift`` on: all of it, or one sentence as a string of its own
        (``own_string``: a word begins at ``start`` whatever precedes it in the document)."""
        found = self._candidates(index)
        if found is None:
            return self.pattern.search(text, start - shift, end - shift)
        low = index.low
        cut = _cut_word(low, start, end, own_string) if end < len(low) and _isword(low[end]) else None
        if own_string and 0 < start < end and _isword(low[start - 1]) and _isword(low[start]):
            m = self._match(_RUN.match(low, start, end).group(), text, start - shift, end - shift)
            if m or cut == start:
                return m
        starts, at = found
        for i in range(bisect_left(starts, start), len(starts)):
            pos = starts[i]
            if pos >= end or pos == cut:
                break
            for pattern in at[pos]:
                m = pattern.match(text, pos - shift, end - shift)
                if m:
                    return m
        if cut is not None:
            return self._match(low[cut:end], text, cut - shift, end - shift)
        return None

    def _match(self, word: str, text: str, pos: int, end: int) -> re.Match[str] | None:
        for pattern in self._for_word(word):
            m = pattern.match(text, pos, end)
            if m:
                return m
        return None


def _plain_blocks(low: str, blocks: Sequence) -> bool:
    """Whether ``blocks`` are in text order, apart, and none ends inside a word."""
    n, previous_end = len(low), 0
    for b in blocks:
        end = b.end
        if b.start < previous_end or (b.start < end < n and _isword(low[end]) and _isword(low[end - 1])):
            return False
        previous_end = end
    return True


def _cut_word(low: str, start: int, end: int, own_string: bool) -> int | None:
    """Where the word that ``end`` cuts in two begins, when it begins in [start, end)."""
    if not (start < end < len(low) and _isword(low[end - 1]) and _isword(low[end])):
        return None
    i = end - 1
    while i > start and _isword(low[i - 1]):
        i -= 1
    if i == start and start > 0 and _isword(low[start - 1]) and not own_string:
        return None  # the word began before ``start``: no match can begin inside it
    return i
