"""Compare healthlint's sentence splitter with pysbd: accuracy on hand-written cases, and speed.

Accuracy: each case in ``bench/sentence_cases.txt`` (tricky health writing: abbreviations,
initials, acronyms, doses, quotes) has a gold segmentation; a splitter scores a case when its
segmentation matches the gold one exactly. ``bench/sentence_cases_heldout.txt`` was written after
our splitter was tuned on the first set and is never used to tune it: its score is the honest one. Speed: sentences per second over the paragraphs of
``../shared/data/nih-dev/*.md`` when that folder is present (else over the cases, repeated).

    python bench/sentence_splitter.py            # summary
    python bench/sentence_splitter.py --show     # also every case a splitter gets wrong

pysbd is a test extra (``pip install -e .[test]``); without it only our splitter is measured.
"""

from __future__ import annotations

import argparse
import glob
import re
import time
from collections.abc import Callable
from pathlib import Path

from healthlint.sentences import split

HERE = Path(__file__).resolve().parent
CASES = HERE / "sentence_cases.txt"
HELDOUT = HERE / "sentence_cases_heldout.txt"
NIH = HERE.parent.parent / "shared" / "data" / "nih-dev"

Splitter = Callable[[str], list[str]]


def load_cases(path: Path = CASES) -> list[tuple[str, list[str]]]:
    """(text, gold sentences) for each case line; see the file's header for the format."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        line = line.replace("\\n", "\n")
        text = line.replace(" ‖ ", " ").replace("‖", "")
        cases.append((text, [part.strip() for part in line.split("‖")]))
    return cases


def ours(text: str) -> list[str]:
    return split(text)


def make_pysbd() -> Splitter | None:
    try:
        import pysbd
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in segmenter.segment(text) if s.strip()]


def accuracy(splitter: Splitter, cases: list[tuple[str, list[str]]]) -> tuple[int, list[tuple[str, list[str], list[str]]]]:
    """Number of exact matches, and the misses as (text, gold, got)."""
    misses = []
    for text, gold in cases:
        got = splitter(text)
        if got != gold:
            misses.append((text, gold, got))
    return len(cases) - len(misses), misses


def corpus_paragraphs() -> list[str]:
    """Prose paragraphs of the NIH dev answers (Markdown markers dropped), when present."""
    paragraphs = []
    for path in sorted(glob.glob(str(NIH / "*.md"))):
        text = Path(path).read_text(encoding="utf-8")
        for para in re.split(r"\n\s*\n", text):
            para = re.sub(r"^\s*(?:#+|[-*]|\d+\.)\s+", "", para, flags=re.M).strip()
            if para:
                paragraphs.append(para)
    return paragraphs


def speed(splitter: Splitter, paragraphs: list[str], min_seconds: float = 1.0) -> tuple[float, float, int]:
    """(sentences per second, MB per second, sentences per pass), best of repeated passes."""
    size = sum(len(p.encode("utf-8")) for p in paragraphs)
    best = float("inf")
    count = 0
    total = 0.0
    while total < min_seconds:
        start = time.perf_counter()
        count = sum(len(splitter(p)) for p in paragraphs)
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        total += elapsed
    return count / best, size / best / 1e6, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="print every case a splitter gets wrong")
    args = parser.parse_args()

    sets = {"tuning": load_cases(CASES), "held-out": load_cases(HELDOUT)}
    cases = sets["tuning"]
    splitters: dict[str, Splitter] = {"healthlint": ours}
    sbd = make_pysbd()
    if sbd is not None:
        splitters["pysbd 0.3.4"] = sbd
    else:
        print("pysbd is not installed: measuring healthlint only")

    paragraphs = corpus_paragraphs()
    source = f"{NIH} ({len(paragraphs)} paragraphs)"
    if not paragraphs:
        paragraphs = [text for text, _ in cases] * 20
        source = "the bench cases x20 (nih-dev not present)"

    print(f"accuracy: exact segmentation per case; tuning set {CASES.name} ({len(sets['tuning'])} cases),")
    print(f"          held-out set {HELDOUT.name} ({len(sets['held-out'])} cases)")
    print(f"speed:    {source}\n")
    print(f"{'splitter':<14} {'tuning':>15} {'held-out':>15} {'sentences/s':>12} {'MB/s':>7}")
    misses_by = {}
    for name, splitter in splitters.items():
        cells = []
        for set_name, set_cases in sets.items():
            right, misses = accuracy(splitter, set_cases)
            misses_by[f"{name} ({set_name})"] = misses
            cells.append(f"{right}/{len(set_cases)} {right / len(set_cases):6.1%}")
        per_s, mb_s, _ = speed(splitter, paragraphs)
        print(f"{name:<14} {cells[0]:>15} {cells[1]:>15} {per_s:>12,.0f} {mb_s:>7.2f}")
    if args.show:
        for name, misses in misses_by.items():
            print(f"\n{name} misses ({len(misses)}):")
            for text, gold, got in misses:
                print(f"  text: {text}\n  gold: {gold}\n  got:  {got}")


if __name__ == "__main__":
    main()
