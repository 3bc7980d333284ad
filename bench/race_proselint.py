"""Race healthlint against proselint on the same real articles, as whole processes.

Run from anywhere with Python 3.11+ (the package index is needed the first time only):

    python bench/race_proselint.py                     # table + PASS/FAIL for each target
    python bench/race_proselint.py --scales 1,10       # quicker: skip the 100x corpus
    python bench/race_proselint.py --json              # the figures as JSON instead of the table
    python bench/race_proselint.py --healthlint current --check

What it does:

- environments, under ``bench/.venvs/`` (git ignores it): ``proselint-VERSION`` with proselint
  from the package index (default ``proselint==0.16.0``), and ``healthlint`` with healthlint
  installed NOT editable from a snapshot of this working tree (the files git would commit), the
  way a user gets it: pip compiles the ``.pyc`` files. The healthlint install is refreshed on
  every run so the figures are for the code as it is now. ``--healthlint current`` uses the
  ``healthlint`` beside this Python instead (e.g. an editable development install).
- the corpus, written to a temporary folder: the 96 NIH consumer-health answers of
  ``../shared/data/nih-dev/``, the three seed articles of ``../shared/seeds/``, the 250 BioScope
  abstracts of ``../shared/data/bioscope-dev.jsonl`` turned into one Markdown article each (a
  title, then paragraphs of four sentences), and the UTF-8 drafts of ``examples/``. Every file is
  ``.md`` or ``.txt``, which both tools read. Missing parts are skipped and reported.
- runs: each tool as a new process (``subprocess``), wall clock, output discarded, runs of the
  tools interleaved so background load hits them alike. One file (the start-up, pre-commit case:
  ``examples/careful-dry-skin.md``), then the corpus copied 1x, 10x and 100x into folders of
  their own (``--scales``). One untimed warm-up run per tool before the one-file and corpus runs.
  Medians and minimums.
- healthlint runs with every built-in rule on (no config file is found in the temporary folder),
  with ``--no-cache`` when it has that option, and both ``--jobs 1`` and its default jobs when it
  has ``--jobs``. proselint runs its default checks (everything except its optional
  ``restricted`` word lists) from a config file dumped with ``proselint dump-config --default``.
  proselint 0.16 lints the files one after the other in one process (its ``command_line.py``
  loops over the files; nothing in it imports multiprocessing or concurrent.futures); the
  ``processes`` figure below confirms it from outside.
- peak memory: ``ru_maxrss`` from ``os.wait4`` for every timed run (exact, the largest single
  process of the tree) and, on Linux, the memory of the whole process tree, sampled every 50 ms
  from ``/proc`` (parallel workers add up). The tree's memory is the sum of each process's
  proportional set size (``Pss`` in ``/proc/PID/smaps_rollup``, as ``smem`` reports): a page
  that forked workers still share with their parent is counted once, split between them, where
  summed resident sizes would count it once per process. The larger of the two counts.

Targets (``--check`` makes the exit status 1 when one fails): healthlint takes at most half of
proselint's time on the corpus; healthlint's one-file time is no more than proselint's; 10x the
input costs healthlint at most 11x the time (and 100x at most 11x the 10x time); healthlint's peak
memory stays under 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from machine_info import cpu_model  # bench/machine_info.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / "bench" / ".venvs"
SHARED = ROOT.parent / "shared"
NIH_DEV = SHARED / "data" / "nih-dev"
BIOSCOPE = SHARED / "data" / "bioscope-dev.jsonl"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"
ONE_FILE = EXAMPLES / "careful-dry-skin.md"
RESULTS = ROOT / "bench" / "results" / "race_proselint.json"
PROSELINT_VERSION = "0.16.0"
SNAPSHOT_SKIP = {".git", ".venvs", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".healthlint_cache", "results"}

# Targets from issue 7.
MAX_CORPUS_RATIO = 0.5
MAX_SCALE_RATIO = 11.0
MAX_PEAK_MB = 150.0
SAMPLE_SECONDS = 0.05


class BenchError(Exception):
    """Something the bench cannot go on without; printed as one line."""


# --- the corpus -----------------------------------------------------------------------------


def bioscope_articles(path: Path, per_paragraph: int = 4) -> dict[str, str]:
    """One Markdown article per BioScope document: a title, then paragraphs of sentences."""
    docs: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                docs.setdefault(row["doc_id"], []).append(row["text"].strip())
    articles = {}
    for doc_id, sentences in docs.items():
        paragraphs = [" ".join(sentences[i:i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]
        name = doc_id.replace(":", "-").replace("/", "-")
        articles[name] = f"# BioScope {doc_id}\n\n" + "\n\n".join(paragraphs) + "\n"
    return articles


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def build_corpus(dest: Path, nih: Path = NIH_DEV, seeds: Path = SEEDS, bioscope: Path = BIOSCOPE,
                 examples: Path = EXAMPLES) -> dict[str, dict[str, int]]:
    """Write the corpus into ``dest`` (one sub-folder per source); files and bytes per source."""
    parts: dict[str, dict[str, int]] = {}

    def add(part: str, name: str, data: bytes) -> None:
        target = dest / part / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        stats = parts.setdefault(part, {"files": 0, "bytes": 0, "words": 0})
        stats["files"] += 1
        stats["bytes"] += len(data)
        stats["words"] += len(data.decode("utf-8", "replace").split())

    if nih.is_dir():
        for f in sorted(nih.glob("*.md")):
            add("nih-dev", f.name, f.read_bytes())
    if seeds.is_dir():
        for f in sorted(seeds.glob("*.txt")):
            add("seeds", f.name, f.read_bytes())
    if bioscope.is_file():
        for name, text in bioscope_articles(bioscope).items():
            add("bioscope", f"{name}.md", text.encode("utf-8"))
    if examples.is_dir():
        for f in sorted(examples.iterdir()):
            if f.suffix in {".md", ".txt"} and _is_utf8(f):
                add("examples", f.name, f.read_bytes())
    if not parts:
        raise BenchError(f"no corpus: none of {nih}, {seeds}, {bioscope} or {examples} is there")
    return parts


def replicate(corpus: Path, dest: Path, times: int) -> Path:
    """A folder holding ``times`` copies of ``corpus`` (real copies, not links)."""
    for i in range(times):
        shutil.copytree(corpus, dest / f"copy-{i:03d}")
    return dest


# --- environments ---------------------------------------------------------------------------


def venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def _run_quiet(cmd: list[str], what: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BenchError(f"{what} failed (exit {proc.returncode}): {tail[0]}")
    return proc.stdout


def _make_venv(venv: Path, python: str) -> None:
    if not venv_bin(venv, "python").exists():
        print(f"creating {venv}", file=sys.stderr)
        _run_quiet([python, "-m", "venv", str(venv)], f"creating the virtual environment {venv}")


def _installed_version(venv: Path, dist: str) -> str | None:
    code = f"import importlib.metadata as m\ntry: print(m.version({dist!r}))\nexcept m.PackageNotFoundError: pass"
    proc = subprocess.run([str(venv_bin(venv, "python")), "-c", code], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or None


def ensure_proselint(version: str, python: str) -> Path:
    """bench/.venvs/proselint-VERSION with proselint==VERSION from the package index; its command."""
    venv = VENVS / f"proselint-{version}"
    _make_venv(venv, python)
    if _installed_version(venv, "proselint") != version:
        print(f"installing proselint=={version} into {venv}", file=sys.stderr)
        _run_quiet([str(venv_bin(venv, "python")), "-m", "pip", "install", "--quiet", f"proselint=={version}"],
                   f"pip install proselint=={version}")
    return venv_bin(venv, "proselint")


def snapshot_tree(dest: Path) -> Path:
    """Copy the files git would commit (or, without git, the tree less build and cache folders)."""
    listed = None
    if (ROOT / ".git").exists() and shutil.which("git"):
        proc = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                              cwd=ROOT, capture_output=True, text=True, check=False)
        listed = [rel for rel in proc.stdout.split("\0") if rel] if proc.returncode == 0 else None
    if listed is None:
        shutil.copytree(ROOT, dest, ignore=lambda _d, names: [n for n in names if n in SNAPSHOT_SKIP or n.endswith(".egg-info")])
        return dest
    for rel in listed:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def ensure_healthlint(python: str) -> Path:
    """bench/.venvs/healthlint with this working tree installed non-editable, refreshed; its command."""
    venv = VENVS / "healthlint"
    _make_venv(venv, python)
    pip = [str(venv_bin(venv, "python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    with tempfile.TemporaryDirectory(prefix="healthlint-src-") as tmp:
        src = snapshot_tree(Path(tmp) / "healthlint")
        print(f"installing healthlint (not editable) from a snapshot of {ROOT} into {venv}", file=sys.stderr)
        if _installed_version(venv, "healthlint") is None:
            _run_quiet([*pip, str(src)], "pip install healthlint")
        else:
            _run_quiet([*pip, "--force-reinstall", "--no-deps", str(src)], "pip install healthlint")
            check = subprocess.run([str(venv_bin(venv, "python")), "-m", "pip", "check"], capture_output=True, check=False)
            if check.returncode != 0:  # a dependency was added since the venv was made
                _run_quiet([*pip, str(src)], "pip install healthlint")
    return venv_bin(venv, "healthlint")


def current_healthlint() -> Path:
    script = venv_bin(Path(sys.executable).parent.parent, "healthlint")
    found = script if script.exists() else shutil.which("healthlint")
    if not found:
        raise BenchError("--healthlint current: no 'healthlint' command beside this Python or on PATH")
    return Path(found)


# --- running and measuring ------------------------------------------------------------------


@dataclass
class Sample:
    """One run of one command."""

    seconds: float
    max_rss_mb: float      # largest single process of the tree (ru_maxrss from wait4)
    tree_rss_mb: float     # whole tree, proportional set sizes summed, sampled (0 where /proc is missing)
    processes: int         # most processes seen at once in the tree
    exit_code: int


@dataclass
class Series:
    """Several runs of one tool on one workload."""

    tool: str
    workload: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def minimum(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(max(s.max_rss_mb, s.tree_rss_mb) for s in self.samples)

    @property
    def processes(self) -> int:
        return max(s.processes for s in self.samples)

    def summary(self) -> dict:
        return {"tool": self.tool, "workload": self.workload, "runs": len(self.samples),
                "median_s": round(self.median, 4), "min_s": round(self.minimum, 4),
                "peak_mb": round(self.peak_mb, 1), "processes": self.processes,
                "samples": [asdict(s) for s in self.samples]}


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids.extend(int(k) for k in fh.read().split())
    except OSError:
        pass
    return kids


def _memory_kb(pid: int) -> int:
    """A process's proportional set size (its resident size where the kernel has no smaps_rollup)."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as fh:
                for line in fh:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed memory (PSS) of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.processes = pid, 0, 1
        self.done = threading.Event()
        self.enabled = os.path.exists(f"/proc/{pid}/task/{pid}/children")

    def run(self) -> None:
        while self.enabled and not self.done.is_set():
            tree, frontier = [], [self.pid]
            while frontier:
                pid = frontier.pop()
                tree.append(pid)
                frontier.extend(_children(pid))
            self.peak_kb = max(self.peak_kb, sum(_memory_kb(p) for p in tree))
            self.processes = max(self.processes, len(tree))
            self.done.wait(SAMPLE_SECONDS)


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run ``cmd`` as a new process; wall time, memory, exit code. Output goes to /dev/null."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # both tools: 0 clean, 1 findings
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines() or ["no message"]
            raise BenchError(f"{Path(cmd[0]).name} exited {code} in {cwd}: {lines[-1]}")
    kb_unit = 1 / 1024 if sys.platform == "darwin" else 1  # ru_maxrss is bytes on macOS, KiB on Linux
    return Sample(seconds=seconds, max_rss_mb=usage.ru_maxrss * kb_unit / 1024,
                  tree_rss_mb=sampler.peak_kb / 1024, processes=sampler.processes, exit_code=code)


@dataclass
class Contender:
    """One tool configuration in the race."""

    name: str
    command: list[str]   # without the paths
    is_healthlint: bool


def race(contenders: list[Contender], workload: str, target: Path, cwd: Path, runs: int,
         env: dict[str, str], warmup: bool) -> dict[str, Series]:
    """``runs`` interleaved runs of every contender on ``target``."""
    series = {c.name: Series(c.name, workload) for c in contenders}
    if warmup:
        for c in contenders:
            run_once([*c.command, str(target)], cwd, env)
    for i in range(runs):
        for c in contenders:
            series[c.name].samples.append(run_once([*c.command, str(target)], cwd, env))
        times = ", ".join(f"{name} {s.samples[-1].seconds:.2f} s" for name, s in series.items())
        print(f"  {workload}, run {i + 1}/{runs}: {times}", file=sys.stderr)
    return series


# --- what is being raced ---------------------------------------------------------------------


def healthlint_contenders(exe: Path, env: dict[str, str]) -> list[Contender]:
    """healthlint with --no-cache if it has it; --jobs 1 and default jobs if it has --jobs."""
    help_text = subprocess.run([str(exe), "check", "--help"], capture_output=True, text=True, env=env, check=False).stdout
    if "Usage" not in help_text:
        raise BenchError(f"{exe} check --help printed no usage: is healthlint installed correctly?")
    base = [str(exe), "check", *(["--no-cache"] if "--no-cache" in help_text else [])]
    if "--jobs" not in help_text:
        return [Contender("healthlint", base, True)]
    return [Contender("healthlint --jobs 1", [*base, "--jobs", "1"], True),
            Contender("healthlint", base, True)]


def proselint_contender(exe: Path, config_dir: Path, version: str) -> Contender:
    """proselint with its default checks, from a config file dumped by proselint itself."""
    dumped = _run_quiet([str(exe), "dump-config", "--default"], "proselint dump-config --default", cwd=config_dir)
    config = config_dir / "proselint-default.json"
    config.write_text(dumped)
    return Contender(f"proselint {version}", [str(exe), "--config", str(config), "check"], False)


def tool_version(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (proc.stdout + proc.stderr).strip().splitlines()[0] if (proc.stdout + proc.stderr).strip() else "unknown"


def source_revision() -> str:
    """The git commit of this tree, with '+changes' when the working tree differs from it."""
    if not (ROOT / ".git").exists() or not shutil.which("git"):
        return "unknown"
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    return f"{rev}+changes" if dirty else rev or "unknown"


def machine(python: str) -> dict[str, str | int]:
    cpu = cpu_model()
    py = subprocess.run([python, "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True, check=False)
    return {"cpu": cpu, "cores": os.cpu_count() or 1, "os": platform.platform(terse=True), "python": py.stdout.strip()}


# --- targets and report --------------------------------------------------------------------


def evaluate_targets(result: dict) -> list[dict]:
    """PASS/FAIL for each target, from the summaries in ``result``."""
    by = {(s["tool"], s["workload"]): s for s in result["series"]}
    proselint = result["proselint"]
    targets = []

    def add(name: str, value: float, limit: float, unit: str) -> None:
        targets.append({"target": name, "value": round(value, 3), "limit": limit, "unit": unit, "pass": value <= limit})

    for hl in result["healthlint"]:
        if (hl, "corpus 1x") in by and (proselint, "corpus 1x") in by:
            add(f"corpus: {hl} time / proselint time", by[(hl, "corpus 1x")]["median_s"] / by[(proselint, "corpus 1x")]["median_s"], MAX_CORPUS_RATIO, "ratio")
        if (hl, "one file") in by and (proselint, "one file") in by:
            add(f"one file: {hl} time / proselint time", by[(hl, "one file")]["median_s"] / by[(proselint, "one file")]["median_s"], 1.0, "ratio")
        scales = sorted(int(w.split()[1][:-1]) for (t, w) in by if t == hl and w.startswith("corpus "))
        for small, big in zip(scales, scales[1:]):
            factor = big // small
            limit = round(MAX_SCALE_RATIO * factor / 10, 2)
            add(f"scaling: {hl} time at {big}x / at {small}x", by[(hl, f"corpus {big}x")]["median_s"] / by[(hl, f"corpus {small}x")]["median_s"], limit, "ratio")
        peak = max((s for s in result["series"] if s["tool"] == hl), key=lambda s: s["peak_mb"])
        add(f"memory: {hl} peak (largest on {peak['workload']})", peak["peak_mb"], MAX_PEAK_MB, "MB")
    return targets


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _runs(n: int) -> str:
    return "1 run" if n == 1 else f"{n} runs"


def table(result: dict) -> str:
    """The race as Markdown: machine, corpus, times, ratios, scaling, memory, targets."""
    m, c = result["machine"], result["corpus"]
    tools = [*result["healthlint"], result["proselint"]]
    workloads = list(dict.fromkeys(s["workload"] for s in result["series"]))
    by = {(s["tool"], s["workload"]): s for s in result["series"]}
    parts = ", ".join(f"{name} {p['files']}" for name, p in c["parts"].items())
    lines = [
        "## healthlint against proselint", "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}.",
        f"healthlint: {result['versions']['healthlint']} ({result['healthlint_install']}, source {result['source']}); "
        f"proselint: {result['versions']['proselint']} (package index, default checks; one process).",
        f"Corpus: {c['files']} files, {c['bytes'] / 1e6:.2f} MB, {c['words']:,} words ({parts}); "
        f"one file: `{result['one_file']}`.", "",
        "Wall time of the whole command, median (minimum) of the runs:", "",
        "| | " + " | ".join(f"{w} ({_runs(by[(tools[-1], w)]['runs'])})" for w in workloads) + " |",
        "|---" * (len(workloads) + 1) + "|",
    ]
    for tool in tools:
        cells = [f"{_seconds(by[(tool, w)]['median_s'])} ({_seconds(by[(tool, w)]['min_s'])})" for w in workloads]
        lines.append(f"| {tool} | " + " | ".join(cells) + " |")
    for tool in result["healthlint"]:
        cells = [f"{by[(tool, w)]['median_s'] / by[(tools[-1], w)]['median_s']:.2f}" for w in workloads]
        lines.append(f"| {tool} / proselint | " + " | ".join(cells) + " |")
    lines += ["", "Peak memory (largest of the runs; all processes of the tree) and processes seen at once:", "",
              "| | " + " | ".join(workloads) + " |", "|---" * (len(workloads) + 1) + "|"]
    for tool in tools:
        cells = [f"{by[(tool, w)]['peak_mb']:.0f} MB, {by[(tool, w)]['processes']} proc." for w in workloads]
        lines.append(f"| {tool} | " + " | ".join(cells) + " |")
    scaled = [w for w in workloads if w.startswith("corpus ")]
    if len(scaled) > 1:
        lines += ["", "Scaling (time at the larger copy count / time at the smaller; linear is the copy factor):", "",
                  "| | " + " | ".join(f"{b.split()[1]} / {a.split()[1]}" for a, b in zip(scaled, scaled[1:])) + " |",
                  "|---" * len(scaled) + "|"]
        for tool in tools:
            cells = [f"{by[(tool, b)]['median_s'] / by[(tool, a)]['median_s']:.2f}" for a, b in zip(scaled, scaled[1:])]
            lines.append(f"| {tool} | " + " | ".join(cells) + " |")
    lines += ["", "Targets:", ""]
    for t in result["targets"]:
        lines.append(f"- {'PASS' if t['pass'] else 'FAIL'}  {t['target']}: {t['value']:g} {t['unit']} (limit {t['limit']:g})")
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------


def _int_list(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected whole numbers of 1 or more, got {text!r}")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--healthlint", default="venv", metavar="venv|current|PATH",
                   help="venv: install this tree non-editable into bench/.venvs/healthlint (default); "
                        "current: the healthlint beside this Python; or the path of a healthlint command")
    p.add_argument("--proselint-version", default=PROSELINT_VERSION, help=f"proselint to install (default {PROSELINT_VERSION})")
    p.add_argument("--proselint", default=None, metavar="PATH", help="an existing proselint command instead of installing one")
    p.add_argument("--python", default=sys.executable, help="Python used to create the virtual environments")
    p.add_argument("--startup-runs", type=int, default=21, help="runs on one file (default 21)")
    p.add_argument("--scales", type=_int_list, default=[1, 10, 100], help="corpus copy counts (default 1,10,100)")
    p.add_argument("--scale-runs", type=_int_list, default=[5, 3, 1],
                   help="runs at each scale, matched in order; the last repeats (default 5,3,1)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    p.add_argument("--keep", action="store_true", help="keep the temporary corpus folder and print where it is")
    return p.parse_args(argv)


def resolve_tools(args: argparse.Namespace) -> tuple[Path, str, Path]:
    """(healthlint command, how it was installed, proselint command)."""
    if args.healthlint == "venv":
        healthlint, how = ensure_healthlint(args.python), "installed non-editable in bench/.venvs/healthlint"
    elif args.healthlint == "current":
        healthlint, how = current_healthlint(), "the current environment"
    else:
        healthlint, how = Path(args.healthlint), "given with --healthlint"
    proselint = Path(args.proselint) if args.proselint else ensure_proselint(args.proselint_version, args.python)
    for exe in (healthlint, proselint):
        if not exe.exists():
            raise BenchError(f"{exe}: no such command")
    return healthlint, how, proselint


def run_bench(args: argparse.Namespace, work: Path) -> dict:
    source = source_revision()  # now: the snapshot installed below is of this revision
    healthlint, how, proselint_exe = resolve_tools(args)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # real installs have .pyc files
    corpus = work / "corpus-1x"
    parts = build_corpus(corpus)
    one_file = work / "one" / ONE_FILE.name
    one_file.parent.mkdir()
    shutil.copy2(ONE_FILE, one_file)
    hl = healthlint_contenders(healthlint, env)
    pl = proselint_contender(proselint_exe, work, args.proselint_version)
    contenders = [*hl, pl]
    series = race(contenders, "one file", one_file, work, args.startup_runs, env, warmup=True)
    all_series = list(series.values())
    for i, scale in enumerate(args.scales):
        runs = args.scale_runs[min(i, len(args.scale_runs) - 1)]
        target = corpus if scale == 1 else replicate(corpus, work / f"corpus-{scale}x", scale)
        print(f"corpus {scale}x: {parts_total(parts)['files'] * scale} files", file=sys.stderr)
        all_series += race(contenders, f"corpus {scale}x", target, work, runs, env, warmup=scale == 1).values()
        if scale != 1:
            shutil.rmtree(target)
    result = {
        "machine": machine(str(healthlint.parent / "python") if (healthlint.parent / "python").exists() else args.python),
        "versions": {"healthlint": tool_version([str(healthlint), "--version"]),
                     "proselint": f"proselint {_installed_version(proselint_exe.parent.parent, 'proselint') or args.proselint_version}"},
        "healthlint_install": how, "source": source,
        "corpus": {**parts_total(parts), "parts": parts}, "one_file": f"examples/{ONE_FILE.name}",
        "healthlint": [c.name for c in hl], "proselint": pl.name,
        "series": [s.summary() for s in all_series],
    }
    result["targets"] = evaluate_targets(result)
    return result


def parts_total(parts: dict[str, dict[str, int]]) -> dict[str, int]:
    return {key: sum(p[key] for p in parts.values()) for key in ("files", "bytes", "words")}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="healthlint-race-"))
    try:
        result = run_bench(args, work)
    except BenchError as exc:
        print(f"race_proselint: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"corpus kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2) if args.json else table(result))
    failed = [t for t in result["targets"] if not t["pass"]]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
