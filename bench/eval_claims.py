"""Measure the claims family (HL1xx) on real text.

    python bench/eval_claims.py [--shared ../shared] [--list]

1. BioScope (../shared/data/bioscope-dev.jsonl): precision, recall and F1 of the "this sentence is
   hedged" decision against the annotators' `uncertain` label, for the speculation cues alone and
   for speculation cues plus lay qualifiers (what unhedged-claim actually uses), and the share of
   uncertain sentences that get an unhedged-claim finding (target: at most 2%).
2. NIH answers (../shared/data/nih-dev/): claim-family findings per 1,000 words (target: at most
   3); --list prints every finding for reading by hand.
3. Seeds (../shared/seeds/): the claim findings per line, to compare with EXPECTED.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from healthlint.checks.claims import lexicon, read_sentence  # noqa: E402
from healthlint.engine import lint_text  # noqa: E402

CLAIM_CODES = ["HL101", "HL102", "HL103", "HL104", "HL105", "HL106"]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bioscope(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lex = lexicon()
    counts = {"speculation": Counter(), "speculation+qualifiers": Counter()}
    flagged_uncertain = flagged_certain = 0
    for row in rows:
        reading = read_sentence(lex, row["text"])
        gold = bool(row["uncertain"])
        for name, decided in (("speculation", bool(reading.speculation)), ("speculation+qualifiers", reading.hedged)):
            counts[name]["tp" if decided and gold else "fp" if decided else "fn" if gold else "tn"] += 1
        if any(f.code == "HL101" for f in lint_text(row["text"], path="s.txt", select=["HL101"])):
            if gold:
                flagged_uncertain += 1
            else:
                flagged_certain += 1
    n_uncertain = sum(1 for r in rows if r["uncertain"])
    out = {"sentences": len(rows), "uncertain": n_uncertain}
    for name, c in counts.items():
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        out[name] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
    out["uncertain_with_unhedged_claim"] = round(flagged_uncertain / n_uncertain, 4) if n_uncertain else 0.0
    out["certain_with_unhedged_claim"] = round(flagged_certain / (len(rows) - n_uncertain), 4)
    return out


def nih(folder: Path, show: bool) -> dict:
    words = 0
    per_rule: Counter = Counter()
    listing = []
    files = sorted(folder.glob("*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        words += len(text.split())
        for f in lint_text(text, path=path.name, select=CLAIM_CODES):
            per_rule[f.rule] += 1
            listing.append(f"{f.path}:{f.line}:{f.column}: {f.code} {f.rule} | {f.excerpt}")
    if show:
        print("\n".join(listing))
    total = sum(per_rule.values())
    return {
        "files": len(files),
        "words": words,
        "findings": total,
        "per_1000_words": round(1000 * total / words, 2) if words else 0.0,
        "per_rule_per_1000_words": {k: round(1000 * v / words, 2) for k, v in sorted(per_rule.items())},
    }


def seeds(folder: Path) -> dict:
    out = {}
    for path in sorted(folder.glob("*.txt")):
        findings = lint_text(path.read_text(encoding="utf-8"), path=path.name, select=CLAIM_CODES)
        by_rule: dict[str, list[int]] = {}
        for f in findings:
            by_rule.setdefault(f.rule, []).append(f.line)
        out[path.name] = by_rule
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--list", action="store_true", help="print every NIH finding for reading by hand")
    args = parser.parse_args()
    data = args.shared / "data"
    report = {}
    if (data / "bioscope-dev.jsonl").is_file():
        report["bioscope"] = bioscope(data / "bioscope-dev.jsonl")
    if (data / "nih-dev").is_dir():
        report["nih"] = nih(data / "nih-dev", args.list)
    if (args.shared / "seeds").is_dir():
        report["seeds"] = seeds(args.shared / "seeds")
    if not report:
        sys.exit(f"nothing to measure: {args.shared} has no data/ or seeds/")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
