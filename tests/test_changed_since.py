"""``healthlint check --changed-since REF``: findings on changed lines only, in real git repositories.

Every test builds a repository in its temporary folder (no global git configuration), commits an
article, edits it, and runs the real command line. Rules are selected so the tests do not depend
on rules added later: HL103 (red-flag words, a finding on the text) and HL201 (missing
disclaimer, a finding about the whole document, anchored at line 1).
"""

from __future__ import annotations

import pytest

from cli_helpers import run, write
from git_helpers import commit_all, git, git_env, init_repo  # noqa: F401  (git_env is a fixture)
from healthlint.changes import FileChanges, parse_diff, text_changes
from healthlint.rules import PackError, load_builtin, load_pack

ARTICLE = """# Eczema

Eczema makes skin dry and itchy.

Some sites sell a miracle cream for it.

Moisturise twice a day.
"""
EDITED = ARTICLE.replace("Moisturise twice a day.", "Moisturise with a miracle balm twice a day.")
OLD_COL = ARTICLE.splitlines()[4].index("miracle") + 1  # line 5
EDIT_COL = EDITED.splitlines()[6].index("miracle") + 1  # line 7


@pytest.fixture
def repo(tmp_path, monkeypatch, git_env):
    """A repository with one committed article, a.md; the current folder is its root."""
    root = init_repo(tmp_path / "repo")
    write(root / "a.md", ARTICLE)
    commit_all(root, "first draft")
    monkeypatch.chdir(root)
    return root


def found(*args: str) -> list[tuple[str, int, int, str]]:
    r = run("check", *args)
    assert r.code in (0, 1), r.output
    return r.findings


# -- parsing git's output ---------------------------------------------------------------------------
def test_parse_diff_lines_deletions_and_names():
    diff = (
        b'diff --git a/x y.md b/x y.md\nindex 1..2 100644\n--- a/x y.md\t\n+++ b/x y.md\t\n'
        b"@@ -2 +2 @@ a\n-b\n+B\n@@ -3,0 +4,2 @@ c\n+d\n+++ e\n"
        b'diff --git "a/caf\\303\\251 \\"q\\".md" "b/caf\\303\\251 \\"q\\".md"\n--- "a/caf\\303\\251 \\"q\\".md"\n'
        b'+++ "b/caf\\303\\251 \\"q\\".md"\n@@ -5,2 +4,0 @@\n-x\n-y\n'
        b"diff --git a/gone.md b/gone.md\ndeleted file mode 100644\n--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n"
    )
    files = parse_diff(diff)
    assert sorted(files) == ['caf\u00e9 "q".md', "gone.md", "x y.md"]
    assert sorted(files["x y.md"].lines) == [2, 4, 5]  # '+++ e' after a hunk is an added line, not a header
    assert files['caf\u00e9 "q".md'].lines == set() and files['caf\u00e9 "q".md'].cuts == [4]
    assert files["gone.md"].cuts == [0]


def test_parse_diff_renames_and_binary():
    diff = (
        b"diff --git a/old.md b/new dir/new.md\nsimilarity index 100%\nrename from old.md\nrename to new dir/new.md\n"
        b"diff --git a/was.md b/now.md\nsimilarity index 80%\nrename from was.md\nrename to now.md\n"
        b"--- a/was.md\n+++ b/now.md\n@@ -7 +7 @@\n-a\n+b\n"
        b"diff --git a/pic.md b/pic.md\nindex 1..2 100644\nBinary files a/pic.md and b/pic.md differ\n"
    )
    files = parse_diff(diff)
    assert sorted(files) == ["new dir/new.md", "now.md", "pic.md"]
    assert not files["new dir/new.md"].changed  # a pure rename changes no line
    assert files["now.md"].lines == {7}
    assert files["pic.md"].whole


@pytest.mark.parametrize(("line", "end_line", "expected"), [
    (3, 3, True), (2, 2, False), (2, 3, True), (4, 4, False),  # line 3 changed
    (6, 7, True), (6, 6, False), (7, 7, False), (7, 9, False),  # lines deleted between 6 and 7
])
def test_touches(line, end_line, expected):
    fc = FileChanges(lines={3}, cuts=[6])
    assert fc.touches(line, end_line) is expected


def test_text_changes_matches_git_numbering():
    fc = text_changes("a\nb\nc\nd\n", "a\nB\nc\nnew\n")
    assert fc.lines == {2, 4} and fc.cuts == []
    fc = text_changes("a\nb\nc\n", "a\nc\n")
    assert fc.lines == set() and fc.cuts == [1]


# -- rule metadata: which findings are about the whole document ---------------------------------------
def test_document_level_rules_come_from_the_packs():
    rules = {r.code: r for r in load_builtin()}
    assert {c for c, r in rules.items() if r.document_level} >= {"HL201", "HL202", "HL204", "HL205", "HL208", "HL401"}
    assert not any(rules[c].document_level for c in ("HL101", "HL103", "HL203", "HL301", "HL402", "HL901"))


TEAM_PACK = """rules:
  - code: HL801
    name: needs-summary
    severity: info
    type: required
    tokens: [in short]
    message: The article has no summary.
    explanation: Readers skim.
    examples: {bad: ["Text."], good: ["In short, text."]}
  - code: HL802
    name: short-article
    severity: info
    type: metric
    metric: words
    scope: document
    min: 3
    message: Too short ({value} words).
    explanation: Say more.
    examples: {bad: ["Two words."], good: ["Four words are here."]}
  - code: HL803
    name: no-very
    severity: info
    type: existence
    tokens: [very]
    message: Cut "{match}".
    explanation: It adds nothing.
    examples: {bad: ["Very dry."], good: ["Dry."]}
  - code: HL804
    name: house-summary
    severity: info
    type: existence
    about: document
    tokens: [summary]
    message: Flagged "{match}".
    explanation: Team rule about the whole article.
    examples: {bad: ["A summary."], good: ["Text."]}
"""


def test_document_level_derived_from_type_or_said_by_about(tmp_path):
    pack = write(tmp_path / "team.yaml", TEAM_PACK)
    level = {r.code: r.document_level for r in load_pack(pack)}
    assert level == {"HL801": True, "HL802": True, "HL803": False, "HL804": True}


def test_about_must_be_document_or_text(tmp_path):
    pack = write(tmp_path / "team.yaml", TEAM_PACK.replace("about: document", "about: article"))
    with pytest.raises(PackError, match=r"team.yaml:\d+: rule HL804 \(house-summary\): 'about' must be 'document'"):
        load_pack(pack)


# -- the command line in a real repository -------------------------------------------------------------
def test_only_findings_on_changed_lines(repo):
    write(repo / "a.md", EDITED)
    assert found("--select", "HL103", "a.md") == [("a.md", 5, OLD_COL, "HL103"), ("a.md", 7, EDIT_COL, "HL103")]
    r = run("check", "--changed-since", "HEAD", "--select", "HL103", "--format", "json", "a.md")
    assert r.code == 1
    [d] = r.json["diagnostics"]
    assert (d["line"], d["column"], d["end_line"], d["end_column"]) == (7, EDIT_COL, 7, EDIT_COL + len("miracle"))


def test_no_change_means_no_findings_and_exit_zero(repo):
    r = run("check", "--changed-since", "HEAD", "--select", "HL103,HL201", "a.md")
    assert (r.code, r.out) == (0, "All checks passed (1 file checked).\n")


def test_document_level_findings_only_for_changed_files(repo):
    write(repo / "b.md", ARTICLE)
    commit_all(repo, "second article")
    write(repo / "a.md", ARTICLE.replace("dry and itchy", "dry, red and itchy"))  # no new red-flag word
    assert found("--changed-since", "HEAD", "--select", "HL103,HL201", ".") == [("a.md", 1, 3, "HL201")]


def test_committed_staged_and_unstaged_changes_all_count(repo):
    git(repo, "switch", "-q", "-c", "feature")
    write(repo / "a.md", EDITED)
    commit_all(repo, "feature edit")
    write(repo / "a.md", EDITED.replace("Eczema makes", "Detox: eczema makes"))  # line 3, unstaged
    assert found("--changed-since", "HEAD", "--select", "HL103", "a.md") == [("a.md", 3, 1, "HL103")]
    assert found("--changed-since", "main", "--select", "HL103", "a.md") == [("a.md", 3, 1, "HL103"), ("a.md", 7, EDIT_COL, "HL103")]
    git(repo, "add", "a.md")
    assert found("--changed-since", "main", "--select", "HL103", "a.md") == [("a.md", 3, 1, "HL103"), ("a.md", 7, EDIT_COL, "HL103")]


def test_new_files_count_as_changed_whether_untracked_or_staged(repo):
    write(repo / "new.md", ARTICLE)
    write(repo / "staged.md", ARTICLE)
    git(repo, "add", "staged.md")
    expected = [(name, line, col, code) for name in ("new.md", "staged.md") for line, col, code in ((1, 3, "HL201"), (5, OLD_COL, "HL103"))]
    assert found("--changed-since", "HEAD", "--select", "HL103,HL201", "new.md", "staged.md") == expected


def test_renamed_file_counts_only_edited_lines(repo):
    (repo / "guides").mkdir()
    git(repo, "mv", "a.md", "guides/eczema care.md")
    assert found("--changed-since", "HEAD", "--select", "HL103,HL201", "guides") == []  # a pure rename changes nothing
    write(repo / "guides" / "eczema care.md", EDITED)
    expected = [("guides/eczema care.md", 1, 3, "HL201"), ("guides/eczema care.md", 7, EDIT_COL, "HL103")]
    assert found("--changed-since", "HEAD", "--select", "HL103,HL201", "guides") == expected
    commit_all(repo, "move and edit")
    assert found("--changed-since", "HEAD~1", "--select", "HL103,HL201", "guides") == expected


def test_paths_with_spaces_and_accents_from_a_subfolder(repo, monkeypatch):
    name = "drafts/caf\u00e9 \"eczema\" notes.md"
    write(repo / name, ARTICLE)
    commit_all(repo, "notes")
    write(repo / name, EDITED)
    assert found("--changed-since", "HEAD", "--select", "HL103", "drafts") == [(name, 7, EDIT_COL, "HL103")]
    monkeypatch.chdir(repo / "drafts")
    short = name.split("/", 1)[1]
    assert found("--changed-since", "HEAD", "--select", "HL103", ".") == [(short, 7, EDIT_COL, "HL103")]
    assert found("--changed-since", "HEAD", "--select", "HL103", str(repo / name)) == [(str(repo / name), 7, EDIT_COL, "HL103")]


def test_a_finding_that_spans_deleted_lines_is_kept(repo):
    half = " ".join(["word"] * 14)
    write(repo / "long.md", f"# Long\n\n{half}\n\n{half}.\n")  # two sentences of 14 words
    commit_all(repo, "long")
    write(repo / "long.md", f"# Long\n\n{half}\n{half}.\n")  # the blank line deleted: one of 28 words, lines 3-4
    r = run("check", "--changed-since", "HEAD", "--select", "HL402", "--format", "json", "long.md")
    assert [(d["line"], d["end_line"]) for d in r.json["diagnostics"]] == [(3, 4)]


def test_file_outside_the_repository_counts_as_changed(repo, tmp_path):
    outside = write(tmp_path / "elsewhere" / "x.md", ARTICLE)
    assert found("--changed-since", "HEAD", "--select", "HL103", str(outside)) == [(str(outside), 5, OLD_COL, "HL103")]


def test_stdin_is_compared_with_the_file_at_the_ref(repo):
    r = run("check", "--changed-since", "HEAD", "--select", "HL103", "-", "--stdin-filename", "a.md", input=EDITED)
    assert r.code == 1 and r.findings == [("a.md", 7, EDIT_COL, "HL103")]
    r = run("check", "--changed-since", "HEAD", "--select", "HL103", "-", "--stdin-filename", "brand-new.md", input=ARTICLE)
    assert r.findings == [("brand-new.md", 5, OLD_COL, "HL103")]


# -- errors: one line, exit status 2 ------------------------------------------------------------------
def test_shallow_clone_without_the_ref(tmp_path, monkeypatch, git_env):
    origin = init_repo(tmp_path / "origin")
    write(origin / "a.md", ARTICLE)
    commit_all(origin, "one")
    git(origin, "branch", "base")
    write(origin / "a.md", EDITED)
    commit_all(origin, "two")
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", f"file://{origin}", "shallow")
    monkeypatch.chdir(tmp_path / "shallow")
    for ref in ("HEAD~1", "origin/base"):
        r = run("check", "--changed-since", ref, "a.md")
        assert r.code == 2 and r.out == ""
        [line] = r.err_lines()
        assert line.startswith(f"healthlint: error: --changed-since: this shallow clone does not have '{ref}'")
        assert "fetch-depth: 0" in line and "git fetch origin main" in line
    assert found("--changed-since", "HEAD", "--select", "HL103", "a.md") == []  # the ref it has works
    git(tmp_path / "shallow", "fetch", "-q", "--depth", "1", "origin", "base:refs/remotes/origin/base")
    assert found("--changed-since", "origin/base", "--select", "HL103", "a.md") == [("a.md", 7, EDIT_COL, "HL103")]


def test_unknown_ref(repo):
    r = run("check", "--changed-since", "orgin/main", "a.md")
    assert r.code == 2
    assert len(r.err_lines()) == 1 and "no branch, tag or commit 'orgin/main'" in r.err and "check the name" in r.err


def test_not_a_repository(tmp_path, monkeypatch, git_env):
    folder = tmp_path / "plain"
    write(folder / "a.md", ARTICLE)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    r = run("check", "--changed-since", "main", "a.md")
    assert r.code == 2 and len(r.err_lines()) == 1
    assert "is not inside a git repository" in r.err


def test_git_not_installed(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    r = run("check", "--changed-since", "HEAD", "a.md")
    assert r.code == 2 and len(r.err_lines()) == 1
    assert "needs git" in r.err


def test_filtering_happens_before_the_exit_status(repo):
    write(repo / "a.md", ARTICLE.replace("dry and itchy", "dry, red and itchy"))
    r = run("check", "--changed-since", "HEAD", "--select", "HL103", "--fail-on", "info", "a.md")
    assert (r.code, r.findings) == (0, [])


def test_help_lists_the_options():
    out = run("check", "--help").out
    for option in ("--changed-since", "--baseline", "--write-baseline", "--statistics"):
        assert option in out
