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
from markdown_it.common.utils import normalizeReference
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
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>", re.I)
_RAW_NAMES = ("script", "style", "pre", "code", "textarea", "svg")
_RAW_OPEN = re.compile(rf"<({'|'.join(_RAW_NAMES)})\b[^<>]*>", re.I)
_RAW_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in _RAW_NAMES}
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?/?>|<![A-Za-z][^<>]*>|<\?[^<>]*\?>")
_LINK_TARGET = re.compile(r"\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LABEL = re.compile(r"\]\[([^\]\n]*)\]")
_SHORTCUT_REF = re.compile(r"(?<![\]\\])\[([^\[\]^][^\[\]]*)\](?![\[(:])")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_BARE_URL = re.compile(r"(?<![^\W_])(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_MARKERS = re.compile(r"\\(?=[!-/:-@\[-`{-~]|\r?\n)|\*+|~~|(?<!\w)_+|_+(?!\w)|!(?=\[)|[\[\]]")


class _Masker:
    """Masks the inline non-prose inside prose spans and records comments and links."""

    def __init__(self, markup: Markup, markdown: bool, references: frozenset[str] = frozenset()) -> None:
        self.markup = markup
        self.markdown = markdown
        self.references = references  # the labels of the document's link reference definitions

    def mask(self, text: str, offset: int) -> str:
        """Return ``text`` (which starts at ``offset`` in the file) with its inline non-prose blanked."""
        if self.markdown and "`" in text:
            text = mask_code_spans(text)
        if "<!--" in text:
            text = self.comments(text, offset)
        if self.markdown:
            if "<" in text:
                text = _AUTOLINK.sub(lambda m: self._link(m, offset, 1), text)
                text = mask_raw_elements(text)
                text = _TAG.sub(_blank_match, text)
            if "]" in text:
                text = _LINK_TARGET.sub(lambda m: self._link(m, offset, 1), text)
                text = _REF_LABEL.sub(lambda m: self._link(m, offset, 1), text)
                text = _FOOTNOTE_REF.sub(lambda m: self._footnote(m, offset), text)
                if self.references:
                    text = _SHORTCUT_REF.sub(lambda m: self._shortcut(m, offset), text)
        text = _BARE_URL.sub(lambda m: self._link(m, offset, 0), text)
        if "@" in text:
            text = mask_emails(text)
        if self.markdown:
            text = _ENTITY.sub(_blank_match, text)
            text = _MARKERS.sub(_blank_match, text)
        return text

    def comments(self, text: str, offset: int) -> str:
        """Blank the HTML comments in ``text``, recording each; an unclosed one runs to the end.

        A linear scan: once no ``-->`` follows an opening, none follows any later one either.
        """
        out: list[str] = []
        pos = 0
        while True:
            opening = text.find("<!--", pos)
            if opening == -1:
                break
            closing = text.find("-->", opening + 4)
            if closing == -1:
                out.append(text[pos:opening])
                out.append(blank(text[opening:]))
                return "".join(out)
            stop = closing + 3
            self.markup.comments.append(Span(offset + opening, offset + stop, text[opening + 4:closing]))
            out.append(text[pos:opening])
            out.append(blank(text[opening:stop]))
            pos = stop
        out.append(text[pos:])
        return "".join(out)

    def _link(self, m: re.Match[str], offset: int, group: int) -> str:
        self.markup.links.append(Span(offset + m.start(), offset + m.end(), m.group(group).strip("<> ")))
        return blank(m.group())

    def _shortcut(self, m: re.Match[str], offset: int) -> str:
        """``[label]`` names a link when the document defines that label; keep its text as prose."""
        if normalizeReference(m.group(1)) in self.references:
            self.markup.links.append(Span(offset + m.start(), offset + m.end(), m.group(1)))
        return m.group()

    def _footnote(self, m: re.Match[str], offset: int) -> str:
        self.markup.footnotes.append(Span(offset + m.start(), offset + m.end(), m.group(1)))
        return blank(m.group())


def _blank_match(m: re.Match[str]) -> str:
    return blank(m.group())


_BACKTICKS = re.compile(r"`+")


def mask_code_spans(text: str) -> str:
    """Blank each code span: a run of backticks, up to the next run of the same length.

    The same result as ``_CODE_SPAN.sub``, in linear time: the regex searches onwards from every
    opening that has no closing run (quadratic in a long line of unmatched backticks); here the
    next run of each length is looked up.
    """
    runs = [m.span() for m in _BACKTICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    latest: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = latest.get(length)
        latest[length] = i
    out: list[str] = []
    pos = i = 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1  # no closing run: these backticks are text
            continue
        start, end = runs[i][0], runs[j][1]
        out += (text[pos:start], blank(text[start:end]))
        pos, i = end, j + 1
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


_WORD_BOUNDARY = re.compile(r"\b")


def mask_emails(text: str) -> str:
    """Blank the e-mail addresses in ``text``: the same result as ``_EMAIL.sub``, in linear time.

    The regex alone tries every word boundary of a long run such as "a.b.c.d..." and scans it to
    its end each time (minutes on a 100 KB line without spaces). An address needs an "@", so
    each "@" is visited once: its local part is the run of ``[\\w.+-]`` before it, which can
    only match from the run's first word boundary.
    """
    out: list[str] = []
    pos = 0  # where the last address ended: matching resumes there
    at = text.find("@")
    while at != -1:
        start = at
        while start > pos and _local_char(text[start - 1]):
            start -= 1
        first = _WORD_BOUNDARY.search(text, start, at) if start < at else None
        m = _EMAIL.match(text, first.start()) if first is not None and first.start() < at else None
        if m is None:
            at = text.find("@", at + 1)
            continue
        out += (text[pos:m.start()], blank(m.group()))
        pos = m.end()
        at = text.find("@", pos)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _local_char(c: str) -> bool:
    """``[\\w.+-]``: a character of an address's local part (``\\w`` is ``str.isalnum`` or "_")."""
    return c.isalnum() or c in "_.+-"


def mask_raw_elements(text: str) -> str:
    """Blank ``<script>``, ``<style>``, ``<pre>``, ``<code>``... elements, contents and all.

    A scan rather than one regex, so that many unclosed openings cost linear time: once an
    element has no closing tag after some opening, none of its later openings has one either.
    """
    if "<" not in text:
        return text
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    for m in _RAW_OPEN.finditer(text):
        name = m.group(1).lower()
        if m.start() < pos or name in unclosed:
            continue
        close = _RAW_CLOSE[name].search(text, m.end())
        if close is None:
            unclosed.add(name)
            continue
        out.append(text[pos:m.start()])
        out.append(blank(text[m.start():close.end()]))
        pos = close.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


class _Builder:
    """Assembles the masked text from prose spans, each masked for inline non-prose."""

    def __init__(self, text: str, markdown: bool, references: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.markup = Markup(masked="")
        self.masker = _Masker(self.markup, markdown, references)
        self.pieces: list[str] = []
        self.pos = 0
        self.lookup = text  # the text block contents are looked up in (see mask_markdown)

    def prose(self, start: int, end: int, kind: str, quoted: bool = False, level: int = 0) -> None:
        """Keep ``text[start:end]`` as prose (after inline masking) and record it as a block."""
        if start < self.pos or start >= end:
            return
        masked = self.masker.mask(self.text[start:end], start)
        self.pieces.append(blank(self.text[self.pos:start]))
        self.pieces.append(masked)
        self.pos = end
        if not masked.isspace():  # a block with no prose left (a lone comment or image) is none
            self.markup.blocks.append(Block(kind, start, end, quoted, level))

    def segments(self, segments: list[tuple[int, int]], kind: str, quoted: bool = False, level: int = 0) -> None:
        """Keep the given runs of one block as prose, blanking what lies between them.

        The inline constructs are masked over the whole block at once, so a code span or comment
        that crosses a line is seen whole.
        """
        start, end = segments[0][0], segments[-1][1]
        out = []
        pos = start
        for s, e in segments:
            out.append(blank(self.text[pos:s]))
            out.append(self.text[s:e])
            pos = e
        masked = self.masker.mask("".join(out), start)
        self.pieces.append(blank(self.text[self.pos:start]))
        self.pieces.append(masked)
        self.pos = end
        if not masked.isspace():
            self.markup.blocks.append(Block(kind, start, end, quoted, level))

    def finish(self) -> Markup:
        self.pieces.append(blank(self.text[self.pos:]))
        self.markup.masked = "".join(self.pieces)
        self.markup.links.sort(key=lambda span: span.start)  # bare URLs are found after the others
        return self.markup


def mask_markdown(text: str, skip_lines: int = 0) -> Markup:
    """Mask a Markdown document; the first ``skip_lines`` lines (front matter) are not prose."""
    starts = _line_starts(text)
    source = "\n" * skip_lines + text[starts[skip_lines]:] if skip_lines < len(starts) else ""
    lookup = text
    if "\r" in source or "\0" in source:
        # markdown-it reads a lone CR as a line break, which would shift its line numbers
        # against ours, and turns NUL into U+FFFD; a space keeps every line where it is, and
        # the block contents are then looked up in the same translated text.
        source = source.translate(_CR_NUL)
        lookup = text.translate(_CR_NUL)
    env: dict = {}
    tokens = _parser().parse(source, env)
    builder = _Builder(text, markdown=True, references=frozenset(env.get("references", ())))
    builder.lookup = lookup
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
        elif ttype == "footnote_reference_open":
            footnote_depth += 1
        elif ttype == "footnote_reference_close":
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
            _html_block(builder, text, starts, tok, quote_depth > 0)
    return builder.finish()


_CR_NUL = str.maketrans({"\r": " ", "\0": " "})


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def _line_end(text: str, starts: list[int], line: int) -> int:
    """Offset of the end of ``line`` (0-based), before its newline and any carriage return."""
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    if end > starts[line] and text[end - 1] == "\r":
        end -= 1
    return end


def _content_segments(builder: _Builder, text: str, starts: list[int], tok, kind: str) -> list[tuple[int, int]]:
    """Where each line of a block token's content sits in the file.

    Each content line is a suffix of its source line: what precedes it ("> ", list indentation,
    "#") belongs to the container, not the prose. Lines that cannot be found are left out.
    """
    first, last = tok.map
    segments: list[tuple[int, int]] = []
    for n, content in zip(range(first, last), tok.content.split("\n")):
        content = content.rstrip()
        if not content:
            continue
        line_start = starts[n]
        line_text = builder.lookup[line_start:_line_end(text, starts, n)].rstrip()
        col = _content_column(line_text, content, kind)
        if col < 0 and content[:1].isspace():
            content = content.lstrip()  # markdown-it turns a tab in the indentation into spaces
            col = _content_column(line_text, content, kind)
        if col < 0 or line_start + col < max(builder.pos, segments[-1][1] if segments else 0):
            continue
        segments.append((line_start + col, line_start + col + len(content)))
    return segments


def _inline_block(builder: _Builder, text: str, starts: list[int], tok, kind: str, quoted: bool, level: int) -> None:
    """Keep a paragraph's, heading's or list item's source as prose, container markers blanked."""
    segments = _content_segments(builder, text, starts, tok, kind)
    if segments:
        builder.segments(segments, kind, quoted, level)


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
    row = builder.lookup[row_start:_line_end(text, starts, n)]
    col = row.find(content, max(0, builder.pos - row_start))
    if col < 0 and "|" in content:
        content = content.replace("|", "\\|")  # markdown-it unescapes "\|" inside cells
        col = row.find(content, max(0, builder.pos - row_start))
    if col >= 0:
        builder.prose(row_start + col, row_start + col + len(content), TABLE_CELL, quoted)


def _html_block(builder: _Builder, text: str, starts: list[int], tok, quoted: bool) -> None:
    """An HTML block: its comments are recorded, the text between its tags is prose.

    Each run of text between tags on a line is a block of its own.
    """
    segments = _content_segments(builder, text, starts, tok, HTML)
    if not segments:
        return
    start = segments[0][0]
    masker = builder.masker
    raw = "".join(
        blank(text[prev_end:s]) + text[s:e]
        for (s, e), prev_end in zip(segments, [start] + [e for _, e in segments[:-1]])
    )
    raw = masker.comments(raw, start) if "<!--" in raw else raw
    raw = mask_raw_elements(raw)
    raw = _TAG.sub(_blank_match, raw)
    masked = masker.mask(raw, start)
    builder.pieces.append(blank(text[builder.pos:start]))
    builder.pieces.append(masked)
    builder.pos = segments[-1][1]
    for m in _TEXT_RUN.finditer(masked):
        builder.markup.blocks.append(Block(HTML, start + m.start(), start + m.end(), quoted))


_TEXT_RUN = re.compile(r"\S(?:.*\S)?")


def mask_plain(text: str, skip_lines: int = 0) -> Markup:
    """Mask a plain-text document: URLs and comments are masked, each paragraph is a block.

    Plain text has no markup, so its structure is guessed from its lines. A file of long lines
    (an article saved one paragraph a line) has a paragraph on each line; a hard-wrapped file
    (short lines, paragraphs split by blank lines) has its paragraphs between blank lines. In
    both, a line that starts with a list marker ("- ", "1. ") starts a list item, and a short line
    with no closing punctuation followed by more text is a heading.
    """
    starts = _line_starts(text)
    builder = _Builder(text, markdown=False)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    width = _wrap_width(lines[skip_lines:])
    last_text_line = max((n for n in range(len(lines) - 1, skip_lines - 1, -1) if lines[n].strip()), default=-1)
    block: tuple[int, int, str] | None = None  # first line, content offset, kind
    previous = ""
    for n in range(skip_lines, len(lines)):
        line = lines[n]
        stripped = line.strip()
        if not stripped:
            _close_plain(builder, text, starts, block, n, last_text_line)
            block = None
            continue
        marker = _LIST_MARKER.match(line)
        if block is not None and (marker or _starts_new_plain_block(previous, stripped, width)):
            _close_plain(builder, text, starts, block, n, last_text_line)
            block = None
        if block is None:
            indent = marker.end() if marker else len(line) - len(line.lstrip())
            block = (n, starts[n] + indent, LIST_ITEM if marker else PARAGRAPH)
        previous = stripped
    _close_plain(builder, text, starts, block, len(lines), last_text_line)
    return builder.finish()


_LIST_MARKER = re.compile(r"[ \t]*(?:[-*•–]|\d{1,3}[.)])[ \t]+(?=\S)")
_OPEN_END = re.compile(r"[.!?:;,\"'”’)\]]$")  # a line ending so is not a heading
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_HARD_WRAP_MAX = 100  # a file whose lines are mostly this short is hard-wrapped


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped file is wrapped at (its 90th-percentile line length), else None.

    A file is hard-wrapped when its lines are short and some sentences run on from one line to
    the next (a line not ending a sentence, then one starting in lower case); a file of short
    one-paragraph lines has neither.
    """
    stripped = [line.strip() for line in lines]
    lengths = sorted(len(line) for line in stripped if line)
    if len(lengths) < 3:
        return None
    width = lengths[(len(lengths) * 9) // 10]
    if width > _HARD_WRAP_MAX:
        return None
    pairs = runs_on = 0
    for prev, cur in zip(stripped, stripped[1:]):
        if prev and cur:
            pairs += 1
            runs_on += cur[0].islower() and not _SENTENCE_END.search(prev)
    return width if pairs and runs_on >= max(1, pairs // 10) else None


def _looks_like_heading(line: str) -> bool:
    """A short line that starts with a capital or digit and does not end like a sentence.

    A question ("Is it contagious?") counts: articles use them as headings.
    """
    words = line.split()
    return (
        0 < len(words) <= 12 and (line[0].isupper() or line[0].isdigit())
        and (not _OPEN_END.search(line) or line.endswith("?"))
    )


def _starts_new_plain_block(previous: str, current: str, width: int | None) -> bool:
    """Whether the non-blank line ``current`` starts a new block after the line ``previous``.

    A line starting in lower case continues the previous one. In a file of one paragraph a line,
    any other line starts a block; in a hard-wrapped file, only one after a short line that ends
    a sentence or is a heading.
    """
    if current[0].islower():
        return False
    if width is None:
        return True
    short = len(previous) < 0.7 * width
    return short and bool(_SENTENCE_END.search(previous) or _looks_like_heading(previous))


def _close_plain(builder: _Builder, text: str, starts: list[int], block: tuple[int, int, str] | None,
                 stop: int, last_text_line: int) -> None:
    """Record the block that began at ``block`` and ends before line ``stop``."""
    if block is None:
        return
    first, start, kind = block
    end = _line_end(text, starts, stop - 1)
    while end > start and text[end - 1] in " \t":
        end -= 1
    if kind == PARAGRAPH and stop - first == 1 and first < last_text_line and _looks_like_heading(text[start:end]):
        builder.prose(start, end, HEADING, level=1)
    else:
        builder.prose(start, end, kind)


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    """CommonMark with tables, strikethrough and footnote definitions, block level only.

    Only the blocks' source lines are used, so markdown-it's inline pass is switched off (it is
    most of the parsing time), and so is the footnote plugin's pass that moves footnote
    definitions to the end (they must stay in document order).
    """
    global _PARSER
    if _PARSER is None:
        md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").use(footnote_plugin)
        _PARSER = md.disable(["inline", "footnote_tail"])
    return _PARSER
