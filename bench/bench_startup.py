"""Time healthlint's one-file start-up as whole processes (the pre-commit case, issue 7).

    python bench/bench_startup.py [--runs 20] [--healthlint PATH] [--file FILE] [--cold]

Runs ``healthlint check --no-cache FILE`` (default ``examples/careful-dry-skin.md``) from a fresh
temporary folder (no config file there), one untimed warm-up run first so the compiled-pattern
and pack caches in its ``.healthlint_cache/`` are warm, then ``--runs`` timed runs; prints the
median and minimum in milliseconds. ``--cold`` instead removes ``.healthlint_cache/`` before every
timed run (a first run in a new folder). Unset PYTHONDONTWRITEBYTECODE for realistic figures.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--healthlint", default=str(Path(sys.executable).with_name("healthlint")))
    parser.add_argument("--file", default=str(ROOT / "examples" / "careful-dry-skin.md"))
    parser.add_argument("--cold", action="store_true", help="remove .healthlint_cache/ before each timed run")
    args = parser.parse_args()
    command = [args.healthlint, "check", "--no-cache", str(Path(args.file).resolve())]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(command, cwd=tmp, capture_output=True)  # warm-up: .pyc files and pattern caches
        times = []
        for _ in range(args.runs):
            if args.cold:
                shutil.rmtree(Path(tmp) / ".healthlint_cache", ignore_errors=True)
            start = time.perf_counter()
            subprocess.run(command, cwd=tmp, capture_output=True)
            times.append((time.perf_counter() - start) * 1000)
    label = "cold" if args.cold else "warm"
    print(f"{label}: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
