"""The document model: built once per file, read by every rule.

A :class:`Document` holds the original text, the masked text (prose only, same length), the
parsed front matter, the prose blocks and the sentences, each with exact offsets, and converts
offsets to 1-based lines and columns counted in characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from healthlint import markup, sentences
from healthlint.markup import HEADING, Block, Span

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
        self.path = path
        self.text = text
        self.plain = plain
        self.problems: list[InputProblem] = list(problems or [])
        self.front_matter = _read_front_matter(text, self.problems)
        masker = markup.mask_plain if plain else markup.mask_markdown
        found = masker(text, self.front_matter.lines)
        self.masked: str = found.masked
        self.blocks: list[Block] = found.blocks
        self.comments: list[Span] = found.comments
        self.links: list[Span] = found.links
        self.footnotes: list[Span] = found.footnotes
        self._line_starts = _line_starts(text)

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
        return [s for s in self.links if start <= s.start < end]

    def footnotes_between(self, start: int, end: int) -> list[Span]:
        return [s for s in self.footnotes if start <= s.start < end]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def _read_front_matter(text: str, problems: list[InputProblem]) -> FrontMatter:
    """Parse YAML front matter between ``---`` lines at the very top of the file.

    A front matter block that never closes, or whose YAML does not parse, is reported as an
    input problem at the line concerned; an unclosed block is then read as prose.
    """
    if not re.match(r"---[ \t]*\r?\n", text):
        return FrontMatter()
    first_nl = text.index("\n") + 1
    close = _FRONT_MATTER_CLOSE.search(text, first_nl)
    if close is None:
        problems.append(InputProblem("front-matter", 0, text.find("\n"), "front matter opened with '---' on line 1 is never closed"))
        return FrontMatter()
    end = text.find("\n", close.end())
    end = len(text) if end == -1 else end + 1
    body = text[first_nl:close.start()]
    fm = FrontMatter(start=0, end=end, lines=text.count("\n", 0, end) + (0 if text.endswith("\n", 0, end) else 1))
    try:
        data = yaml.load(body, Loader=_SafeLoader) if body.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line if mark else 0) + 1  # 0-based within the body; the body starts on line 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        s = _nth_line_start(text, line)
        problems.append(InputProblem("front-matter", s, text.find("\n", s) if "\n" in text[s:] else len(text), f"front matter is not valid YAML: {problem}"))
        return fm
    if not isinstance(data, dict):
        problems.append(InputProblem("front-matter", 0, 3, "front matter must be a mapping of keys to values"))
        return fm
    fm.data = {str(k): v for k, v in data.items()}
    fm.key_offsets = _key_offsets(text, first_nl, close.start())
    return fm


def _nth_line_start(text: str, n: int) -> int:
    """Offset of the start of 0-based line ``n``."""
    pos = 0
    for _ in range(n):
        nl = text.find("\n", pos)
        if nl == -1:
            return pos
        pos = nl + 1
    return pos


def _key_offsets(text: str, start: int, end: int) -> dict[str, int]:
    """Where each top-level key of the front matter starts, so findings can point at it."""
    return {m.group(1): m.start() for m in re.finditer(r"^([^\s#:][^:\n]*?)[ \t]*:", text[:end], re.M) if m.start() >= start}


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """yaml.safe_load's loader (the C one when available), with dates kept as written.

    Dates are checked by rules that want to say "this date is in the future" or "this is a
    template placeholder", so they stay strings and each rule parses them itself.
    """


_SafeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in getattr(yaml.SafeLoader, "yaml_implicit_resolvers", {}).items()
}
