"""Literal prefilters: fixed strings that every match of a regular expression contains.

``(?:is|are) (?:\\w+ ){0,2}caused by`` cannot match a sentence without "caused by" in it, and
``str.find`` answers that far faster than the regex engine, which tries the whole pattern at every
position. :func:`needles` reads a compiled pattern (with the standard library's own regex parser)
and returns such strings; a text that contains none of them cannot match, so skipping it changes
no result. Anything the reader does not model (a backreference, a flag switched inside the
pattern) makes it return None: no prefilter, never a wrong one.

The needles are looked for in the *probe* of a text (:func:`probe`), not in the text itself. The
text must have single spaces between its words (as the claims checks' flattened sentences do):
then a run of white space in a pattern is one space. The probe turns every character that is
not a word character (punctuation, hyphens) into a space, pads both ends with a space and, for a
case-insensitive pattern, is lower-cased. That lets a needle carry the word boundaries a pattern
starts and ends with: ``(?<![\\w-])cur(?:e|es)(?![\\w-])`` gives " cure " and " cures ", which
"occur" and "secure" do not contain.

Text that is not single-spaced (a document's blocks, which hold line breaks and the blanks that
masking leaves) has a *collapsed* probe: every run of spaces in it is one space. Needles built with
``any_spacing=True`` are collapsed the same way, and hold for such text: where a pattern and the
text differ only in how many spaces a run has, collapsing makes them agree.

Three characters case-fold onto ASCII letters without lower-casing to them (İ, ı, ſ); a text that
holds one has no case-insensitive probe and is never skipped (:data:`FOLD_TRAPS`, which
tests/test_prefilter.py recomputes from the regex engine).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container
from dataclasses import dataclass, field

from healthlint.regex_tree import FAILURES, ZERO_WIDTH, Unsupported, edge, group_body, parse, sre

MAX_STRINGS = 16  # the most alternative strings one part of a pattern is expanded to
FOLD_TRAPS = "\u0130\u0131\u017f"  # İ ı ſ: match i/I/s under IGNORECASE, lower() to something else
_TRAP = re.compile(f"[{FOLD_TRAPS}]")
_PUNCTUATION = re.compile(r"[^\w ]")  # what the probe turns into spaces
_ASCII_PUNCTUATION = {c: " " for c in range(128) if _PUNCTUATION.match(chr(c))}  # the same, for str.translate
_WORD = re.compile(r"\w")


def probe(text: str, ignorecase: bool, collapse: bool = False) -> str | None:
    """``text`` as needles are looked for in it; None when it must not be skipped.

    Without ``collapse``, ``text`` must have single spaces between its words, and the probe has
    the length of the text plus two (a space at each end), so an offset in the text is the same
    offset plus one in the probe. With ``collapse``, any text will do: each run of spaces in
    the probe is one space.
    """
    spaced = _spaced(text, ignorecase)
    if spaced is None:
        return None
    return f" {' '.join(spaced.split())} " if collapse else f" {spaced} "


def _spaced(text: str, ignorecase: bool) -> str | None:
    """``text`` with each character that is not a word character made a space, lower-cased for a
    case-insensitive pattern: the same length as ``text``, or None (see :data:`FOLD_TRAPS`)."""
    spaced = text.translate(_ASCII_PUNCTUATION) if text.isascii() else _PUNCTUATION.sub(" ", text)
    if not ignorecase:
        return spaced
    if not text.isascii() and _TRAP.search(text):
        return None
    folded = spaced.lower()
    return folded if len(folded) == len(text) else None


@dataclass(frozen=True)
class Needles:
    """Strings one of which is in the probe of every text the pattern matches."""

    words: tuple[str, ...]
    ignorecase: bool
    collapsed: bool = False  # for texts of any spacing (see probe): no needle holds two spaces in a row
    # Needles that hold a whole word (" cure ", "caused by "), by their longest one: a probe whose
    # words lack it cannot hold them. The others are looked for as they are.
    by_word: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)
    loose: tuple[str, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_word: dict[str, list[str]] = {}
        loose = []
        for w in self.words:
            whole = [word for word in w.split(" ")[1:-1] if word]  # the words with a space on each side
            if whole:
                by_word.setdefault(max(whole, key=_rarity), []).append(w)
            else:
                loose.append(w)
        object.__setattr__(self, "by_word", {k: tuple(_minimal(v)) for k, v in by_word.items()})
        object.__setattr__(self, "loose", tuple(_minimal(loose)))

    def in_probe(self, probed: str | None) -> bool:
        """False only when the pattern cannot match the text ``probed`` was made from."""
        return probed is None or any(w in probed for w in self.words)

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match ``text`` (single-spaced, unless collapsed)."""
        return self.in_probe(probe(text, self.ignorecase, self.collapsed))


class NeedleSet:
    """The needles of several patterns, looked for together: each distinct needle once.

    All the patterns must agree on case (see :attr:`Needles.ignorecase`).
    """

    def __init__(self, members: list[Needles]) -> None:
        if len({(m.ignorecase, m.collapsed) for m in members}) != 1:
            raise ValueError("the patterns of a needle set must all ignore case, or none, and agree on spacing")
        self.size = len(members)
        self.ignorecase = members[0].ignorecase
        self.collapsed = members[0].collapsed
        by_word: dict[str, dict[str, list[int]]] = {}
        loose: dict[str, list[int]] = {}
        for index, member in enumerate(members):
            for word, group in member.by_word.items():
                for needle in group:
                    by_word.setdefault(word, {}).setdefault(needle, []).append(index)
            for needle in member.loose:
                loose.setdefault(needle, []).append(index)
        self.by_word = {w: tuple((n, tuple(m)) for n, m in group.items()) for w, group in by_word.items()}
        self.loose = tuple((n, tuple(m)) for n, m in loose.items())


_FREQUENT = frozenset("a an and are as at be by can for from has have in is it its may of on or the their they this to was were will with".split())


def _rarity(word: str) -> tuple[bool, int]:
    """How unlikely a word is to be in a text (a guess: not a frequent word, then length)."""
    return word not in _FREQUENT, len(word)


def _minimal(strings: list[str]) -> list[str]:
    """The strings that contain no other one: a text holds one of these if it holds any."""
    kept: list[str] = []
    for s in sorted(strings, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return kept


class Probes:
    """The probes of several texts (a document's sentences or blocks), searched together.

    :meth:`matching` gives the texts whose own probe holds a needle: those that
    :meth:`Needles.in_probe` would keep, one at a time (all of them when a text holds a
    :data:`FOLD_TRAPS` character), with one search of the whole for each needle, and none for
    a needle whose whole word the texts do not have. The texts must be single-spaced, unless
    ``collapse`` is set: then their probes are collapsed, for needles built with ``any_spacing``.
    """

    def __init__(self, texts: list[str], collapse: bool = False) -> None:
        self.count = len(texts)
        self.collapse = collapse
        self.joined = " ".join(texts)
        self.lengths = [len(text) for text in texts]
        self.starts: list[int] = []  # where each text starts in the probe of ``joined``
        self.ends: list[int] = []
        if not collapse:
            self._place(self.lengths)
        self._probes: dict[bool, tuple[str, frozenset[str]] | None] = {}

    def _place(self, lengths: list[int]) -> None:
        """Where each text's probe starts and ends in the whole probe (one space between two)."""
        pos = 1
        for size in lengths:
            self.starts.append(pos)
            pos += size
            self.ends.append(pos)
            pos += 1

    def _probe(self, ignorecase: bool) -> tuple[str, frozenset[str]] | None:
        """The probe of ``joined`` and the words in it."""
        if ignorecase not in self._probes:
            if self.collapse:
                self._probes[ignorecase] = self._collapsed(ignorecase)
            else:
                probed = probe(self.joined, ignorecase)
                self._probes[ignorecase] = None if probed is None else (probed, frozenset(probed.split()))
        return self._probes[ignorecase]

    def _collapsed(self, ignorecase: bool) -> tuple[str, frozenset[str]] | None:
        """:meth:`_probe` with each text's part collapsed on its own (placed on first use)."""
        spaced = _spaced(self.joined, ignorecase)
        if spaced is None:
            return None
        parts: list[str] = []
        words: set[str] = set()
        at = 0
        for size in self.lengths:
            split = spaced[at:at + size].split()
            words.update(split)
            parts.append(" ".join(split))
            at += size + 1
        if not self.starts:
            self._place([len(part) for part in parts])
        return f" {' '.join(parts)} ", frozenset(words)

    def matching(self, needles: Needles | None) -> list[int]:
        """The indices of the texts the pattern may match, in order."""
        if needles is not None and needles.collapsed != self.collapse:
            raise ValueError("collapsed needles are looked for in collapsed probes, and only there")
        found = self._probe(needles.ignorecase) if needles is not None else None
        if found is None:
            return list(range(self.count))
        probed, words = found
        hits: set[int] = set()
        for word in words.intersection(needles.by_word):
            for needle in needles.by_word[word]:
                hits.update(self._find(probed, needle))
        for needle in needles.loose:
            hits.update(self._find(probed, needle))
        return sorted(hits)

    def matching_each(self, needle_set: NeedleSet) -> list[list[int]]:
        """For each pattern of the set, the indices of the texts it may match, in order."""
        if needle_set.collapsed != self.collapse:
            raise ValueError("collapsed needles are looked for in collapsed probes, and only there")
        found = self._probe(needle_set.ignorecase)
        if found is None:
            return [list(range(self.count)) for _ in range(needle_set.size)]
        probed, words = found
        hits: list[set[int]] = [set() for _ in range(needle_set.size)]
        for word in words.intersection(needle_set.by_word):
            for needle, members in needle_set.by_word[word]:
                self._record(probed, needle, members, hits)
        for needle, members in needle_set.loose:
            self._record(probed, needle, members, hits)
        return [sorted(h) for h in hits]

    def _record(self, probed: str, needle: str, members: tuple[int, ...], hits: list[set[int]]) -> None:
        texts = self._find(probed, needle)
        if texts:
            for member in members:
                hits[member].update(texts)

    def _find(self, probed: str, needle: str) -> list[int]:
        """The texts whose probe holds ``needle`` (once each, in order)."""
        starts, ends, size = self.starts, self.ends, len(needle)
        out: list[int] = []
        at = probed.find(needle)
        while at >= 0:
            i = bisect_right(starts, at + 1) - 1  # the last text whose probe starts at or before ``at``
            if i >= 0 and at + size <= ends[i] + 1 and (not out or out[-1] != i):  # not across two texts
                out.append(i)
            at = probed.find(needle, at + 1)
        return out


def needles(pattern: re.Pattern[str], *, at_end: bool = True, any_spacing: bool = False) -> Needles | None:
    r"""The needles of a compiled pattern, or None when no useful set is known.

    With ``at_end=False`` they also hold for matches found with an ``endpos`` (where the text
    seems to end early): a trailing (?![\w-]) is then not taken to mean a space in the probe.
    With ``any_spacing`` they are collapsed, for the collapsed probes of texts that are not
    single-spaced (see :func:`probe`).
    """
    try:
        items, flags = parse(pattern.pattern, pattern.flags)
        ignorecase = bool(flags & re.IGNORECASE)
        exact, factors = _Reader(ignorecase, at_end, edges=not flags & re.ASCII).top(items)
    except FAILURES:
        return None
    return _needles(_as_factors(exact) if exact is not None else factors, ignorecase, any_spacing)


def _needles(words: frozenset[str] | None, ignorecase: bool, collapse: bool = False) -> Needles | None:
    if not words or any(not w.strip() for w in words):
        return None  # a needle of spaces is in every probe: no use
    if collapse:
        words = frozenset(_collapse_spaces(w) for w in words)
    return Needles(tuple(sorted(words)), ignorecase, collapse)


_SPACES = re.compile(" {2,}")


def _collapse_spaces(needle: str) -> str:
    """A needle with each run of spaces made one: the spaces a pattern's parts hold in a row may
    be one run of white space in the text, which a collapsed probe holds as one space."""
    return _SPACES.sub(" ", needle)


# -- a document's blocks ---------------------------------------------------------------------------
# A gate builds its needles once it has searched this many blocks without them: building them
# costs about as much as searching a hundred blocks, which a one-file run may never recover.
# (Tests set it to 0 to read every document through the prefilters.)
BLOCKS_BEFORE_PREFILTER = 100


def block_probes(doc) -> Probes:
    """The collapsed probes of a document's blocks (``doc.blocks``), built once per document."""
    found = doc.__dict__.get("_block_probes")
    if found is None:
        masked = doc.masked
        found = doc.__dict__["_block_probes"] = Probes([masked[b.start:b.end] for b in doc.blocks], collapse=True)
    return found


class BlockGate:
    """The blocks of a document in which a pattern may match: its prefilter, for searches that
    run the pattern over one block at a time (``pattern.finditer(doc.masked, block.start, block.end)``).

    Only a standard-library pattern gets one (a team pack's ``regex`` patterns keep their time
    budget as they are); until the gate has searched :data:`BLOCKS_BEFORE_PREFILTER` blocks, or
    when the pattern has no needles, every block may match. :meth:`may_match` answers for any
    stretch of text (a sentence) from the characters a match can begin with.
    """

    def __init__(self, pattern: re.Pattern[str] | None) -> None:
        self.pattern = pattern if isinstance(pattern, re.Pattern) else None
        self.searched = 0
        self._needles: Needles | None = None
        self._first: re.Pattern[str] | None = None
        self._built = self.pattern is None

    def needles(self) -> Needles | None:
        """The prefilter, or None while it is not worth building (or there is none)."""
        if not self._built and self.searched >= BLOCKS_BEFORE_PREFILTER:
            self._needles, self._built = needles(self.pattern, any_spacing=True), True
            self._first = first_characters(self.pattern)
        return self._needles

    def may_match(self, text: str, start: int, end: int) -> bool:
        """False only when the pattern cannot match between the two offsets of ``text``
        (as ``pattern.finditer(text, start, end)``): no character a match begins with is there."""
        if not self._built:
            self.searched += 1
            self.needles()
        return self._first is None or self._first.search(text, start, end) is not None

    def blocks(self, doc) -> Container[int]:
        """The indices (in ``doc.blocks``) of the blocks the pattern may match."""
        found = self.needles()
        if found is None:
            self.searched += len(doc.blocks)
            return range(len(doc.blocks))
        return frozenset(block_probes(doc).matching(found))


# -- the first character of a match -------------------------------------------------------------
_CASE_AND_WIDTH = re.IGNORECASE | re.ASCII | re.LOCALE  # flags that change what a class matches
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}


def first_characters(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""A character class that holds the first character of every match of ``pattern``, compiled
    with its flags: a text with none of them between two offsets has no match between them.

    ``(?<!\w)(?<!type )\d+`` gives ``[\d]``. None when some match could begin with anything the
    reader does not model (``.``, a negated class, a backreference) or be empty.
    """
    try:
        items, flags = parse(pattern.pattern, pattern.flags)
        members, empty = _first(items)
        if empty or not members:
            return None
        return re.compile("[" + "".join(map(_class_member, members)) + "]", flags & ~re.VERBOSE)
    except FAILURES:
        return None


def _first(items: list) -> tuple[list, bool]:
    """The class members a sequence's first character is one of, and whether it can be empty."""
    members: list = []
    for op, av in items:
        found, empty = _first_of(op, av)
        members += found
        if not empty:
            return members, False
    return members, True


def _first_of(op, av) -> tuple[list, bool]:
    if op in ZERO_WIDTH:
        return [], True
    if op is sre.LITERAL:
        return [(op, av)], False
    if op is sre.IN:
        if any(member_op is sre.NEGATE for member_op, _ in av):
            raise Unsupported("a negated class")
        return list(av), False
    if op is sre.SUBPATTERN:
        return _first(group_body(av, _CASE_AND_WIDTH))
    if op is sre.ATOMIC_GROUP:
        return _first(list(av))
    if op is sre.BRANCH:
        members, empty = [], False
        for alternative in av[1]:
            found, can_be_empty = _first(list(alternative))
            members += found
            empty = empty or can_be_empty
        return members, empty
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        if high == 0:
            return [], True
        found, empty = _first(list(sub))
        return found, empty or low == 0
    raise Unsupported(f"{op} as a first character")  # ANY, NOT_LITERAL, a backreference...


def _class_member(member) -> str:
    """One member of a parsed character class, written back as it was (characters as escapes)."""
    op, av = member
    if op is sre.LITERAL:
        return _escape(av)
    if op is sre.RANGE:
        return _escape(av[0]) + "-" + _escape(av[1])
    if op is sre.CATEGORY and av in _CATEGORIES:
        return _CATEGORIES[av]
    raise Unsupported(f"{op} in a class")


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# -- the reader -----------------------------------------------------------------------------------
# Each part of a pattern is read as a pair (exact, factors): ``exact`` is every probe string it can
# match, when that is a small known set (else None); ``factors`` is a set of strings one of which
# the probe of each of its matches contains (else None: no requirement known).
Strings = frozenset[str]
Info = tuple["Strings | None", "Strings | None"]
_ANYTHING: Info = (None, None)
_EMPTY: Info = (frozenset({""}), None)
_SPACE: Info = (frozenset({" "}), None)
_SPACE_OR_NOTHING: Info = (frozenset({"", " "}), None)


class _Reader:
    def __init__(self, ignorecase: bool, at_end: bool = True, edges: bool = True) -> None:
        self.ignorecase = ignorecase
        self.at_end = at_end
        self.edges = edges  # what \w means agrees with the probe (not so under re.ASCII)

    def top(self, items: list) -> Info:
        r"""A whole pattern: what it asserts before and after the match is a space of the probe.

        (?<![\w-]) at its start, (?![\w-]) at its end, and \b next to a word character: the
        character there is not a word character (a space in the probe) or there is none (the
        probe's padding). An alternation between them is read one alternative at a time, each
        with both spaces (``(?<![\w-])(?:cure|heal)(?![\w-])`` gives " cure " and " heal ").
        """
        items = self._inline(items)
        if len(items) == 1 and items[0][0] is sre.BRANCH:
            return _alternatives([self.top(list(alt)) for alt in items[0][1][1]])
        lead = edge(items[0], -1) if items and self.edges else False
        trail = edge(items[-1], 1) if len(items) > bool(lead) and self.edges else False
        # Look-arounds inside consume nothing: without them the body matches more, never less.
        body = [item for item in items[bool(lead):len(items) - bool(trail)] if item[0] not in ZERO_WIDTH]
        if (lead or trail) and len(body) == 1 and body[0][0] is sre.BRANCH:
            return _alternatives([self._bounded(lead, self._infos(self._inline(list(alt))), trail) for alt in body[0][1][1]])
        return self._bounded(lead, self._infos(body), trail)

    def _bounded(self, lead: str | bool, infos: list[Info], trail: str | bool) -> Info:
        """``infos`` with the spaces that the edges ``lead`` and ``trail`` ensure."""
        if lead == "space" or (lead == "boundary" and infos and _starts_word(infos[0][0], 0)):
            infos = [_SPACE, *infos]
        if self.at_end and (trail == "space" or (trail == "boundary" and infos and _starts_word(infos[-1][0], -1))):
            infos = [*infos, _SPACE]
        return _concat(infos)

    def sequence(self, items: list) -> Info:
        return _concat(self._infos(self._inline(items)))

    def _inline(self, items: list) -> list:
        """Groups spliced into the sequence around them (a group does not change what matches)."""
        if not any(op is sre.SUBPATTERN for op, _ in items):
            return items
        out: list = []
        for op, av in items:
            if op is sre.SUBPATTERN:
                out.extend(self._inline(group_body(av, re.IGNORECASE)))  # case switched inside: unsupported
            else:
                out.append((op, av))
        return out

    def _infos(self, items: list) -> list[Info]:
        """The infos of a sequence's parts, each run of literal characters read as one string."""
        out: list[Info] = []
        run: list[str] = []
        for op, av in items:
            ch = self.char(av) if op is sre.LITERAL else None
            if ch is not None:
                run.append(ch)
                continue
            if run:
                out.append((frozenset({"".join(run)}), None))
                run = []
            out.append(self.node(op, av))
        if run:
            out.append((frozenset({"".join(run)}), None))
        return out

    def char(self, code: int) -> str | None:
        """What a literal character becomes in the probe; None when unsure (a letter beyond ASCII).

        A character that is neither a word character nor cased (’, –, a line break) matches only
        itself, even ignoring case, and is a space of the probe.
        """
        ch = chr(code)
        if not " " <= ch <= "~":
            return " " if not _WORD.match(ch) and ch.lower() == ch == ch.upper() else None
        if not _WORD.match(ch):
            return " "
        return ch.lower() if self.ignorecase else ch

    def node(self, op, av) -> Info:
        if op is sre.LITERAL:
            return _ANYTHING  # a character that is not printable ASCII (see char)
        if op is sre.IN:
            return self.char_set(av)
        if op in ZERO_WIDTH:
            return _EMPTY  # zero width: adds nothing to a match
        if op is sre.ATOMIC_GROUP:
            return self.sequence(list(av))
        if op is sre.BRANCH:
            return _alternatives([self.sequence(list(alt)) for alt in av[1]])
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return self.repeat(*av)
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise Unsupported("backreference")
        return _ANYTHING  # ANY, NOT_LITERAL...: one character, nothing required

    def char_set(self, items) -> Info:
        if items == _SPACE_CLASS:
            return _SPACE
        chars = set()
        for op, av in items:
            if op is sre.LITERAL:
                chars.add(self.char(av))
            elif op is sre.RANGE and av[1] - av[0] < 10:
                chars.update(self.char(c) for c in range(av[0], av[1] + 1))
            else:
                return _ANYTHING  # a negated class, a category, a wide range
        return _ANYTHING if None in chars else (frozenset(chars), None)

    def repeat(self, low: int, high: int, sub) -> Info:
        if len(sub) == 1 and sub[0] in _SPACE_ITEMS:
            return _SPACE if low else _SPACE_OR_NOTHING  # a run of white space is one space
        exact, factors = self.sequence(list(sub))
        if exact is not None and high <= 3:
            out, power = set(), {""}
            for count in range(high + 1):
                if count >= low:
                    out |= power
                if count < high:
                    power = {a + b for a in power for b in exact}
                if len(out) > MAX_STRINGS or len(power) > MAX_STRINGS:
                    break
            else:
                return frozenset(out), None
        if low >= 1:
            return None, factors if exact is None else _as_factors(exact)
        return _ANYTHING


_SPACE_CLASS = [(sre.CATEGORY, sre.CATEGORY_SPACE)]
_SPACE_ITEMS = ((sre.LITERAL, 32), (sre.IN, _SPACE_CLASS))


def _concat(infos: list[Info]) -> Info:
    """The info of parts one after the other: runs of exact parts are multiplied out."""
    run: Strings = frozenset({""})  # the strings the current run of exact parts matches
    best: Strings | None = None
    whole = True  # every part so far was exact and the run never had to be cut
    for exact, factors in infos:
        if exact is not None:
            if len(run) * len(exact) <= MAX_STRINGS:
                run = frozenset({a + b for a in run for b in exact}) if len(exact) > 1 or len(run) > 1 \
                    else frozenset({next(iter(run)) + next(iter(exact))})
                continue
            best, run, whole = _better(best, _as_factors(run)), _with_tails(run, exact), False
            continue
        best, run, whole = _better(_better(best, _as_factors(run)), factors), frozenset({""}), False
    if whole:
        return run, None
    return None, _better(best, _as_factors(run))


def _with_tails(run: Strings, exact: Strings) -> Strings:
    """``exact`` after the longest ends of ``run`` that keep the product small (" inherited")."""
    for size in range(max(map(len, run)), 0, -1):
        tails = {r[-size:] for r in run}
        if len(tails) * len(exact) <= MAX_STRINGS:
            return frozenset(a + b for a in tails for b in exact)
    return exact


def _alternatives(infos: list[Info]) -> Info:
    """The info of an alternation: the union of the alternatives' strings."""
    if all(exact is not None for exact, _ in infos):
        union = frozenset().union(*(exact for exact, _ in infos))
        if len(union) <= MAX_STRINGS:
            return union, None
    factors: set[str] = set()
    for exact, fac in infos:
        fac = _as_factors(exact) if exact is not None else fac
        if not fac:
            return _ANYTHING
        factors |= fac
    return None, frozenset(factors)


def _starts_word(strings: Strings | None, at: int) -> bool:
    """Every string has a word character at ``at`` (0: its start, -1: its end)."""
    return bool(strings) and all(s and s[at] != " " for s in strings)


def _as_factors(strings: Strings | None) -> Strings | None:
    return None if not strings or "" in strings else strings


def _better(a: Strings | None, b: Strings | None) -> Strings | None:
    """The more selective of two sets: the longer shortest string, then fewer strings."""
    if not a:
        return b or None
    if not b:
        return a
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b
