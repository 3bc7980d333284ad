"""Property-based tests: healthlint on generated documents (issue 8).

Documents are built from Markdown constructs, unclosed and misplaced ones included (fences,
comments, front matter without its closing line, nested lists, tables, suppression comments in
odd places), odd Unicode (zero-width and bidi characters, combining marks, emoji, a byte-order
mark, NUL, CR and CRLF line ends) and pieces of real prose from examples/ and the rule packs'
own examples. Whatever the input:

- nothing raises;
- every rule's raw hit lies inside the document, and ends after its start;
- every finding's line and column are inside the document, its end after its start;
- the masked text keeps the length and the line breaks of the original;
- every report format renders, one line a finding where the format is line-based;
- the output is identical across runs, and across processes with different hash seeds.

The number of examples and the seed come from the Hypothesis profile (tests/conftest.py):
``HYPOTHESIS_PROFILE=long`` runs many random examples.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import Phase, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import yaml  # noqa: E402

from healthlint import yamlsafe  # noqa: E402
from healthlint.config import Settings  # noqa: E402
from healthlint.document import Document  # noqa: E402
from healthlint.engine import Linter, RunResult, lint_text  # noqa: E402
from healthlint.files import decode  # noqa: E402
from healthlint.reporters import REPORTERS  # noqa: E402
from healthlint.rules import load_builtin  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


# -- building blocks ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _ruleset():
    return load_builtin()


@lru_cache(maxsize=1)
def _prose() -> tuple[list[str], list[str]]:
    """Real prose: lines of the example drafts, and the rules' own examples (which trigger them)."""
    drafts: set[str] = set()
    for path in sorted((ROOT / "examples").glob("*")):
        if path.suffix in (".md", ".txt"):
            text, _ = decode(path.read_bytes())
            drafts.update(line.strip() for line in text.splitlines() if len(line.strip()) > 3)
    examples: set[str] = set()
    for rule in _ruleset():
        for example in [*rule.bad, *rule.good]:
            examples.update(line.strip() for line in example.text.splitlines() if line.strip())
    return sorted(drafts), sorted(examples)


ODD = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",  # bidi
    "\u0301", "\u0308\u0323", "e\u0301", "\u0915\u094d\u0937",  # combining marks, a conjunct
    "\U0001F469\u200d\u2695\ufe0f", "\U0001F1EC\U0001F1E7", "\U0001F44D\U0001F3FD", "\U0001F48A",  # emoji
    "\x00", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\u00a0", "\ufffd",
    "\U0001D400", "\ufb01", "\u0130", "\u00df", "\u2126", "’", "“", "”", "…", "–", "—",
]
SUPPRESSIONS = [
    "<!-- healthlint-disable HL101 -->", "<!-- healthlint-enable HL101 -->", "<!-- healthlint-disable -->",
    "<!-- healthlint-enable -->", "<!-- healthlint-disable-next-line HL301 -->", "<!-- healthlint-disable-next-line -->",
    "<!-- healthlint-disable-file HL4 -->", "<!--healthlint-disable HL1-->", "<!-- healthlint-disable HL999 -->",
    "<!-- healthlint-disable HL103 -- the quote is from the study -->", "<!-- healthlint-disable-next-line HL1, HL3 -->",
    "<!-- healthlint-disable-file -->", "<!-- healthlint-enable-file HL4 -->", "<!-- healthlint-disable-next-line",
]
INLINE = [
    "[a source](https://www.nih.gov/health)", "![a chart](chart.png)", "[^1]", "<https://example.org/a>",
    "https://www.nhs.uk/conditions/eczema/", "`inline code`", "``unbalanced", "**bold", "_emphasis_", "<b>", "</b>",
    "&amp;", "&#x200b;", "\\*", "(NIH)", "[link text]( broken", "[ref][1]", "<span title='x'>",
]
FRONT_MATTER_LINES = [
    "title: Eczema in children", "author: Jane Doe, MD", "authors: [A. One, B. Two]", "credentials: RN",
    "medically_reviewed_by: Dr Lee", "date: 2024-01-01", "date: 2024-02-30", "last_reviewed: !!timestamp 2024-13-01",
    "last_reviewed: YYYY-MM-DD", "sources:\n  - https://www.nih.gov\n  - https://www.who.int", "disclaimer: true",
    "a: &x [1, 2]\nb: *x", "c: *undefined", "bad: [unclosed", "\tkey: tab", "key: 'unclosed", "n: " + "1" * 5000,
    "? [complex]\n: key", "- a list at the top", "dup: 1\ndup: 2", "<<: {a: 1}", "x: !!binary zz",
    "y: !!python/object:os.system x", "deep: " + "[" * 150 + "]" * 150, "r: &r [*r]", "...",
    "l0: &l0 [x, x, x, x, x, x, x, x, x]\nl1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]\n"
    "l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\nl3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\n"
    "l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]\nl5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]\n"
    "l6: [*l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5, *l5]",
]

prose = st.deferred(lambda: st.one_of(st.sampled_from(_prose()[0]), st.sampled_from(_prose()[1])))
odd_text = st.text(max_size=12)
fragment = st.one_of(prose, prose, prose, st.sampled_from(INLINE), st.sampled_from(ODD), odd_text, st.sampled_from(SUPPRESSIONS))
line = st.lists(fragment, min_size=1, max_size=5).map(" ".join)
paragraph = st.lists(line, min_size=1, max_size=4).map("\n".join)


@st.composite
def nested_list(draw) -> str:
    items = []
    for _ in range(draw(st.integers(1, 6))):
        depth = draw(st.integers(0, 4))
        indent = draw(st.sampled_from(["  ", "   ", "    ", "\t"])) * depth
        marker = draw(st.sampled_from(["-", "*", "+", "1.", "2)", "10."]))
        items.append(f"{indent}{marker} {draw(line)}")
    return "\n".join(items)


@st.composite
def table(draw) -> str:
    cols = draw(st.integers(1, 4))
    cell = st.one_of(prose, st.sampled_from(INLINE + SUPPRESSIONS + ["", "|", "\\|"]))
    rows = [" | ".join(draw(cell) for _ in range(cols)) for _ in range(draw(st.integers(1, 4)))]
    sep = draw(st.sampled_from(["|---" * cols + "|", "---|" * cols, "|:--|--:|", ""]))
    edge = draw(st.sampled_from(["|", ""]))
    return "\n".join([f"{edge}{rows[0]}{edge}", sep] + [f"{edge}{r}{edge}" for r in rows[1:]])


@st.composite
def fence(draw) -> str:
    mark = draw(st.sampled_from(["```", "~~~", "````", "```python", "~~~ yaml", "``` {.md}"]))
    body = draw(paragraph)
    close = draw(st.sampled_from([mark[:3], mark[:3], "", mark[:3] + "`", "  " + mark[:3]]))
    return f"{mark}\n{body}\n{close}" if close else f"{mark}\n{body}"


@st.composite
def comment(draw) -> str:
    body = draw(st.one_of(paragraph, st.sampled_from(SUPPRESSIONS)))
    return "<!-- " + body + draw(st.sampled_from([" -->", " -->", "", " --", "\n-->"]))


@st.composite
def front_matter(draw) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(FRONT_MATTER_LINES), odd_text.map(lambda t: f"k: {t}")), max_size=6))
    close = draw(st.sampled_from(["---", "---", "...", "", "--- ", "----"]))
    return "\n".join(["---", *lines, close]) if close else "\n".join(["---", *lines])


block = st.one_of(
    paragraph, paragraph, paragraph,
    line.map(lambda t: "#" * 1 + " " + t), line.map(lambda t: "### " + t), line.map(lambda t: t + "\n====="),
    nested_list(), table(), fence(), comment(), st.sampled_from(SUPPRESSIONS),
    paragraph.map(lambda t: "> " + t.replace("\n", "\n> ")), paragraph.map(lambda t: "> > " + t),
    paragraph.map(lambda t: "    " + t.replace("\n", "\n    ")),
    paragraph.map(lambda t: f"<div>\n{t}\n</div>"), paragraph.map(lambda t: f"<div>\n{t}"),
    st.sampled_from(["---", "***", "[^1]: A source, 2020.", "[1]: https://www.who.int", "</details>", "<details>"]),
    odd_text,
)


@st.composite
def documents(draw) -> str:
    """A Markdown (or plain-text) document: optional front matter, blocks, odd line ends and characters."""
    parts = [draw(front_matter())] if draw(st.booleans()) else []
    parts += draw(st.lists(block, max_size=10))
    text = "".join(p + draw(st.sampled_from(["\n\n", "\n", "\n\n\n", ""])) for p in parts)
    ending = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "mixed"]))
    if ending == "mixed":
        text = "".join(ch if ch != "\n" else draw(st.sampled_from(["\n", "\r\n", "\r"])) for ch in text)
    elif ending != "\n":
        text = text.replace("\n", ending)
    for _ in range(draw(st.integers(0, 4))):  # odd characters anywhere, even inside words and markers
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(ODD)) + text[at:]
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


paths = st.sampled_from(["doc.md", "doc.md", "doc.md", "notes.txt"])


# -- the properties ----------------------------------------------------------------------------
def _linter() -> Linter:
    return Linter(_ruleset(), Settings())


def _check_document(doc: Document) -> None:
    """The document model's own invariants: same-length masking, offsets inside the text."""
    n = len(doc.text)
    assert len(doc.masked) == n
    assert [i for i, c in enumerate(doc.text) if c == "\n"] == [i for i, c in enumerate(doc.masked) if c == "\n"]
    for b in doc.blocks:
        assert 0 <= b.start <= b.end <= n, b
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= n and s.text == doc.masked[s.start:s.end], s


def _check_hits(doc: Document, linter: Linter) -> None:
    """Every rule's raw hits lie inside the document (findings clamp offsets, so look before)."""
    n = len(doc.text)
    for rule in linter.rules:
        for hit in rule.run(doc, linter.options.get(rule.code), linter.settings):
            assert 0 <= hit.start < hit.end <= n, (rule.code, hit, n)


def _check_findings(text: str, findings) -> None:
    """Each finding's start and end are real positions of the text, the end after the start."""
    lines = (text[1:] if text.startswith("\ufeff") else text).split("\n")
    for f in findings:
        for line, column in ((f.line, f.column), (f.end_line, f.end_column)):
            assert 1 <= line <= len(lines), f
            assert 1 <= column <= len(lines[line - 1]) + 1, f
        assert (f.end_line, f.end_column) > (f.line, f.column), f


def _check_reports(findings, path: str) -> None:
    result = RunResult(findings=list(findings), files_checked=1)
    rules = list(_ruleset())
    for fmt, render in REPORTERS.items():
        out = render(result, rules if fmt == "sarif" else [], summary=False)
        if fmt in ("json", "sarif"):
            json.loads(out)
        else:  # one physical line a finding, whatever the message quotes
            assert len(out.splitlines()) == len(findings), (fmt, out)


def _as_dicts(findings) -> list[dict]:
    return [f.as_dict() for f in findings]


@given(text=documents(), path=paths)
@example(text="\ufeff---\nlast_reviewed: !!timestamp \u200b2024-13-01\n---\n\n", path="doc.md")  # found: AttributeError
def test_generated_documents_lint_cleanly(text: str, path: str) -> None:
    linter = _linter()
    doc = Document(path, text, plain=path.endswith(".txt"))
    _check_document(doc)
    _check_hits(doc, linter)
    findings = linter.lint(Document(path, text, plain=path.endswith(".txt")))
    _check_findings(text, findings)
    _check_reports(findings, path)
    again = linter.lint(Document(path, text, plain=path.endswith(".txt")))
    assert _as_dicts(again) == _as_dicts(findings)


@given(text=st.text(max_size=400), path=paths)
def test_arbitrary_text_lints_cleanly(text: str, path: str) -> None:
    findings = lint_text(text, path=path)
    _check_findings(text, findings)


@given(data=documents().map(lambda t: t.encode("utf-8")), cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=3)), max_size=3))
def test_bytes_with_invalid_utf8_lint_cleanly(data: bytes, cuts: list[tuple[int, bytes]]) -> None:
    """Bytes as read from a file: invalid sequences, cut multi-byte characters, a stray BOM."""
    for at, junk in cuts:
        at %= len(data) + 1
        data = data[:at] + junk + data[at:]
    text, problems = decode(data)
    findings = lint_text(data, path="doc.md")
    _check_findings(text, findings)
    assert all(0 <= p.start <= p.end <= len(text) for p in problems)


@given(body=st.lists(st.one_of(st.sampled_from(FRONT_MATTER_LINES), st.text(max_size=30)), max_size=8))
def test_front_matter_of_any_kind_never_raises(body: list[str]) -> None:
    text = "---\n" + "\n".join(body) + "\n---\n\nSome prose.\n"
    doc = Document("doc.md", text)
    assert isinstance(doc.front_matter.data, dict)
    for p in doc.problems:
        assert 0 <= p.start <= p.end <= len(doc.text) and p.detail


# -- bugs the properties above found, kept as regression tests ----------------------------------
# YAML also breaks lines at a lone CR, U+0085, U+2028 and U+2029: front-matter keys are placed by
# offset, not by YAML's line numbers.
def test_front_matter_with_yaml_only_line_breaks_at_the_end_of_the_file() -> None:
    """Found by test_bytes_with_invalid_utf8_lint_cleanly: the whole run stops with an internal error."""
    Document("doc.md", "---\r\nk: \r\x85\ntitle: Eczema in children\r\n---")


def test_front_matter_key_offsets_with_a_unicode_line_separator() -> None:
    """A title pasted with U+2028 in it: the findings about 'author' point at the wrong line."""
    text = '---\ntitle: "Eczema\u2028guide"\nauthor: Jo\n---\n\nText.\n'
    assert Document("doc.md", text).front_matter.key_offsets["author"] == text.index("author")


# Document-level findings point at the title or first prose (ruletypes.document_anchor), never at
# an empty line 1.
HARD = "Pharmacological interventions notwithstanding, individualised multidisciplinary rehabilitation programmes substantially ameliorate functional impairment. "


def test_reading_grade_finding_is_not_empty_when_the_first_line_is_blank() -> None:
    """Found by test_generated_documents_lint_cleanly: HL401 at 1:1-1:1."""
    (finding,) = lint_text("\n" + HARD * 12, select=["HL401"])
    assert (finding.end_line, finding.end_column) > (finding.line, finding.column)


def test_missing_required_field_finding_is_not_empty_when_the_first_line_is_blank() -> None:
    settings = Settings()
    settings.front_matter = {"aliases": {}, "require": ["author"], "stale-after-months": 24}
    (finding,) = lint_text("\nSome text here.\n", select=["HL205"], settings=settings)
    assert (finding.end_line, finding.end_column) > (finding.line, finding.column)


# -- bounded YAML: the same data as PyYAML, within limits -------------------------------------
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=20),
                    st.floats(allow_nan=False, allow_infinity=False))
yaml_data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                         max_leaves=20)


@st.composite
def shared_data(draw):
    """Data in which one value appears several times, so that yaml.dump writes anchors and aliases."""
    shared = draw(st.one_of(st.lists(scalars, min_size=1, max_size=3), st.dictionaries(st.text(max_size=5), scalars, min_size=1, max_size=3)))
    return {f"k{i}": draw(st.one_of(st.just(shared), yaml_data)) for i in range(draw(st.integers(1, 5)))}


@given(data=st.one_of(yaml_data, shared_data()))
def test_bounded_yaml_reads_what_pyyaml_reads(data) -> None:
    text = yaml.dump(data, Dumper=yaml.SafeDumper, allow_unicode=True)
    assert yamlsafe.load(text) == yaml.load(text, Loader=yamlsafe.FAST_LOADER)  # (PyYAML does not round-trip every string)


@given(text=st.text(alphabet=st.sampled_from(list("[]{}&*:-,'\"!|>#?\n ab1")), max_size=120))
def test_bounded_yaml_raises_only_yaml_errors(text: str) -> None:
    try:
        yamlsafe.load(text)
    except yaml.YAMLError:
        pass


@given(width=st.integers(2, 12), depth=st.integers(2, 12))
def test_any_anchor_bomb_is_refused_quickly(width: int, depth: int) -> None:
    """width ** depth values from a few hundred bytes: refused when over the budget, read otherwise."""
    lines = [f"l0: &l0 [{', '.join(['x'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
    text = "\n".join(lines) + "\n"
    if _expanded_by_aliases(width, depth) > yamlsafe.MAX_ALIAS_VALUES:
        with pytest.raises(yamlsafe.YamlLimitError, match="anchor bomb"):
            yamlsafe.load(text)
    else:
        assert len(yamlsafe.load(text)) == depth


def _expanded_by_aliases(width: int, depth: int) -> int:
    """Values that aliases repeat in the bomb above: each alias of l(i-1) repeats its whole size."""
    size = [width + 1]  # l0: the list and its scalars
    for _ in range(1, depth):
        size.append(1 + width * size[-1])
    return sum(width * size[i - 1] for i in range(1, depth))


# -- the same output in another process ---------------------------------------------------------
@settings(max_examples=2, phases=[Phase.explicit, Phase.generate])
@given(texts=st.lists(documents(), min_size=6, max_size=10))
def test_output_is_identical_across_processes(tmp_path_factory, texts: list[str]) -> None:
    """String hashing differs between processes: nothing may depend on set or dict order of strings."""
    folder = tmp_path_factory.mktemp("docs")
    for i, text in enumerate(texts):
        (folder / f"doc{i}.{'txt' if i % 4 == 3 else 'md'}").write_bytes(text.encode("utf-8"))
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-m", "healthlint", "check", "--format", "json", "--exit-zero", "--no-cache", "."],
                             capture_output=True, env=env, timeout=120, cwd=folder)
        assert run.returncode == 0, run.stderr
        assert b"Traceback" not in run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert re.search(rb'"files_checked": \d+', outputs[0])
