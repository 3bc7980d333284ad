"""The parts of bench/race_proselint.py that decide what is measured and how it is judged.

No timing here: the corpus it builds, the process-tree measurement of one run, and the targets'
PASS/FAIL arithmetic on made-up figures.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # the script imports its neighbour machine_info, as when run from there
_spec = importlib.util.spec_from_file_location("race_proselint", ROOT / "bench" / "race_proselint.py")
race = importlib.util.module_from_spec(_spec)
sys.modules["race_proselint"] = race  # dataclasses look their module up by name
_spec.loader.exec_module(race)


def test_bioscope_sentences_become_one_article_per_document(tmp_path):
    rows = [{"text": f"Sentence {i} of a.", "doc_id": "abstracts:1"} for i in range(6)]
    rows.append({"text": "Only sentence of b.", "doc_id": "abstracts:2"})
    path = tmp_path / "bio.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    articles = race.bioscope_articles(path)
    assert set(articles) == {"abstracts-1", "abstracts-2"}
    title, *paragraphs = articles["abstracts-1"].strip().split("\n\n")
    assert title == "# BioScope abstracts:1"
    assert paragraphs == ["Sentence 0 of a. Sentence 1 of a. Sentence 2 of a. Sentence 3 of a.", "Sentence 4 of a. Sentence 5 of a."]


def test_corpus_keeps_sources_apart_and_skips_files_that_are_not_utf8(tmp_path):
    nih, seeds, examples = tmp_path / "nih", tmp_path / "seeds", tmp_path / "examples"
    for folder in (nih, seeds, examples):
        folder.mkdir()
    (nih / "a.md").write_text("# A\n\nOne two three.\n")
    (nih / "labels.jsonl").write_text("{}\n")
    (seeds / "s.txt").write_text("Seed text here.\n")
    (seeds / "EXPECTED.md").write_text("not an article\n")
    (examples / "ok.md").write_text("Fine.\n")
    (examples / "cp1252.md").write_bytes("Caf\u00e9\n".encode("cp1252"))
    parts = race.build_corpus(tmp_path / "out", nih=nih, seeds=seeds, bioscope=tmp_path / "missing.jsonl", examples=examples)
    assert parts == {"nih-dev": {"files": 1, "bytes": 20, "words": 5},
                     "seeds": {"files": 1, "bytes": 16, "words": 3},
                     "examples": {"files": 1, "bytes": 6, "words": 1}}
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.*")) == \
        ["examples/ok.md", "nih-dev/a.md", "seeds/s.txt"]
    copies = race.replicate(tmp_path / "out", tmp_path / "x3", 3)
    assert len(list(copies.rglob("*.md"))) == 6


def test_no_corpus_at_all_is_a_one_line_error(tmp_path):
    with pytest.raises(race.BenchError, match="no corpus"):
        race.build_corpus(tmp_path / "out", nih=tmp_path / "n", seeds=tmp_path / "s", bioscope=tmp_path / "b", examples=tmp_path / "e")


def test_one_run_reports_exit_code_memory_and_every_process_of_the_tree(tmp_path):
    # A parent that holds ~40 MB and starts a child that holds ~40 MB, both alive for 0.5 s.
    child = "import time; b = b'x' * (40 * 2**20); time.sleep(0.5)"
    parent = f"import subprocess, sys; b = b'x' * (40 * 2**20); subprocess.run([sys.executable, '-c', {child!r}]); sys.exit(1)"
    sample = race.run_once([sys.executable, "-c", parent], tmp_path, {})
    assert sample.exit_code == 1
    assert sample.max_rss_mb >= 40
    if sys.platform.startswith("linux"):
        assert sample.processes == 2
        assert sample.tree_rss_mb >= 80


def test_a_run_that_fails_stops_the_bench_with_its_last_message(tmp_path):
    with pytest.raises(race.BenchError, match="exited 2 .*: broken config"):
        race.run_once([sys.executable, "-c", "import sys; print('broken config', file=sys.stderr); sys.exit(2)"], tmp_path, {})


def _summary(tool: str, workload: str, median: float, peak: float = 50.0) -> dict:
    return {"tool": tool, "workload": workload, "runs": 3, "median_s": median, "min_s": median, "peak_mb": peak, "processes": 1}


def _result(series: list[dict]) -> dict:
    return {"healthlint": ["healthlint"], "proselint": "proselint 0.16.0", "series": series}


def test_targets_pass_and_fail_on_the_limits_of_issue_7():
    series = [
        _summary("healthlint", "one file", 0.10), _summary("proselint 0.16.0", "one file", 0.12),
        _summary("healthlint", "corpus 1x", 1.0), _summary("proselint 0.16.0", "corpus 1x", 2.5),
        _summary("healthlint", "corpus 10x", 11.5), _summary("proselint 0.16.0", "corpus 10x", 25.0),
        _summary("healthlint", "corpus 100x", 110.0, peak=151.0), _summary("proselint 0.16.0", "corpus 100x", 250.0),
    ]
    verdicts = {t["target"]: (t["value"], t["pass"]) for t in race.evaluate_targets(_result(series))}
    assert verdicts == {
        "corpus: healthlint time / proselint time": (0.4, True),
        "one file: healthlint time / proselint time": (0.833, True),
        "scaling: healthlint time at 10x / at 1x": (11.5, False),
        "scaling: healthlint time at 100x / at 10x": (9.565, True),
        "memory: healthlint peak (largest on corpus 100x)": (151.0, False),
    }


def test_table_shows_every_tool_ratio_and_verdict():
    series = [_summary("healthlint", "one file", 0.2), _summary("proselint 0.16.0", "one file", 0.1),
              _summary("healthlint", "corpus 1x", 1.0), _summary("proselint 0.16.0", "corpus 1x", 1.0)]
    result = _result(series) | {
        "machine": {"cpu": "Test CPU", "cores": 2, "os": "Linux", "python": "3.11.7"},
        "versions": {"healthlint": "healthlint 0.1.0", "proselint": "proselint 0.16.0"},
        "healthlint_install": "the current environment", "source": "abc1234",
        "corpus": {"files": 2, "bytes": 2_000_000, "words": 300_000, "parts": {"nih-dev": {"files": 2}}},
        "one_file": "examples/careful-dry-skin.md",
    }
    result["targets"] = race.evaluate_targets(result)
    text = race.table(result)
    assert "Test CPU, 2 cores" in text and "2.00 MB" in text
    assert "| healthlint | 200 ms (200 ms) | 1.00 s (1.00 s) |" in text
    assert "| healthlint / proselint | 2.00 | 1.00 |" in text
    assert "- FAIL  one file: healthlint time / proselint time: 2 ratio (limit 1)" in text
    assert "- FAIL  corpus: healthlint time / proselint time: 1 ratio (limit 0.5)" in text
    assert "- PASS  memory: healthlint peak (largest on one file): 50 MB (limit 150)" in text
