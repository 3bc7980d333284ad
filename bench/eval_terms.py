#!/usr/bin/env python3
"""Measure the terms family (HL3xx): vocabulary cost, false positives on NIH text, the seeds,
and recall / false-positive rate on the project's own set of invented and real rare names.

    python bench/eval_terms.py              # everything available
    python bench/eval_terms.py --runs 9     # more load-time runs

Sections:
1. Vocabulary load: time and memory of the first lookup, in fresh processes (median of --runs).
2. nih-dev (../shared/data/nih-dev, when present): every invented-condition or pseudo-diagnosis
   finding listed (all are false positives: NIH writes about real conditions); documents with
   any such finding per 100 documents.
3. Seeds (../shared/seeds, when present): lines of seed 001 that use "Milia Syndrome" against
   the lines flagged; findings in seeds 000 and 002.
4. bench/terms_eval_set.txt, each name set in a small article (a heading, a sentence that starts
   with it, one that has it in the middle): recall on invented names, false-positive rate on
   real ones, each in the case the writer used and in the other case.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from healthlint.engine import lint_text  # noqa: E402

TERM_RULES = ["HL301", "HL302"]
ARTICLE = "# Living with {name}\n\n{Name} is a rare condition that affects the skin and joints.\n\nDoctors may test children for {name} when the first signs appear.\n"
LOAD_PROBE = r"""
import json, time, tracemalloc
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096
import healthlint.vocabulary as hv
before = rss()
start = time.perf_counter()
vocab = hv.vocabulary()
elapsed = time.perf_counter() - start
after = rss()
hv.vocabulary.cache_clear(); hv.project_names.cache_clear()
tracemalloc.start()
hv.vocabulary()
traced = tracemalloc.get_traced_memory()[0]
print(json.dumps({"ms": elapsed * 1000, "rss_mb": (after - before) / 1e6, "traced_mb": traced / 1e6, "names": len(vocab)}))
"""


def load_cost(runs: int) -> dict:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", LOAD_PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout))
    med = {k: statistics.median(r[k] for r in results) for k in ("ms", "rss_mb", "traced_mb")}
    med["min_ms"] = min(r["ms"] for r in results)
    med["max_ms"] = max(r["ms"] for r in results)
    med["names"] = results[0]["names"]
    return med


def nih(folder: Path) -> tuple[int, int, list[str]]:
    files = sorted(glob.glob(str(folder / "*.md")))
    listed, docs = [], 0
    for path in files:
        findings = lint_text(Path(path).read_text(encoding="utf-8"), path=path, select=TERM_RULES)
        if findings:
            docs += 1
        listed += [f"{Path(path).name}:{f.line}:{f.column} {f.code} {f.excerpt!r}" for f in findings]
    return len(files), docs, listed


def seeds(folder: Path) -> dict:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        findings = lint_text(text, path=path.name, select=TERM_RULES)
        uses = {n for n, line in enumerate(text.splitlines(), 1) if re.search(r"milia syndrome", line, re.I)}
        flagged = {f.line for f in findings if f.code == "HL301"}
        out[path.name[:3]] = {"lines using 'Milia Syndrome'": len(uses), "flagged": len(flagged & uses),
                              "missed": sorted(uses - flagged), "other findings": len(findings) - len(flagged & uses)}
    return out


def eval_set(path: Path) -> dict:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    report = {}
    for kind, variant in (("invented", "as written"), ("invented", "lower case"), ("real", "as written"), ("real", "Title Case")):
        names = [name for k, name in rows if k == kind]
        flagged, line_hits, misses = 0, 0, []
        for name in names:
            shown = name.lower() if variant == "lower case" else _title(name) if variant == "Title Case" else name
            text = ARTICLE.format(name=shown, Name=shown[:1].upper() + shown[1:])
            lines = {f.line for f in lint_text(text, path="eval.md", select=["HL301"])}
            flagged += bool(lines)
            line_hits += len(lines)
            if (kind == "invented") != bool(lines):
                misses.append(shown)
        label = "recall" if kind == "invented" else "false-positive rate"
        report[f"{kind} ({variant})"] = {
            "names": len(names), label: round(flagged / len(names), 3),
            "lines flagged": f"{line_hits}/{3 * len(names)}",
            ("missed" if kind == "invented" else "flagged"): misses,
        }
    return report


def _title(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cost = load_cost(args.runs)
    print(f"vocabulary: {cost['names']} names; first lookup {cost['ms']:.1f} ms median "
          f"(min {cost['min_ms']:.1f}, max {cost['max_ms']:.1f}) "
          f"over {args.runs} fresh processes; +{cost['rss_mb']:.1f} MB RSS, {cost['traced_mb']:.1f} MB traced")
    folder = SHARED / "data" / "nih-dev"
    if folder.is_dir():
        total, docs, listed = nih(folder)
        print(f"\nnih-dev: {len(listed)} HL301/HL302 findings in {docs} of {total} documents = {100 * docs / total:.1f} per 100")
        for item in listed:
            print("  " + item)
    else:
        print("\nnih-dev: not present (../shared/data/nih-dev)")
    if (SHARED / "seeds").is_dir():
        print("\nseeds:")
        for name, row in seeds(SHARED / "seeds").items():
            print(f"  {name}: {row}")
    print("\nown set (bench/terms_eval_set.txt):")
    for label, row in eval_set(ROOT / "bench" / "terms_eval_set.txt").items():
        print(f"  {label}: {json.dumps(row, ensure_ascii=False)}")


if __name__ == "__main__":
    main()
