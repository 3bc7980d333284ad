"""Very large and adversarial input (issue 8): the linear rewrites give the same results.

The speed itself is measured by ``bench/bench_large.py`` (a 10 MB article, 1 MB single lines),
not asserted here. These tests check that each rewrite that removed super-linear behaviour
finds exactly what the simpler code it replaced found, and that inputs that used to take
minutes are linted (at modest sizes).
"""

from __future__ import annotations

import random
import re

import pytest

from healthlint import markup, sentences
from healthlint.document import Document
from healthlint.engine import lint_text
from healthlint.ruletypes import _Covered

# -- markup: e-mail addresses and code spans ------------------------------------------------------
# The regexes the scans replaced: they stay in markup.py as the definition of what is masked.
EMAIL = markup._EMAIL
CODE_SPAN = markup._CODE_SPAN


def _random_texts(alphabet: list[str], count: int, longest: int, seed: int):
    rnd = random.Random(seed)
    for _ in range(count):
        yield "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest)))


@pytest.mark.parametrize("alphabet", [
    list("a.@b-+_ é\n"),
    ["a", ".", "@", "-", " ", "co", "x@y.com", "_", "1", "+", "-.", "@@"],
])
def test_email_masking_matches_the_regex(alphabet):
    for text in _random_texts(alphabet, 20_000, 30, seed=8):
        assert markup.mask_emails(text) == EMAIL.sub(markup._blank_match, text), text


@pytest.mark.parametrize("alphabet", [list("`x \n"), ["`", "``", "```", "a", " ", "\n", "x`y"]])
def test_code_span_masking_matches_the_regex(alphabet):
    for text in _random_texts(alphabet, 20_000, 30, seed=8):
        assert markup.mask_code_spans(text) == CODE_SPAN.sub(markup._blank_match, text), text


def test_masking_examples():
    assert markup.mask_emails("Write to help@nih.gov. Or a.b@c.") == "Write to " + " " * 12 + ". Or a.b@c."
    assert markup.mask_code_spans("Use `x` or ``a`b``, not `c") == "Use " + " " * 3 + " or " + " " * 7 + ", not `c"


# -- sentences: a run of punctuation --------------------------------------------------------------
_OLD_BOUNDARY = re.compile(
    r"(?=[.!?…\n])(?:"
    r"[.!?…]+[\"'”’)\]]*(?=\s)"
    r"|(?<=[a-z])[.!?](?=[A-Z][a-z])"
    r"|(?<=[a-z]{2})\.(?P<ref>\d{1,3})(?=\s)"
    r"|(?P<nl>\n))"
)


def test_sentence_boundaries_are_those_of_the_old_pattern():
    """Starting only at the start of a run of . ! ? changes no boundary (it was quadratic in "......")."""
    alphabet = [".", "!", "?", "…", " ", "\n", "a", "ab", "A", "Ab", '"', "”", ")", "]", "1", "12"]
    for text in _random_texts(alphabet, 30_000, 25, seed=3):
        old = [(m.start(), m.end(), m.lastgroup) for m in _OLD_BOUNDARY.finditer(text)]
        new = [(m.start(), m.end(), m.lastgroup) for m in sentences._BOUNDARY.finditer(text)]
        assert new == old, text


# -- document: links and footnotes between two offsets -------------------------------------------
def test_links_and_footnotes_between_match_a_linear_scan():
    parts = []
    for i in range(300):
        parts.append(f"Claim {i} [source](https://example.org/{i}) and note[^{i % 7}]. ")
        if i % 10 == 0:
            parts.append("\n\n")
    text = "# Title\n\n" + "".join(parts) + "\n\n" + "".join(f"[^{n}]: Note {n}.\n" for n in range(7))
    doc = Document("a.md", text)
    assert len(doc.links) == 300 and len(doc.footnotes) == 300
    rnd = random.Random(5)
    for _ in range(500):
        start = rnd.randrange(len(text))
        end = start + rnd.randrange(400)
        assert doc.links_between(start, end) == [s for s in doc.links if start <= s.start < end]
        assert doc.footnotes_between(start, end) == [s for s in doc.footnotes if start <= s.start < end]


# -- rule types: exceptions covering matches ------------------------------------------------------
class _Span:
    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def test_covered_spans_agree_with_testing_every_span():
    rnd = random.Random(11)
    for _ in range(3000):
        spans, pos = [], 0
        for _ in range(rnd.randint(0, 6)):
            pos += rnd.randint(0, 5)
            length = rnd.randint(0, 6)
            spans.append((pos, pos + length))
            pos += length
        matches = sorted((s, s + rnd.randint(1, 5)) for s in (rnd.randint(0, 40) for _ in range(rnd.randint(0, 8))))
        covered = _Covered(_Span(s, e) for s, e in spans)
        for ms, me in matches:
            assert covered.covers(ms, me) == any(s <= ms and me <= e for s, e in spans), (spans, ms, me)


# -- inputs that took minutes or hours, at modest sizes ------------------------------------------
@pytest.mark.parametrize("name,text", [
    ("dotted run before @", "# Title\n\n" + "a." * 20_000 + "@\n"),
    ("plus run before @", "# Title\n\n" + "ab+" * 15_000 + "@ x\n"),
    ("backtick runs of every length", "# Title\n\n" + "".join("`" * n + " x " for n in range(1, 300)) + "\n"),
    ("a line of dots", "# Title\n\n" + "." * 50_000 + "\n"),
    ("a word repeated", "# Title\n\n" + "a " * 50_000 + "!\n"),
    ("one long line", "# Title\n\n" + "Most rashes clear up. They may itch, and some cure it fast. " * 2_000 + "\n"),
])
def test_adversarial_documents_are_linted(name, text):
    doc = Document("a.md", text)
    assert doc.masked.count("\n") == text.count("\n") and len(doc.masked) == len(text)
    findings = lint_text(text, path="a.md")
    assert all(f.line >= 1 for f in findings)


def test_an_address_at_the_end_of_a_long_run_is_still_masked():
    text = "# Title\n\nWrite to " + "a." * 5_000 + "b@example.org today.\n"
    doc = Document("a.md", text)
    address = text.index("a.a.")
    assert doc.masked[address:text.index(" today")].strip() == ""
    assert doc.masked.endswith(" today.\n")
