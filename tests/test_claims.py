"""Claims family (HL1xx): positions, hedges, boosters, negations, attribution, contradictions."""

import json
import re
from dataclasses import astuple
from pathlib import Path

import pytest

from healthlint.checks import claims
from healthlint.checks.claims import lexicon, read_sentence
from healthlint.document import Document
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


# -- speed work must not change results ------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OPTIONS = [{}, {"extra-hedges": ["reportedly"], "extra-claims": ["boosts? energy", "x?"]}]


def corpus() -> list[tuple[str, str, bool]]:
    """The examples and seeds, and (when present) BioScope sentences as one long sectioned article."""
    docs = []
    for folder in (EXAMPLES, SHARED / "seeds"):
        if folder.is_dir():
            docs += [(p.name, p.read_bytes().decode("utf-8", "replace"), p.suffix == ".txt") for p in sorted(folder.iterdir()) if p.is_file()]
    bioscope = SHARED / "data" / "bioscope-dev.jsonl"
    if bioscope.is_file():
        rows = [json.loads(line)["text"] for line in bioscope.read_text(encoding="utf-8").splitlines() if line.strip()]
        parts = []
        for k in range(0, min(len(rows), 900), 6):
            if k % 30 == 0:
                parts.append(f"# Part {k}\n")
            parts.append(" ".join(rows[k:k + 6]) + ("\n\nIt is rare. It is common. The cause is unknown." if k % 90 == 0 else ""))
        docs.append(("bioscope.md", "\n\n".join(parts), False))
    return docs


class _Message(str):
    def format(self, *args, **fields) -> str:
        return "|".join(f"{k}={v}" for k, v in sorted(fields.items()))


class _Rule:
    message = _Message()


def findings(after: int, opts: dict) -> list:
    claims.PREFILTER_AFTER = after
    out = []
    for name, text, plain in corpus():
        for check in (claims.unhedged_claim, claims.serious_harm_claim, claims.contradiction):
            doc = Document(name, text, plain=plain)
            out += [(name, check.__name__, astuple(hit)) for hit in check(doc, _Rule, opts, None)]
    return out


@pytest.mark.parametrize("opts", OPTIONS)
def test_prefilters_change_no_finding(monkeypatch, opts):
    monkeypatch.setattr(claims, "PREFILTER_AFTER", claims.PREFILTER_AFTER)
    without = findings(10**9, opts)
    with_them = findings(0, opts)
    assert without and with_them == without


def test_prefilters_wait_until_enough_text_is_read(monkeypatch):
    monkeypatch.setattr(claims, "PREFILTER_AFTER", 10**9)
    gate = claims.Gate(lambda: claims._RARE)
    assert gate.needles() is None
    monkeypatch.setattr(claims, "PREFILTER_AFTER", 0)
    assert gate.needles() is not None and " rare " in gate.needles().words


def sentences_of_corpus() -> list[str]:
    return [" ".join(s.text.split()) for name, text, plain in corpus() for s in Document(name, text, plain=plain).sentences]


def test_the_checks_decide_each_sentence_as_read_sentence_does():
    lex = lexicon()
    for text in sentences_of_corpus():
        reading, claim = read_sentence(lex, text), claims.unhedged_claim_in(lex, text)
        assert reading.unhedged_claim == (claim is not None), text
        if claim is not None:
            assert (claim.span(), claim.lastgroup) == (reading.claim.span(), reading.claim_kind)


def test_claims_of_the_kinds_that_can_match_are_the_claims():
    lex = lexicon()
    for text in sentences_of_corpus():
        kinds = [k for k in lex.kind_gates if lex.kind_pattern(k).search(text)]
        expected = [(m.span(), m.lastgroup) for m in lex.claims.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in claims._claims_of(lex, text, kinds)] == expected, text


def test_clause_before_is_the_words_before_a_position():
    words_before = {4: re.compile(r"(?:\S+\s+){0,4}$"), 7: re.compile(r"(?:\S+\s+){0,7}$")}
    for text in sentences_of_corpus()[:150] + ["a, b;c: d", " x", ",,, ; ;", ""]:
        text = " ".join(text.split())
        for start in range(len(text) + 1):
            for span, words in ((60, 4), (90, 7)):
                window = words_before[words].search(text, max(0, start - span), start)
                assert claims._clause_before(text, start, span, words) == re.split(r"[,;:]", window.group())[-1]


def test_facts_take_their_subject_from_the_sentences_before():
    text = ("# Milia\n\nMilia syndrome is a rare skin disorder. It affects the face.\n\nThe condition is common in babies.\n\n"
            "# Causes\n\nIt is caused by a gene. Lichen planus is rare.\n\nThis disorder is common, and it is caused by stress.\n")
    facts = list(claims._facts(Document("a.md", text)))
    assert [(f.kind, f.value, f.subject) for f in facts] == [
        ("rarity", "rare", "milia syndrome"), ("rarity", "common", "milia syndrome"),
        ("cause", "a gene", ""), ("rarity", "rare", "lichen planus"),
        ("rarity", "common", "lichen planus"), ("cause", "stress", "lichen planus"),
    ]


def test_facts_are_the_same_read_in_full_or_from_the_candidates(monkeypatch):
    monkeypatch.setattr(claims, "PREFILTER_AFTER", 0)
    for name, text, plain in corpus():
        fast = [astuple(f) for f in claims._facts(Document(name, text, plain=plain))]
        monkeypatch.setattr(claims, "PREFILTER_AFTER", 10**9)
        slow = [astuple(f) for f in claims._facts(Document(name, text, plain=plain))]
        monkeypatch.setattr(claims, "PREFILTER_AFTER", 0)
        assert fast == slow, name


@pytest.mark.parametrize(("text", "flagged"), [
    ("This cream treats acne.", True),
    ("The clinic treats eczema as a long-term condition.", False),  # how it is regarded, not what works
    ("It may be treated with creams.", False),
    ("Relapsed cancer has come back after it has been treated.", False),  # passive, descriptive
])
def test_treats_is_a_treatment_claim(text, flagged):
    """'treats' once never matched: its pattern ended in a space, and cues must end at a word's end."""
    found = lint_text(text, select=["HL101"])
    assert bool(found) is flagged, found
    if flagged:
        assert found[0].excerpt == "treats" and found[0].column == text.index("treats") + 1
