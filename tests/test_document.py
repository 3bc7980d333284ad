"""The document model: positions, front matter, problems with the input, and the invariants that
keep every finding at the exact line and column of the original file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from healthlint.document import Document
from healthlint.engine import lint_text

NIH_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "nih-dev"


def doc(text: str, plain: bool = False) -> Document:
    return Document("doc.txt" if plain else "doc.md", text, plain=plain)


def findings(text: str, code: str, path: str = "doc.md") -> list[tuple[int, int, int, int]]:
    return [(f.line, f.column, f.end_line, f.end_column) for f in lint_text(text, path=path, select=[code]) if f.code == code]


# -- positions -------------------------------------------------------------------------------

def test_position_and_line_span_with_lf_crlf_and_no_final_newline():
    d = doc("ab\r\ncd\nef")
    assert d.line_count == 3
    assert [d.position(i) for i in (0, 1, 2, 3, 4, 6, 7, 8, 9)] == [
        (1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 3), (3, 1), (3, 2), (3, 3),
    ]
    assert [d.line_span(n) for n in (1, 2, 3)] == [(0, 2), (4, 6), (7, 9)]  # without CR or LF
    assert d.position(-5) == (1, 1) and d.position(999) == (3, 3)  # clamped


def test_position_counts_characters():
    d = doc("Sjögren 🙂 x\nnext")
    assert d.position(d.text.index("x")) == (1, 11)
    assert d.position(d.text.index("next")) == (2, 1)


# -- front matter ----------------------------------------------------------------------------

FRONT = (
    "---\n"
    "title: Eczema in babies\n"
    "author: Dr. Amira Sjögren\n"
    "date_published: 2024-03-01\n"
    "sources:\n"
    "  - https://example.org/miracle\n"
    "tags: [miracle, skin]\n"
    "---\n"
    "# Eczema in babies\n"
    "\n"
    "Try this miracle cream.\n"
)


def test_front_matter_is_parsed_into_metadata_with_dates_kept_as_written():
    d = doc(FRONT)
    fm = d.front_matter
    assert fm.data == {
        "title": "Eczema in babies", "author": "Dr. Amira Sjögren", "date_published": "2024-03-01",
        "sources": ["https://example.org/miracle"], "tags": ["miracle", "skin"],
    }
    assert fm.lines == 8 and fm.end == FRONT.index("# Eczema")
    assert {k: d.position(v) for k, v in fm.key_offsets.items()} == {
        "title": (2, 1), "author": (3, 1), "date_published": (4, 1), "sources": (5, 1), "tags": (7, 1),
    }
    assert d.problems == []


def test_front_matter_is_never_prose_and_findings_after_it_keep_their_lines():
    d = doc(FRONT)
    assert d.masked[:d.front_matter.end].strip() == ""
    assert [(b.kind, d.position(b.start)) for b in d.blocks] == [("heading", (9, 3)), ("paragraph", (11, 1))]
    assert d.title_block is d.blocks[0]
    assert findings(FRONT, "HL103") == [(11, 10, 11, 17)]


def test_front_matter_key_offsets_with_quotes_crlf_and_dots_closing():
    text = '---\r\n"title": "A: b"\r\nreviewed_by:   Dr. Lee\r\n...\r\nBody.\r\n'
    d = doc(text)
    assert d.front_matter.data == {"title": "A: b", "reviewed_by": "Dr. Lee"}
    assert {k: d.position(v) for k, v in d.front_matter.key_offsets.items()} == {"title": (2, 1), "reviewed_by": (3, 1)}
    assert [(b.kind, d.position(b.start)) for b in d.blocks] == [("paragraph", (5, 1))]


def test_nested_keys_are_not_top_level_key_offsets():
    d = doc("---\nauthor:\n  name: A\n  title: Dr\n---\nBody.\n")
    assert list(d.front_matter.key_offsets) == ["author"]


@pytest.mark.parametrize("text,data", [
    ("---\n---\nBody.\n", {}),
    ("---\n# a comment only\n---\nBody.\n", {}),
    ("---\ntitle: x\n---", {"title": "x"}),
])
def test_empty_comment_only_and_final_front_matter(text, data):
    d = doc(text)
    assert d.front_matter.data == data and d.problems == []


@pytest.mark.parametrize("body,line,fragment", [
    ("title: Eczema: what helps\nauthor: A\n", 2, "mapping values are not allowed"),  # unquoted colon
    ("title: [Eczema\nauthor: A\n", 2, "flow sequence"),  # unclosed bracket: its own line
    ('title: A\nauthor: "Dr. A\nx: 1\n', 3, "quoted scalar"),  # unclosed quote: where it opens
    ("title: A\nauthor: B\n  reviewer: C\n", 4, "mapping values"),  # bad indentation
    ("title: A\nauthor B\nreviewer: C\n", 3, "simple key"),  # a key without its colon
])
def test_invalid_yaml_is_reported_at_the_right_line(body, line, fragment):
    text = "---\n" + body + "---\n\nA miracle.\n"
    d = doc(text)
    assert [(p.kind, d.position(p.start)) for p in d.problems] == [("front-matter", (line, 1))]
    problem = d.problems[0]
    assert problem.detail.startswith("front matter is not valid YAML") and fragment in problem.detail
    assert d.position(problem.end) == (line, len(text.split("\n")[line - 1]) + 1)  # the whole line
    assert d.front_matter.data == {}
    assert findings(text, "HL902") == [(line, 1, line, len(text.split("\n")[line - 1]) + 1)]
    # The broken block is still not prose; the text after it is.
    assert findings(text, "HL103") == [(len(body.split("\n")) + 3, 3, len(body.split("\n")) + 3, 10)]


@pytest.mark.parametrize("opening", ["title: Eczema", "sources:", '"title": x'])
def test_unclosed_front_matter_is_reported_on_line_one_and_read_as_prose(opening):
    text = f"---\n{opening}\n\nA miracle.\n"
    d = doc(text)
    assert [(p.kind, d.position(p.start), d.position(p.end)) for p in d.problems] == [("front-matter", (1, 1), (1, 4))]
    assert "never closed" in d.problems[0].detail
    assert d.front_matter.lines == 0
    assert findings(text, "HL902") == [(1, 1, 1, 4)]
    assert findings(text, "HL103") == [(4, 3, 4, 10)]


def test_a_thematic_break_at_the_top_is_not_front_matter():
    d = doc("---\n\nA miracle.\n")
    assert d.problems == [] and d.front_matter.lines == 0
    assert [d.position(b.start) for b in d.blocks] == [(3, 1)]


def test_front_matter_that_is_not_a_mapping():
    d = doc("---\n- a\n- b\n---\nBody.\n")
    assert [(p.kind, d.position(p.start)) for p in d.problems] == [("front-matter", (1, 1))]
    assert "mapping" in d.problems[0].detail
    assert [d.position(b.start) for b in d.blocks] == [(5, 1)]


def test_front_matter_after_a_byte_order_mark():
    d = doc("\ufeff---\ntitle: T\n---\nBody.\n")
    assert d.front_matter.data == {"title": "T"}
    assert d.position(d.blocks[0].start) == (4, 1)


def test_front_matter_in_plain_text_too():
    d = doc("---\ntitle: T\n---\nA miracle.\n", plain=True)
    assert d.front_matter.data == {"title": "T"}
    assert findings("---\ntitle: T\n---\nA miracle.\n", "HL103", path="doc.txt") == [(4, 3, 4, 10)]


# -- helpers for rules -----------------------------------------------------------------------

def test_words_links_footnotes_and_prose_text():
    text = "# Title\n\nSee [the NHS](https://www.nhs.uk) page[^1], it's `code` well-known.\n\n[^1]: Note.\n"
    d = doc(text)
    para = d.blocks[1]
    assert d.words(para.start, para.end) == ["See", "the", "NHS", "page", "it's", "well-known"]
    assert [s.value for s in d.links_between(para.start, para.end)] == ["https://www.nhs.uk"]
    assert [s.value for s in d.footnotes_between(para.start, para.end)] == ["1"]
    assert d.links_between(0, para.start) == []
    assert d.prose_text.split("\n")[0] == "Title"
    assert d.has_prose


def test_sentences_know_their_block_and_headings():
    d = doc("# A heading\n\nFirst one. Second one.\n\n- Item one. Item two.\n")
    assert [(s.text, s.block.kind, s.is_heading) for s in d.sentences] == [
        ("A heading", "heading", True), ("First one.", "paragraph", False), ("Second one.", "paragraph", False),
        ("Item one.", "list_item", False), ("Item two.", "list_item", False),
    ]


# -- invariants ------------------------------------------------------------------------------

FRAGMENTS = [
    "# Heading", "Title\n=====", "Sub\n---", "---", "\n\n```\ncode miracle\n```\n\n", "~~~\nx", "    indented",
    "> quote", "> - item", "- a\n- b", "1. one\n2. two", "| a | b |\n|---|---|\n| c | d |", "<!-- c -->",
    "<!--\nx\n", "-->", "<div>\ntext\n</div>", "<b>x</b>", "`code`", "``a`b``", "`", "[l](http://x.y)",
    "[r][x]", "[x]: http://z", "[^1]", "[^1]: note", "https://a.b/c", "www.q.com", "a@b.co", "**b**",
    "_e_", "\\*", "&amp;", "Dr. Smith said e.g. this.", "Sjögren 🙂 ok.", "\t", "\r\n", "\r", "\n", "\n\n",
    " ", "word", "Sentence one. Two!", "<script>\nx\n</script>", "\x00", "---\ntitle: x\n---\n",
]


def _random_documents(n: int, seed: int, joiners: tuple[str, ...] = ("", " ", "\n", "\n\n")) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(FRAGMENTS) + rng.choice(joiners) for _ in range(rng.randint(0, 20)))
        for _ in range(n)
    ]


def check_invariants(d: Document) -> None:
    """Masking only blanks; blocks and sentences are ordered, disjoint and lie on prose."""
    text, masked = d.text, d.masked
    assert len(masked) == len(text)
    for i, (a, b) in enumerate(zip(text, masked)):
        assert (a == "\n") == (b == "\n"), i  # every newline stays at its offset
        assert b == a or b == " ", i  # masking never changes a character, it only blanks it
    end = 0
    covered = bytearray(len(text))
    for block in d.blocks:
        assert end <= block.start < block.end <= len(text)
        assert masked[block.start:block.end].strip()  # a block holds some prose
        covered[block.start:block.end] = b"\x01" * (block.end - block.start)
        end = block.end
    for i, c in enumerate(masked):
        if not c.isspace():
            assert covered[i], f"prose outside any block at {d.position(i)}"
    last = 0
    for s in d.sentences:
        assert s.block.start <= s.start < s.end <= s.block.end and s.start >= last
        assert s.text == masked[s.start:s.end] and s.text == s.text.strip()
        last = s.end
    for comment in d.comments:
        assert text.startswith("<!--", comment.start) and text.endswith("-->", 0, comment.end)


@pytest.mark.parametrize("plain", [False, True])
def test_invariants_hold_on_random_mixtures_of_markup(plain):
    for text in _random_documents(150, seed=7 + plain):
        check_invariants(doc(text, plain))


def test_code_comments_and_urls_never_reach_the_masked_text():
    for text in _random_documents(150, seed=11, joiners=(" ", "\n", "\n\n")):  # "b" + "www.x" is no URL
        d = doc(text)
        for hidden in ("code miracle", "http://", "https://", "www.q.com", "a@b.co", "<!--", "&amp;"):
            assert hidden not in d.masked


@pytest.mark.skipif(not NIH_DEV.is_dir(), reason="../shared/data/nih-dev is not present")
def test_invariants_hold_on_the_nih_dev_articles():
    paths = sorted(NIH_DEV.glob("*.md"))
    assert paths
    for path in paths:
        d = Document(str(path), path.read_text(encoding="utf-8", errors="replace"))
        check_invariants(d)
        assert d.sentences


def test_sentence_lookups_by_offset():
    d = Document("a.md", "# Title\n\nOne here. Two here.\n\nThree.\n")
    one, two, three = d.sentences[1:]
    assert d.sentence_at(one.start) == one and d.sentence_at(two.end - 1) == two
    assert d.sentence_at(one.end) is None  # the space between sentences
    block = d.blocks[1]
    assert d.sentences_between(block.start, block.end) == [one, two]
    assert d.sentences_between(three.start, three.end) == [three]
