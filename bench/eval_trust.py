"""Measure the trust family (HL2xx) on the seed articles and the NIH development set.

Run from the repository, with the Python that has healthlint installed:

    python bench/eval_trust.py              # the report
    python bench/eval_trust.py --json       # the figures as JSON

1. Seeds (``../shared/seeds``): what EXPECTED.md asks of the trust family. All three lack a full
   disclaimer and sources; seed 000 tells readers to see a professional (line 9) and seed 002 does
   not. Each expectation is printed as PASS or FAIL with the findings behind it, and any other HL2
   finding on a seed is listed as EXTRA.
2. ``../shared/data/nih-dev``: professionally edited NIH answers, a false-positive control. Per-rule
   counts and findings per 1,000 words; every missing-emergency-guidance and harms-not-mentioned
   finding is printed with its sentence, to be read one by one. missing-disclaimer and no-sources
   are expected there (the answers are excerpts without their pages' disclaimers and references).
3. Speed: time spent in the HL2 rules per document (information, never asserted).

Only the trust pack is loaded, so the figures do not depend on the other families.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from healthlint.config import Settings
from healthlint.document import Document
from healthlint.engine import Linter
from healthlint.rules import RuleSet, builtin_pack_paths, load_pack

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
NIH = ROOT.parent / "shared" / "data" / "nih-dev"
READ_ONE_BY_ONE = ("missing-emergency-guidance", "harms-not-mentioned")


def trust_linter() -> Linter:
    (pack,) = [p for p in builtin_pack_paths() if p.name == "trust.yaml"]
    return Linter(RuleSet(load_pack(pack)), Settings(base=ROOT))


def load(path: Path) -> Document:
    return Document(str(path), path.read_text(encoding="utf-8"), plain=path.suffix == ".txt")


# -- seeds --------------------------------------------------------------------------------------
def seed_expectations(name: str, findings) -> list[tuple[str, bool]]:
    """EXPECTED.md's trust points for one seed, each with whether the findings meet it."""
    by_rule = {f.rule: f for f in findings}
    disclaimer = by_rule.get("missing-disclaimer")
    checks = [
        ("missing-disclaimer reported", disclaimer is not None),
        ("no-sources reported", "no-sources" in by_rule),
    ]
    if name.startswith("000"):
        checks += [
            ("disclaimer finding credits the professional advice on line 9",
             disclaimer is not None and "tells readers to see a professional (line 9)" in disclaimer.message),
            ("disclaimer finding does not claim the advice is missing",
             disclaimer is not None and "see a qualified professional" not in disclaimer.message),
            ("no missing-professional-advice", "missing-professional-advice" not in by_rule),
        ]
    if name.startswith("002"):
        checks += [
            ("missing-professional-advice reported", "missing-professional-advice" in by_rule),
            ("disclaimer finding names the missing advice to see a professional",
             disclaimer is not None and "see a qualified professional" in disclaimer.message),
        ]
    return checks


def expected_rules(name: str) -> set[str]:
    rules = {"missing-disclaimer", "no-sources"}
    return rules | ({"missing-professional-advice"} if name.startswith("002") else set())


def run_seeds(linter: Linter) -> dict:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        findings = linter.lint(load(path))
        checks = seed_expectations(path.name, findings)
        extra = [f for f in findings if f.rule not in expected_rules(path.name)]
        out[path.name] = {
            "findings": [{"line": f.line, "code": f.code, "rule": f.rule, "message": f.message} for f in findings],
            "checks": [{"check": c, "pass": ok} for c, ok in checks],
            "extra": [f"{f.line}:{f.column} {f.code} {f.rule}" for f in extra],
        }
    return out


# -- NIH development set --------------------------------------------------------------------------
def run_nih(linter: Linter) -> dict:
    counts: Counter[str] = Counter()
    docs_with: Counter[str] = Counter()
    words = 0
    to_read = []
    elapsed = 0.0
    paths = sorted(NIH.glob("*.md"))
    for path in paths:
        doc = load(path)
        words += len(doc.words(0, len(doc.masked)))
        t0 = time.perf_counter()
        findings = linter.lint(doc)
        elapsed += time.perf_counter() - t0
        counts.update(f.rule for f in findings)
        docs_with.update({f.rule for f in findings})
        for f in findings:
            if f.rule in READ_ONE_BY_ONE:
                line = doc.text.splitlines()[f.line - 1]
                to_read.append({"file": path.name, "line": f.line, "rule": f.rule, "excerpt": f.excerpt,
                                "text": re.sub(r"\s+", " ", line).strip()[:220]})
    rules = sorted({r.name for r in linter.rules})
    return {
        "documents": len(paths),
        "words": words,
        "per_rule": {r: {"findings": counts[r], "documents": docs_with[r],
                         "per_1000_words": round(1000 * counts[r] / words, 2) if words else 0.0} for r in rules},
        "to_read": to_read,
        "ms_per_document": round(1000 * elapsed / len(paths), 3) if paths else 0.0,
    }


# -- report -----------------------------------------------------------------------------------------
def print_report(seeds: dict, nih: dict | None) -> None:
    print("Seeds (../shared/seeds), trust family only")
    for name, result in seeds.items():
        print(f"\n  {name}")
        for f in result["findings"]:
            print(f"    {f['line']:>3} {f['code']} {f['rule']}: {f['message'][:160]}")
        for c in result["checks"]:
            print(f"    {'PASS' if c['pass'] else 'FAIL'}  {c['check']}")
        print(f"    {'PASS' if not result['extra'] else 'FAIL'}  no other HL2 finding" +
              (f" (EXTRA: {', '.join(result['extra'])})" if result["extra"] else ""))
    if nih is None:
        print("\n../shared/data/nih-dev not found: skipped")
        return
    print(f"\nNIH dev set: {nih['documents']} documents, {nih['words']} words")
    print(f"  {'rule':<30} {'findings':>8} {'docs':>5} {'/1k words':>9}")
    for rule, row in nih["per_rule"].items():
        print(f"  {rule:<30} {row['findings']:>8} {row['documents']:>5} {row['per_1000_words']:>9}")
    print(f"\n  Findings to read one by one ({', '.join(READ_ONE_BY_ONE)}): {len(nih['to_read'])}")
    for f in nih["to_read"]:
        print(f"    {f['file']}:{f['line']} {f['rule']} [{f['excerpt'][:40]}]\n      {f['text']}")
    print(f"\n  HL2 rules: {nih['ms_per_document']} ms per document (parsing excluded)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not SEEDS.is_dir():
        print(f"{SEEDS} not found", file=sys.stderr)
        return 2
    linter = trust_linter()
    seeds = run_seeds(linter)
    nih = run_nih(linter) if NIH.is_dir() else None
    if args.json:
        print(json.dumps({"seeds": seeds, "nih_dev": nih}, indent=2, ensure_ascii=False))
    else:
        print_report(seeds, nih)
    failed = any(not c["pass"] for r in seeds.values() for c in r["checks"]) or any(r["extra"] for r in seeds.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
