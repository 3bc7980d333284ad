"""Does healthlint stay linear on very large input? Time and memory at 1x, 2x, 4x and 8x sizes.

Run from anywhere, with the Python that has healthlint installed:

    python bench/bench_large.py                      # a table: every kind at 1x, 2x, 4x, 8x
    python bench/bench_large.py --kinds line --json  # one kind, as JSON
    python bench/bench_large.py --cli                # also time `healthlint check FILE` end to end

Kinds of input (the size at 8x in brackets):

- ``article`` [10 MB]: real-ish Markdown: the texts of ``../shared/data/nih-dev`` (else ``examples/``)
  repeated under numbered headings, with their lists, one file;
- ``line`` [1 MB]: the same prose as one single line, no line break at all;
- ``nospace`` [1 MB]: one line of that prose with its white space removed ("Pasttreatmentfor...");
- ``words`` [1 MB]: "a a a a ... !" one word repeated on one line, the classic backtracking trap.

Each size is generated, parsed and linted (every built-in rule on) in a fresh process, so the
figures do not mix: parse (the Document), sentences, rules (every rule, suppression, sorting),
all in processor seconds (a busy machine skews them less than wall time, also shown), and peak
resident memory (``ru_maxrss``) with the growth over the memory the process had before parsing. Linear time means seconds per MB stays about the same from 1x to 8x: the ``ratio`` column
is seconds-per-MB at that size over seconds-per-MB at 1x (1.0 is perfectly linear; 8x costing
twice per MB what 1x did would show 2.0).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "nih-dev"
KINDS = {"article": 10_000_000, "line": 1_000_000, "nospace": 1_000_000, "words": 1_000_000}  # bytes at 8x
MULTIPLIERS = (1, 2, 4, 8)


# -- generating input ---------------------------------------------------------------------------
def corpus_texts(folder: Path) -> list[str]:
    """The Markdown texts to build articles from, front matter and all, in a stable order."""
    if not folder.is_dir():
        folder = ROOT / "examples"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]


def _prose(texts: list[str]) -> str:
    """The texts' words as one run of prose: no headings, list markers or line breaks."""
    lines = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip().lstrip("#-*0123456789. ").strip()
            if line and not line.startswith(("---", "<", "|")) and ":" not in line[:20]:
                lines.append(line)
    return " ".join(" ".join(lines).split())


def generate(kind: str, size: int, texts: list[str]) -> str:
    """About ``size`` characters of input of the given kind (deterministic)."""
    if kind == "article":
        parts, total, n = ["# A very long article\n\nThis article is generated for a benchmark.\n"], 0, 0
        while total < size:
            text = texts[n % len(texts)]
            body = text.split("\n---\n", 1)[-1] if text.startswith("---") else text
            part = f"\n## Section {n + 1}\n\n" + body.replace("\n# ", "\n### ") + "\n"
            parts.append(part)
            total += len(part)
            n += 1
        return "".join(parts)[:size] + "\n"
    prose = _prose(texts)
    if kind == "nospace":
        prose = "".join(prose.split())
    elif kind == "words":
        prose = "a " * (len(prose) // 2) + "!"
    return (prose * (size // max(1, len(prose)) + 1))[:size]


# -- one measurement, in a fresh process --------------------------------------------------------
def _rss_mb() -> float:
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def worker(kind: str, size: int, corpus: Path) -> dict:
    """Generate, parse and lint one input here; return the timings and memory."""
    from healthlint.config import Settings
    from healthlint.document import Document
    from healthlint.engine import Linter, load_ruleset

    settings = Settings(base=ROOT)
    linter = Linter(load_ruleset(settings), settings)
    linter.lint(Document("warm-up.md", "# Warm up\n\nThis warms every rule's lazily compiled lists. It may help.\n"))
    text = generate(kind, size, corpus_texts(corpus))
    before = _rss_mb()
    c0, t0 = time.process_time(), time.perf_counter()
    doc = Document(f"{kind}.md", text)
    c1 = time.process_time()
    sentences = len(doc.sentences)
    c2 = time.process_time()
    findings = linter.lint(doc)
    c3, t3 = time.process_time(), time.perf_counter()
    return {
        "kind": kind, "bytes": len(text.encode("utf-8")), "lines": doc.line_count, "sentences": sentences,
        "findings": len(findings), "parse_s": c1 - c0, "sentences_s": c2 - c1, "rules_s": c3 - c2,
        "seconds": c3 - c0, "wall_s": t3 - t0, "rss_before_mb": before, "peak_rss_mb": _rss_mb(),
    }


def cli_seconds(kind: str, size: int, corpus: Path) -> float:
    """Wall time of ``healthlint check --exit-zero -q FILE`` on the input, as a new process."""
    script = Path(sys.executable).parent / "healthlint"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "healthlint"]
    with tempfile.TemporaryDirectory(prefix="healthlint-large-") as tmp:
        path = Path(tmp) / f"{kind}.md"
        path.write_text(generate(kind, size, corpus_texts(corpus)), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([*cmd, "check", "--exit-zero", "-q", str(path)], cwd=tmp, stdout=subprocess.DEVNULL, check=False)
        return time.perf_counter() - start


def measure(kind: str, size: int, corpus: Path, with_cli: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind, str(size), "--corpus", str(corpus)],
                         capture_output=True, text=True, check=True)
    row = json.loads(out.stdout)
    if with_cli:
        row["cli_s"] = cli_seconds(kind, size, corpus)
    return row


# -- reporting ----------------------------------------------------------------------------------
def table(rows: list[dict]) -> str:
    head = (f"{'kind':<8} {'size':>5} {'MB':>6} {'parse s':>8} {'sent. s':>8} {'rules s':>8} {'cpu s':>8} {'wall s':>7} "
            f"{'s/MB':>6} {'ratio':>6} {'peak MB':>8} {'+MB':>6}")
    has_cli = any("cli_s" in r for r in rows)
    out = [head + (f" {'cli s':>6}" if has_cli else "")]
    for r in rows:
        line = (f"{r['kind']:<8} {r['multiplier']:>4}x {r['bytes'] / 1e6:>6.2f} {r['parse_s']:>8.2f} {r['sentences_s']:>8.2f} "
                f"{r['rules_s']:>8.2f} {r['seconds']:>8.2f} {r['wall_s']:>7.2f} {r['s_per_mb']:>6.2f} {r['ratio']:>6.2f} "
                f"{r['peak_rss_mb']:>8.0f} {r['peak_rss_mb'] - r['rss_before_mb']:>6.0f}")
        out.append(line + (f" {r['cli_s']:>6.2f}" if has_cli else ""))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of: {', '.join(KINDS)}")
    parser.add_argument("--multipliers", default=",".join(map(str, MULTIPLIERS)), help="sizes, as multiples of 1/8 of the largest")
    parser.add_argument("--scale", type=float, default=1.0, help="scale every size (0.1 for a quick look)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of Markdown texts to build input from")
    parser.add_argument("--cli", action="store_true", help="also time `healthlint check FILE` as a new process")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "BYTES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], int(args.worker[1]), args.corpus)))
        return
    rows = []
    for kind in args.kinds.split(","):
        if kind not in KINDS:
            parser.error(f"unknown kind '{kind}'; choose from {', '.join(KINDS)}")
        base = None
        for mult in (int(m) for m in args.multipliers.split(",")):
            size = int(KINDS[kind] * args.scale * mult / 8)
            row = {"multiplier": mult, **measure(kind, size, args.corpus, args.cli)}
            row["s_per_mb"] = row["seconds"] / (row["bytes"] / 1e6)
            base = base or row["s_per_mb"]
            row["ratio"] = row["s_per_mb"] / base
            rows.append(row)
            if not args.json:
                print(table([row]).splitlines()[1] if len(rows) > 1 else table([row]), flush=True)
    if args.json:
        print(json.dumps({"python": sys.version.split()[0], "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
