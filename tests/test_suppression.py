"""Inline suppression comments: ranges, single lines, whole files, code selectors, and where
directives are (and are not) read.

Two small rules from a pack written for these tests keep them independent of the built-in packs:
HL191 (test-miracle) flags "miracle", HL391 (test-wonder) flags "wonder".
"""

from __future__ import annotations

import textwrap

import pytest

from healthlint.engine import lint_text
from healthlint.rules import RuleSet, load_pack

PACK = """
family: test
rules:
  - code: HL191
    name: test-miracle
    severity: warning
    type: existence
    message: '"{match}" found.'
    explanation: A test rule.
    ignorecase: true
    tokens: [miracle]
    examples: {bad: ["A miracle."], good: ["A cure."]}
  - code: HL391
    name: test-wonder
    severity: warning
    type: existence
    message: '"{match}" found.'
    explanation: A test rule.
    ignorecase: true
    tokens: [wonder]
    examples: {bad: ["A wonder."], good: ["A cure."]}
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> RuleSet:
    path = tmp_path_factory.mktemp("pack") / "test.yaml"
    path.write_text(PACK, encoding="utf-8")
    return RuleSet(load_pack(path))


@pytest.fixture
def hits(rules):
    """(line, code) of each finding left after suppression, for a dedented text."""
    def run(text: str, path: str = "doc.md") -> list[tuple[int, str]]:
        findings = lint_text(textwrap.dedent(text).lstrip("\n"), path=path, ruleset=rules)
        return [(f.line, f.code) for f in findings]
    return run


def test_without_directives_everything_is_reported(hits):
    assert hits("A miracle and a wonder.\n") == [(1, "HL191"), (1, "HL391")]


def test_disable_and_enable_a_range(hits):
    assert hits("""
        A miracle.
        <!-- healthlint-disable HL191 -->
        A miracle and a wonder.

        Another miracle.
        <!-- healthlint-enable HL191 -->
        A final miracle.
        """) == [(1, "HL191"), (3, "HL391"), (7, "HL191")]


def test_disable_without_codes_means_every_rule_until_enabled(hits):
    assert hits("""
        <!-- healthlint-disable -->
        A miracle and a wonder.
        <!-- healthlint-enable -->
        A miracle and a wonder.
        """) == [(4, "HL191"), (4, "HL391")]


def test_enable_of_one_rule_inside_a_disable_all(hits):
    assert hits("""
        <!-- healthlint-disable -->
        <!-- healthlint-enable HL391 -->
        A miracle and a wonder.
        """) == [(3, "HL391")]


def test_disable_with_no_enable_runs_to_the_end(hits):
    assert hits("A miracle.\n<!-- healthlint-disable HL191 -->\n\n\nA miracle.\n\nA miracle.\n") == [(1, "HL191")]


def test_disable_next_line_skips_blank_lines_and_stacked_directives(hits):
    assert hits("""
        <!-- healthlint-disable-next-line HL191 -->

        A miracle and a wonder.
        A miracle.
        <!-- healthlint-disable-next-line HL191 -->
        <!-- healthlint-disable-next-line HL391 -->
        A miracle and a wonder.
        A wonder.
        """) == [(3, "HL391"), (4, "HL191"), (8, "HL391")]


def test_disable_next_line_after_a_multiline_comment(hits):
    assert hits("""
        <!--
        healthlint-disable-next-line HL191
        -->
        A miracle.
        A miracle.
        """) == [(5, "HL191")]


def test_disable_line_applies_to_its_own_line_only(hits):
    assert hits("""
        A miracle. <!-- healthlint-disable-line HL191 -->
        A miracle.
        """) == [(2, "HL191")]


def test_disable_file_anywhere_in_the_file(hits):
    assert hits("""
        A miracle and a wonder.

        <!-- healthlint-disable-file HL191 -->
        A miracle.
        """) == [(1, "HL391")]


@pytest.mark.parametrize("selector,left", [
    ("HL1", [(2, "HL391")]),  # a prefix
    ("hl19", [(2, "HL391")]),  # prefixes ignore case
    ("HL", []),  # every rule
    ("test-wonder", [(2, "HL191")]),  # a rule name
    ("HL191,HL391", []),  # a comma-separated list
    ("HL191  test-wonder", []),  # names and codes mixed
    ("HL2", [(2, "HL191"), (2, "HL391")]),  # matches nothing here
])
def test_selectors_codes_prefixes_and_names(hits, selector, left):
    assert hits(f"<!-- healthlint-disable {selector} -->\nA miracle and a wonder.\n") == left


def test_a_reason_after_two_dashes_is_not_a_selector(hits):
    text = "<!-- healthlint-disable-next-line HL191 -- quoting the advert, see HL391 -->\nA miracle and a wonder.\n"
    assert hits(text) == [(2, "HL391")]


@pytest.mark.parametrize("comment", [
    "<!-- healthlint-disable-nextline HL191 -->",  # misspelt: not a directive at all
    "<!-- healthlint-disabled HL191 -->",
    "<!-- please healthlint-disable HL191 -->",  # a directive starts the comment
])
def test_misspelt_directives_do_nothing(hits, comment):
    assert hits(f"{comment}\nA miracle.\n") == [(2, "HL191")]


def test_directives_in_code_are_not_directives(hits):
    assert hits("""
        ```
        <!-- healthlint-disable -->
        ```
        A miracle.

            <!-- healthlint-disable-file -->

        Inline `<!-- healthlint-disable-file -->` code.
        A miracle.
        """) == [(4, "HL191"), (9, "HL191")]


def test_directives_in_front_matter_are_not_directives(hits):
    assert hits("---\nnote: <!-- healthlint-disable-file -->\n---\nA miracle.\n") == [(4, "HL191")]


def test_directive_inside_a_block_quote_and_an_html_block(hits):
    assert hits("""
        > <!-- healthlint-disable-next-line HL191 -->
        > A miracle.

        <div><!-- healthlint-disable-file HL391 --></div>

        A wonder and a miracle.
        """) == [(6, "HL191")]


def test_directives_work_in_plain_text(hits):
    text = "<!-- healthlint-disable-next-line HL191 -->\nA miracle and a wonder.\nA miracle.\n"
    assert hits(text, path="doc.txt") == [(2, "HL391"), (3, "HL191")]


def test_crlf_lines(hits):
    text = "<!-- healthlint-disable-next-line HL191 -->\r\nA miracle.\r\nA miracle.\r\n"
    assert hits(text) == [(3, "HL191")]
