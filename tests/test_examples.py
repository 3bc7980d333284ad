"""The drafts in examples/: together they trigger every built-in rule, and the careful one none.

The rule list is read from the built-in packs, so a new rule fails this file until an example
draft shows it firing. Positions are checked exactly (1-based line and column, in characters).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from healthlint.config import Settings
from healthlint.document import LINT_SUFFIXES
from healthlint.engine import Linter, lint_paths, lint_text
from healthlint.rules import load_builtin, load_pack, load_packs

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "careful-dry-skin.md"
EVERY_RULE = EXAMPLES / "detox-tea-eczema.md"  # the draft meant to trip every prose rule
BAD_BYTES = EXAMPLES / "coeliac-windows-1252.md"
BROKEN_FRONT_MATTER = EXAMPLES / "sunscreen-broken-front-matter.md"
PLAIN = EXAMPLES / "joint-newsletter.txt"

RULES = list(load_builtin())
# Rules that cannot fire in the same draft as the others, and the draft that shows each of them.
# Engine rules need a broken file: an invalid byte (HL901) or unreadable front matter (HL902).
# The main draft names an author without credentials (HL206) and gives dates that are wrong
# (HL209, HL210), so "no author" (HL205) and "no date" (HL208) are shown by the coeliac draft.
ELSEWHERE = {
    **{r.code: BROKEN_FRONT_MATTER for r in RULES if r.family == "engine"},
    "HL901": BAD_BYTES,
    "HL205": BAD_BYTES,
    "HL208": BAD_BYTES,
}

TEXT_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<code>HL\d{3}) (?P<sev>error|warning|info) .+ \[(?P<rule>[a-z0-9-]+)\]$")


@pytest.fixture(scope="module")
def findings():
    """Every finding in examples/, with the built-in defaults (no project config)."""
    linter = Linter(load_builtin(), Settings(base=ROOT))
    result = lint_paths(linter, [str(EXAMPLES)])
    assert not result.errors, result.errors
    return result.findings


@pytest.fixture(scope="module")
def by_file(findings):
    out = defaultdict(list)
    for f in findings:
        out[Path(f.path).name].append(f)
    return out


def test_every_builtin_rule_fires_somewhere_in_examples(findings):
    fired = {f.code for f in findings}
    missing = [f"{r.code} {r.name}" for r in RULES if r.code not in fired]
    assert not missing, f"no draft in examples/ triggers: {', '.join(missing)} (add one)"


def test_one_markdown_draft_fires_every_prose_rule(by_file):
    fired = {f.code for f in by_file[EVERY_RULE.name]}
    missing = [f"{r.code} {r.name}" for r in RULES if r.code not in fired and r.code not in ELSEWHERE]
    assert not missing, f"{EVERY_RULE.name} does not trigger: {', '.join(missing)}"


def test_rules_left_out_of_the_main_draft_fire_in_their_own(by_file):
    for code, path in ELSEWHERE.items():
        if any(r.code == code for r in RULES):
            assert code in {f.code for f in by_file[path.name]}, f"{code} does not fire in {path.name}"


def test_clean_example_has_no_findings(by_file):
    assert CLEAN.name not in by_file, [f"{f.line}:{f.column} {f.code} {f.message}" for f in by_file[CLEAN.name]]


def test_clean_example_is_quiet_even_for_info_rules():
    text = CLEAN.read_text(encoding="utf-8")
    assert lint_text(text, path=CLEAN.name, select=["HL"]) == []


# (file, line, column, code, the text it points at, end line, end column)
KEY_FINDINGS = [
    (EVERY_RULE, 3, 1, "HL206", "author: Jo Rivers", 3, 18),
    (EVERY_RULE, 4, 1, "HL210", "date_published: YYYY-MM-DD", 4, 27),
    (EVERY_RULE, 5, 1, "HL209", "last_reviewed: 2019-04-01", 5, 26),
    (EVERY_RULE, 8, 3, "HL201", "How a herbal detox tea calmed my eczema", 8, 42),
    (EVERY_RULE, 8, 3, "HL202", "How a herbal detox tea calmed my eczema", 8, 42),
    (EVERY_RULE, 8, 3, "HL204", "How a herbal detox tea calmed my eczema", 8, 42),
    (EVERY_RULE, 8, 16, "HL103", "detox", 8, 21),
    (EVERY_RULE, 12, 64, "HL103", "miracle", 12, 71),
    (EVERY_RULE, 13, 15, "HL104", "gone for good", 13, 28),
    (EVERY_RULE, 17, 1, "HL105", "Studies show", 17, 13),
    (EVERY_RULE, 18, 1, "HL302", "adrenal fatigue", 18, 16),
    (EVERY_RULE, 18, 22, "HL302", "leaky gut syndrome", 18, 40),
    (EVERY_RULE, 18, 67, "HL405", "pruritus", 18, 75),
    (EVERY_RULE, 19, 1, "HL405", "erythema", 19, 9),
    (EVERY_RULE, 27, 11, "HL103", "100% natural", 27, 23),
    (EVERY_RULE, 27, 35, "HL103", "no side effects", 27, 50),
    (EVERY_RULE, 28, 16, "HL103", "clinically proven", 28, 33),
    (EVERY_RULE, 29, 36, "HL104", "in no time", 29, 46),
    (EVERY_RULE, 43, 52, "HL304", "healthcare", 43, 62),
    (EVERY_RULE, 45, 39, "HL304", "Sjogren's", 45, 48),
    (EVERY_RULE, 21, 141, "HL101", "cause", 21, 146),
    (EVERY_RULE, 27, 30, "HL102", "with no side effects", 27, 50),
    (EVERY_RULE, 52, 41, "HL303", "juvenile diabetes", 52, 58),
    (EVERY_RULE, 53, 49, "HL301", "Itchy Skin Toxin Syndrome", 53, 74),
    (EVERY_RULE, 56, 8, "HL106", "is a common", 56, 19),
    (EVERY_RULE, 57, 22, "HL407", "twice as likely", 57, 37),
    (EVERY_RULE, 57, 76, "HL406", "TSW", 57, 79),
    (EVERY_RULE, 58, 34, "HL212", "I recommend", 58, 45),
    (EVERY_RULE, 62, 12, "HL404", "are picked", 62, 22),
    (EVERY_RULE, 66, 18, "HL405", "anti-inflammatory", 66, 35),
    (EVERY_RULE, 73, 19, "HL203", "trouble breathing", 73, 36),
    (BAD_BYTES, 1, 1, "HL205", "---", 1, 4),
    (BAD_BYTES, 1, 1, "HL208", "---", 1, 4),
    (PLAIN, 6, 1, "HL105", "Experts agree", 6, 14),
    (PLAIN, 7, 25, "HL103", "quick fix", 7, 34),
    (PLAIN, 8, 11, "HL104", "you will be able to prevent", 8, 38),
]


@pytest.mark.parametrize("path,line,column,code,excerpt,end_line,end_column", KEY_FINDINGS,
                         ids=[f"{p.name}:{ln}:{c}:{code}" for p, ln, c, code, *_ in KEY_FINDINGS])
def test_key_findings_at_exact_positions(by_file, path, line, column, code, excerpt, end_line, end_column):
    at = [f for f in by_file[path.name] if (f.line, f.column, f.code) == (line, column, code)]
    assert at, f"no {code} at {path.name}:{line}:{column}; found {[(f.line, f.column, f.code) for f in by_file[path.name]]}"
    f = at[0]
    assert f.excerpt == excerpt
    assert (f.end_line, f.end_column) == (end_line, end_column)
    # The columns count characters of the original file, so slicing the line gives the excerpt.
    if end_line == line:
        source_line = path.read_bytes().decode("utf-8", "replace").splitlines()[line - 1]
        assert source_line[column - 1:end_column - 1] == excerpt


def test_contradiction_names_the_earlier_line(by_file):
    (hit,) = [f for f in by_file[EVERY_RULE.name] if f.code == "HL106"]
    assert "line 52" in hit.message


def test_shop_link_is_flagged_from_its_opening_bracket(by_file):
    (hit,) = [f for f in by_file[EVERY_RULE.name] if f.code == "HL211"]
    line = EVERY_RULE.read_text(encoding="utf-8").splitlines()[hit.line - 1]
    assert line[hit.column - 1:].startswith("[our shop](https://www.amazon.com/")


def test_sentence_and_paragraph_findings_point_at_their_start(by_file):
    found = {(f.line, f.column, f.code) for f in by_file[EVERY_RULE.name]}
    assert (21, 1, "HL402") in found  # the 36-word sentence
    assert (33, 1, "HL403") in found  # the 8-sentence paragraph of instructions
    assert (25, 92, "HL408") in found  # the fourth number, "90%", is one too many


def test_severity_of_a_term_can_be_raised_by_its_entry(by_file):
    severities = {(f.line, f.column): f.severity for f in by_file[EVERY_RULE.name] if f.code == "HL103"}
    assert severities[(12, 64)] == "error"  # "miracle" is an error-level term
    assert severities[(8, 16)] == "warning"  # "detox" is a warning


def test_invalid_byte_is_reported_at_its_line(by_file):
    data = BAD_BYTES.read_bytes()
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    bad_line = data[: info.value.start].count(b"\n") + 1
    bad_column = len(data[: info.value.start].rsplit(b"\n", 1)[-1].decode("utf-8")) + 1
    hits = [f for f in by_file[BAD_BYTES.name] if f.code == "HL901"]
    assert [(f.line, f.column) for f in hits] == [(bad_line, bad_column)] == [(8, 9)]
    assert "0xe9" in hits[0].message
    # The rest of the file is still checked: its prose rules fire too.
    assert {f.code for f in by_file[BAD_BYTES.name]} - {"HL901"}


def test_broken_front_matter_is_reported_at_the_bad_line(by_file):
    hits = [f for f in by_file[BROKEN_FRONT_MATTER.name] if f.code == "HL902"]
    assert [(f.line, f.column) for f in hits] == [(2, 1)]
    assert "not valid YAML" in hits[0].message
    # Nothing is reported inside the front matter itself, other than the parse error.
    lines = BROKEN_FRONT_MATTER.read_text(encoding="utf-8").splitlines()
    closing = lines.index("---", 1) + 1
    assert [f.code for f in by_file[BROKEN_FRONT_MATTER.name] if f.line <= closing] == ["HL902"]


def _lines_of(path: Path, opener: str, closer: str) -> set[int]:
    """Line numbers from each line starting with ``opener`` through the next ending with ``closer``."""
    inside, out = False, set()
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not inside and text.startswith(opener):
            inside = True
            out.add(n)
            if text.rstrip().endswith(closer) and len(text.strip()) > len(opener):
                inside = False
            continue
        if inside:
            out.add(n)
            if text.rstrip().endswith(closer):
                inside = False
    return out


def test_nothing_lands_in_front_matter_code_or_comments(by_file):
    lines = EVERY_RULE.read_text(encoding="utf-8").splitlines()
    front = set(range(1, lines.index("---", 1) + 2))
    code = _lines_of(EVERY_RULE, "```", "```")
    comments = _lines_of(EVERY_RULE, "<!--", "-->")
    # These regions hold red-flag words on purpose ("detox" in the title, "miracle" elsewhere).
    assert any("detox" in lines[n - 1].lower() for n in front)
    assert any("miracle" in lines[n - 1] for n in code) and any("miracle" in lines[n - 1] for n in comments)
    for region in (code, comments):
        flagged = [(f.line, f.code) for f in by_file[EVERY_RULE.name] if f.line in region]
        assert not flagged, flagged
    # Front matter is metadata: only the rules about metadata (trust, and document-level
    # findings anchored at its first line) may point at it, never the prose rules.
    in_front = [f for f in by_file[EVERY_RULE.name] if f.line in front]
    assert not [(f.line, f.code) for f in in_front if f.code[:3] in ("HL1", "HL3")]
    assert not [(f.line, f.code) for f in in_front if f.line > 1 and f.code[:3] != "HL2"]


def test_disable_next_line_comment_silences_only_its_line(by_file):
    text = EVERY_RULE.read_text(encoding="utf-8")
    lines = text.splitlines()
    directive = next(i for i, ln in enumerate(lines, 1) if "healthlint-disable-next-line" in ln)
    target = directive + 1
    assert "cure-all" in lines[target - 1]
    assert not [f for f in by_file[EVERY_RULE.name] if f.line == target]
    # Without the directive the same line is flagged, so the comment is what keeps it quiet.
    without = text.replace(lines[directive - 1] + "\n", "<!-- an ordinary comment -->\n")
    flagged = [(f.line, f.code) for f in lint_text(without, path=EVERY_RULE.name, select=["HL103"]) if f.line == target]
    assert flagged == [(target, "HL103")]


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "healthlint", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_readme_main_command_reports_all_four_families_and_exits_1():
    proc = _run_cli("check", "examples/")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    parsed = [TEXT_LINE.match(ln) for ln in lines[:-1]]
    assert all(parsed), [ln for ln, m in zip(lines, parsed) if not m]
    families = {m.group("code")[2] for m in parsed}
    assert {"1", "2", "3", "4", "9"} <= families
    drafts = [p for p in EXAMPLES.rglob("*") if p.suffix in LINT_SUFFIXES]
    assert re.fullmatch(rf"Found \d+ problems \(.+\) in {len(drafts)} files\.", lines[-1]), lines[-1]
    # Sorted by path, then line, then column.
    keys = [(m.group("path"), int(m.group("line")), int(m.group("col"))) for m in parsed]
    assert keys == sorted(keys)


def test_clean_example_exits_0():
    proc = _run_cli("check", "examples/careful-dry-skin.md")
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (1 file checked).\n"), proc.stderr


# -- the README's examples are real ---------------------------------------------------------------
README = ROOT / "README.md"


def _fenced(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)


def _readme_packs() -> list[str]:
    return [block for block in _fenced("yaml") if block.startswith("rules:")]


def test_readme_shows_every_rule_type_and_each_pack_loads(tmp_path):
    from healthlint.ruletypes import RULE_TYPES

    blocks = _readme_packs()
    types = set()
    for i, block in enumerate(blocks):
        path = tmp_path / f"pack{i}.yaml"
        path.write_text(block, encoding="utf-8")
        for rule in load_pack(path):
            types.add(rule.type)
    assert types == set(RULE_TYPES), f"README has no example for: {set(RULE_TYPES) - types}"


@pytest.mark.parametrize("index", range(len(_readme_packs())))
def test_readme_rule_examples_do_what_they_say(tmp_path, index):
    path = tmp_path / "pack.yaml"
    path.write_text(_readme_packs()[index], encoding="utf-8")
    ruleset = load_packs([path], into=load_builtin())
    (rule,) = load_pack(path)
    for example in rule.bad:
        codes = [f.code for f in lint_text(example.text, select=[rule.code], ruleset=ruleset)]
        assert rule.code in codes, f"{rule.code} does not fire on its bad example {example.text!r}"
    for example in rule.good:
        codes = [f.code for f in lint_text(example.text, select=[rule.code], ruleset=ruleset)]
        assert rule.code not in codes, f"{rule.code} fires on its good example {example.text!r}"


def test_readme_configuration_examples_are_valid(tmp_path):
    import tomllib

    from healthlint.config import parse_settings

    (config,) = [b for b in _fenced("yaml") if b.startswith("# .healthlint.yaml")]
    settings = parse_settings(yaml.safe_load(config), tmp_path / ".healthlint.yaml")
    Linter(load_builtin(), settings)  # selectors and per-rule options are checked here
    assert settings.rule_options["HL402"] == {"max": 30}
    # The team's vocabulary and front-matter names do what the README says.
    hits = lint_text("# Diabetes\n\nBrittle diabetes is hard to manage.\n", settings=settings, select=["HL303"])
    assert [(f.line, f.column, f.suggestion) for f in hits] == [(3, 1, "type 1 diabetes with frequent highs and lows")]
    hits = lint_text("# Diabetes\n\nSome text.\n", settings=settings, select=["HL205"])
    assert [(f.code, f.line) for f in hits] == [("HL205", 1)]  # required even with no front matter
    hits = lint_text("---\nbyline: Jo Patel, RN\nchecked_on: 2019-01-01\n---\n# Diabetes\n\nSome text.\n",
                     settings=settings, select=["HL205", "HL209"])
    assert [(f.code, f.line) for f in hits] == [("HL209", 3)]
    (toml,) = [b for b in _fenced("toml") if b.startswith("[tool.healthlint]")]
    table = tomllib.loads(toml)["tool"]["healthlint"]
    settings = parse_settings(table, tmp_path / "pyproject.toml")
    Linter(load_builtin(), settings)
    assert (settings.fail_on, settings.rule_options) == ("error", {"HL402": {"max": 30}})


def test_readme_sample_output_matches_the_real_output():
    text_sample = re.search(r"^\$ healthlint check (\S+)\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)
    proc = _run_cli("check", text_sample.group(1))
    # Findings are compared by place, code and rule (message wording may be improved without
    # touching the README); each one the README shows must be real.
    key = lambda m: (m.group("path"), m.group("line"), m.group("col"), m.group("code"), m.group("sev"), m.group("rule"))  # noqa: E731
    shown = [TEXT_LINE.match(ln) for ln in text_sample.group(2).splitlines()[:-1]]
    real = {key(m) for m in map(TEXT_LINE.match, proc.stdout.splitlines()) if m}
    assert shown and all(shown)
    assert [key(m) for m in shown if key(m) not in real] == []


def test_readme_json_sample_has_the_real_shape():
    import json

    (sample,) = [json.loads(b) for b in _fenced("json") if '"diagnostics"' in b]
    path = sample["diagnostics"][0]["path"]
    real = json.loads(_run_cli("check", "--format", "json", path).stdout)
    assert sample.keys() == real.keys()
    assert all(d.keys() == real["diagnostics"][0].keys() for d in sample["diagnostics"])
    where = lambda d: (d["path"], d["line"], d["column"], d["end_line"], d["end_column"], d["code"])  # noqa: E731
    assert {where(d) for d in sample["diagnostics"]} <= {where(d) for d in real["diagnostics"]}


def test_readme_describes_every_example_draft():
    table = README.read_text(encoding="utf-8").split("## The example drafts", 1)[1].split("\n## ", 1)[0]
    described = set(re.findall(r"^\| `([^`]+)` \|", table, re.M))
    assert described == {p.name for p in EXAMPLES.iterdir() if p.is_file()}


def test_readme_rule_list_names_every_rule():
    listing = README.read_text(encoding="utf-8").split("## The rules", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"^(HL\d{3})  (\S+)", listing, re.M)
    assert shown == [(r.code, r.name) for r in RULES], "update the list in README.md from `healthlint rules`"


# -- found while writing the examples (files owned by others) ------------------------------------
def test_pattern_phrase_wrapped_across_lines_is_found():
    hits = lint_text("# Plan\n\nFollow this plan and you will be able to\nprevent flare-ups.\n", select=["HL104"])
    assert [(f.line, f.column) for f in hits] == [(3, 22)]


def test_rejected_term_in_both_lists_is_reported_once(tmp_path):
    # Found while writing the examples; fixed in checks/terms.py (the team's entry wins).
    from healthlint.config import parse_settings

    settings = parse_settings({"vocabulary": {"reject": {"manic depression": "bipolar disorder"}}}, tmp_path / ".healthlint.yaml")
    hits = lint_text("# Moods\n\nManic depression runs in families.\n", settings=settings, select=["HL303"])
    assert [(f.line, f.column) for f in hits] == [(3, 1)]


def test_internal_link_is_not_a_source():
    # Found while writing the examples (any link used to count as a source); fixed in checks/trust.py.
    hits = lint_text("# Tea\n\nOrder the tea from [our shop](shop/tea.md).\n", select=["HL204"])
    assert [f.code for f in hits] == ["HL204"]
