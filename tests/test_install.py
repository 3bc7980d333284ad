"""A normal (not editable) install works from any folder: the rule packs ship inside the wheel.

The project is copied (the files git would commit, untracked ones included) so the build never
writes into the working tree, built into a wheel, and installed with pip into a fresh virtual
environment, dependencies from the package index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from healthlint.rules import builtin_pack_paths, load_builtin

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _copy_project(dest: Path) -> Path:
    """The files a clean clone would have (plus untracked, not ignored ones): no build leftovers."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, text=True, check=True).stdout
        files = [ROOT / rel for rel in filter(None, listed.split("\0"))]
    else:
        ignore = {".git", "build", "dist", "__pycache__", ".pytest_cache", ".venv", ".healthlint_cache"}
        files = [p for p in ROOT.rglob("*") if p.is_file() and not ignore & set(p.relative_to(ROOT).parts)
                 and not any(part.endswith(".egg-info") for part in p.relative_to(ROOT).parts)]
    for src in files:
        if src.is_file():
            target = dest / src.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, wheel path, a working folder outside the project)."""
    tmp = tmp_path_factory.mktemp("install")
    project = _copy_project(tmp / "project")
    venv = tmp / "venv"
    proc = _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    proc = _run([str(python), "-m", "pip", "wheel", "--no-deps", "-w", str(tmp / "dist"), str(project)], cwd=tmp)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = (tmp / "dist").glob("healthlint-*.whl")
    proc = _run([str(python), "-m", "pip", "install", str(project)], cwd=tmp)  # the README's `pip install .`
    assert proc.returncode == 0, proc.stdout + proc.stderr
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return bin_dir, wheel, elsewhere


def test_wheel_contains_the_rule_packs(installed):
    _, wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    packs = sorted(n for n in names if re.fullmatch(r"healthlint/packs/[^/]+\.yaml", n))
    expected = sorted(f"healthlint/packs/{p.name}" for p in builtin_pack_paths())
    assert packs == expected and packs, names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "bench/"))]


def test_installed_command_checks_examples_from_another_folder(installed):
    bin_dir, _, elsewhere = installed
    proc = _run([str(bin_dir / "healthlint"), "check", str(EXAMPLES)], cwd=elsewhere)
    assert proc.returncode == 1, proc.stderr
    codes = set(re.findall(r":\d+:\d+: (HL\d{3}) (?:error|warning|info) ", proc.stdout))
    assert {c[2] for c in codes} >= {"1", "2", "3", "4", "9"}, proc.stdout
    assert {r.code for r in load_builtin()} == codes  # the examples trip every rule here too
    proc = _run([str(bin_dir / "healthlint"), "check", str(EXAMPLES / "careful-dry-skin.md")], cwd=elsewhere)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (1 file checked).\n"), proc.stderr


def test_installed_command_lists_the_same_rules(installed):
    bin_dir, _, elsewhere = installed
    proc = _run([str(bin_dir / "healthlint"), "rules"], cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    listed = [line.split()[0] for line in proc.stdout.splitlines()]
    assert listed == [r.code for r in load_builtin()]


def test_installed_package_is_not_the_source_tree(installed):
    bin_dir, _, elsewhere = installed
    code = "import healthlint, healthlint.packs; print(healthlint.__file__); print(list(healthlint.packs.__path__)[0])"
    proc = _run([str(bin_dir / "python"), "-c", code], cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    for line in proc.stdout.splitlines():
        assert "site-packages" in line and str(ROOT) not in line, line
    proc = _run([str(bin_dir / "healthlint"), "--version"], cwd=elsewhere)
    assert proc.returncode == 0 and re.fullmatch(r"healthlint \d+\.\d+\.\d+\S*\n", proc.stdout), proc.stdout
