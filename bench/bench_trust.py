"""How long the trust family (HL2xx) takes: per rule on fresh documents, and its first use.

Run from the repository, with the Python that has healthlint installed:

    python bench/bench_trust.py            # 7 rounds
    python bench/bench_trust.py --runs 15

Measures CPU time (``time.process_time``, steadier than the wall clock on a shared machine):

- per rule, on one copy of the corpus (``../shared/data/nih-dev/`` when present, else
  ``examples/``), each round on freshly parsed documents, as in a real run: a rule that is the
  first to need something built once per document (the word index of
  ``healthlint/checks/phrase_search.py``, the front-matter fields) pays for it, so the rules run
  in the engine's order. The best round is shown, next to the same rule run again on the same
  documents (what ``bench_run.py --per-rule`` measures, with every per-document result already
  remembered);
- first use: the family on one article after every cache is emptied (the YAML data, the phrase
  lists, the regex cache), as in a one-file run, next to the same article a second time.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from healthlint import datafiles
from healthlint.checks import trust_data
from healthlint.config import Settings
from healthlint.document import Document
from healthlint.engine import Linter, load_ruleset
from healthlint.files import decode

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "nih-dev"
ONE_FILE = ROOT / "examples" / "careful-dry-skin.md"
clock = time.process_time


def forget_everything() -> None:
    """Empty the caches a new process starts without."""
    re.purge()
    datafiles.load_yaml.cache_clear()
    trust_data.lexicon.cache_clear()
    for name in ("_phrase_list", "_phrases"):  # the phrase lists with options (as far as this version has them)
        cached = getattr(trust_data, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def fresh(blobs: list[tuple[str, str]]) -> list[Document]:
    docs = [Document(path, text) for path, text in blobs]
    for doc in docs:
        doc.sentences  # noqa: B018 - parsing, not the rules
    return docs


def run(rule, doc, linter, settings) -> None:
    for _ in rule.run(doc, linter.options.get(rule.code), settings):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    settings = Settings(base=ROOT)
    linter = Linter(load_ruleset(settings), settings)
    rules = [r for r in linter.rules if r.code.startswith("HL2")]

    text = ONE_FILE.read_text(encoding="utf-8")
    first, second = [], []
    for _ in range(args.runs):
        forget_everything()
        for out in (first, second):
            (doc,) = fresh([(str(ONE_FILE), text)])
            t0 = clock()
            for rule in rules:
                run(rule, doc, linter, settings)
            out.append((clock() - t0) * 1000)
    print(f"first use, {ONE_FILE.name}: {min(first):.1f} ms (then {min(second):.2f} ms for the same article again)")

    folder = CORPUS if CORPUS.is_dir() else ROOT / "examples"
    blobs = [(str(p), decode(p.read_bytes())[0]) for p in sorted(folder.iterdir()) if p.suffix in (".md", ".txt")]
    fresh_ms: dict[str, float] = {}
    again_ms: dict[str, float] = {}
    totals = []
    for _ in range(args.runs):
        docs = fresh(blobs)
        total = 0.0
        for measured in (fresh_ms, again_ms):
            for rule in rules:
                t0 = clock()
                for doc in docs:
                    run(rule, doc, linter, settings)
                ms = (clock() - t0) * 1000
                key = f"{rule.code} {rule.name}"
                measured[key] = min(measured.get(key, float("inf")), ms)
                if measured is fresh_ms:
                    total += ms
        totals.append(total)
    print(f"\n{folder.name}: {len(blobs)} files, best of {args.runs} rounds")
    print(f"  {'fresh documents':>15}  {'same again':>10}  rule")
    for key, ms in sorted(fresh_ms.items(), key=lambda kv: -kv[1]):
        print(f"  {ms:12.2f} ms  {again_ms[key]:7.2f} ms  {key}")
    print(f"  {min(totals):12.2f} ms  {'':10}  all HL2 rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
