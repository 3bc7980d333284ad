"""The readability family (HL4xx): grades, positions, options, explanations, and no downloads."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.checks.grade import TextCounts, flesch_kincaid, grade, smog, syllables
from healthlint.checks.plain_language import jargon_entries, long_form_match
from healthlint.checks.readability import document_grade, load_data
from healthlint.config import Settings
from healthlint.document import Document
from healthlint.engine import lint_text
from healthlint.files import decode

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def lint(text: str, code: str, path: str = "draft.md", **rule_options) -> list:
    settings = Settings(rule_options=rule_options)
    return [f for f in lint_text(text, path=path, select=[code], settings=settings) if f.code == code]


def at(findings) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in findings]


# -- syllables and formulas ------------------------------------------------------------------------
@pytest.mark.parametrize("word,count", [
    ("cat", 1), ("the", 1), ("are", 1), ("skin", 1), ("care", 1), ("health", 1), ("called", 1),
    ("people", 2), ("table", 2), ("treated", 2), ("changes", 2), ("tissue", 2), ("patient", 2),
    ("doctor", 2), ("fluid", 2), ("being", 2), ("diet", 2), ("likely", 2), ("sometimes", 2), ("muscles", 2),
    ("area", 3), ("idea", 3), ("surgery", 3), ("serious", 3), ("condition", 3), ("bacteria", 4),
    ("leukemia", 4), ("medication", 4), ("inflammation", 4), ("associate", 4), ("radiation", 4),
    ("chemotherapy", 5), ("dermatologist", 5), ("HIV", 3), ("MRI", 3), ("", 0), ("42", 0),
])
def test_syllables_of_words_checked_by_hand(word, count):
    assert syllables(word) == count


def test_flesch_kincaid_and_smog_follow_their_published_formulas():
    c = TextCounts(sentences=2, words=20, syllables=30, polysyllables=3)
    assert flesch_kincaid(c) == pytest.approx(0.39 * 10 + 11.8 * 1.5 - 15.59)
    assert smog(TextCounts(30, 400, 600, 30)) == pytest.approx(1.0430 * 30 ** 0.5 + 3.1291)
    assert grade(TextCounts(29, 400, 600, 30))[0] == "Flesch-Kincaid"
    assert grade(TextCounts(30, 400, 600, 30))[0] == "SMOG"


# -- HL401 reading-grade ---------------------------------------------------------------------------
HARD = (
    "Pharmacological management frequently incorporates angiotensin-converting enzyme inhibitors, "
    "individualized according to comorbidities and physiological characteristics. "
)
EASY = "You can take a walk each day. It is good for your heart. "


def test_reading_grade_is_one_finding_at_line_1_naming_formula_and_grade():
    text = "# Blood pressure\n\n" + HARD * 8
    found = lint(text, "HL401")
    assert at(found) == [(1, 1)]
    assert "Flesch-Kincaid" in found[0].message
    g = document_grade(Document("d.md", text))
    assert f"grade {g.grade:.1f}" in found[0].message and "target of grade 8" in found[0].message


def test_smog_from_30_sentences_flesch_kincaid_below():
    assert "(SMOG)" in lint(HARD * 30, "HL401")[0].message
    assert "(Flesch-Kincaid)" in lint(HARD * 29, "HL401")[0].message


def test_easy_text_and_short_text_are_not_graded_as_too_hard():
    assert lint(EASY * 20, "HL401") == []
    assert lint(HARD * 3, "HL401") == []  # under 100 words: no grade


def test_headings_reference_lists_and_code_are_not_counted():
    body = EASY * 20
    base = document_grade(Document("d.md", body)).counts
    heavy = "Pharmacological Considerations Regarding Antihypertensive Administration"
    with_extras = (
        f"# {heavy}\n\n{body}\n\n```\n{HARD * 5}\n```\n\n## References\n\n"
        f"- Smith J, et al. {heavy}. J Hypertens. 2019;12:45-67.\n- {HARD}\n"
    )
    assert document_grade(Document("d.md", with_extras)).counts == base
    assert lint(with_extras, "HL401") == []


def test_a_reference_section_ends_at_the_next_heading_of_its_level():
    text = f"## Sources\n\n{HARD * 8}\n\n## Treatment\n\n{HARD * 8}"
    assert document_grade(Document("d.md", text)).counts.sentences == 8


def test_reading_grade_target_is_configurable():
    text = HARD * 8
    assert lint(text, "HL401", **{"reading-grade": {"max-grade": 40}}) == []
    assert "target of grade 12" in lint(text, "HL401", **{"reading-grade": {"max-grade": 12}})[0].message


def test_reading_grade_names_the_hardest_paragraph():
    text = f"# Title\n\n{EASY * 10}\n\n{HARD * 4}\n\n{EASY * 10}\n"
    assert "hardest paragraph (line 5)" in lint(text, "HL401")[0].message


# -- HL402 long-sentence ---------------------------------------------------------------------------
LONG = ("It is important to note that the cream can take several weeks to work, so you should keep "
        "using it every day even when the spots seem to stay the same for a while.")


def test_long_sentence_at_its_exact_start_with_word_count():
    line = f"Milia are small cysts. Most go away. {LONG} They are harmless."
    text = f"Title Line\n{line}\n{LONG}\n"
    found = lint(text, "HL402", path="seedlike.txt")
    assert at(found) == [(2, line.index("It is important") + 1), (3, 1)]
    assert all("has 34 words" in f.message for f in found)


def test_long_sentence_column_after_markdown_markers():
    found = lint(f"> {LONG}\n\n- {LONG}\n", "HL402")
    assert at(found) == [(1, 3), (3, 3)]


def test_long_sentence_limit_is_configurable():
    assert lint(LONG, "HL402", **{"long-sentence": {"max": 40}}) == []


# -- HL403 long-paragraph --------------------------------------------------------------------------
def test_long_paragraph_by_sentences_or_words():
    seven = "Milia are small. " * 7
    assert at(lint(f"Intro line.\n\n{seven}", "HL403")) == [(3, 1)]
    long_words = " ".join(["word"] * 151) + "."
    found = lint(long_words, "HL403")
    assert "1 sentences and 151 words (more than 150 words)" in found[0].message
    assert lint(long_words, "HL403", **{"long-paragraph": {"max-words": 0}}) == []


# -- HL404 passive-voice ---------------------------------------------------------------------------
def test_passive_voice_regular_irregular_and_adverbs():
    text = "The sample is taken in clinic. It was then sent away. Results are usually posted."
    found = lint(text, "HL404")
    assert at(found) == [(1, 12)]
    assert '"is taken" is one of 3 verbs' in found[0].message
    every = lint(text, "HL404", **{"passive-voice": {"per-paragraph": 0}})
    assert [f.excerpt for f in every] == ["is taken", "was then sent", "are usually posted"]


def test_passive_with_an_agent_states_and_names_are_not_counted():
    text = ("Milia are caused by trapped keratin. The area is swollen. This is called milia en plaque. "
            "It is associated with sun damage. It is thought to be common. The cream is applied once.")
    every = lint(text, "HL404", **{"passive-voice": {"min-per-paragraph": 1, "per-paragraph": 0}})
    assert [f.excerpt for f in every] == ["is applied"]
    assert len(lint(text, "HL404", **{"passive-voice": {"min-per-paragraph": 1}})) == 1
    with_agent = lint(text, "HL404", **{"passive-voice": {"min-per-paragraph": 1, "per-paragraph": 0, "agentless-only": False}})
    assert [f.excerpt for f in with_agent] == ["are caused", "is applied"]


def test_passive_voice_not_in_headings_and_allow_list():
    assert lint("# Milia are removed and are drained\n\nShort text here.", "HL404") == []
    text = "Your skin is examined. Then it is cleaned."
    assert len(lint(text, "HL404")) == 1
    assert lint(text, "HL404", **{"passive-voice": {"allow": ["examined"]}}) == []


def test_passive_voice_can_be_turned_off():
    settings = Settings(ignore=["passive-voice"])
    assert not [f for f in lint_text("It is taken. It is sent.", settings=settings) if f.code == "HL404"]


# -- HL405 jargon ----------------------------------------------------------------------------------
def test_jargon_list_is_large_and_covers_each_kind():
    data = load_data("jargon.yaml")
    assert len(jargon_entries()) >= 200
    assert {"conditions", "tests", "body parts", "treatments"} <= set(data)
    assert jargon_entries()["myocardial infarction"][0] == "heart attack"
    assert jargon_entries()["dermatitis"][0] == "skin inflammation"


def test_jargon_flagged_once_at_first_unexplained_use_with_suggestion():
    text = "Ask about hypertension.\nHypertension is common. Biopsies are quick."
    found = lint(text, "HL405")
    assert at(found) == [(1, 11), (2, 25)]
    assert found[0].suggestion == "high blood pressure" and found[1].excerpt == "Biopsies"


@pytest.mark.parametrize("sentence,term", [
    ("Hypertension (high blood pressure) is common.", "hypertension"),
    ("High blood pressure (hypertension) is common.", "hypertension"),
    ("High blood pressure, also called hypertension, is common.", "hypertension"),
    ("High blood pressure, also known as hypertension, is common.", "hypertension"),
    ("Dyspnea, which means shortness of breath, is common.", "dyspnea"),
    ("Itching, or pruritus, is common.", "pruritus"),
    ("Pruritus, or itching, is common.", "pruritus"),
    ("Hypertension is a condition in which blood pressure stays high.", "hypertension"),
])
def test_jargon_explained_in_the_same_sentence_is_not_flagged_then_or_later(sentence, term):
    assert lint(f"{sentence} Later we say {term} again.", "HL405") == []


def test_jargon_in_a_list_with_or_is_not_an_explanation():
    assert at(lint("You may have fever, cough, or dyspnea.", "HL405")) == [(1, 31)]


def test_jargon_explained_later_is_flagged_at_first_use_and_headings_are_skipped():
    text = "# Hypertension\n\nHypertension is common.\n\nHypertension (high blood pressure) harms the heart."
    assert at(lint(text, "HL405")) == [(3, 1)]


def test_jargon_options_extra_and_allow():
    assert at(lint("The lesion healed and the nevus faded.", "HL405", jargon={"extra": {"nevus": "mole"}})) == [(1, 5), (1, 27)]
    assert lint("The lesion healed.", "HL405", jargon={"allow": ["lesion"]}) == []


# -- HL406 undefined-abbreviation ------------------------------------------------------------------
def test_abbreviation_before_its_expansion_points_at_the_expansion_line():
    text = "DLE can scar.\n\nDiscoid lupus erythematosus (DLE) affects the skin."
    found = lint(text, "HL406")
    assert at(found) == [(1, 1)] and "on line 3" in found[0].message


def test_abbreviation_without_expansion_suggests_the_words_found_elsewhere():
    text = "# Childhood Acute Lymphoblastic Leukemia\n\nChildren with ALL need care. ALL is treatable."
    found = lint(text, "HL406")
    assert at(found) == [(3, 15)]
    assert '"Acute Lymphoblastic Leukemia (ALL)"' in found[0].message
    # lower-case words that happen to start with the right letters are no expansion
    found = lint("The gut gets inflamed. See a GI doctor.", "HL406")
    assert "gets inflamed" not in found[0].message and "in full the first time" in found[0].message


@pytest.mark.parametrize("text", [
    "Discoid lupus erythematosus (DLE) affects the skin. DLE can scar.",
    "DLE (discoid lupus erythematosus) affects the skin. DLE can scar.",
    "Epidermolysis bullosa acquisita (EBA) is rare. EBA blisters.",
    "Changes in the COL17A1 gene cause it. COL17A1 is large.",
    "You may need an MRI or a CT scan. Ask about DNA tests and HIV.",
    "DO NOT STOP TAKING YOUR MEDICINE WITHOUT ADVICE.",
    "# IBS\n\nIrritable bowel syndrome (IBS) is common.",
    "Type II diabetes is common.",
])
def test_defined_known_and_non_abbreviations_are_quiet(text):
    assert lint(text, "HL406") == []


def test_known_abbreviations_are_configurable_and_plurals_share_a_key():
    assert lint("Most IBS symptoms ease.", "HL406", **{"undefined-abbreviation": {"known": ["IBS"]}}) == []
    assert at(lint("Two MRAs were done. One MRA was clear.", "HL406")) == [(1, 5)]


def test_schwartz_hearst_long_form_match():
    assert long_form_match("DLE", "with discoid lupus erythematosus") == "discoid lupus erythematosus"
    assert long_form_match("DLE", "with a rash") is None


# -- HL407 relative-risk-only ----------------------------------------------------------------------
@pytest.mark.parametrize("text,column", [
    ("The drug cuts the risk of stroke by 50%.", 10),
    ("Smokers are twice as likely to get it.", 13),
    ("It doubles the risk of a fall.", 4),
    ("Walkers had a 30% lower risk of dying early. They slept well.", 15),
])
def test_relative_change_alone_is_flagged(text, column):
    assert at(lint(text, "HL407")) == [(1, column)]


@pytest.mark.parametrize("text", [
    "The drug cuts the risk of stroke by 50%, from 2 in 100 people to 1 in 100.",
    "The drug cuts the risk of stroke by 50%. Without it, 4 in 1,000 people have a stroke.",
    "The risk fell by 40%, from 10% to 6%.",
    "About 45% of adults have it.",
])
def test_relative_change_with_absolute_numbers_is_quiet(text):
    assert lint(text, "HL407") == []


# -- HL408 too-many-numbers ------------------------------------------------------------------------
def test_numbers_in_names_are_not_counted():
    assert lint("Type 2 diabetes, stage 3 kidney disease and grade 1 tumours need 2 checks.", "HL408") == []
    assert at(lint("Of 40 adults, 12 improved in 6 weeks and 20 in 12.", "HL408")) == [(1, 42)]


# -- offline, no textstat, no downloads -------------------------------------------------------------
def test_grades_never_touch_the_network_nor_need_textstat(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"tried to connect: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setitem(sys.modules, "textstat", None)  # importing it now raises ImportError
    monkeypatch.setitem(sys.modules, "pkg_resources", None)
    found = lint(HARD * 30, "HL401") + lint(HARD * 8, "HL401")
    assert ["SMOG" in found[0].message, "Flesch-Kincaid" in found[1].message] == [True, True]


def test_importing_the_readability_checks_does_not_import_textstat():
    code = "import sys, healthlint.engine, healthlint.checks.readability; print('textstat' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_metric_rules_work_without_pkg_resources(monkeypatch):
    from healthlint.ruletypes import Metric

    monkeypatch.delitem(sys.modules, "textstat", raising=False)
    monkeypatch.delitem(sys.modules, "textstat.textstat", raising=False)
    monkeypatch.setitem(sys.modules, "pkg_resources", None)
    metric = Metric({"metric": "flesch-kincaid-grade", "scope": "document", "max": 1}, "grade")

    class _Rule:
        message = "{value}"

    assert list(metric.check(Document("d.md", HARD * 8), _Rule(), {"max": 1, "min": None}))


# -- the seeds and the dev set (skipped when ../shared is absent) ---------------------------------
def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def test_seed_001_long_sentences_at_expected_columns_and_a_grade():
    path = _shared("seeds/001_9da9379b0cc11456.txt")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    findings = lint_text(text, path=str(path), select=["HL401", "HL402"])
    longs = {(f.line, f.column): f.message for f in findings if f.code == "HL402"}
    assert len(longs) > 20
    assert "37 words" in longs[(6, lines[5].index("It is important to note") + 1)]
    assert "34 words" in longs[(30, 1)]
    assert any(line == 20 and "34 words" in m for (line, _), m in longs.items())
    grades = [f for f in findings if f.code == "HL401"]
    assert at(grades) == [(1, 1)] and "(SMOG)" in grades[0].message


def test_info_findings_do_not_outnumber_warnings_on_the_nih_dev_set():
    folder = _shared("data/nih-dev")
    counts = {"warning": 0, "info": 0}
    for path in sorted(folder.glob("*.md")):
        for f in lint_text(path.read_text(encoding="utf-8"), path=str(path), select=["HL4"]):
            counts[f.severity] += 1
    assert counts["warning"] > 0 and counts["info"] <= counts["warning"], counts


# -- the fast paths give what the plain ways give ----------------------------------------------------
# Each shortcut the HL4xx checks take for speed is compared here with the direct computation it
# replaces, on the repository's examples, the shared seeds and dev set when present, and texts
# made to be awkward (words run together, Turkish dotted and dotless i, long s, the Kelvin sign).
AWKWARD = [
    "Milia are common.They go away.Most people in the States.1 It is fine. Dr. Smith said so.",
    "ACUTE LYMPHOBLASTIC LEUKEMIA (ALL) is treated. Acute Lymphoblastic Leukemia of the blood is ALL.",
    "It ıs often treated. İT İS GIVEN. The risk was cut by 50%. It halves the rısk. Two-fold risk.",
    "Twıce as likely. It doubles the ſhance. The odds rose by 3 percent. x-is taken, y'is seen.",
    "- one item\n- Two Items here\n\n1. Numbered, et al. 2019;12:3\n\nA para\nover lines: Next Line Here",
    "Department Of Transportation (DOT) rules. The NIH and the CDC. mRNA and eGFR. COVID-19, SARS-CoV-2.",
    "Hypertension, or high blood pressure. Atrial fibrillation is common. Heart failure with reduced "
    "ejection fraction. Diabetes mellitus, which means diabetes.",
]


def _documents() -> list[Document]:
    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "examples").glob("*.md"))
    for relative in ("seeds", "data/nih-dev"):
        if (SHARED / relative).exists():
            paths += sorted(p for p in (SHARED / relative).iterdir() if p.suffix in (".md", ".txt"))
    docs = []
    for path in paths:
        text, problems = decode(path.read_bytes())
        docs.append(Document(str(path), text, plain=path.suffix == ".txt", problems=problems))
    return docs + [Document(f"awkward{i}.md", text) for i, text in enumerate(AWKWARD)]


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return _documents()


def test_yaml_word_lists_hold_only_text():
    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str), f"{where}: key {key!r}"
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            assert all(isinstance(item, str) for item in value), f"{where}: {[i for i in value if not isinstance(i, str)]}"
        else:
            assert isinstance(value, str), f"{where}: {value!r} (quote it: YAML reads NO, YES, ON as true/false)"

    for name in ("readability.yaml", "jargon.yaml"):
        walk(load_data(name), name)


def test_no_and_yes_in_capitals_are_not_abbreviations():
    assert lint("Say NO to sugary drinks and YES to water.", "HL406") == []


def test_block_words_are_counted_directly_when_sentences_do_not_tile_the_block():
    from healthlint.checks.readability import block_word_count
    from healthlint.document import Sentence

    doc = Document("d.md", "Hello wonderful world")
    block = doc.blocks[0]
    doc.__dict__["sentences"] = [Sentence(0, 9, doc.masked[0:9], block), Sentence(9, 21, doc.masked[9:21], block)]
    assert block_word_count(doc, block) == 3  # the sentences' words would make 4: "wo" + "nderful"


def test_sentence_and_block_words_match_the_document(documents):
    from healthlint.checks.readability import block_word_count, sentence_range, sentence_words

    for doc in documents:
        assert sentence_words(doc) == [doc.words(s.start, s.end) for s in doc.sentences]
        for block in doc.blocks:
            lo, hi = sentence_range(doc, block)
            assert doc.sentences[lo:hi] == doc.sentences_between(block.start, block.end)
            assert block_word_count(doc, block) == len(doc.words(block.start, block.end)), (doc.path, block)


def test_count_words_adds_up_syllables_and_long_words(documents):
    from healthlint.checks.grade import count_words

    words = [w for doc in documents[-8:] for w in doc.words(0, len(doc.masked))] + ["42", "", "HIV"]
    each = [syllables(w) or 1 for w in words]
    assert count_words(words, 3) == TextCounts(3, len(words), sum(each), sum(n >= 3 for n in each))


def test_jargon_prefilter_never_hides_a_term(documents):
    from healthlint.checks.plain_language import _jargon
    from healthlint.checks.readability import body_sentence_words

    index = _jargon((("heart failure", "x"), ("dry skin", "y")), ())
    seen = 0
    for doc in documents:
        for s, words in body_sentence_words(doc):
            found = list(index.find(doc.masked, s.start, s.end))
            seen += bool(found)
            assert not found or index.may_occur(words), s.text
    assert seen > 5


def _fuzz(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = __import__("random").Random(seed)
    seps = [" ", "  ", "\n", "", "-", ". ", " (", ")", "'", "’"]
    return ["".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(1, 8))) for _ in range(count)]


def test_abbreviation_search_finds_what_the_plain_pattern_and_key_find(documents):
    import re

    from healthlint.checks.plain_language import _ABBREVIATION, abbreviation_key

    plain = re.compile(r"(?<![\w'’-])[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?![\w'’-])")
    pieces = ["DNA", "Ab", "ABs", "aB", "A-B", "x", "9", "_", "COVID-19", "mRNA", "K"]
    texts = [d.masked for d in documents] + _fuzz(pieces, 3000, 1)
    for text in texts:
        for start in (0, len(text) // 3):
            want = [m.span() for m in plain.finditer(text, start) if abbreviation_key(m.group())]
            assert [m.span() for m in _ABBREVIATION.finditer(text, start) if abbreviation_key(m.group())] == want


def _spelled_out_directly(text: str, key: str, skip: frozenset[str]) -> str | None:
    """spelled_out as first written: every candidate word of the text, then a walk along them."""
    import re

    letters = key.lower()
    if not letters.isalpha() or len(letters) < 2:
        return None
    words = [m for m in re.finditer(r"[A-Za-z][\w'’-]*", text) if m.group()[0].isupper() or m.group().lower() in skip]
    for i, first in enumerate(words):
        if first.group()[0].lower() != letters[0] or not first.group()[0].isupper():
            continue
        j, k = i + 1, 1
        while k < len(letters) and j < len(words) and text[words[j - 1].end():words[j].start()].isspace():
            w = words[j].group()
            if w[0].isupper() and w[0].lower() == letters[k]:
                k += 1
            elif w.lower() not in skip:
                break
            j += 1
        if k == len(letters):
            return text[first.start():words[j - 1].end()]
    return None


def test_spelled_out_finds_what_a_walk_over_every_word_finds(documents):
    from healthlint.checks.plain_language import _abbrev_data, spelled_out

    skip = _abbrev_data(()).skip_words
    pieces = ["Acute", "Lymph", "Leukemia", "of", "OF", "Of", "the", "on", "x", "9Km", "éL", "a-Lymph", "L", "A",
              "ıf", "İn", "Ab_L"]
    for text in [d.masked for d in documents[-10:]] + _fuzz(pieces, 4000, 2):
        for key in ("AL", "ALL", "AOL", "LL", "DOT", "NIH", "GI", "A"):
            assert spelled_out(text, key, skip) == _spelled_out_directly(text, key, skip), (text, key)


def test_leaping_word_alternation_finds_what_a_case_blind_one_finds():
    import re

    from healthlint.checks.readability import word_start_alternation

    words = load_data()["passive"]["be"] + ["kit", "so"]
    fast = re.compile(word_start_alternation(words) + r"\s")
    plain = re.compile(rf"(?i:\b(?:{'|'.join(sorted(map(re.escape, words), key=len, reverse=True))}))\s")
    pieces = ["is", "IS", "ıs", "İs", "isn't", "WEREN'T", "being", "be", "this", "x-", "_", "9", "\u212ait", "ſo", "a"]
    for text in _fuzz(pieces, 4000, 3):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def _holds_a_cue(pattern: str, cues: list[str]) -> bool:
    """True when every match of ``pattern`` (case-blind) has a digit or one of ``cues`` in it,
    read from the pattern's parse tree: a sequence needs one such part, a choice needs it in
    every branch, a repeat needs at least one turn."""
    import re
    from re import _parser  # private, for this check only

    def sequence(items) -> bool:
        run = ""
        for op, av in [*items, (None, None)]:
            if op is _parser.LITERAL:
                run += chr(av).lower()
                continue
            if any(cue in run for cue in cues):
                return True
            run = ""
            if op is not None and part(op, av):
                return True
        return False

    def part(op, av) -> bool:
        if op is _parser.IN:
            return av == [(_parser.CATEGORY, _parser.CATEGORY_DIGIT)]
        if op is _parser.SUBPATTERN:
            return sequence(av[-1])
        if op is _parser.BRANCH:
            return all(sequence(branch) for branch in av[1])
        if op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
            return av[0] >= 1 and sequence(av[2])
        return False

    return sequence(_parser.parse(pattern, re.I))


def test_every_relative_phrasing_has_a_digit_or_a_cue():
    risk = load_data()["relative_risk"]
    assert not _holds_a_cue(r"\brisk\s+(?:rose|fell)\b", risk["relative_cues"])  # the check can fail
    for pattern in risk["relative"]:
        assert _holds_a_cue(pattern, risk["relative_cues"]), f"add this phrasing's cue to relative_cues: {pattern}"


def test_sentences_with_a_relative_phrasing_are_all_cued(documents):
    from healthlint.checks.plain_language import _cued, _relative_pattern
    from healthlint.checks.readability import body_sentences

    hits = 0
    for doc in documents:
        sentences = body_sentences(doc)
        cued = _cued(doc, sentences)
        for i, s in enumerate(sentences):
            if _relative_pattern().search(doc.masked, s.start, s.end):
                hits += 1
                assert i in cued, s.text
    assert hits >= 5
