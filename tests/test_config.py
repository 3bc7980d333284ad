"""Configuration (DESIGN.md section 4): finding it, validating it, merging it over the defaults.

Through the real command line, in temporary folders. Every bad configuration must stop the run
with exit status 2 and one line naming the file and the key.
"""

from __future__ import annotations

import json

import pytest

from cli_helpers import run, write

WORDS_28 = " ".join(["word"] * 27) + " end."  # one sentence of 28 words: over HL402's default 25
TEXT = "A miracle.\n\n" + WORDS_28 + "\n"  # HL103 on line 1, HL402 on line 3


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def doc(tmp_path):
    return write(tmp_path / "doc.md", TEXT)


def codes(r) -> list[str]:
    return sorted({f[3] for f in r.findings})


def error_line(r) -> str:
    """The single error line of a failed run."""
    assert r.code == 2, r.output
    lines = r.err_lines()
    assert len(lines) == 1, lines
    return lines[0]


# -- discovery -------------------------------------------------------------------------------------
def test_no_config_uses_defaults(doc):
    assert {"HL103", "HL402"} <= set(codes(run("check", "doc.md")))


def test_healthlint_yaml_found_walking_up(tmp_path, monkeypatch):
    write(tmp_path / ".healthlint.yaml", "select: [HL402]\n")
    write(tmp_path / "site" / "content" / "doc.md", TEXT)
    monkeypatch.chdir(tmp_path / "site" / "content")
    r = run("check", "doc.md")
    assert r.findings == [("doc.md", 3, 1, "HL402")]


def test_yml_spelling(doc, tmp_path):
    write(tmp_path / ".healthlint.yml", "select: [HL103]\n")
    assert codes(run("check", "doc.md")) == ["HL103"]


def test_pyproject_table(doc, tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "site"\n\n[tool.healthlint]\nselect = ["HL402"]\n')
    assert codes(run("check", "doc.md")) == ["HL402"]


def test_pyproject_without_table_is_passed_over(tmp_path, monkeypatch):
    write(tmp_path / ".healthlint.yaml", "select: [HL103]\n")
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "sub" / "doc.md", TEXT)
    monkeypatch.chdir(tmp_path / "sub")
    assert codes(run("check", "doc.md")) == ["HL103"]


def test_nearest_config_wins(tmp_path, monkeypatch):
    write(tmp_path / ".healthlint.yaml", "select: [HL103]\n")
    write(tmp_path / "sub" / "pyproject.toml", '[tool.healthlint]\nselect = ["HL402"]\n')
    write(tmp_path / "sub" / "doc.md", TEXT)
    monkeypatch.chdir(tmp_path / "sub")
    assert codes(run("check", "doc.md")) == ["HL402"]


def test_yaml_beats_pyproject_in_the_same_folder(doc, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nselect = ["HL402"]\n')
    write(tmp_path / ".healthlint.yaml", "select: [HL103]\n")
    assert codes(run("check", "doc.md")) == ["HL103"]


def test_config_option_overrides_search(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [HL103]\n")
    write(tmp_path / "ci" / "strict.yaml", "select: [HL402]\n")
    assert codes(run("check", "--config", "ci/strict.yaml", "doc.md")) == ["HL402"]
    write(tmp_path / "ci" / "pyproject.toml", '[tool.healthlint]\nselect = ["HL402"]\n')
    assert codes(run("check", "--config", "ci/pyproject.toml", "doc.md")) == ["HL402"]


def test_config_option_missing_file(doc):
    assert error_line(run("check", "--config", "nope.yaml", "doc.md")) == "healthlint: error: nope.yaml: config file not found"


def test_config_option_pyproject_without_table(doc, tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    line = error_line(run("check", "--config", "pyproject.toml", "doc.md"))
    assert line == "healthlint: error: pyproject.toml: no [tool.healthlint] table"


def test_empty_config_file_means_defaults(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "# nothing yet\n")
    assert {"HL103", "HL402"} <= set(codes(run("check", "doc.md")))


def test_globs_are_relative_to_the_config_folder(tmp_path, monkeypatch):
    write(tmp_path / ".healthlint.yaml", "exclude: ['content/old/*']\n")
    write(tmp_path / "content" / "old" / "a.md", "A miracle.\n")
    write(tmp_path / "content" / "new" / "b.md", "A miracle.\n")
    monkeypatch.chdir(tmp_path / "content")
    r = run("check", "--select", "HL103", ".")
    assert [f[0] for f in r.findings] == ["new/b.md"]


# -- invalid configuration --------------------------------------------------------------------------
@pytest.mark.parametrize("content,expected", [
    ("selcet: [HL1]\n", "unknown key 'selcet'"),
    ("select: [HL1]\nfail_on: error\n", "unknown key 'fail_on'"),
    ("select: 5\n", "'select' must be a list of strings"),
    ("ignore: [1, 2]\n", "'ignore' must be a list of strings"),
    ("exclude: {a: 1}\n", "'exclude' must be a list of strings"),
    ("fail-on: fatal\n", "'fail-on' must be one of error, warning, info"),
    ("per-file-ignores: [HL1]\n", "'per-file-ignores' must map globs to lists of codes"),
    ("per-file-ignores:\n  '*.md': 5\n", "'per-file-ignores' entry '*.md' must be a list of codes"),
    ("extend-rules: 3\n", "'extend-rules' must be a list of strings"),
    ("rules: [HL402]\n", "'rules' must map rule codes or names to their options"),
    ("rules:\n  HL402: 30\n", "'rules' must map rule codes or names to their options"),
    ("max-file-size: big\n", "'max-file-size' must be a positive number of megabytes"),
    ("max-file-size: -1\n", "'max-file-size' must be a positive number of megabytes"),
    ("vocabulary: [a]\n", "'vocabulary' must be a mapping"),
    ("- select\n", "the config must be a mapping of keys to values"),
])
def test_invalid_config_names_file_and_key(doc, tmp_path, content, expected):
    write(tmp_path / ".healthlint.yaml", content)
    line = error_line(run("check", "doc.md"))
    prefix = f"healthlint: error: {tmp_path / '.healthlint.yaml'}:"
    rest = line[len(prefix):]
    assert line.startswith(prefix) and (rest.startswith(" ") or rest.split(": ", 1)[0].isdigit())  # file, or file:line
    assert expected in line


def test_unknown_key_lists_the_known_ones(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "selcet: [HL1]\n")
    line = error_line(run("check", "doc.md"))
    assert "known keys: " in line and "select" in line.split("known keys: ")[1]


def test_invalid_yaml_names_line(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [HL1]\nignore: [HL4\n")
    line = error_line(run("check", "doc.md"))
    assert line.startswith(f"healthlint: error: {tmp_path / '.healthlint.yaml'}:3: invalid YAML")


def test_invalid_toml(doc, tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.healthlint\n")
    line = error_line(run("check", "doc.md"))
    assert line.startswith(f"healthlint: error: {tmp_path / 'pyproject.toml'}: invalid TOML")


def test_pyproject_unknown_key(doc, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nselect = ["HL1"]\nbogus = 1\n')
    assert "unknown key 'bogus'" in error_line(run("check", "doc.md"))


def test_pyproject_table_not_a_table(doc, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool]\nhealthlint = "on"\n')
    assert "[tool.healthlint] must be a table" in error_line(run("check", "doc.md"))


@pytest.mark.parametrize("key", ["select", "ignore"])
def test_unknown_rule_in_select_or_ignore(doc, tmp_path, key):
    write(tmp_path / ".healthlint.yaml", f"{key}: [HL1, HL77]\n")
    line = error_line(run("check", "doc.md"))
    assert line == (f"healthlint: error: {tmp_path / '.healthlint.yaml'}: '{key}' names unknown rule code, "
                    "prefix or name 'HL77' (see 'healthlint rules')")


def test_unknown_rule_in_per_file_ignores(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "per-file-ignores:\n  'legacy/*': [long-sentense]\n")
    line = error_line(run("check", "doc.md"))
    assert line == (f"healthlint: error: {tmp_path / '.healthlint.yaml'}: 'per-file-ignores' entry 'legacy/*' names "
                    "unknown rule code, prefix or name 'long-sentense' (see 'healthlint rules')")


def test_config_errors_stop_rules_and_explain_too(tmp_path):
    write(tmp_path / ".healthlint.yaml", "selcet: [HL1]\n")
    assert "unknown key 'selcet'" in error_line(run("rules"))
    assert "unknown key 'selcet'" in error_line(run("explain", "HL402"))


# -- select, ignore, fail-on, exclude, per-file-ignores ------------------------------------------
def test_select_and_ignore_from_config(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [HL1, HL4]\nignore: [HL103]\n")
    assert codes(run("check", "doc.md")) == ["HL402"]
    write(tmp_path / ".healthlint.yaml", "select: 'HL103, long-sentence'\n")  # a comma-separated string works too
    assert codes(run("check", "doc.md")) == ["HL103", "HL402"]


def test_config_ignore_keeps_everything_else(doc, tmp_path):
    """Config merges over the defaults: ignoring one rule leaves every other rule on."""
    default = set(codes(run("check", "doc.md")))
    write(tmp_path / ".healthlint.yaml", "ignore: [HL103]\n")
    assert set(codes(run("check", "doc.md"))) == default - {"HL103"}


def test_fail_on_from_config_and_command_line_override(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [HL402]\nfail-on: error\n")
    assert run("check", "doc.md").code == 0  # HL402 is a warning
    assert run("check", "--fail-on", "warning", "doc.md").code == 1


def test_exclude_from_config(tmp_path):
    write(tmp_path / ".healthlint.yaml", "exclude: ['drafts/archive', '**/*.draft.md']\n")
    for rel in ("drafts/a.md", "drafts/archive/b.md", "drafts/c.draft.md", "d.draft.md"):
        write(tmp_path / rel, "A miracle.\n")
    r = run("check", "--select", "HL103", "--format", "json", ".")
    assert [d["path"] for d in r.json["diagnostics"]] == ["drafts/a.md"]
    assert r.json["files_checked"] == 1


def test_per_file_ignores(tmp_path):
    write(tmp_path / ".healthlint.yaml", "per-file-ignores:\n  'legacy/*.md': [HL4, red-flag-language]\n  '*.txt': HL103\n")
    write(tmp_path / "legacy" / "old.md", TEXT)
    write(tmp_path / "new.md", TEXT)
    write(tmp_path / "notes.txt", TEXT)
    r = run("check", "--select", "HL103,HL402", ".")
    # legacy/old.md: both ignored; notes.txt: HL103 ignored; new.md: nothing ignored.
    assert r.findings == [("new.md", 1, 3, "HL103"), ("new.md", 3, 1, "HL402"), ("notes.txt", 3, 1, "HL402")]


def test_per_file_ignores_apply_to_stdin_filename(tmp_path):
    write(tmp_path / ".healthlint.yaml", "per-file-ignores:\n  'legacy/*': [HL103]\n")
    assert run("check", "--select", "HL103", "-", "--stdin-filename", "legacy/x.md", input="A miracle.\n").findings == []
    assert run("check", "--select", "HL103", "-", "--stdin-filename", "new/x.md", input="A miracle.\n").findings == [
        ("new/x.md", 1, 3, "HL103")]


# -- per-rule options ----------------------------------------------------------------------------
def test_rule_threshold_changes_behaviour(doc, tmp_path):
    assert run("check", "--select", "HL402", "doc.md").findings == [("doc.md", 3, 1, "HL402")]
    write(tmp_path / ".healthlint.yaml", "rules:\n  HL402:\n    max: 30\n")
    assert run("check", "--select", "HL402", "doc.md").findings == []
    write(tmp_path / ".healthlint.yaml", "rules:\n  long-sentence:\n    max: 10\n")
    r = run("check", "--select", "HL402", "--format", "json", "doc.md")
    [d] = r.json["diagnostics"]
    assert "28 words (more than 10)" in d["message"]


def test_rule_threshold_can_be_a_float(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "rules:\n  HL402:\n    max: 27.5\n")
    assert run("check", "--select", "HL402", "doc.md").findings == [("doc.md", 3, 1, "HL402")]


def test_unset_threshold_can_be_set(tmp_path):
    write(tmp_path / "short.md", "Eczema is common.\n")
    write(tmp_path / ".healthlint.yaml", "rules:\n  HL402:\n    min: 5\n")
    r = run("check", "--select", "HL402", "--format", "json", "short.md")
    [d] = r.json["diagnostics"]
    assert (d["line"], d["column"], d["end_column"]) == (1, 1, len("Eczema is common.") + 1)


def test_severity_override(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [HL402]\nfail-on: error\nrules:\n  HL402:\n    severity: error\n")
    r = run("check", "doc.md")
    assert r.code == 1
    assert r.out.startswith("doc.md:3:1: HL402 error ")
    write(tmp_path / ".healthlint.yaml", "select: [HL402]\nrules:\n  HL402:\n    severity: info\n")
    r = run("check", "doc.md")
    assert r.code == 0 and r.out.startswith("doc.md:3:1: HL402 info ")


def test_severity_set_to_the_default_still_wins_over_a_term_severity(tmp_path):
    """HL103 is a warning, but "miracle" is listed as an error; a team that sets the rule's
    severity to warning in its config must get warnings, even though that is the default."""
    write(tmp_path / "a.md", "A miracle.\n")
    assert run("check", "--select", "HL103", "a.md").out.startswith("a.md:1:3: HL103 error ")
    write(tmp_path / ".healthlint.yaml", "rules:\n  HL103:\n    severity: warning\n")
    assert run("check", "--select", "HL103", "a.md").out.startswith("a.md:1:3: HL103 warning ")


def test_options_for_one_rule_leave_the_others_alone(doc, tmp_path):
    write(tmp_path / ".healthlint.yaml", "rules:\n  HL402:\n    max: 30\n")
    assert "HL103" in codes(run("check", "doc.md"))


@pytest.mark.parametrize("content,expected", [
    ("rules:\n  HL402:\n    maximum: 30\n", "rules.HL402 has no option 'maximum' (options: severity, max, min)"),
    ("rules:\n  HL402:\n    max: '30'\n", "rules.HL402.max must be int like its default 25"),
    ("rules:\n  HL402:\n    max: true\n", "rules.HL402.max must be int like its default 25"),
    ("rules:\n  HL402:\n    min: abc\n", "rules.HL402.min must be a number, not 'abc'"),
    ("rules:\n  HL402:\n    min: [1]\n", "rules.HL402.min must be a number"),
    ("rules:\n  HL402:\n    severity: fatal\n", "rules.HL402.severity must be one of error, warning, info"),
    ("rules:\n  HL405:\n    swap: {}\n", "rules.HL405 has no option 'swap' (options: severity"),
    ("rules:\n  HL777:\n    max: 1\n", "'rules' names unknown rule 'HL777'"),
])
def test_bad_rule_options(doc, tmp_path, content, expected):
    write(tmp_path / ".healthlint.yaml", content)
    line = error_line(run("check", "doc.md"))
    assert line.startswith(f"healthlint: error: {tmp_path / '.healthlint.yaml'}: ")
    assert expected in line


# -- options that a Python check validates itself ---------------------------------------------------
@pytest.fixture
def strict_check(monkeypatch):
    """HL402's implementation swapped for a Python-style check that rejects an option value."""
    from healthlint.config import ConfigError
    from healthlint.ruletypes import Metric

    def check(self, doc, rule, options, settings=None):
        if options.get("max") == 99:
            raise ConfigError("rules.long-sentence.max: 99 is not allowed here")
        return iter(())

    monkeypatch.setattr(Metric, "check", check)
    return ConfigError


def test_check_option_error_raised_while_linting_is_a_config_error(doc, tmp_path, strict_check):
    write(tmp_path / ".healthlint.yaml", "rules:\n  HL402:\n    max: 99\n")
    line = error_line(run("check", "doc.md"))
    assert line == f"healthlint: error: {tmp_path / '.healthlint.yaml'}: rules.long-sentence.max: 99 is not allowed here"


def test_check_can_validate_its_options_before_any_file_is_read(tmp_path, monkeypatch):
    """A check function with a ``validate_options`` attribute is asked up front, even with no files."""
    from healthlint.config import ConfigError
    from healthlint.rules import load_builtin

    rule = next(r for r in load_builtin() if r.type == "check" and r.tunables)
    option, default = next(iter(rule.tunables.items()))
    seen = []

    def validate(options):
        seen.append(dict(options))
        raise ConfigError(f"rules.{rule.name}.{option}: rejected")

    monkeypatch.setattr(rule.impl.function, "validate_options", validate, raising=False)
    monkeypatch.setattr("healthlint.engine.load_ruleset", lambda settings: _with(rule))
    write(tmp_path / ".healthlint.yaml", f"rules:\n  {rule.code}:\n    {option}: {json.dumps(default)}\n")
    (tmp_path / "empty").mkdir()
    line = error_line(run("check", "empty"))
    assert line == f"healthlint: error: {tmp_path / '.healthlint.yaml'}: rules.{rule.name}.{option}: rejected"
    assert seen and seen[0][option] == default


def _with(rule):
    from healthlint.rules import RuleSet

    return RuleSet([rule])
