"""The GitHub Action (action.yml): its structure, its scripts run for real, and the README workflow.

GitHub runs a composite action's ``run`` steps with bash, each with its ``env`` mapping. Here the
same scripts run with bash too, with the ``${{ ... }}`` expressions of their ``env`` resolved as
GitHub would for the given inputs, so the argument handling, the exit statuses and the step
outputs are what a workflow gets. The install step pip-installs healthlint, so it is a slow test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INPUT_REF = re.compile(r"\binputs\.([A-Za-z0-9_-]+)")
STEP_REF = re.compile(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=(?P<file>[^,]+),line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=(?P<code>HL\d{3}) [a-z0-9-]+::.+")

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="the action's scripts run with bash")


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _steps(action: dict) -> list[dict]:
    return action["runs"]["steps"]


def _step(action: dict, step_id: str) -> dict:
    (step,) = [s for s in _steps(action) if s.get("id") == step_id]
    return step


def _all_strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in (_all_strings(key) + _all_strings(value))]
    if isinstance(node, list):
        return [s for item in node for s in _all_strings(item)]
    return [node] if isinstance(node, str) else []


# --- structure ------------------------------------------------------------------------------


def test_action_is_a_composite_action_with_a_name_and_description(action):
    assert action["runs"]["using"] == "composite"
    assert action["name"] == "healthlint"
    assert action["description"].strip()
    for name, spec in action["inputs"].items():
        assert spec.get("description", "").strip(), f"input {name} has no description"
        assert "default" in spec and isinstance(spec["default"], str), f"input {name} needs a string default"


def test_every_input_used_is_declared_and_every_declared_input_is_used(action):
    used = {m for text in _all_strings({"runs": action["runs"], "outputs": action.get("outputs", {})})
            for m in INPUT_REF.findall(text)}
    declared = set(action["inputs"])
    assert used - declared == set(), f"inputs used but not declared: {sorted(used - declared)}"
    assert declared - used == set(), f"inputs declared but never used: {sorted(declared - used)}"


def test_every_run_step_sets_its_shell_and_every_uses_step_is_pinned(action):
    for step in _steps(action):
        assert ("run" in step) != ("uses" in step), f"step {step.get('name')} needs exactly one of run and uses"
        assert step.get("name"), "every step has a name, shown in the job log"
        if "run" in step:
            assert step.get("shell") == "bash", f"step {step['name']}: composite run steps must set shell"
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), f"step {step['name']}: pin {step['uses']} to a major version"


def test_scripts_take_inputs_from_the_environment_never_pasted_in(action):
    """An expression inside a script is pasted in before bash reads it: a title could run commands."""
    for step in _steps(action):
        if "run" in step:
            assert not EXPRESSION.search(step["run"]), f"step {step['name']}: pass values through env, not ${{{{ }}}} in run"


def test_step_outputs_referenced_exist_and_come_from_earlier_steps(action):
    seen: dict[str, dict] = {}
    for step in _steps(action):
        for step_id, output in {m for text in _all_strings({k: v for k, v in step.items() if k != "run"}) for m in STEP_REF.findall(text)}:
            assert step_id in seen, f"step {step['name']} uses steps.{step_id} before (or without) a step with that id"
            _assert_writes_output(seen[step_id], output)
        if "id" in step:
            seen[step["id"]] = step
    for name, spec in action["outputs"].items():
        for step_id, output in STEP_REF.findall(spec["value"]):
            assert step_id in seen, f"output {name} names an unknown step {step_id}"
            _assert_writes_output(seen[step_id], output)


def _assert_writes_output(step: dict, output: str) -> None:
    if "run" in step:
        assert f'echo "{output}=' in step["run"], f"step {step['name']} never writes output {output}"
    else:
        assert step["uses"].startswith("actions/setup-python@") and output == "python-path", f"unexpected output {output} of {step['uses']}"


def test_setup_python_leaves_the_workflows_python_alone(action):
    (setup,) = [s for s in _steps(action) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup["with"]["update-environment"] is False


def test_sarif_steps_only_run_when_asked(action):
    upload = [s for s in _steps(action) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert len(upload) == 1
    assert upload[0]["if"] == "inputs.sarif == 'true'"
    assert _step(action, "sarif")["if"] == "inputs.sarif == 'true'"


# --- the scripts, run ------------------------------------------------------------------------


def _healthlint_command(tmp_path: Path) -> Path:
    """A ``healthlint`` command for this test's Python (the install step is tested separately)."""
    wrapper = tmp_path / "bin" / "healthlint"
    wrapper.parent.mkdir(exist_ok=True)
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m healthlint "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def _resolve(value: str, context: dict[str, str]) -> str:
    """GitHub's ``${{ }}`` substitution, for the plain names the action's env mappings use."""
    def lookup(match: re.Match) -> str:
        expr = match.group(1)
        assert expr in context, f"the test does not know the expression {expr!r}"
        return context[expr]
    return EXPRESSION.sub(lookup, str(value))


def run_step(action: dict, step_id: str, cwd: Path, inputs: dict[str, str] | None = None,
             outputs: dict[str, str] | None = None, extra: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """Run one step's script with bash as GitHub would; (the process, the outputs it wrote)."""
    step = _step(action, step_id)
    values = {name: spec["default"] for name, spec in action["inputs"].items()} | (inputs or {})
    context = {f"inputs.{k}": v for k, v in values.items()} | (outputs or {}) | (extra or {})
    output_file = cwd.parent / f"github-output-{step_id}"
    output_file.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env |= {name: _resolve(value, context) for name, value in step.get("env", {}).items()}
    env["GITHUB_OUTPUT"] = str(output_file)
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    written = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
    return proc, written


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A content repository holding the example drafts, and the install step's outputs."""
    content = tmp_path / "workspace"
    shutil.copytree(EXAMPLES, content / "content")
    return content, {"steps.install.outputs.healthlint": str(_healthlint_command(tmp_path))}


def _annotations(stdout: str) -> list[re.Match]:
    return [m for m in map(GITHUB_LINE.match, stdout.splitlines()) if m]


@needs_bash
def test_check_step_annotates_findings_and_records_exit_code_1(action, workspace):
    cwd, installed = workspace
    proc, written = run_step(action, "check", cwd, {"paths": "content"}, installed)
    assert proc.returncode == 0, proc.stderr  # the last step fails the job, after the SARIF upload
    assert written["exit-code"] == "1"
    found = _annotations(proc.stdout)
    assert {m["file"] for m in found} >= {"content/detox-tea-eczema.md", "content/joint-newsletter.txt"}
    assert "content/careful-dry-skin.md" not in {m["file"] for m in found}


@needs_bash
def test_check_step_splits_paths_and_args_on_white_space(action, workspace):
    cwd, installed = workspace
    inputs = {"paths": "content/detox-tea-eczema.md\n  content/joint-newsletter.txt", "args": "--select HL3  --quiet"}
    proc, written = run_step(action, "check", cwd, inputs, installed)
    found = _annotations(proc.stdout)
    assert found and {m["code"][:3] for m in found} == {"HL3"}
    assert {m["file"] for m in found} <= {"content/detox-tea-eczema.md", "content/joint-newsletter.txt"}
    assert written["exit-code"] == "1"


@needs_bash
def test_check_step_with_fail_on_error_passes_a_draft_with_only_warnings(action, workspace):
    cwd, installed = workspace
    draft = cwd / "content" / "warnings-only.md"
    draft.write_text("# Dry skin\n\nStudies show that a thick moisturiser helps dry skin.\n")
    proc, written = run_step(action, "check", cwd, {"paths": str(draft.relative_to(cwd)), "fail-on": "error"}, installed)
    severities = {line.split(" ", 1)[0] for line in proc.stdout.splitlines() if line.startswith("::")}
    assert severities == {"::warning"}, proc.stdout + proc.stderr  # the draft has warnings and no errors
    assert written["exit-code"] == "0"
    proc, written = run_step(action, "check", cwd, {"paths": str(draft.relative_to(cwd))}, installed)
    assert written["exit-code"] == "1"


@needs_bash
def test_check_step_does_not_expand_wildcards(action, workspace):
    cwd, installed = workspace
    proc, written = run_step(action, "check", cwd, {"paths": "content/*.md"}, installed)
    assert written["exit-code"] == "2"  # healthlint was given the literal name, which is no file
    assert proc.returncode == 2
    assert "content/*.md" in proc.stderr
    assert "::error title=healthlint::" in proc.stdout


@needs_bash
def test_check_step_passes_changed_since_to_healthlint(action, workspace):
    cwd, installed = workspace
    proc, written = run_step(action, "check", cwd, {"paths": "content", "changed-since": "no-such-ref-anywhere"}, installed)
    assert written["exit-code"] == "2"
    assert "--changed-since" in proc.stderr


@needs_bash
def test_sarif_step_output_is_sarif_with_the_findings(action, workspace):
    cwd, installed = workspace
    proc, written = run_step(action, "sarif", cwd, {"paths": "content", "sarif": "true"}, installed)
    assert proc.returncode == 0, proc.stderr  # findings go to code scanning: --exit-zero
    report = json.loads((cwd / written["sarif-file"]).read_text())
    assert report["version"] == "2.1.0"
    results = report["runs"][0]["results"]
    assert results and all(r["ruleId"].startswith("HL") for r in results)


@needs_bash
def test_last_step_fails_the_job_only_when_the_check_found_problems(action, tmp_path):
    for status, expected in (("0", 0), ("1", 1)):
        proc, _ = run_step(action, "verdict", tmp_path, outputs={"steps.check.outputs.exit-code": status})
        assert proc.returncode == expected, proc.stdout + proc.stderr


@pytest.mark.slow
@needs_bash
def test_install_step_installs_the_actions_own_copy(action, tmp_path):
    """``uses: owner/healthlint@TAG`` checks the action out at the tag; the step installs that copy."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs git and a git checkout of healthlint")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    checkout = tmp_path / "action"
    for rel in filter(None, listed.split("\0")):
        if (ROOT / rel).is_file():
            (checkout / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, checkout / rel)
    cwd = tmp_path / "workspace"
    cwd.mkdir()
    extra = {"steps.python.outputs.python-path": sys.executable, "github.action_path": str(checkout),
             "runner.temp": str(tmp_path / "runner-temp")}
    proc, written = run_step(action, "install", cwd, outputs=extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    command = Path(written["healthlint"])
    assert command.is_file() and str(command).startswith(str(tmp_path / "runner-temp" / "healthlint-venv"))
    assert re.search(r"healthlint \d+\.\d+", proc.stdout)
    check = subprocess.run([str(command), "check", str(EXAMPLES / "careful-dry-skin.md")], capture_output=True, text=True, cwd=cwd)
    assert check.returncode == 0, check.stdout + check.stderr


# --- the README's workflow --------------------------------------------------------------------


def readme_workflows(text: str) -> list[dict]:
    """The YAML blocks of the README's "In GitHub Actions" section that are workflows."""
    section = re.search(r"^## In GitHub Actions\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README.md has no '## In GitHub Actions' section"
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", section.group(1), re.M | re.S)
    return [doc for doc in map(yaml.safe_load, blocks) if isinstance(doc, dict) and "jobs" in doc]


def _action_steps(workflow: dict) -> list[tuple[dict, dict]]:
    return [(job, step) for job in workflow["jobs"].values() for step in job["steps"]
            if re.fullmatch(r"[\w.<>-]+/healthlint@v\d+(\.\d+)*", step.get("uses", ""))]


def test_readme_has_a_complete_workflow_using_the_action(action):
    workflows = readme_workflows(README.read_text(encoding="utf-8"))
    using = [(wf, job, step) for wf in workflows for job, step in _action_steps(wf)]
    assert using, "the README's GitHub Actions section has no workflow with 'uses: <owner>/healthlint@vX'"
    for workflow, job, step in using:
        assert workflow.get("on", workflow.get(True)), "a workflow needs 'on:'"  # PyYAML reads a bare on as True
        assert job["runs-on"]
        steps = job["steps"]
        assert steps.index(step) > 0 and steps[0]["uses"].startswith("actions/checkout@"), "check out the repository first"
        given = step.get("with", {})
        assert set(given) <= set(action["inputs"]), f"README passes inputs the action lacks: {set(given) - set(action['inputs'])}"
        if str(given.get("sarif", "false")).lower() == "true":
            assert job.get("permissions", {}).get("security-events") == "write", "the SARIF upload needs security-events: write"
        if given.get("changed-since"):
            assert steps[0].get("with", {}).get("fetch-depth") == 0, "--changed-since needs the history: fetch-depth: 0"
