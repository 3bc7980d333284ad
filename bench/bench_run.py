"""How fast is healthlint? Start-up for one file, throughput in MB/s, and peak memory.

Run from anywhere, with the Python that has healthlint installed:

    python bench/bench_run.py                 # a table
    python bench/bench_run.py --json          # the same figures as JSON
    python bench/bench_run.py --runs 21 --importtime 15 --per-rule

Measures:

- start-up: wall time of ``healthlint check ONE_FILE`` as a new process (the pre-commit case),
  median of ``--runs``, next to ``python -c pass`` (the interpreter's own floor);
- import cost (``--importtime N``): the N slowest imports of that run, from ``python -X importtime``;
- in-process throughput: the corpus (``../shared/data/nih-dev/`` when present, else
  ``examples/``) repeated to about ``--megabytes`` MB, read, parsed and linted with every rule on,
  split into parsing (the Document) and rules; median of 3;
- whole-process throughput: ``healthlint check`` on a folder holding that many copies of the corpus,
  start-up included; median of 3;
- peak memory: the largest resident set size (``ru_maxrss`` of ``RUSAGE_CHILDREN``) of the one-file
  run and of the corpus run, each measured in a fresh wrapper process so they do not mix.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine_info import cpu_model  # bench/machine_info.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "nih-dev"
ONE_FILE = ROOT / "examples" / "careful-dry-skin.md"
SUFFIXES = {".md", ".markdown", ".mdx", ".txt"}

# Runs a command and prints the peak resident set size of its process tree (KiB on Linux).
_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def healthlint_command() -> list[str]:
    """The installed console script beside this Python, else ``python -m healthlint``."""
    script = Path(sys.executable).parent / ("healthlint.exe" if os.name == "nt" else "healthlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "healthlint"]


def wall_times(cmd: list[str], runs: int, cwd: Path) -> list[float]:
    """Seconds per run of ``cmd`` as a new process, output discarded."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def peak_rss_mb(cmd: list[str], cwd: Path) -> float:
    """Peak resident memory of ``cmd`` in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    out = subprocess.run([sys.executable, "-c", _PEAK_WRAPPER, *cmd], cwd=cwd, capture_output=True, text=True, check=True)
    value = int(out.stdout.strip())
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def import_offenders(cmd_args: list[str], cwd: Path, top: int) -> list[dict]:
    """The slowest imports of a run, by cumulative time, from ``python -X importtime``."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "healthlint", *cmd_args], cwd=cwd,
                          capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if m:
            rows.append({"module": m.group(4), "self_ms": int(m.group(1)) / 1000, "cumulative_ms": int(m.group(2)) / 1000,
                         "depth": len(m.group(3)) // 2})
    top_level = [r for r in rows if r["depth"] == 0]
    return sorted(top_level, key=lambda r: -r["cumulative_ms"])[:top]


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def in_process(files: list[Path], target_bytes: int, per_rule: bool) -> dict:
    """Read, parse and lint the corpus repeated to ``target_bytes``, in this process."""
    from healthlint.config import Settings
    from healthlint.document import PLAIN_SUFFIXES, Document
    from healthlint.engine import Linter, load_ruleset
    from healthlint.files import decode

    settings = Settings(base=ROOT)
    linter = Linter(load_ruleset(settings), settings)
    blobs = [(str(p), p.read_bytes(), p.suffix.lower() in PLAIN_SUFFIXES) for p in files]
    size = sum(len(b) for _, b, _ in blobs)
    copies = max(1, -(-target_bytes // size))
    work = blobs * copies
    total_bytes = size * copies

    def one_pass() -> tuple[float, float, int, list]:
        parse = lint = 0.0
        findings = 0
        docs = []
        for path, data, plain in work:
            t0 = time.perf_counter()
            text, problems = decode(data)
            doc = Document(path, text, plain=plain, problems=problems)
            doc.sentences  # noqa: B018 - built lazily; count it as parsing
            t1 = time.perf_counter()
            findings += len(linter.lint(doc))
            lint += time.perf_counter() - t1
            parse += t1 - t0
            if len(docs) < len(blobs):  # keep one copy for --per-rule; keeping all would tax the GC
                docs.append(doc)
        return parse, lint, findings, docs

    one_pass()  # warm up: caches, lazy imports (textstat), first-use compilation
    passes = [one_pass() for _ in range(3)]
    totals = sorted(passes, key=lambda p: p[0] + p[1])
    parse, lint, findings, docs = totals[len(totals) // 2]
    seconds = parse + lint
    result = {
        "files": len(work), "megabytes": total_bytes / 1e6, "copies": copies, "rules": len(linter.rules),
        "seconds": seconds, "parse_seconds": parse, "rules_seconds": lint,
        "mb_per_s": total_bytes / 1e6 / seconds, "findings": findings,
    }
    if per_rule:
        timings = {}
        for rule in linter.rules:
            t0 = time.perf_counter()
            for doc in docs[: len(blobs)]:
                for _ in rule.run(doc, linter.options.get(rule.code), settings):
                    pass
            timings[f"{rule.code} {rule.name}"] = (time.perf_counter() - t0) * 1000
        result["per_rule_ms_one_copy"] = dict(sorted(timings.items(), key=lambda kv: -kv[1]))
    return result


def whole_process(files: list[Path], copies: int, cmd: list[str], runs: int) -> dict:
    """``healthlint check FOLDER`` on ``copies`` copies of the corpus, as one new process."""
    size = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory(prefix="healthlint-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        for i in range(copies):
            for p in files:
                target = folder / f"copy{i:03d}" / p.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, target)
        run = [*cmd, "check", "--exit-zero", "-q", str(folder)]
        times = wall_times(run, runs, Path(tmp))
        peak = peak_rss_mb(run, Path(tmp))
    seconds = statistics.median(times)
    megabytes = size * copies / 1e6
    return {"files": len(files) * copies, "megabytes": megabytes, "seconds": seconds,
            "mb_per_s": megabytes / seconds, "peak_rss_mb": peak, "runs": runs}


def machine() -> dict:
    from healthlint import __version__

    cpu = cpu_model()
    return {"healthlint": __version__, "python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu, "cpus": os.cpu_count()}


def measure(args: argparse.Namespace) -> dict:
    cmd = healthlint_command()
    cwd = ROOT
    one = [*cmd, "check", "--exit-zero", "-q", str(args.file)]
    wall_times(one, 2, cwd)  # warm the file cache and the .pyc files
    startup = wall_times(one, args.runs, cwd)
    floor = wall_times([sys.executable, "-c", "pass"], args.runs, cwd)
    corpus = args.corpus if args.corpus.is_dir() else ROOT / "examples"
    files = corpus_files(corpus)
    target = int(args.megabytes * 1e6)
    inproc = in_process(files, target, args.per_rule)
    result = {
        "machine": machine(),
        "command": " ".join(cmd),
        "startup_one_file_ms": {"median": statistics.median(startup) * 1000, "min": min(startup) * 1000,
                                "max": max(startup) * 1000, "runs": args.runs, "file": str(args.file.relative_to(ROOT)
                                                                                         if args.file.is_relative_to(ROOT) else args.file)},
        "python_floor_ms": statistics.median(floor) * 1000,
        "peak_rss_one_file_mb": peak_rss_mb(one, cwd),
        "corpus": {"path": str(corpus), "files": len(files), "megabytes": sum(p.stat().st_size for p in files) / 1e6,
                   "is_default": corpus == args.corpus},
        "in_process": inproc,
        "whole_process": whole_process(files, inproc["copies"], cmd, 3),
    }
    if args.importtime:
        result["slowest_imports"] = import_offenders(["check", "--exit-zero", "-q", str(args.file)], cwd, args.importtime)
    return result


def table(r: dict) -> str:
    m, ip, wp, c = r["machine"], r["in_process"], r["whole_process"], r["corpus"]
    name = Path(c["path"]).name
    rows = [
        ("start-up, one file (median of %d)" % r["startup_one_file_ms"]["runs"], "%.0f ms" % r["startup_one_file_ms"]["median"]),
        ("  python -c pass (the floor)", "%.0f ms" % r["python_floor_ms"]),
        ("peak memory, one file", "%.1f MB" % r["peak_rss_one_file_mb"]),
        ("in-process throughput, %s x%d (%.1f MB, %d files)" % (name, ip["copies"], ip["megabytes"], ip["files"]), "%.2f MB/s" % ip["mb_per_s"]),
        ("  parsing / rules", "%.0f%% / %.0f%%" % (100 * ip["parse_seconds"] / ip["seconds"], 100 * ip["rules_seconds"] / ip["seconds"])),
        ("whole-process throughput, same input", "%.2f MB/s (%.2f s)" % (wp["mb_per_s"], wp["seconds"])),
        ("peak memory, whole corpus run", "%.1f MB" % wp["peak_rss_mb"]),
    ]
    width = max(len(a) for a, _ in rows)
    out = [f"healthlint {m['healthlint']}, {ip['rules']} rules on; Python {m['python']}; {m['cpu']} ({m['cpus']} CPUs)",
           f"corpus: {c['path']} ({c['files']} files, {c['megabytes']:.2f} MB)", ""]
    out += [f"{a:<{width}}  {b}" for a, b in rows]
    if "slowest_imports" in r:
        out += ["", "slowest imports at start-up (python -X importtime, cumulative):"]
        out += [f"  {i['cumulative_ms']:7.1f} ms  {i['module']}" for i in r["slowest_imports"]]
    if "per_rule_ms_one_copy" in ip:
        out += ["", "time per rule over one copy of the corpus:"]
        out += [f"  {ms:8.1f} ms  {rule}" for rule, ms in ip["per_rule_ms_one_copy"].items()]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="start-up runs (median reported)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of articles (default ../shared/data/nih-dev)")
    parser.add_argument("--megabytes", type=float, default=4.0, help="repeat the corpus to about this many MB")
    parser.add_argument("--file", type=Path, default=ONE_FILE, help="the one file for the start-up measure")
    parser.add_argument("--importtime", type=int, default=10, metavar="N", help="list the N slowest imports (0: skip)")
    parser.add_argument("--per-rule", action="store_true", help="time each rule separately")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    args.file = args.file.resolve()
    result = measure(args)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
