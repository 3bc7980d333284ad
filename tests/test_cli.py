"""The command-line contract of DESIGN.md section 3, through the real entry point.

Every test runs ``healthlint`` in a temporary folder. Tests select the rules they are about, so
that rules added later do not change what they check. No run may print a traceback (the
helper asserts it).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cli_helpers import TEXT_LINE, run, write
from healthlint import __version__

CLAIM = "# Eczema\n\nSome sites sell a miracle cream for it.\n"
CLAIM_COL = CLAIM.splitlines()[2].index("miracle") + 1  # line 3
LONG = " ".join(["word"] * 30) + "."  # one 30-word sentence: HL402 (max 25)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_version():
    r = run("--version")
    assert r.code == 0
    assert r.out.strip() == f"healthlint {__version__}"


def test_help_mentions_every_check_option():
    r = run("check", "--help")
    assert r.code == 0
    for option in ("--format", "--select", "--ignore", "--fail-on", "--exit-zero", "--config", "--stdin-filename",
                   "--force-exclude", "--output-file", "--quiet", "--debug"):
        assert option in r.out


# -- files and folders --------------------------------------------------------------------------
def test_file_text_output_exact_line(tmp_path):
    write(tmp_path / "a.md", CLAIM)
    r = run("check", "--select", "HL103", "a.md")
    assert r.code == 1
    lines = r.out.splitlines()
    assert lines[0].startswith(f"a.md:3:{CLAIM_COL}: HL103 error \"miracle\" ")
    assert lines[0].endswith(" [red-flag-language]")
    assert TEXT_LINE.match(lines[0])
    assert lines[1] == "Found 1 problem (1 error) in 1 file."


def test_clean_file_exits_zero(tmp_path):
    write(tmp_path / "a.md", "# Eczema\n\nEczema makes skin dry.\n")
    r = run("check", "--select", "HL1,HL4", "a.md")
    assert (r.code, r.out) == (0, "All checks passed (1 file checked).\n")


def test_default_path_is_current_folder(tmp_path):
    write(tmp_path / "drafts" / "a.md", CLAIM)
    r = run("check", "--select", "HL103")
    assert r.code == 1
    assert r.findings == [("drafts/a.md", 3, CLAIM_COL, "HL103")]


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_vendor_folders(tmp_path):
    for rel in ("z.md", "a.md", "sub/b.markdown", "sub/deeper/c.txt", "m.mdx",
                ".hidden/h.md", ".git/g.md", "node_modules/pkg/n.md", ".dot.md", "script.py", "notes.rst"):
        write(tmp_path / "docs" / rel, "A miracle.\n")
    r = run("check", "--select", "HL103", "--format", "json", "docs")
    assert r.code == 1
    paths = [d["path"] for d in r.json["diagnostics"]]
    assert paths == ["docs/a.md", "docs/m.mdx", "docs/sub/b.markdown", "docs/sub/deeper/c.txt", "docs/z.md"]
    assert r.json["files_checked"] == 5


def test_explicitly_named_file_is_linted_whatever_its_suffix_or_name(tmp_path):
    write(tmp_path / ".draft.rst", "A miracle.\n")
    r = run("check", "--select", "HL103", ".draft.rst")
    assert r.findings == [(".draft.rst", 1, 3, "HL103")]


def test_text_output_sorted_by_path_line_column(tmp_path):
    write(tmp_path / "b.md", "A miracle.\n\nA detox and a miracle.\n")
    write(tmp_path / "a.md", "Detox.\n\nA miracle, a detox.\n")
    r = run("check", "--select", "HL103", "b.md", "a.md")
    assert r.findings == [
        ("a.md", 1, 1, "HL103"), ("a.md", 3, 3, "HL103"), ("a.md", 3, 14, "HL103"),
        ("b.md", 1, 3, "HL103"), ("b.md", 3, 3, "HL103"), ("b.md", 3, 15, "HL103"),
    ]


def test_exclude_globs_and_force_exclude(tmp_path):
    write(tmp_path / ".healthlint.yaml", "exclude: ['old/', '*.draft.md']\n")
    for rel in ("keep.md", "x.draft.md", "old/a.md", "sub/old/b.md", "sub/y.draft.md"):
        write(tmp_path / rel, "A miracle.\n")
    walked = run("check", "--select", "HL103", ".")
    assert [f[0] for f in walked.findings] == ["keep.md"]
    # Named on the command line, an excluded file is linted unless --force-exclude (pre-commit passes names).
    named = run("check", "--select", "HL103", "x.draft.md", "old/a.md")
    assert [f[0] for f in named.findings] == ["old/a.md", "x.draft.md"]
    forced = run("check", "--select", "HL103", "--force-exclude", "x.draft.md", "old/a.md", "keep.md")
    assert [f[0] for f in forced.findings] == ["keep.md"]


def test_each_file_is_linted_once(tmp_path):
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "--format", "json", "docs", "docs/a.md", "./docs/a.md")
    assert r.json["files_checked"] == 1
    assert [(d["path"], d["line"], d["column"]) for d in r.json["diagnostics"]] == [("docs/a.md", 1, 3)]


# -- stdin ----------------------------------------------------------------------------------------
def test_stdin_with_stdin_filename(tmp_path):
    r = run("check", "--select", "HL103", "-", "--stdin-filename", "drafts/x.md", input=CLAIM)
    assert r.code == 1
    assert r.findings == [("drafts/x.md", 3, CLAIM_COL, "HL103")]


def test_stdin_without_name_reports_dash():
    r = run("check", "--select", "HL103", "-", input=CLAIM)
    assert r.findings == [("-", 3, CLAIM_COL, "HL103")]


def test_stdin_filename_alone_reads_stdin(tmp_path):
    write(tmp_path / "other.md", "A miracle.\n")  # must not be linted
    r = run("check", "--select", "HL103", "--stdin-filename", "x.md", input=CLAIM)
    assert r.findings == [("x.md", 3, CLAIM_COL, "HL103")]


def test_stdin_and_files_together(tmp_path):
    write(tmp_path / "a.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "a.md", "-", "--stdin-filename", "s.md", input="Detox.\n")
    assert r.findings == [("a.md", 1, 3, "HL103"), ("s.md", 1, 1, "HL103")]


def test_stdin_force_exclude_uses_stdin_filename(tmp_path):
    write(tmp_path / ".healthlint.yaml", "exclude: ['vendor/']\n")
    r = run("check", "--select", "HL103", "--force-exclude", "-", "--stdin-filename", "vendor/x.md", input=CLAIM)
    assert (r.code, r.findings) == (0, [])


def test_stdin_missing_is_one_line(monkeypatch):
    from healthlint.cli import main

    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(SystemExit) as exc:
        main(["check", "-"])
    assert exc.value.code == 2


def test_stdin_txt_name_reads_plain_text():
    # In plain text a fenced block is prose; in Markdown it is code and never linted.
    text = "```\nA miracle.\n```\n"
    assert run("check", "--select", "HL103", "-", "--stdin-filename", "x.md", input=text).findings == []
    assert run("check", "--select", "HL103", "-", "--stdin-filename", "x.txt", input=text).findings == [("x.txt", 2, 3, "HL103")]


# -- select and ignore ---------------------------------------------------------------------------
@pytest.fixture
def mixed(tmp_path):
    """A file with HL103 (line 1), HL402 (line 3) and HL403 (line 5)."""
    text = "A miracle.\n\n" + LONG + "\n\n" + " ".join(["Short one."] * 7) + "\n"
    return write(tmp_path / "m.md", text)


def codes(r) -> list[str]:
    return sorted({f[3] for f in r.findings})


@pytest.mark.parametrize("args,expected", [
    (["--select", "HL103"], ["HL103"]),
    (["--select", "red-flag-language"], ["HL103"]),
    (["--select", "HL4"], ["HL402", "HL403"]),
    (["--select", "HL103,HL402"], ["HL103", "HL402"]),
    (["--select", "HL103", "--select", "long-paragraph"], ["HL103", "HL403"]),
    (["--select", "HL103 HL402"], ["HL103", "HL402"]),
    (["--select", "hl4"], ["HL402", "HL403"]),
    (["--select", "HL1,HL4", "--ignore", "HL1"], ["HL402", "HL403"]),
    # Ruff's rule: the most specific selector wins, whichever list it is in.
    (["--select", "HL4", "--ignore", "HL402"], ["HL403"]),
    (["--select", "HL402", "--ignore", "HL4"], ["HL402"]),
    (["--select", "HL4", "--ignore", "HL40", "--select", "HL403"], ["HL403"]),
    (["--select", "HL40", "--ignore", "HL4"], ["HL402", "HL403"]),
    (["--select", "HL4", "--ignore", "long-sentence"], ["HL403"]),
    # On a tie, ignore wins; a name is as specific as its code.
    (["--select", "HL402", "--ignore", "HL402"], []),
    (["--select", "long-sentence", "--ignore", "HL402"], []),
])
def test_select_and_ignore(mixed, args, expected):
    r = run("check", *args, "m.md")
    assert codes(r) == expected
    assert r.code == (1 if set(expected) - {"HL403"} else 0)  # HL403 is info, below the default fail-on


def test_unknown_selector_is_an_error_naming_it(mixed):
    for option in ("--select", "--ignore"):
        r = run("check", option, "HL7", "m.md")
        assert r.code == 2
        assert r.err_lines() == [f"healthlint: error: {option}: unknown rule code, prefix or name 'HL7' (see 'healthlint rules')"]
        assert r.out == ""


def test_command_line_select_replaces_config_select_and_ignore(mixed, tmp_path):
    write(tmp_path / ".healthlint.yaml", "select: [HL1]\nignore: [HL402]\n")
    assert codes(run("check", "m.md")) == ["HL103"]
    assert codes(run("check", "--select", "HL4", "m.md")) == ["HL402", "HL403"]
    assert codes(run("check", "--ignore", "HL103", "m.md")) == []


# -- fail-on and exit-zero -----------------------------------------------------------------------
@pytest.mark.parametrize("select,fail_on,expected", [
    ("HL403", "warning", 0),   # info only
    ("HL403", "info", 1),
    ("HL402", "warning", 1),
    ("HL402", "error", 0),     # a warning
    ("HL402", "info", 1),
    ("HL103", "error", 1),     # "miracle" is an error
])
def test_fail_on(mixed, select, fail_on, expected):
    r = run("check", "--select", select, "--fail-on", fail_on, "m.md")
    assert r.findings, "the fixture must produce findings"
    assert r.code == expected


def test_fail_on_default_is_warning(mixed):
    assert run("check", "--select", "HL403", "m.md").code == 0
    assert run("check", "--select", "HL402", "m.md").code == 1


def test_exit_zero_with_findings_but_not_with_errors(mixed):
    r = run("check", "--select", "HL1", "--exit-zero", "m.md")
    assert r.code == 0 and r.findings
    r = run("check", "--select", "HL1", "--exit-zero", "m.md", "missing.md")
    assert r.code == 2 and r.findings


def test_bad_fail_on_and_format_are_usage_errors(mixed):
    assert run("check", "--fail-on", "fatal", "m.md").code == 2
    assert run("check", "--format", "xml", "m.md").code == 2
    assert run("check", "--no-such-option", "m.md").code == 2


# -- output file and quiet ------------------------------------------------------------------------
def test_output_file(mixed, tmp_path):
    r = run("check", "--select", "HL103", "-o", "report.txt", "m.md")
    assert r.code == 1 and r.out == ""
    content = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert content.splitlines()[0].startswith("m.md:1:3: HL103 error")
    r = run("check", "--select", "HL103", "--format", "json", "--output-file", "r.json", "m.md")
    assert r.out == "" and '"diagnostics"' in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_output_file_that_cannot_be_written(mixed):
    r = run("check", "--select", "HL103", "-o", "no/such/folder/report.txt", "m.md")
    assert r.code == 2
    assert r.err_lines() == ["healthlint: error: no/such/folder/report.txt: cannot write the report: No such file or directory"]


def test_quiet_prints_findings_only(mixed):
    r = run("check", "--select", "HL103", "-q", "m.md")
    assert r.code == 1
    assert len(r.out.splitlines()) == 1 and r.out.startswith("m.md:1:3: HL103")
    clean = run("check", "--select", "HL9", "-q", "m.md")
    assert (clean.code, clean.out) == (0, "")


# -- rules and explain -----------------------------------------------------------------------------
def test_rules_lists_every_rule():
    from healthlint.rules import load_builtin

    r = run("rules")
    assert r.code == 0
    lines = r.out.splitlines()
    builtin = list(load_builtin())
    assert len(lines) == len(builtin)
    for line, rule in zip(lines, builtin):
        assert line.split()[:3] == [rule.code, rule.name, rule.severity]
        assert line.endswith(rule.summary)
    assert [line.split()[0] for line in lines] == sorted(line.split()[0] for line in lines)


def test_rules_json():
    import json

    r = run("rules", "--format", "json")
    data = json.loads(r.out)
    assert r.code == 0 and data
    for item in data:
        assert set(item) == {"code", "name", "severity", "family", "type", "summary", "source"}
    by_code = {d["code"]: d for d in data}
    assert by_code["HL402"]["name"] == "long-sentence" and by_code["HL402"]["family"] == "readability"


@pytest.mark.parametrize("key", ["HL402", "hl402", "long-sentence"])
def test_explain_by_code_and_name(key):
    r = run("explain", key)
    assert r.code == 0
    assert r.out.startswith("HL402 long-sentence (warning, readability)\n")
    assert "Triggers it:" in r.out and "Does not trigger it:" in r.out
    assert "max: 25" in r.out
    assert "healthlint-disable-next-line HL402" in r.out


def test_explain_unknown_code():
    r = run("explain", "HL999")
    assert r.code == 2
    assert r.out == ""
    assert r.err_lines() == ["healthlint: error: unknown rule 'HL999' (see 'healthlint rules')"]


# -- bad input --------------------------------------------------------------------------------
def test_missing_path_is_an_error_but_other_files_are_reported(tmp_path):
    write(tmp_path / "a.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "a.md", "missing.md", "gone/")
    assert r.code == 2
    assert r.findings == [("a.md", 1, 3, "HL103")]
    assert r.out.splitlines()[-1] == "Found 1 problem (1 error) in 1 file. 2 paths could not be checked."
    assert r.err_lines() == ["healthlint: error: missing.md: no such file or folder",
                             "healthlint: error: gone/: no such file or folder"]


def test_missing_path_alone(tmp_path):
    r = run("check", "missing.md")
    assert r.code == 2
    assert "All checks passed" not in r.out
    assert r.err_lines() == ["healthlint: error: missing.md: no such file or folder"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file(tmp_path):
    path = write(tmp_path / "secret.md", "A miracle.\n")
    write(tmp_path / "ok.md", "A miracle.\n")
    path.chmod(0)
    try:
        r = run("check", "--select", "HL103", "secret.md", "ok.md")
    finally:
        path.chmod(0o644)
    assert r.code == 2
    assert r.findings == [("ok.md", 1, 3, "HL103")]
    assert r.err_lines() == ["healthlint: error: secret.md: permission denied"]


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """The same path as above, forced, so it is covered when the tests run as root."""
    from pathlib import Path

    write(tmp_path / "secret.md", "A miracle.\n")
    write(tmp_path / "ok.md", "A miracle.\n")
    real_open = os.open  # files are opened with os.open (O_NONBLOCK), see healthlint/files.py

    def guarded(path, *args, **kwargs):
        if Path(path).name == "secret.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    r = run("check", "--select", "HL103", ".")
    assert r.code == 2
    assert r.findings == [("ok.md", 1, 3, "HL103")]
    assert r.err_lines() == ["healthlint: error: secret.md: permission denied"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 folder")
def test_unreadable_folder_in_walk(tmp_path):
    locked = tmp_path / "docs" / "locked"
    write(locked / "a.md", "A miracle.\n")
    write(tmp_path / "docs" / "ok.md", "A miracle.\n")
    locked.chmod(0)
    try:
        r = run("check", "--select", "HL103", "docs")
    finally:
        locked.chmod(0o755)
    assert r.code == 2
    assert r.findings == [("docs/ok.md", 1, 3, "HL103")]
    assert len(r.err_lines()) == 1 and r.err_lines()[0].startswith("healthlint: error: docs/locked: cannot read folder")


def test_binary_file_skipped_with_a_note(tmp_path):
    write(tmp_path / "image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR miracle")
    write(tmp_path / "a.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "image.md", "a.md")
    assert r.code == 1
    assert r.findings == [("a.md", 1, 3, "HL103")]
    assert r.err_lines() == ["healthlint: note: image.md: skipped, looks like a binary file"]
    alone = run("check", "image.md")
    assert alone.code == 0
    assert alone.out == "All checks passed (0 files checked).\n"


def test_invalid_utf8_reported_at_first_bad_byte(tmp_path):
    # Latin-1 bytes on lines 3 and 5: the finding is on line 3, at the bad character's column.
    data = "# Sjögren\n\nIt was described by Henrik Sj".encode() + b"\xf6gren.\n\nAnd caf\xe9.\n"
    write(tmp_path / "latin.md", data)
    r = run("check", "--select", "HL9", "--format", "json", "latin.md")
    assert r.code == 1
    [d] = r.json["diagnostics"]
    assert (d["code"], d["line"], d["column"], d["severity"]) == ("HL901", 3, len("It was described by Henrik Sj") + 1, "error")
    assert "0xf6" in d["message"]


def test_invalid_utf8_rest_of_file_still_linted(tmp_path):
    data = b"Caf\xe9 owners sell a miracle drink.\n"
    write(tmp_path / "latin.md", data)
    r = run("check", "--select", "HL103,HL901", "latin.md")
    column = data.decode("utf-8", "replace").index("miracle") + 1  # one character for the bad byte
    assert r.findings == [("latin.md", 1, 4, "HL901"), ("latin.md", 1, column, "HL103")]


def test_utf8_bom_is_not_a_column(tmp_path):
    write(tmp_path / "bom.md", b"\xef\xbb\xbfA miracle.\n")
    assert run("check", "--select", "HL1,HL9", "bom.md").findings == [("bom.md", 1, 3, "HL103")]


@pytest.mark.parametrize("content", ["", "\n\n\n", "   \n"])
def test_empty_file_is_fine(tmp_path, content):
    write(tmp_path / "empty.md", content)
    r = run("check", "empty.md")
    assert (r.code, r.out) == (0, "All checks passed (1 file checked).\n")
    assert r.err == ""


def test_folder_named_like_a_file_is_walked(tmp_path):
    write(tmp_path / "guide.md" / "part.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "guide.md")
    assert r.findings == [("guide.md/part.md", 1, 3, "HL103")]
    (tmp_path / "empty.md").mkdir()
    r = run("check", "empty.md")
    assert (r.code, r.out) == (0, "All checks passed (0 files checked).\n")


def test_file_named_as_a_folder_is_an_error(tmp_path):
    write(tmp_path / "a.md", "A miracle.\n")
    r = run("check", "a.md/")
    assert (r.code, r.out) == (2, "No problems found in 0 files checked. 1 path could not be checked.\n")
    assert r.err_lines() == ["healthlint: error: a.md/: not a folder"]


def test_large_file_limit(tmp_path):
    write(tmp_path / ".healthlint.yaml", "max-file-size: 0.001\n")  # about 1 kB
    write(tmp_path / "big.md", "A miracle.\n" * 200)
    write(tmp_path / "small.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "big.md", "small.md")
    assert r.code == 2
    assert r.findings == [("small.md", 1, 3, "HL103")]
    [line] = r.err_lines()
    assert line.startswith("healthlint: error: big.md: ") and "max-file-size" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_never_hangs(tmp_path):
    """A named pipe in a walked folder is skipped; named explicitly it is an error. Run in a
    subprocess with a timeout so that a regression fails instead of hanging the suite."""
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    os.mkfifo(tmp_path / "docs" / "pipe.md")
    cmd = [sys.executable, "-m", "healthlint", "check", "--select", "HL103"]
    walked = subprocess.run([*cmd, "docs"], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert walked.returncode == 1
    assert walked.stdout.splitlines()[0].startswith("docs/a.md:1:3: HL103")
    assert walked.stderr == "healthlint: note: docs/pipe.md: skipped, a named pipe (FIFO), not a file\n"
    named = subprocess.run([*cmd, "docs/pipe.md", "docs/a.md"], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert named.returncode == 2
    assert named.stderr.strip().startswith("healthlint: error: docs/pipe.md: a named pipe (FIFO), not a file")
    assert "docs/a.md:1:3: HL103" in named.stdout
    assert "Traceback" not in walked.stderr + named.stderr


def test_symlink_loop_in_walk(tmp_path):
    write(tmp_path / "docs" / "a.md", "A miracle.\n")
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs", target_is_directory=True)
    r = run("check", "--select", "HL103", "docs")
    assert r.findings == [("docs/a.md", 1, 3, "HL103")]


# -- internal errors ------------------------------------------------------------------------------
def test_internal_error_is_one_line_with_debug_hint(tmp_path, monkeypatch):
    from healthlint import ruletypes

    def broken(self, doc, rule, options, settings=None):
        raise RuntimeError("rule exploded\non two lines")

    monkeypatch.setattr(ruletypes.Existence, "check", broken)
    write(tmp_path / "a.md", "A miracle.\n")
    r = run("check", "--select", "HL103", "a.md")
    assert r.code == 2
    assert r.out == ""
    assert r.err_lines() == [
        "healthlint: internal error: RuntimeError: rule exploded on two lines (rerun with --debug for the traceback)"
    ]


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    from healthlint import ruletypes
    from healthlint.cli import main

    monkeypatch.setattr(ruletypes.Existence, "check", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    write(tmp_path / "a.md", "A miracle.\n")
    with pytest.raises(RuntimeError, match="boom"):
        main(["check", "--debug", "--select", "HL103", "a.md"])


def test_installed_module_entry_point(tmp_path):
    """``python -m healthlint`` is the same program, with the same exit statuses."""
    write(tmp_path / "a.md", "A miracle.\n")
    done = subprocess.run([sys.executable, "-m", "healthlint", "check", "--select", "HL103", "a.md", "nope.md"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.startswith("a.md:1:3: HL103 error")
    assert done.stderr == "healthlint: error: nope.md: no such file or folder\n"


@pytest.mark.parametrize("where", ["named", "in-folder"])
def test_output_file_never_replaces_an_article(tmp_path, monkeypatch, where):
    """-o naming an article being checked is refused, and the article keeps its bytes."""
    article = tmp_path / "drafts" / "a.md"
    write(article, "# Eczema\n\nDetox tea cures eczema.\n")
    before = article.read_bytes()
    monkeypatch.chdir(tmp_path)
    target = "drafts" if where == "in-folder" else "drafts/a.md"
    r = run("check", target, "-o", "drafts/a.md")
    assert r.code == 2 and "drafts/a.md: is an article being checked" in r.err
    assert article.read_bytes() == before


def test_output_file_beside_the_articles_is_fine(tmp_path, monkeypatch):
    write(tmp_path / "drafts" / "a.md", "# Eczema\n\nDetox tea cures eczema.\n")
    write(tmp_path / "drafts" / "report.log", "old\n")
    monkeypatch.chdir(tmp_path)
    r = run("check", "drafts", "-o", "drafts/report.log")
    assert r.code == 1 and "HL" in (tmp_path / "drafts" / "report.log").read_text()


def test_the_command_ends_with_its_output_and_status_whole(tmp_path):
    """The command skips the interpreter's clean-up at exit (start-up time): nothing printed may be lost."""
    body = "".join(f"# Eczema {i}\n\nSome sites sell a miracle cream for it.\n\n" for i in range(400))
    write(tmp_path / "a.md", body)
    cmd = [sys.executable, "-m", "healthlint", "check", "--no-cache", "--select", "HL103"]
    done = subprocess.run([*cmd, "a.md"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert len([line for line in done.stdout.splitlines() if TEXT_LINE.match(line)]) == 400
    assert done.stdout.endswith("in 1 file.\n")
    missing = subprocess.run([*cmd, "nope.md"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.startswith("healthlint: error: nope.md")
