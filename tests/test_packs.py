"""A team's own rule packs, loaded through ``extend-rules`` (DESIGN.md section 4).

A valid pack adds rules that run end to end like the built-in ones (positions checked); an
invalid pack stops the run with exit status 2 and one line naming the file, the line and the rule.
"""

from __future__ import annotations

import pytest

from cli_helpers import run, write

TEAM_PACK = r"""family: house style
description: Our editors' own rules.
rules:
  - code: HL150
    name: superfood
    severity: warning
    type: existence
    tokens: [superfood, super food]
    exceptions: ['superfood marketing']
    message: '"{match}" is a marketing word, not a kind of food. Name the food and what it contains.'
    explanation: Marketing words promise more than a food can do.
    examples:
      bad: ["Kale is a superfood."]
      good: ["Kale is a vegetable."]

  - code: HL350
    name: house-terms
    severity: info
    type: substitution
    swap:
      skin doctor: dermatologist
      tummy: stomach
    message: 'Our style is "{suggestion}", not "{match}".'
    explanation: We use one word for each thing.
    examples:
      bad: ["Ask a skin doctor."]
      good: ["Ask a dermatologist."]

  - code: HL450
    name: hedge-pileup
    severity: info
    type: occurrence
    scope: sentence
    max: 1
    tokens: [may, might, could]
    message: 'This sentence has {count} hedges (more than {max}); "{match}" is one too many. Say what is known once.'
    explanation: Too many hedges in one sentence hide what is known.
    examples:
      bad: ["It may help or it might not."]
      good: ["It may help."]

  - code: HL250
    name: review-note
    severity: warning
    type: required
    front-matter: [reviewed_by]
    tokens: [reviewed by]
    message: 'The article "{title}" does not say who reviewed it. Add "Reviewed by" and a name.'
    explanation: Readers trust reviewed articles more.
    examples:
      bad: ["# Eczema\n\nEczema is common.\n"]
      good: ["# Eczema\n\nEczema is common. Reviewed by Dr. A. Patel.\n"]

  - code: HL451
    name: wordy-paragraph
    severity: info
    type: metric
    metric: words
    scope: paragraph
    max: 15
    message: 'This paragraph has {value} {metric} (more than {max}). Shorten it.'
    explanation: Short paragraphs are easier to read.
    examples:
      bad: ["one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen."]
      good: ["One short paragraph."]

  - code: HL351
    name: eczema-naming
    severity: warning
    type: consistency
    either:
      atopic eczema: atopic dermatitis
    message: 'You call it "{suggestion}" on line {first_line}; call it that here too instead of "{match}".'
    explanation: Two names for one condition make readers think there are two conditions.
    examples:
      bad: ["Atopic eczema is common. Atopic dermatitis can return."]
      good: ["Atopic eczema is common. Atopic eczema can return."]
"""

DOC_LINES = [
    "# Eczema and diet",                                                                   # 1
    "",                                                                                    # 2
    "Children often get atopic eczema.",                                                   # 3
    "",                                                                                    # 4
    "Some shops call kale a Superfood. Ask a skin doctor. Superfood marketing is loud.",   # 5
    "",                                                                                    # 6
    "Diet may help or it might not, and it could even harm.",                              # 7
    "",                                                                                    # 8
    "Later in life, atopic dermatitis can return.",                                        # 9
    "",                                                                                    # 10
    "This paragraph is made of many small words that go on and on for a while.",           # 11
    "",                                                                                    # 12
    "`superfood` in code and <!-- a superfood comment --> are not prose.",                 # 13
    "",
]
DOC = "\n".join(DOC_LINES)


def col(line: int, needle: str, nth: int = 0) -> int:
    """1-based column of the ``nth`` occurrence of ``needle`` on a 1-based line of DOC."""
    text, start = DOC_LINES[line - 1], -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start + 1


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def team(tmp_path):
    write(tmp_path / "packs" / "team.yaml", TEAM_PACK)
    write(tmp_path / ".healthlint.yaml", "extend-rules: [packs/team.yaml]\n")
    write(tmp_path / "doc.md", DOC)
    return tmp_path


def diagnostics(*args: str) -> list[dict]:
    r = run("check", "--format", "json", *args)
    assert r.code in (0, 1), r.output
    return r.json["diagnostics"]


def spans(items: list[dict]) -> list[tuple]:
    return [(d["code"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in items]


def test_existence(team):
    found = diagnostics("--select", "HL150", "doc.md")
    c = col(5, "Superfood")
    assert spans(found) == [("HL150", 5, c, 5, c + len("Superfood"))]  # not the exception, not code or comments
    assert found[0]["message"] == '"Superfood" is a marketing word, not a kind of food. Name the food and what it contains.'
    assert found[0]["excerpt"] == "Superfood"
    assert found[0]["severity"] == "warning" and found[0]["rule"] == "superfood"


def test_substitution(team):
    [d] = diagnostics("--select", "HL350", "doc.md")
    c = col(5, "skin doctor")
    assert spans([d]) == [("HL350", 5, c, 5, c + len("skin doctor"))]
    assert d["suggestion"] == "dermatologist"
    assert d["message"] == 'Our style is "dermatologist", not "skin doctor".'


def test_occurrence(team):
    [d] = diagnostics("--select", "HL450", "doc.md")
    c = col(7, "might")  # the first hedge over the limit of 1
    assert spans([d]) == [("HL450", 7, c, 7, c + len("might"))]
    assert d["message"].startswith('This sentence has 3 hedges (more than 1); "might" is one too many.')


def test_required(team, tmp_path):
    [d] = diagnostics("--select", "HL250", "doc.md")
    c = col(1, "Eczema")  # anchored at the title, after the '#'
    assert spans([d]) == [("HL250", 1, c, 1, len(DOC_LINES[0]) + 1)]
    assert d["message"] == 'The article "Eczema and diet" does not say who reviewed it. Add "Reviewed by" and a name.'
    write(tmp_path / "reviewed.md", "---\nreviewed_by: Dr. A. Patel\n---\n" + DOC)
    assert diagnostics("--select", "HL250", "reviewed.md") == []
    write(tmp_path / "signed.md", DOC + "\nReviewed by Dr. A. Patel.\n")
    assert diagnostics("--select", "HL250", "signed.md") == []


def test_metric(team):
    [d] = diagnostics("--select", "HL451", "doc.md")
    assert spans([d]) == [("HL451", 11, 1, 11, len(DOC_LINES[10]) + 1)]
    assert d["message"] == "This paragraph has 16 words (more than 15). Shorten it."


def test_metric_threshold_from_config(team, tmp_path):
    write(tmp_path / ".healthlint.yaml", "extend-rules: [packs/team.yaml]\nrules:\n  wordy-paragraph:\n    max: 20\n")
    assert diagnostics("--select", "HL451", "doc.md") == []


def test_consistency(team):
    [d] = diagnostics("--select", "HL351", "doc.md")
    c = col(9, "atopic dermatitis")
    assert spans([d]) == [("HL351", 9, c, 9, c + len("atopic dermatitis"))]
    assert d["suggestion"] == "atopic eczema"
    assert d["message"] == 'You call it "atopic eczema" on line 3; call it that here too instead of "atopic dermatitis".'


def test_consistency_suggestion_follows_the_case_of_the_match(team, tmp_path):
    write(tmp_path / "cap.md", "Atopic eczema is common.\n\nLater, atopic dermatitis can return.\n")
    [d] = diagnostics("--select", "HL351", "cap.md")
    assert d["suggestion"] == "atopic eczema"


def test_team_rules_alongside_builtin_rules(team):
    found = {d["code"] for d in diagnostics("doc.md")}
    assert {"HL150", "HL350", "HL450", "HL250", "HL451", "HL351"} <= found
    assert any(code.startswith("HL2") and code != "HL250" for code in found)  # built-in rules still run


def test_team_rules_select_ignore_and_suppression(team, tmp_path):
    assert {d["code"] for d in diagnostics("--select", "HL1,HL3", "--ignore", "HL103,eczema-naming", "doc.md")} == {"HL150", "HL350"}
    write(tmp_path / "quiet.md", "<!-- healthlint-disable-next-line superfood -->\nKale is a superfood.\nKale is a superfood.\n")
    assert spans(diagnostics("--select", "HL150", "quiet.md")) == [("HL150", 3, 11, 3, 20)]


def test_team_rules_listed_and_explained(team, tmp_path):
    r = run("rules")
    lines = {line.split()[0]: line for line in r.out.splitlines()}
    assert lines["HL150"].split()[:3] == ["HL150", "superfood", "warning"]
    assert "HL351" in lines and "HL103" in lines
    r = run("rules", "--format", "json")
    by_code = {d["code"]: d for d in r.json}
    assert by_code["HL150"]["source"] == str(tmp_path / "packs" / "team.yaml")
    assert by_code["HL450"]["type"] == "occurrence"
    r = run("explain", "hedge-pileup")
    assert r.code == 0 and r.out.startswith("HL450 hedge-pileup (info, readability)")
    assert "It may help or it might not." in r.out
    assert f"Defined in {tmp_path / 'packs' / 'team.yaml'}:" in r.out


def test_team_rule_examples_hold(team, tmp_path):
    """The pack's own examples behave as the pack says (what test_rule_examples does for built-ins)."""
    from pathlib import Path

    from healthlint.config import Settings
    from healthlint.engine import lint_text
    from healthlint.rules import load_builtin, load_packs

    ruleset = load_packs([Path("packs/team.yaml")], into=load_builtin())
    for code in ("HL150", "HL350", "HL450", "HL250", "HL451", "HL351"):
        rule = ruleset.get(code)
        for example in rule.bad:
            assert any(f.code == code for f in lint_text(example.text, select=[code], ruleset=ruleset, settings=Settings()))
        for example in rule.good:
            assert not lint_text(example.text, select=[code], ruleset=ruleset, settings=Settings())


# -- invalid packs ------------------------------------------------------------------------------
GOOD_RULE = """\
  - code: HL150
    name: superfood
    severity: warning
    type: existence
    tokens: [superfood]
    message: '"{match}" is a marketing word.'
    explanation: Marketing words promise more than food can do.
    examples:
      bad: ["Kale is a superfood."]
      good: ["Kale is a vegetable."]
"""
BAD_RULE = """\
  - code: HL151
    name: wonder-word
    severity: warning
    type: existence
    tokens: [wonder]
    message: '"{match}" overpromises.'
    explanation: Say what the treatment does.
    examples:
      bad: ["A wonder drug."]
      good: ["A useful drug."]
"""
BAD_LINE = 2 + GOOD_RULE.count("\n")  # the bad rule starts after "rules:" and the good rule


def pack_with(old: str, new: str) -> str:
    assert old in BAD_RULE
    return "rules:\n" + GOOD_RULE + BAD_RULE.replace(old, new, 1)


@pytest.mark.parametrize("old,new,rule,problem", [
    ("type: existence", "type: existance", "HL151 (wonder-word)", "unknown type 'existance'; known types: check, consistency, existence"),
    ("    explanation: Say what the treatment does.\n", "", "HL151 (wonder-word)", "missing required field 'explanation'"),
    ("    message: '\"{match}\" overpromises.'\n", "", "HL151 (wonder-word)", "missing required field 'message'"),
    ("    severity: warning\n", "", "HL151 (wonder-word)", "missing required field 'severity'"),
    ("code: HL151", "code: HL150", "HL150 (wonder-word)", "duplicate code 'HL150', already used by {pack}:2"),
    ("name: wonder-word", "name: superfood", "HL151 (superfood)", "duplicate name 'superfood', already used by {pack}:2"),
    ("code: HL151", "code: HL103", "HL103 (wonder-word)", "duplicate code 'HL103', already used by built-in pack claims.yaml:"),
    ("name: wonder-word", "name: long-sentence", "HL151 (long-sentence)", "duplicate name 'long-sentence', already used by built-in pack readability.yaml:"),
    ("tokens: [wonder]", "patterns: ['wonder(drug']", "HL151 (wonder-word)", "pattern does not compile: missing ), unterminated subpattern"),
    ("tokens: [wonder]", "tokens: [wonder]\n    exceptions: ['[a-']", "HL151 (wonder-word)", "exception does not compile"),
    ("tokens: [wonder]", "patterns: ['w*']", "HL151 (wonder-word)", "matches empty text"),
    ("tokens: [wonder]", "tokens: [wonder]\n    colour: red", "HL151 (wonder-word)", "unknown option(s) colour; this type takes: exceptions, ignorecase, patterns"),
    ("tokens: [wonder]", "tokens: [wonder]\n    scope: everywhere", "HL151 (wonder-word)", "option 'scope' must be one of prose, body, headings, all, not 'everywhere'"),
    ("tokens: [wonder]", "tokens: [wonder]\n    ignorecase: maybe", "HL151 (wonder-word)", "option 'ignorecase' must be bool, not str"),
    ("tokens: [wonder]", "tokens: []", "HL151 (wonder-word)", "needs 'tokens' or 'patterns' to look for"),
    ("severity: warning", "severity: fatal", "HL151 (wonder-word)", "severity must be one of error, warning, info, not 'fatal'"),
    ("'\"{match}\" overpromises.'", "'\"{match}\" overpromises {why}.'", "HL151 (wonder-word)",
     "message uses unknown placeholder(s) {why}; this type offers: {match}, {note}, {suggestion}"),
    ("'\"{match}\" overpromises.'", "'\"{match\" overpromises.'", "HL151 (wonder-word)", "message template is malformed"),
    ("""    examples:
      bad: ["A wonder drug."]
      good: ["A useful drug."]
""", "", "HL151 (wonder-word)", "missing required field 'examples'"),
    ('      good: ["A useful drug."]\n', "", "HL151 (wonder-word)", "'examples' needs a non-empty 'good' list"),
    ('      bad: ["A wonder drug."]\n', "", "HL151 (wonder-word)", "'examples' needs a non-empty 'bad' list"),
    ('      bad: ["A wonder drug."]\n', '      bad: ["A wonder drug."]\n      ugly: ["x"]\n', "HL151 (wonder-word)", "unknown key(s) in 'examples': ugly"),
    ("code: HL151", "code: HL15", "HL15 (wonder-word)", "code must look like HLnnn"),
    ("code: HL151", "code: HL051", "HL051 (wonder-word)", "code must look like HLnnn"),
    ("name: wonder-word", "name: Wonder_Word", "HL151 (Wonder_Word)", "name must be kebab-case"),
    ("""    type: existence
    tokens: [wonder]""", """    type: occurrence
    tokens: [wonder]""", "HL151 (wonder-word)", "needs 'max', a whole number of 0 or more"),
    ("""    type: existence
    tokens: [wonder]""", """    type: metric
    metric: syllables
    max: 3""", "HL151 (wonder-word)", "option 'metric' must be one of words"),
    ("""    type: existence
    tokens: [wonder]""", """    type: substitution
    swap: [wonder]""", "HL151 (wonder-word)", "option 'swap' must be dict, not list"),
    ("""    type: existence
    tokens: [wonder]""", """    type: consistency
    either: {wonder: '(marvel'}""", "HL151 (wonder-word)", "form does not compile"),
    ("""    type: existence
    tokens: [wonder]""", """    type: required
    scope: all""", "HL151 (wonder-word)", "needs 'tokens', 'patterns' or 'front-matter' keys"),
    ("""    type: existence
    tokens: [wonder]""", """    type: check
    check: no-such-check""", "HL151 (wonder-word)", "no Python check named 'no-such-check'"),
])
def test_invalid_pack_names_file_line_and_rule(tmp_path, old, new, rule, problem):
    pack = write(tmp_path / "team.yaml", pack_with(old, new))
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    write(tmp_path / "doc.md", "A superfood and a wonder drug.\n")
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.out == ""
    [line] = r.err_lines()
    prefix = f"healthlint: error: {pack}:{BAD_LINE}: rule {rule}: "
    assert line.startswith(prefix), line
    assert problem.replace("{pack}", str(pack)) in line[len(prefix):], line


@pytest.mark.parametrize("text,where,problem", [
    # The parser notices the unclosed list at the end of the file, line 14.
    ("rules:\n" + GOOD_RULE + "  - code: HL151\n    name: [unclosed\n", ":14", "invalid YAML"),
    ("rules:\n" + GOOD_RULE + "  - code: HL151\n\tname: tab\n", ":13", "invalid YAML"),
    ("rules:\n" + GOOD_RULE + "  - just text\n", "", "rule #2 is not a mapping of keys to values"),
    ("- code: HL150\n", "", "a rule pack is a mapping with a list of rules under 'rules:'"),
    ("", "", "a rule pack is a mapping with a list of rules under 'rules:'"),
    ("rules:\n" + GOOD_RULE + "colour: red\n", "", "unknown top-level key(s): colour"),
])
def test_invalid_pack_structure(tmp_path, text, where, problem):
    pack = write(tmp_path / "team.yaml", text)
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    write(tmp_path / "doc.md", "Text.\n")
    r = run("check", "doc.md")
    assert (r.code, r.out) == (2, "")
    [line] = r.err_lines()
    assert line.startswith(f"healthlint: error: {pack}{where}: {problem}"), line


def test_pack_that_does_not_exist(tmp_path):
    write(tmp_path / ".healthlint.yaml", "extend-rules: [packs/missing.yaml]\n")
    write(tmp_path / "doc.md", "Text.\n")
    r = run("check", "doc.md")
    assert r.code == 2
    assert r.err_lines() == [f"healthlint: error: {tmp_path / 'packs' / 'missing.yaml'}: rule pack not found"]


def test_pack_that_is_not_utf8(tmp_path):
    pack = write(tmp_path / "team.yaml", ("rules:\n" + GOOD_RULE).encode() + b"# caf\xe9\n")
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    r = run("check", "--select", "HL1", ".")
    assert r.code == 2
    [line] = r.err_lines()
    assert line.startswith(f"healthlint: error: {pack}: cannot read rule pack")


def test_invalid_pack_stops_rules_and_explain(tmp_path):
    pack = write(tmp_path / "team.yaml", pack_with("type: existence", "type: existance"))
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    for args in (["rules"], ["explain", "HL150"], ["check", "-", "--stdin-filename", "x.md"]):
        r = run(*args, input="Text.\n")
        assert r.code == 2 and r.out == ""
        assert r.err_lines()[0].startswith(f"healthlint: error: {pack}:{BAD_LINE}: rule HL151 (wonder-word): unknown type")
