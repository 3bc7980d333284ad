"""Masking: what is prose and what is not, with exact positions.

Each test builds a :class:`Document` and checks the masked text (non-prose blanked, same length,
newlines kept), the prose blocks and where a word that survives masking sits (1-based line and
column, end column exclusive, counted in characters).
"""

from __future__ import annotations

import re

import pytest

from healthlint.document import Document
from healthlint.engine import lint_text


def doc(text: str, plain: bool = False) -> Document:
    return Document("doc.txt" if plain else "doc.md", text, plain=plain)


def where(d: Document, word: str) -> list[tuple[int, int, int]]:
    """(line, column, end column) of each whole-word ``word`` left in the masked text."""
    out = []
    for m in re.finditer(rf"\b{re.escape(word)}\b", d.masked):
        line, col = d.position(m.start())
        end_line, end_col = d.position(m.end())
        assert end_line == line
        out.append((line, col, end_col))
    return out


def masked_lines(d: Document) -> list[str]:
    return d.masked.split("\n")


def blocks(d: Document) -> list[tuple[str, str]]:
    return [(b.kind, d.text[b.start:b.end]) for b in d.blocks]


def red_flags(text: str, path: str = "doc.md") -> list[tuple[int, int, int, int]]:
    """Where the red-flag rule (HL103) finds "miracle" and its kin: (line, col, end line, end col)."""
    return [(f.line, f.column, f.end_line, f.end_column) for f in lint_text(text, path=path, select=["HL103"])]


# -- code ------------------------------------------------------------------------------------

def test_fenced_code_is_masked_and_prose_after_it_keeps_its_line():
    text = "Intro.\n\n```\nThis is a miracle.\n```\n\nThis is a miracle.\n"
    d = doc(text)
    assert masked_lines(d)[2:5] == ["   ", " " * 18, "   "]
    assert where(d, "miracle") == [(7, 11, 18)]
    assert red_flags(text) == [(7, 11, 7, 18)]


def test_tilde_fence_with_info_string_and_indented_fence():
    text = "~~~python\nmiracle = 1\n~~~\n\n  ```\n  miracle\n  ```\nA miracle.\n"
    d = doc(text)
    assert where(d, "miracle") == [(8, 3, 10)]


def test_unclosed_fence_runs_to_the_end_of_the_document():
    d = doc("Intro.\n\n```\nmiracle\n\nmiracle again\n")
    assert where(d, "miracle") == []
    assert blocks(d) == [("paragraph", "Intro.")]


def test_indented_code_is_masked_but_a_list_continuation_is_not():
    text = "Intro.\n\n    miracle in code\n\n- item\n\n  a miracle in the item\n"
    d = doc(text)
    assert masked_lines(d)[2] == " " * 19
    assert where(d, "miracle") == [(7, 5, 12)]
    assert [b.kind for b in d.blocks] == ["paragraph", "list_item", "list_item"]


def test_inline_code_spans_single_and_double_backticks():
    text = "Use `a miracle` and a miracle, not ``a ` miracle``."
    d = doc(text)
    assert d.masked == "Use" + " " * 13 + "and a miracle, not" + " " * 16 + "."
    assert where(d, "miracle") == [(1, 23, 30)]


def test_inline_code_crossing_a_line_break_is_masked_whole():
    d = doc("A `code\nmiracle` and a miracle.\n")
    assert where(d, "miracle") == [(2, 16, 23)]


def test_unmatched_backtick_is_prose():
    d = doc("A ` tick and a miracle.")
    assert where(d, "miracle") == [(1, 16, 23)]


# -- HTML ------------------------------------------------------------------------------------

def test_inline_comment_is_masked_and_recorded():
    text = "Text <!-- a miracle --> and a miracle."
    d = doc(text)
    assert d.masked == "Text " + " " * 18 + " and a miracle."
    assert where(d, "miracle") == [(1, 31, 38)]
    assert [(c.start, c.end, c.value) for c in d.comments] == [(5, 23, " a miracle ")]


def test_multiline_block_comment_even_across_blank_lines():
    text = "Intro.\n\n<!--\na miracle\n\nmore miracle\n-->\n\nA miracle.\n"
    d = doc(text)
    assert masked_lines(d)[2:7] == ["    ", " " * 9, "", " " * 12, "   "]
    assert where(d, "miracle") == [(9, 3, 10)]
    assert len(d.comments) == 1 and d.position(d.comments[0].start) == (3, 1)


def test_multiline_inline_comment_inside_a_paragraph():
    d = doc("Text <!-- a\nmiracle --> then a miracle.\n")
    assert where(d, "miracle") == [(2, 20, 27)]


def test_unclosed_comment_masks_the_rest_of_its_paragraph_only():
    d = doc("Text <!-- a miracle\n\nA miracle.\n")
    assert where(d, "miracle") == [(3, 3, 10)]


def test_html_tags_and_attributes_are_masked_text_between_them_is_prose():
    text = 'A <span title="miracle">real</span> <img alt="miracle" src="x.png"> miracle<br/>.'
    d = doc(text)
    assert where(d, "miracle") == [(1, 69, 76)]
    assert where(d, "real") == [(1, 25, 29)]


def test_html_block_text_is_prose_script_and_style_are_not():
    text = "<div>\nThis is a miracle.\n</div>\n\n<script>\nvar miracle = 1;\n</script>\n\n<style>\np { miracle: 1 }\n</style>\n"
    d = doc(text)
    assert where(d, "miracle") == [(2, 11, 18)]
    assert blocks(d) == [("html", "This is a miracle.")]


def test_html_block_inside_a_block_quote_drops_the_quote_markers():
    d = doc("> <div>\n> A miracle.\n> </div>\n")
    assert masked_lines(d) == [" " * 7, "  A miracle.", " " * 8, ""]
    assert [(b.kind, b.quoted) for b in d.blocks] == [("html", True)]


# -- URLs and links --------------------------------------------------------------------------

def test_bare_urls_www_and_email_are_masked_and_urls_recorded():
    text = "See https://example.org/miracle-cure, www.miracle.example or mail miracle@example.org. A miracle."
    d = doc(text)
    assert where(d, "miracle") == [(1, 90, 97)]
    assert [link.value for link in d.links] == ["https://example.org/miracle-cure", "www.miracle.example"]
    assert d.text[d.links[0].start:d.links[0].end] == "https://example.org/miracle-cure"


def test_autolinks_are_masked_and_recorded():
    d = doc("Read <https://example.org/miracle> or <miracle@example.org>. A miracle.")
    assert where(d, "miracle") == [(1, 64, 71)]
    assert [link.value for link in d.links] == ["https://example.org/miracle", "miracle@example.org"]


def test_link_target_and_title_are_masked_link_text_is_prose():
    text = 'A [miracle cream](https://example.org/miracle "The miracle") helps.'
    d = doc(text)
    assert d.masked == "A  miracle cream" + " " * 44 + " helps."
    assert where(d, "miracle") == [(1, 4, 11)]
    assert [(link.value, d.position(link.start)) for link in d.links] == [("https://example.org/miracle", (1, 17))]


def test_link_target_with_parentheses_and_image_alt_text():
    d = doc("See [the guide](https://example.org/a_(b)) and ![a miracle chart](img/miracle.png).")
    assert where(d, "miracle") == [(1, 52, 59)]
    assert len(d.links) == 2


def test_reference_definitions_are_masked_and_references_recorded():
    text = '[nih]: https://www.nih.gov/miracle "A miracle"\n\nA [miracle][nih] as [NIH] says, not [other].\n'
    d = doc(text)
    assert masked_lines(d)[0] == " " * 46
    assert where(d, "miracle") == [(3, 4, 11)]
    assert sorted(link.value for link in d.links) == ["NIH", "nih"]


# -- footnotes -------------------------------------------------------------------------------

def test_footnote_reference_is_masked_and_definition_is_prose_in_document_order():
    text = "A claim[^1].\n\n[^1]: A miracle source.\n\nMore text, a miracle.\n"
    d = doc(text)
    assert masked_lines(d)[0] == "A claim    ."
    assert masked_lines(d)[2] == "      A miracle source."
    assert where(d, "miracle") == [(3, 9, 16), (5, 14, 21)]
    assert blocks(d) == [("paragraph", "A claim[^1]."), ("footnote", "A miracle source."), ("paragraph", "More text, a miracle.")]
    assert [(f.value, d.position(f.start)) for f in d.footnotes] == [("1", (1, 8))]


def test_unused_footnote_definition_is_still_prose():
    d = doc("Intro.\n\n[^note]: A miracle aside.\n")
    assert where(d, "miracle") == [(3, 12, 19)]


# -- inline markers --------------------------------------------------------------------------

def test_emphasis_strike_and_escape_markers_are_masked_in_place():
    d = doc("**Bold** and *em*, ~~gone~~ and \\*star and snake_case.")
    assert d.masked == "  Bold   and  em ,   gone   and   star and snake_case."


def test_entities_are_masked():
    d = doc("Salt &amp; pepper&nbsp;now.")
    assert d.masked == "Salt       pepper      now."


# -- containers ------------------------------------------------------------------------------

def test_table_cells_are_blocks_and_the_pipes_and_rule_are_masked():
    text = "| Drug | Dose |\n|------|-----:|\n| A miracle | 5 mg |\n"
    d = doc(text)
    assert masked_lines(d) == ["  Drug   Dose  ", " " * 15, "  A miracle   5 mg  ", ""]
    assert blocks(d) == [("table_cell", "Drug"), ("table_cell", "Dose"), ("table_cell", "A miracle"), ("table_cell", "5 mg")]
    assert where(d, "miracle") == [(3, 5, 12)]


def test_table_cell_with_an_escaped_pipe_and_a_table_in_a_block_quote():
    d = doc("| a \\| b | c |\n|---|---|\n\n> | q | r |\n> |---|---|\n> | s | t |\n")
    assert [(b.kind, d.text[b.start:b.end], b.quoted) for b in d.blocks] == [
        ("table_cell", "a \\| b", False), ("table_cell", "c", False),
        ("table_cell", "q", True), ("table_cell", "r", True), ("table_cell", "s", True), ("table_cell", "t", True),
    ]
    assert d.masked.split("\n")[5] == "    s   t  "


def test_a_paragraph_with_no_prose_left_is_not_a_block():
    d = doc("[](https://example.org)\n\n![](chart.png)\n\nText.\n")
    assert blocks(d) == [("paragraph", "Text.")]
    assert d.title_block is None


def test_list_items_are_blocks_with_markers_masked():
    text = "- First item\n- Second item\n  continues here\n\n1. One\n2) Two\n   - Nested\n"
    d = doc(text)
    assert blocks(d) == [
        ("list_item", "First item"), ("list_item", "Second item\n  continues here"),
        ("list_item", "One"), ("list_item", "Two"), ("list_item", "Nested"),
    ]
    assert masked_lines(d)[:3] == ["  First item", "  Second item", "  continues here"]
    assert where(d, "Nested") == [(7, 6, 12)]


def test_block_quotes_are_quoted_blocks_with_markers_masked():
    text = "> A quoted miracle\n> goes on.\nlazy line\n\n>> Nested.\n"
    d = doc(text)
    assert masked_lines(d)[:3] == ["  A quoted miracle", "  goes on.", "lazy line"]
    assert [(b.kind, b.quoted) for b in d.blocks] == [("paragraph", True), ("paragraph", True)]
    assert where(d, "Nested") == [(5, 4, 10)]


# -- headings --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("# Title\n", ("Title", 1, (1, 3))),
    ("### Deep title ###\n", ("Deep title", 3, (1, 5))),
    ("  ## Indented\n", ("Indented", 2, (1, 6))),
    ("# C# for health\n", ("C# for health", 1, (1, 3))),
    ("Setext one\n==========\n", ("Setext one", 1, (1, 1))),
    ("Setext two\n---\n", ("Setext two", 2, (1, 1))),
])
def test_headings_are_heading_blocks_with_their_level(text, expected):
    d = doc(text)
    content, level, pos = expected
    assert [(b.kind, d.text[b.start:b.end], b.level, d.position(b.start)) for b in d.blocks] == [("heading", content, level, pos)]
    assert d.title_block is d.blocks[0]


def test_multiline_setext_heading_keeps_both_lines_as_prose():
    d = doc("First line\nsecond line\n===\n\nBody.\n")
    assert masked_lines(d)[:3] == ["First line", "second line", "   "]
    assert blocks(d) == [("heading", "First line\nsecond line"), ("paragraph", "Body.")]


def test_hash_without_space_is_not_a_heading_and_thematic_break_is_masked():
    d = doc("#hashtag text\n\n***\n\nAfter.\n")
    assert blocks(d) == [("paragraph", "#hashtag text"), ("paragraph", "After.")]
    assert masked_lines(d)[2] == "   "


# -- characters ------------------------------------------------------------------------------

def test_crlf_line_endings_keep_lines_and_columns():
    text = "# Title\r\n\r\nIntro line.\r\nA miracle here.\r\n"
    d = doc(text)
    assert where(d, "miracle") == [(4, 3, 10)]
    assert blocks(d) == [("heading", "Title"), ("paragraph", "Intro line.\r\nA miracle here.")]
    assert red_flags(text) == [(4, 3, 4, 10)]


def test_lone_carriage_returns_do_not_shift_markdown_lines():
    d = doc("One.\rTwo.\n\nA miracle.\n")
    assert where(d, "miracle") == [(3, 3, 10)]
    assert blocks(d)[0] == ("paragraph", "One.\rTwo.")


def test_tabs_count_as_one_column():
    d = doc("A\ttab, then a miracle.\n\n-\tTabbed item miracle\n")
    assert where(d, "miracle") == [(1, 15, 22), (3, 15, 22)]


def test_tab_indented_line_is_code():
    assert where(doc("\tmiracle in code\n\nA miracle.\n"), "miracle") == [(3, 3, 10)]


@pytest.mark.parametrize("prefix,column", [
    ("Sjögren syndrome, a miracle", 21),
    ("Café-au-lait spots — a miracle", 24),
    ("🙂 A miracle", 5),
    ("日本語 miracle", 5),
])
def test_columns_count_characters_not_bytes(prefix, column):
    d = doc(prefix + ".\n")
    assert where(d, "miracle") == [(1, column, column + 7)]
    assert red_flags(prefix + ".\n") == [(1, column, 1, column + 7)]


def test_byte_order_mark_is_dropped():
    d = doc("\ufeff# Title\n\nA miracle.\n")
    assert d.text == "# Title\n\nA miracle.\n"
    assert blocks(d)[0] == ("heading", "Title")
    assert where(d, "miracle") == [(3, 3, 10)]
    assert red_flags("\ufeffA miracle.".encode("utf-8")) == [(1, 3, 1, 10)]


@pytest.mark.parametrize("text", ["", "\n", "   \n\n", "\r\n", "<!-- only a comment -->\n", "```\ncode only\n```\n"])
@pytest.mark.parametrize("plain", [False, True])
def test_empty_and_prose_free_files(text, plain):
    d = doc(text, plain)
    assert d.masked.strip() == "" or (plain and "code only" in d.masked)
    if plain and "code only" in text:
        assert [s.text for s in d.sentences] == ["```\ncode only\n```"]  # plain text has no code fences
    else:
        assert d.blocks == [] and d.sentences == [] and not d.has_prose


# -- plain text ------------------------------------------------------------------------------

def test_plain_text_one_paragraph_a_line_with_headings():
    text = (
        "Why milia appear\n"
        "Milia are small white cysts that form when keratin is trapped under the skin. They are common in newborns and usually clear on their own within weeks.\n"
        "Causes in adults\n"
        "In adults they can follow burns, blistering or long use of steroid creams on the face, and some people get them with no clear trigger at all.\n"
    )
    d = doc(text, plain=True)
    assert [(b.kind, d.position(b.start)) for b in d.blocks] == [
        ("heading", (1, 1)), ("paragraph", (2, 1)), ("heading", (3, 1)), ("paragraph", (4, 1)),
    ]
    assert [d.position(s.start) for s in d.sentences] == [(1, 1), (2, 1), (2, 79), (3, 1), (4, 1)]


def test_plain_text_blank_lines_and_a_question_heading():
    text = "What is eczema?\n\nEczema makes the skin dry and itchy. It is common in children and often improves with age, though some adults have it all their lives.\n"
    d = doc(text, plain=True)
    assert [b.kind for b in d.blocks] == ["heading", "paragraph"]


def test_plain_text_last_short_line_is_not_a_heading():
    d = doc("Eczema is common.\nSee a doctor\n", plain=True)
    assert [b.kind for b in d.blocks] == ["paragraph", "paragraph"]


def test_plain_text_hard_wrapped_paragraphs_stay_whole():
    text = (
        "Eczema is a long-term condition that makes the skin dry, itchy and\n"
        "cracked. It is common in children and often gets better with age.\n"
        "Some adults have it all their lives, and Atopic eczema is the most\n"
        "common kind.\n"
        "\n"
        "Causes of eczema\n"
        "The exact cause is not known. Things that can make it worse include\n"
        "soap, stress and the weather.\n"
        "\n"
        "- Use a moisturiser every day.\n"
        "- Avoid very hot baths and\n"
        "  showers.\n"
    )
    d = doc(text, plain=True)
    assert [(b.kind, d.position(b.start), d.position(b.end)) for b in d.blocks] == [
        ("paragraph", (1, 1), (4, 13)),
        ("heading", (6, 1), (6, 17)),
        ("paragraph", (7, 1), (8, 30)),
        ("list_item", (10, 3), (10, 31)),
        ("list_item", (11, 3), (12, 11)),
    ]
    assert masked_lines(d)[9] == "  Use a moisturiser every day."
    first = d.sentences[0]
    assert (d.position(first.start), d.position(first.end)) == ((1, 1), (2, 9))


def test_plain_text_lowercase_line_continues_the_paragraph():
    text = "A long paragraph line that was broken by a careless paste in the middle of\nits sentence, which goes on here. The next sentence is fine and complete too.\n"
    d = doc(text, plain=True)
    assert [b.kind for b in d.blocks] == ["paragraph"]


def test_plain_text_masks_urls_and_comments_but_not_markdown():
    text = "See https://example.org/miracle <!-- a miracle --> and `a miracle` # here.\n"
    d = doc(text, plain=True)
    assert where(d, "miracle") == [(1, 59, 66)]
    assert len(d.comments) == 1
    assert red_flags(text, path="doc.txt") == [(1, 59, 1, 66)]


def test_plain_text_numbered_list_items():
    d = doc("Steps to take\n1. Wash the area gently.\n2) Pat it dry.\n", plain=True)
    assert blocks(d) == [("heading", "Steps to take"), ("list_item", "Wash the area gently."), ("list_item", "Pat it dry.")]
