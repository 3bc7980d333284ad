"""The document model: built once per file, read by every rule.

A :class:`Document` holds the original text, the masked text (prose only, same length), the
parsed front matter, the prose blocks and the sentences, each with exact offsets, and converts
offsets to 1-based lines and columns counted in characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from healthlint import markup, sentences
from healthlint.markup import HEADING, Block, Span

if TYPE_CHECKING:
    import yaml

PLAIN_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdx", ".mdown", ".mkd"})
LINT_SUFFIXES = PLAIN_SUFFIXES | MARKDOWN_SUFFIXES

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: offsets into the document and the block it belongs to."""

    start: int
    end: int
    text: str  # the masked text of the sentence: non-prose is blanked, offsets line up
    block: Block

    @property
    def is_heading(self) -> bool:
        return self.block.kind == HEADING


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something wrong with the file itself, reported as an HL9xx finding."""

    kind: str  # "invalid-utf8" | "front-matter"
    start: int
    end: int
    detail: str


@dataclass(slots=True)
class FrontMatter:
    """The YAML front matter: its data, its line span, and where each top-level key sits."""

    data: dict[str, Any] = field(default_factory=dict)
    start: int = 0
    end: int = 0  # offset just after the closing delimiter line
    lines: int = 0  # number of lines the front matter takes, delimiters included
    key_offsets: dict[str, int] = field(default_factory=dict)


class Document:
    """One file, parsed once."""

    def __init__(self, path: str, text: str, *, plain: bool = False, problems: list[InputProblem] | None = None):
        if text.startswith("\ufeff"):
            text = text[1:]  # a byte-order mark is not text (files.decode drops it too)
        self.path = path
        self.text = text
        self.plain = plain
        self.problems: list[InputProblem] = list(problems or [])
        self._line_starts = _line_starts(text)
        self.front_matter = _read_front_matter(text, self._line_starts, self.problems)
        masker = markup.mask_plain if plain else markup.mask_markdown
        found = masker(text, self.front_matter.lines)
        self.masked: str = found.masked
        self.blocks: list[Block] = found.blocks
        self.comments: list[Span] = found.comments
        self.links: list[Span] = found.links
        self.footnotes: list[Span] = found.footnotes

    # -- positions -------------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``, the column counted in characters."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of the start and end (before the newline) of 1-based ``line``."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    # -- structure -------------------------------------------------------------------------
    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence of every prose block, in document order."""
        out: list[Sentence] = []
        masked = self.masked
        for block in self.blocks:
            for s, e in sentences.split_spans(masked, block.start, block.end):
                out.append(Sentence(s, e, masked[s:e], block))
        return out

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing ``offset``, or None."""
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        """The sentences that start between two offsets (those of a block, say)."""
        starts = self._sentence_starts
        return self.sentences[bisect_left(starts, start):bisect_left(starts, end)]

    @cached_property
    def title_block(self) -> Block | None:
        """The first block when it is a heading: the article's title."""
        return self.blocks[0] if self.blocks and self.blocks[0].kind == HEADING else None

    @cached_property
    def prose_text(self) -> str:
        """The prose of the document, one block per line (for document-level measures)."""
        return "\n".join(self.masked[b.start:b.end] for b in self.blocks)

    @property
    def has_prose(self) -> bool:
        return any(self.masked[b.start:b.end].strip() for b in self.blocks)

    def words(self, start: int, end: int) -> list[str]:
        """The words of the masked text between two offsets."""
        return _WORD.findall(self.masked, start, end)

    def links_between(self, start: int, end: int) -> list[Span]:
        """The links that start between two offsets (a binary search: rules ask once per sentence)."""
        starts = self._link_starts
        return self.links[bisect_left(starts, start):bisect_left(starts, end)]

    def footnotes_between(self, start: int, end: int) -> list[Span]:
        """The footnote references that start between two offsets."""
        starts = self._footnote_starts
        return self.footnotes[bisect_left(starts, start):bisect_left(starts, end)]

    @cached_property
    def _link_starts(self) -> list[int]:
        return _sorted_starts(self.links)

    @cached_property
    def _footnote_starts(self) -> list[int]:
        return _sorted_starts(self.footnotes)


def _sorted_starts(spans: list[Span]) -> list[int]:
    """The start offsets of ``spans``, which are sorted by start in place first (stably)."""
    spans.sort(key=lambda span: span.start)
    return [span.start for span in spans]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\r?\n")
_YAML_KEY_LINE = re.compile(r"[ \t]*[\"']?[\w-][^:\n]*:(?:[ \t]|\r?$)", re.M)
# YAML error contexts that point at where the problem began (an unclosed quote or bracket, a
# key without its colon); for the others the problem's own mark is the better line.
_STARTING_CONTEXTS = ("while scanning a quoted scalar", "while scanning a simple key", "while parsing a flow")


def _read_front_matter(text: str, starts: list[int], problems: list[InputProblem]) -> FrontMatter:
    """Parse YAML front matter between ``---`` lines at the very top of the file.

    A front matter block that never closes, or whose YAML does not parse, is reported as an
    input problem at the line concerned; an unclosed block is then read as prose. A file that
    opens with ``---`` and no YAML after it (a thematic break) has no front matter.
    """
    if not _FRONT_MATTER_OPEN.match(text):
        return FrontMatter()
    first_nl = starts[1]
    close = _FRONT_MATTER_CLOSE.search(text, first_nl)
    if close is None:
        if _YAML_KEY_LINE.match(text, first_nl):
            problems.append(InputProblem("front-matter", 0, _line_stop(text, starts, 0),
                                         "front matter opened with '---' on line 1 is never closed"))
        return FrontMatter()
    end = text.find("\n", close.end())
    end = len(text) if end == -1 else end + 1
    body = text[first_nl:close.start()]
    lines = text.count("\n", 0, end) + (0 if text.endswith("\n", 0, end) else 1)
    fm = FrontMatter(start=0, end=end, lines=lines)
    import yaml  # here, not at the top: an article without front matter needs no YAML (start-up time)

    try:
        data, keys = _load_yaml(body)
    except yaml.YAMLError as exc:
        line = 1 + _error_line(exc, lines - 2)  # the body starts on the file's second line (0-based 1)
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        if context and str(context).startswith(_STARTING_CONTEXTS):
            detail = f"{detail} ({context})"
        problems.append(InputProblem("front-matter", starts[line], _line_stop(text, starts, line),
                                     f"front matter is not valid YAML: {detail}"))
        return fm
    if data is None:
        data = {}  # empty, or only comments
    if not isinstance(data, dict):
        problems.append(InputProblem("front-matter", 0, 3, "front matter must be a mapping of keys to values"))
        return fm
    fm.data = {str(k): v for k, v in data.items()}
    fm.key_offsets = {key: first_nl + index for key, index in keys.items()}
    return fm


def _load_yaml(body: str) -> tuple[Any, dict[str, int]]:
    """The YAML data, and the offset in ``body`` of each top-level key, from one parse.

    Offsets, not lines: YAML also breaks lines at a lone CR, U+0085, U+2028 and U+2029, which are
    not line breaks in the file.
    """
    import yaml

    from healthlint import yamlsafe

    if not body.strip():
        return {}, {}
    data, node = yamlsafe.load_with_node(body, _safe_loader())  # bounded: no anchor bombs, no deep nesting
    keys: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                keys.setdefault(str(key_node.value), key_node.start_mark.index)
    return data, keys


def _error_line(exc: yaml.YAMLError, body_lines: int) -> int:
    """The 0-based line of the front matter body a YAML error is best reported at."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    line = problem.line if problem is not None else 0
    if context is not None and (line >= body_lines or str(getattr(exc, "context", "")).startswith(_STARTING_CONTEXTS)):
        line = context.line
    return max(0, min(line, body_lines - 1)) if body_lines > 0 else 0


def _line_stop(text: str, starts: list[int], line: int) -> int:
    """Offset of the end of 0-based ``line``, before its line break."""
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    return end - 1 if end > starts[line] and text[end - 1] == "\r" else end


@lru_cache(maxsize=1)
def _safe_loader() -> type:
    """yaml.safe_load's loader (the C one when available), with dates kept as written.

    Dates are checked by rules that want to say "this date is in the future" or "this is a
    template placeholder", so they stay strings and each rule parses them itself.
    """
    import yaml

    loader = type("_SafeLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {"__doc__": _safe_loader.__doc__})
    loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in getattr(yaml.SafeLoader, "yaml_implicit_resolvers", {}).items()
    }
    return loader
