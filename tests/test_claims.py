"""Claims family (HL1xx): positions, hedges, boosters, negations, attribution, contradictions."""

from pathlib import Path

import pytest

from healthlint.checks.claims import lexicon, read_sentence
from healthlint.engine import lint_text

SHARED = Path(__file__).resolve().parents[2] / "shared"


def codes(text, select, path="a.md"):
    return [(f.code, f.line, f.column, f.end_column, f.severity) for f in lint_text(text, path=path, select=select)]


def test_unhedged_claim_points_at_the_trigger():
    text = "# Milia\n\nMilia are small cysts. They are caused by trapped keratin.\n"
    found = lint_text(text, select=["HL101"])
    assert [(f.line, f.column, f.end_column, f.excerpt) for f in found] == [(3, 29, 42, "are caused by")]
    assert "may be caused by" in found[0].message and "cite" in found[0].message


@pytest.mark.parametrize("sentence", [
    "Milia may be caused by trapped keratin.",
    "Milia are thought to be caused by trapped keratin.",
    "In some people, milia are caused by sun damage.",
    "Milia are often caused by sun damage.",
    "Sun damage is linked to milia.",
    "Milia are caused by trapped keratin [1].",
    "Milia are caused by trapped keratin, according to the American Academy of Dermatology.",
    "Milia are caused by trapped keratin ([AAD](https://www.aad.org/)).",
    "Milia are not caused by poor hygiene.",
    "Are milia caused by trapped keratin?",
    "Ask your doctor what causes your rash.",
    "It is a myth that chocolate causes acne.",
    "Researchers are testing ways to prevent milia.",
])
def test_not_an_unhedged_claim(sentence):
    assert codes(sentence, ["HL101"]) == []


def test_booster_raises_severity_to_error():
    found = lint_text("This cream always cures acne.", select=["HL101"])
    assert [f.severity for f in found] == ["error"]
    assert '"always"' in found[0].message


def test_heading_is_not_a_claim_but_body_is():
    found = lint_text("# Vitamin D prevents colds\n\nVitamin D prevents colds.\n", select=["HL101"])
    assert [(f.line, f.column) for f in found] == [(3, 11)]


def test_serious_harm_claim_even_when_hedged():
    text = "Milia are common.\nIn some cases, milia can lead to skin cancer if left untreated.\n"
    found = lint_text(text, path="a.txt", select=["HL102", "HL101"])
    assert [(f.code, f.line, f.column, f.excerpt, f.severity) for f in found] == [
        ("HL102", 2, 26, "lead to skin cancer", "error"),
    ]


def test_serious_harm_claim_with_source_is_fine():
    assert codes("Smoking causes lung cancer [2].", ["HL102"]) == []


def test_risk_and_treatment_language_is_not_a_harm_claim():
    assert codes("Chemotherapy uses drugs to kill cancer cells.", ["HL102"]) == []
    assert codes("Trials test whether new treatments are safe.", ["HL102"]) == []


def test_contradiction_names_the_earlier_line():
    text = "Milia syndrome is a rare skin disorder.\n\nIt affects the face.\n\nMilia syndrome is a common skin condition.\n"
    found = lint_text(text, select=["HL106"])
    assert [(f.line, f.column) for f in found] == [(5, 16)]
    assert "line 1 says it is rare" in found[0].message


def test_comparative_common_is_not_a_contradiction():
    text = "Milia syndrome is a rare skin disorder.\n\nIt is more common in children than adults.\n"
    assert codes(text, ["HL106"]) == []


def test_cause_unknown_against_stated_cause():
    text = "Lichen planus is caused by a virus.\n\nThe cause of lichen planus is unknown.\n"
    found = lint_text(text, select=["HL106"])
    assert [f.line for f in found] == [3]
    assert "line 1" in found[0].message


def test_vague_attribution_and_named_source():
    assert [c[0] for c in codes("Studies show that zinc shortens colds.", ["HL105"])] == ["HL105"]
    assert codes("A 2020 study published in JAMA found that zinc shortens colds.", ["HL105"]) == []


def test_red_flag_not_flagged_in_a_warning():
    assert codes("Beware of products promising a miracle cure.", ["HL103"]) == []
    assert [c[4] for c in codes("This miracle cream works.", ["HL103"])] == ["error"]


def test_team_can_extend_hedges_through_options(tmp_path):
    from healthlint.config import Settings
    from healthlint.engine import Linter, load_ruleset
    from healthlint.document import Document

    settings = Settings(select=["HL101"], rule_options={"unhedged-claim": {"extra-hedges": ["reportedly"]}})
    linter = Linter(load_ruleset(settings), settings)
    assert linter.lint(Document("a.md", "Milia are reportedly caused by trapped keratin.\n")) == []
    assert linter.lint(Document("a.md", "Milia are caused by trapped keratin.\n"))


def test_lexicon_reads_lay_hedges():
    lex = lexicon()
    for sentence in ["Eczema tends to run in families.", "For many people, moisturiser helps.", "Stress is linked to flares."]:
        assert read_sentence(lex, sentence).hedged, sentence


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds not present")
def test_seed_expectations():
    seeds = SHARED / "seeds"
    bad = lint_text((seeds / "001_9da9379b0cc11456.txt").read_text(encoding="utf-8"), path="001.txt",
                    select=["HL1"])
    lines = {(f.rule, f.line) for f in bad}
    for expected in [("unhedged-claim", 1), ("unhedged-claim", 3), ("unhedged-claim", 4), ("unhedged-claim", 34),
                     ("serious-harm-claim", 28), ("overpromise", 1), ("overpromise", 14), ("overpromise", 26),
                     ("overpromise", 36), ("contradiction", 36), ("contradiction", 9)]:
        assert expected in lines, expected
    careful = lint_text((seeds / "000_11057d99e9ed3914.txt").read_text(encoding="utf-8"), path="000.txt", select=["HL101"])
    assert len(careful) <= 2
    vague = lint_text((seeds / "002_5cd2f6f01ceb6730.txt").read_text(encoding="utf-8"), path="002.txt", select=["HL105"])
    assert {f.line for f in vague} == {4}
