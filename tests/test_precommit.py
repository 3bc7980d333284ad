"""The pre-commit hook works with the real ``pre-commit`` tool.

``pre-commit try-repo`` installs the hook from a snapshot of this working tree (every file git
would commit, untracked ones included, so the test sees uncommitted work) into its own virtual
environment, pip-installing healthlint and its dependencies from the package index, then runs
it on drafts in a temporary content repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CLEAN_EXAMPLE = ROOT / "examples" / "careful-dry-skin.md"

BAD_DRAFT = """# Detox tea for eczema

This detox tea is a miracle for itchy skin.
"""
# Passed to the hook by name but never linted: the hook only takes Markdown and text files.
PYTHON_FILE = "# This miracle cure is risk-free.\nprint('hello')\n"

pytestmark = pytest.mark.slow


def _git_env(tmp_path: Path) -> dict[str, str]:
    """Git identity from the environment and no user or system git config (no signing, no hooks)."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_AUTHOR_NAME="Test Writer", GIT_AUTHOR_EMAIL="writer@example.invalid",
        GIT_COMMITTER_NAME="Test Writer", GIT_COMMITTER_EMAIL="writer@example.invalid",
        GIT_CONFIG_GLOBAL=str(empty), GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def snapshot_repo(dest: Path, env: dict[str, str]) -> Path:
    """Copy the files git would commit from this working tree into a fresh one-commit repo."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs git and a git checkout of healthlint")
    listed = _git(ROOT, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    _git(dest, env, "init", "-q")
    _git(dest, env, "add", "-A")
    _git(dest, env, "commit", "-q", "-m", "snapshot of the working tree")
    return dest


def _content_repo(path: Path, env: dict[str, str]) -> Path:
    """A writer's repository: a failing draft, a careful one, an archived one, a script."""
    (path / "drafts").mkdir(parents=True)
    (path / "archive").mkdir()
    (path / "drafts" / "detox.md").write_text(BAD_DRAFT, encoding="utf-8")
    shutil.copy(CLEAN_EXAMPLE, path / "drafts" / "dry-skin.md")
    (path / "archive" / "old-detox.md").write_text(BAD_DRAFT, encoding="utf-8")
    (path / "notes.py").write_text(PYTHON_FILE, encoding="utf-8")
    (path / ".healthlint.yaml").write_text(yaml.safe_dump({"exclude": ["archive/"]}), encoding="utf-8")
    _git(path, env, "init", "-q")
    _git(path, env, "add", "-A")
    return path


def _try_repo(hook_repo: Path, content: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "healthlint", "--verbose", "--files", *files]
    return subprocess.run(cmd, cwd=content, env=env, capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    pytest.importorskip("pre_commit")
    tmp = tmp_path_factory.mktemp("precommit")
    env = _git_env(tmp)
    hook_repo = snapshot_repo(tmp / "healthlint", env)
    content = _content_repo(tmp / "content", env)
    return hook_repo, content, env


def test_manifest_declares_the_healthlint_hook():
    from identify.identify import ALL_TAGS
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))  # validates like pre-commit does
    assert hook["id"] == "healthlint"
    assert hook["language"] == "python"
    assert hook["entry"] == "healthlint check --force-exclude"
    assert {"markdown", "plain-text"} <= set(hook["types_or"]) <= ALL_TAGS


def test_failing_draft_fails_the_hook(setup):
    hook_repo, content, env = setup
    proc = _try_repo(hook_repo, content, env, "drafts/detox.md", "drafts/dry-skin.md")
    out = proc.stdout
    assert proc.returncode == 1, out + proc.stderr
    assert "- hook id: healthlint" in out and "- exit code: 1" in out
    assert 'drafts/detox.md:3:6: HL103 warning "detox" is red-flag language' in out
    assert 'drafts/detox.md:3:21: HL103 error "miracle" is red-flag language' in out
    assert "drafts/detox.md:1:3: HL201 warning No medical disclaimer" in out
    assert "drafts/dry-skin.md:" not in out  # the careful draft has nothing to report


def test_careful_draft_passes_and_other_files_are_left_alone(setup):
    hook_repo, content, env = setup
    # notes.py is not Markdown or text, so pre-commit does not pass it; archive/ is excluded in
    # .healthlint.yaml, and --force-exclude applies that to files named on the command line.
    proc = _try_repo(hook_repo, content, env, "drafts/dry-skin.md", "notes.py", "archive/old-detox.md")
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    line = next(ln for ln in out.splitlines() if ln.startswith("healthlint"))
    assert line.endswith("Passed"), line
    assert "All checks passed (1 file checked)." in out
    assert "HL1" not in out and "notes.py:" not in out and "old-detox.md:" not in out
