"""What would running the built-in packs on the ``regex`` module cost? ``re`` against ``regex``.

Team packs run on the ``regex`` module, which can stop a match after a time limit; built-in packs
run on the stdlib ``re``. This loads every built-in pack both ways (as shipped, and as if it were a
team's pack: ``regex``, time budget and all) and times each data-driven rule (existence,
substitution, occurrence, required, consistency, metric) over the corpus, median of ``--runs``.
Processor time is measured, so a busy machine skews it less. It also checks that both ways find
the same things.

    python bench/bench_regex_engines.py            # a table, slowest rules first
    python bench/bench_regex_engines.py --json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "nih-dev"


def documents(folder: Path) -> list:
    from healthlint.document import PLAIN_SUFFIXES, Document
    from healthlint.files import decode

    if not folder.is_dir():
        folder = ROOT / "examples"
    docs = []
    for path in sorted(p for p in folder.glob("*") if p.suffix in {".md", ".txt"}):
        text, problems = decode(path.read_bytes())
        doc = Document(str(path), text, plain=path.suffix in PLAIN_SUFFIXES, problems=problems)
        doc.sentences  # noqa: B018 - parse before timing
        docs.append(doc)
    return docs


def time_rule(rule, docs: list, runs: int) -> tuple[float, list]:
    """Median processor seconds of one rule over every document, and what it found."""
    times, found = [], []
    for _ in range(runs):
        found = []
        start = time.process_time()
        for doc in docs:
            found.extend((doc.path, h.start, h.end, h.message) for h in rule.run(doc))
        times.append(time.process_time() - start)
    return statistics.median(times), found


def measure(corpus: Path, runs: int) -> dict:
    from healthlint.rules import builtin_pack_paths, load_pack

    docs = documents(corpus)
    rows = []
    for path in builtin_pack_paths():
        for as_re, as_regex in zip(load_pack(path, builtin=True), load_pack(path)):
            if as_re.type == "check":
                continue  # a Python check: its own patterns, on re either way
            re_s, re_found = time_rule(as_re, docs, runs)
            regex_s, regex_found = time_rule(as_regex, docs, runs)
            rows.append({"rule": f"{as_re.code} {as_re.name}", "type": as_re.type, "re_ms": re_s * 1000,
                         "regex_ms": regex_s * 1000, "same_findings": re_found == regex_found})
    rows.sort(key=lambda r: -r["regex_ms"])
    total_re = sum(r["re_ms"] for r in rows)
    total_regex = sum(r["regex_ms"] for r in rows)
    return {"python": sys.version.split()[0], "corpus": str(corpus), "documents": len(docs),
            "megabytes": sum(len(d.text.encode()) for d in docs) / 1e6, "runs": runs, "rules": rows,
            "total_re_ms": total_re, "total_regex_ms": total_regex, "ratio": total_regex / total_re if total_re else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.corpus, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['documents']} documents, {result['megabytes']:.2f} MB, processor ms (median of {args.runs})")
    print(f"{'rule':<34} {'type':<12} {'re ms':>8} {'regex ms':>9} {'x':>5}  same")
    for r in result["rules"]:
        ratio = r["regex_ms"] / r["re_ms"] if r["re_ms"] else float("nan")
        print(f"{r['rule']:<34} {r['type']:<12} {r['re_ms']:>8.1f} {r['regex_ms']:>9.1f} {ratio:>5.1f}  {'yes' if r['same_findings'] else 'NO'}")
    print(f"{'all data-driven rules':<47} {result['total_re_ms']:>8.1f} {result['total_regex_ms']:>9.1f} {result['ratio']:>5.1f}")


if __name__ == "__main__":
    main()
