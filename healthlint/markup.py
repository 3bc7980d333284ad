"""Find the prose in a Markdown or plain-text file.

The result is a *masked* copy of the text, the same length as the original, in which everything
that is not prose (front matter, code, HTML, URLs, link targets, Markdown markers) is blanked
with spaces while newlines stay put. Offsets into the masked text are offsets into the original,
so every finding keeps its exact line and column. Alongside it come the prose blocks (headings,
paragraphs, list items, table cells), the HTML comments (for suppression directives) and the
links (for rules that ask whether a sentence cites something).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

HEADING, PARAGRAPH, LIST_ITEM, TABLE_CELL, HTML, FOOTNOTE = (
    "heading", "paragraph", "list_item", "table_cell", "html", "footnote",
)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of prose: its kind, offsets into the text, and whether it sits in a block quote."""

    kind: str
    start: int
    end: int
    quoted: bool = False
    level: int = 0  # heading level, 0 for other blocks


@dataclass(frozen=True, slots=True)
class Span:
    """A region of the original text, with what it holds (a comment's body, a link's target)."""

    start: int
    end: int
    value: str


@dataclass(slots=True)
class Markup:
    """What the masking pass found in one file."""

    masked: str
    blocks: list[Block] = field(default_factory=list)
    comments: list[Span] = field(default_factory=list)
    links: list[Span] = field(default_factory=list)
    footnotes: list[Span] = field(default_factory=list)


_NOT_NEWLINE = re.compile(r"[^\n]+")


def blank(text: str) -> str:
    """Replace every character but newlines with a space."""
    return _NOT_NEWLINE.sub(lambda m: " " * len(m.group()), text)


# Inline patterns, applied in this order to each prose span; each masks what it matches.
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_UNCLOSED_COMMENT = re.compile(r"<!--.*", re.S)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>", re.I)
_RAW_ELEMENT = re.compile(r"<(script|style|pre|code|textarea|svg)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?/?>|<![A-Za-z][^>]*>|<\?.*?\?>", re.S)
_LINK_TARGET = re.compile(r"\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LABEL = re.compile(r"\]\[([^\]\n]*)\]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_BARE_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_MARKERS = re.compile(r"\\(?=[!-/:-@\[-`{-~])|\*+|~~|(?<!\w)_+|_+(?!\w)|!(?=\[)|[\[\]]")


class _Masker:
    """Masks the inline non-prose inside prose spans and records comments and links."""

    def __init__(self, markup: Markup, markdown: bool) -> None:
        self.markup = markup
        self.markdown = markdown

    def mask(self, text: str, offset: int) -> str:
        """Return ``text`` (which starts at ``offset`` in the file) with its inline non-prose blanked."""
        if self.markdown:
            text = _CODE_SPAN.sub(_blank_match, text)
        text = _COMMENT.sub(lambda m: self._comment(m, offset), text)
        text = _UNCLOSED_COMMENT.sub(_blank_match, text)
        if self.markdown:
            text = _AUTOLINK.sub(lambda m: self._link(m, offset, 1), text)
            text = _RAW_ELEMENT.sub(_blank_match, text)
            text = _TAG.sub(_blank_match, text)
            text = _LINK_TARGET.sub(lambda m: self._link(m, offset, 1), text)
            text = _REF_LABEL.sub(lambda m: self._link(m, offset, 1), text)
            text = _FOOTNOTE_REF.sub(lambda m: self._footnote(m, offset), text)
        text = _BARE_URL.sub(lambda m: self._link(m, offset, 0), text)
        text = _EMAIL.sub(_blank_match, text)
        if self.markdown:
            text = _ENTITY.sub(_blank_match, text)
            text = _MARKERS.sub(_blank_match, text)
        return text

    def _comment(self, m: re.Match[str], offset: int) -> str:
        self.markup.comments.append(Span(offset + m.start(), offset + m.end(), m.group(1)))
        return blank(m.group())

    def _link(self, m: re.Match[str], offset: int, group: int) -> str:
        self.markup.links.append(Span(offset + m.start(), offset + m.end(), m.group(group).strip("<> ")))
        return blank(m.group())

    def _footnote(self, m: re.Match[str], offset: int) -> str:
        self.markup.footnotes.append(Span(offset + m.start(), offset + m.end(), m.group(1)))
        return blank(m.group())


def _blank_match(m: re.Match[str]) -> str:
    return blank(m.group())


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


class _Builder:
    """Assembles the masked text from prose spans, each masked for inline non-prose."""

    def __init__(self, text: str, markdown: bool) -> None:
        self.text = text
        self.markup = Markup(masked="")
        self.masker = _Masker(self.markup, markdown)
        self.pieces: list[str] = []
        self.pos = 0

    def prose(self, start: int, end: int, kind: str, quoted: bool = False, level: int = 0) -> None:
        """Keep ``text[start:end]`` as prose (after inline masking) and record it as a block."""
        if start < self.pos or start >= end:
            return
        self.pieces.append(blank(self.text[self.pos:start]))
        self.pieces.append(self.masker.mask(self.text[start:end], start))
        self.pos = end
        self.markup.blocks.append(Block(kind, start, end, quoted, level))

    def finish(self) -> Markup:
        self.pieces.append(blank(self.text[self.pos:]))
        self.markup.masked = "".join(self.pieces)
        return self.markup


def mask_markdown(text: str, skip_lines: int = 0) -> Markup:
    """Mask a Markdown document; the first ``skip_lines`` lines (front matter) are not prose."""
    starts = _line_starts(text)
    source = "\n" * skip_lines + text[starts[skip_lines]:] if skip_lines < len(starts) else ""
    tokens = _parser().parse(source)
    builder = _Builder(text, markdown=True)
    quote_depth = list_depth = footnote_depth = 0
    heading_level = 0
    for i, tok in enumerate(tokens):
        ttype = tok.type
        if ttype == "blockquote_open":
            quote_depth += 1
        elif ttype == "blockquote_close":
            quote_depth -= 1
        elif ttype in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif ttype in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif ttype == "footnote_open":
            footnote_depth += 1
        elif ttype == "footnote_close":
            footnote_depth -= 1
        elif ttype == "heading_open":
            heading_level = int(tok.tag[1:])
        elif ttype == "heading_close":
            heading_level = 0
        elif ttype == "inline" and tok.map:
            parent = tokens[i - 1].type if i else ""
            if parent in ("th_open", "td_open"):
                _table_cell(builder, text, starts, tok, quote_depth > 0)
            else:
                kind = (
                    HEADING if heading_level
                    else FOOTNOTE if footnote_depth
                    else LIST_ITEM if list_depth
                    else PARAGRAPH
                )
                _inline_block(builder, text, starts, tok, kind, quote_depth > 0, heading_level)
        elif ttype == "html_block" and tok.map:
            _html_block(builder, text, starts, tok.map)
    return builder.finish()


def mask_plain(text: str, skip_lines: int = 0) -> Markup:
    """Mask a plain-text document: URLs and comments are masked, each paragraph is a block.

    Plain text has no markup for headings, so a short line with no closing punctuation that is
    followed by more text is taken for a heading, as in articles saved one paragraph a line.
    """
    starts = _line_starts(text)
    builder = _Builder(text, markdown=False)
    lines = text.split("\n")
    para_start: int | None = None
    for n in range(skip_lines, len(lines)):
        line = lines[n].rstrip("\r")
        stripped = line.strip()
        if not stripped:
            _close_plain(builder, text, starts, para_start, n)
            para_start = None
            continue
        if para_start is not None and _starts_new_plain_block(lines[n - 1], stripped):
            _close_plain(builder, text, starts, para_start, n)
            para_start = None
        if para_start is None:
            para_start = n
    _close_plain(builder, text, starts, para_start, len(lines))
    return builder.finish()


_TERMINAL = re.compile(r"[.!?:;,\"'”’)\]]$")


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 12 and not _TERMINAL.search(line) and line[0].isupper()


def _starts_new_plain_block(previous: str, current: str) -> bool:
    prev = previous.strip()
    if _TERMINAL.search(prev):
        return True
    return _looks_like_heading(prev) or current[:1].isupper() and len(prev) < 60


def _close_plain(builder: _Builder, text: str, starts: list[int], first: int | None, stop: int) -> None:
    if first is None:
        return
    start = starts[first] + _indent(text, starts[first])
    end = _line_end(text, starts, stop - 1)
    first_line = text[starts[first]:_line_end(text, starts, first)].strip()
    is_heading = stop - first == 1 and _looks_like_heading(first_line) and stop < len(starts)
    builder.prose(start, end, HEADING if is_heading else PARAGRAPH, level=1 if is_heading else 0)


def _indent(text: str, pos: int) -> int:
    n = 0
    while pos + n < len(text) and text[pos + n] in " \t":
        n += 1
    return n


def _line_end(text: str, starts: list[int], line: int) -> int:
    """Offset of the end of ``line`` (0-based), before its newline and any carriage return."""
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    if end > starts[line] and text[end - 1] == "\r":
        end -= 1
    return end


def _inline_block(builder: _Builder, text: str, starts: list[int], tok, kind: str, quoted: bool, level: int) -> None:
    """Keep an inline token's source as prose, blanking the container markers between its lines.

    Each line of the token's content is a suffix of its source line: what precedes it ("> ",
    list indentation, "#") belongs to the container, not the prose.
    """
    first, last = tok.map
    segments: list[tuple[int, int]] = []
    for n, content in zip(range(first, last), tok.content.split("\n")):
        content = content.rstrip()
        if not content:
            continue
        line_start = starts[n]
        line_text = text[line_start:_line_end(text, starts, n)].rstrip()
        col = _content_column(line_text, content, kind)
        if col < 0 or line_start + col < max(builder.pos, segments[-1][1] if segments else 0):
            continue
        segments.append((line_start + col, line_start + col + len(content)))
        if kind == HEADING:
            break  # a setext heading's underline is not prose
    if not segments:
        return
    start, end = segments[0][0], segments[-1][1]
    out = [blank(text[builder.pos:start])]
    pos = start
    for s, e in segments:
        out.append(blank(text[pos:s]))
        out.append(text[s:e])
        pos = e
    # Mask inline constructs over the whole block at once, so a code span or comment that
    # crosses a line is seen whole; the container markers are already blanked.
    prose = "".join(out[1:])
    builder.pieces.append(out[0])
    builder.pieces.append(builder.masker.mask(prose, start))
    builder.pos = end
    builder.markup.blocks.append(Block(kind, start, end, quoted, level))


def _content_column(line_text: str, content: str, kind: str) -> int:
    """Where ``content`` starts in its source line, or -1."""
    if kind == HEADING and line_text.lstrip().startswith("#"):
        return line_text.find(content, line_text.find("#") + 1)
    if line_text.endswith(content):
        return len(line_text) - len(content)
    return line_text.rfind(content)


def _table_cell(builder: _Builder, text: str, starts: list[int], tok, quoted: bool) -> None:
    """A table cell: find its content in the row after the previous cell's end."""
    content = tok.content.strip()
    if not content:
        return
    n = tok.map[0]
    row_start = starts[n]
    row = text[row_start:_line_end(text, starts, n)]
    col = row.find(content, max(0, builder.pos - row_start))
    if col >= 0:
        builder.prose(row_start + col, row_start + col + len(content), TABLE_CELL, quoted)


def _html_block(builder: _Builder, text: str, starts: list[int], line_map: list[int]) -> None:
    """An HTML block: its comments are recorded, the text between its tags is prose."""
    first, last = line_map
    start = starts[first]
    end = _line_end(text, starts, last - 1)
    if start < builder.pos:
        return
    chunk = text[start:end]
    builder.pieces.append(blank(text[builder.pos:start]))
    masker = builder.masker
    masked = _COMMENT.sub(lambda m: masker._comment(m, start), chunk)
    masked = _UNCLOSED_COMMENT.sub(_blank_match, masked)
    masked = _RAW_ELEMENT.sub(_blank_match, masked)
    masked = _TAG.sub(_blank_match, masked)
    masked = masker.mask(masked, start)
    builder.pieces.append(masked)
    builder.pos = end
    # Each run of text between tags is a block of its own.
    for m in re.finditer(r"\S(?:.*\S)?", masked):
        builder.markup.blocks.append(Block(HTML, start + m.start(), start + m.end()))


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").use(footnote_plugin)
    return _PARSER
