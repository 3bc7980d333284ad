"""Whole-process time of ``healthlint check`` with and without the results cache, serial and parallel.

    python bench/bench_jobs.py [--runs 5] [FOLDER ...]   (default: ../shared/data/nih-dev)

For each folder it times, best of ``--runs`` (the least disturbed by other load):
  cold --jobs 1     --no-cache, one process
  cold default      --no-cache, --jobs = the number of CPUs
  warm default      the cache filled by a previous run (a fresh cache folder per measurement)
  one file          the first file alone, cold (what a pre-commit hook on one file pays)
Each run is a new process, as a user's would be; unset PYTHONDONTWRITEBYTECODE for real numbers.
CPU is user + system time of every process of the run (workers included): on a busy machine the
wall time of a parallel run says little, its CPU time says what it costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, every process of the run) of one run, in seconds."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "healthlint", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)


def bench(folder: Path, runs: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of the best run of each kind; the kinds take turns, so load hits them alike."""
    with tempfile.TemporaryDirectory(prefix="healthlint-bench-jobs-") as tmp:
        cwd = Path(tmp)
        cache = cwd / ".healthlint_cache"
        first = min(p for p in folder.rglob("*") if p.suffix in {".md", ".txt"})
        base = ["check", "--exit-zero", "-q"]
        kinds = {
            "cold --jobs 1": [*base, "--no-cache", "--jobs", "1", str(folder)],
            f"cold default (--jobs {os.cpu_count()})": [*base, "--no-cache", str(folder)],
            "warm cache": [*base, str(folder)],
            "one file, cold": [*base, "--no-cache", str(first)],
        }
        best = {name: (float("inf"), 0.0) for name in kinds}
        for _ in range(runs):
            for name, args in kinds.items():
                if name == "warm cache":
                    shutil.rmtree(cache, ignore_errors=True)
                    _run(args, cwd)  # fill it
                best[name] = min(best[name], _run(args, cwd))
        return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=[str(ROOT.parent / "shared" / "data" / "nih-dev")])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for folder in args.folders:
        path = Path(folder).resolve()
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        print(f"{folder} ({size / 1024:.0f} KB), best of {args.runs}:")
        print(f"  {'':<28} {'wall':>7}  {'CPU':>7}  (load average {os.getloadavg()[0]:.1f} before)")
        for name, (wall, cpu) in bench(path, args.runs).items():
            print(f"  {name:<28} {wall:6.3f}s  {cpu:6.3f}s")


if __name__ == "__main__":
    main()
