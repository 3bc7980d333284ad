"""How fast is the claims family (HL1xx)? Per-rule time on the corpus, and the first-use cost.

    python bench/bench_claims.py [--repeats 7] [--first-use 7] [--corpus DIR]

- per rule: each HL1xx rule run over one copy of the corpus (documents parsed beforehand, with
  their sentences), best of ``--repeats`` passes. Each pass parses fresh documents, so per-document
  caches (the flattened sentences the checks share) are rebuilt and counted, in the rule order of
  the pack (HL101 first pays for them). The warm-up pass reads enough sentences to turn the
  prefilters on (``healthlint.checks.claims.PREFILTER_AFTER``), as a many-file run does;
- first use: in ``--first-use`` new processes, the time to run every HL1xx rule on one file the
  first time (loading the YAML lexicons and compiling their patterns included) and then on a fresh
  parse of the same file; the difference is what the first document pays. Medians.

Times are CPU time of this process (``time.process_time``), best-of and medians, because the
machine may be shared with other work; compare runs made the same way.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "nih-dev"
ONE_FILE = ROOT / "examples" / "careful-dry-skin.md"

_FIRST_USE = r"""
import json, sys, time
from pathlib import Path
from healthlint.config import Settings
from healthlint.document import Document
from healthlint.engine import Linter, load_ruleset
settings = Settings(base=Path(sys.argv[2]), select=["HL1"])
linter = Linter(load_ruleset(settings), settings)
text = Path(sys.argv[1]).read_text(encoding="utf-8")
out = []
for _ in range(2):
    doc = Document(sys.argv[1], text)
    doc.sentences
    t0 = time.process_time()
    for rule in linter.rules:
        for _ in rule.run(doc, linter.options.get(rule.code), settings):
            pass
    out.append((time.process_time() - t0) * 1000)
print(json.dumps(out))
"""


def _settings():
    from healthlint.config import Settings

    return Settings(base=ROOT, select=["HL1"])


def per_rule(files: list[Path], repeats: int) -> dict[str, float]:
    """Best-of-``repeats`` ms per HL1xx rule over one copy of the corpus."""
    from healthlint.document import PLAIN_SUFFIXES, Document
    from healthlint.engine import Linter, load_ruleset

    settings = _settings()
    linter = Linter(load_ruleset(settings), settings)
    texts = [(str(p), p.read_text(encoding="utf-8"), p.suffix.lower() in PLAIN_SUFFIXES) for p in files]
    best: dict[str, float] = {}
    for n in range(repeats + 1):  # the first pass warms up and is not counted
        docs = [Document(path, text, plain=plain) for path, text, plain in texts]
        for doc in docs:
            doc.sentences  # noqa: B018 - parsing, not the rules
        for rule in linter.rules:
            t0 = time.process_time()
            for doc in docs:
                for _ in rule.run(doc, linter.options.get(rule.code), settings):
                    pass
            ms = (time.process_time() - t0) * 1000
            key = f"{rule.code} {rule.name}"
            if n:
                best[key] = min(best.get(key, ms), ms)
    return best


def first_use(file: Path, runs: int) -> dict[str, float]:
    """Median ms of the HL1xx rules on the first and on the second parse of one file, new processes."""
    firsts, seconds = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _FIRST_USE, str(file), str(ROOT)], capture_output=True, text=True, check=True)
        first, second = json.loads(out.stdout)
        firsts.append(first)
        seconds.append(second)
    return {"first_ms": statistics.median(firsts), "second_ms": statistics.median(seconds),
            "first_use_ms": statistics.median(f - s for f, s in zip(firsts, seconds))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--file", type=Path, default=ONE_FILE)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--first-use", type=int, default=7, metavar="RUNS")
    args = parser.parse_args(argv)
    files = sorted(p for p in args.corpus.rglob("*") if p.suffix.lower() in {".md", ".txt", ".markdown"})
    timings = per_rule(files, args.repeats)
    print(f"HL1xx per rule, one copy of {args.corpus.name} ({len(files)} files), best of {args.repeats}:")
    for key, ms in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {ms:7.1f} ms  {key}")
    print(f"  {sum(timings.values()):7.1f} ms  total")
    if args.first_use:
        f = first_use(args.file.resolve(), args.first_use)
        print(f"first use on {args.file.name} (median of {args.first_use} processes): first {f['first_ms']:.1f} ms,"
              f" second {f['second_ms']:.1f} ms, first-use cost {f['first_use_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
