"""The trust family (HL2xx): disclaimer, professional advice, emergencies, sources, front matter.

Positions are checked exactly (1-based line and column). Today's date is fixed for the tests that
judge dates, so nothing here depends on when it runs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from healthlint.checks import metadata, trust, trust_data
from healthlint.config import ConfigError, Settings, parse_settings
from healthlint.engine import lint_text

TODAY = date(2026, 11, 22)
SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(trust_data, "today", lambda: TODAY)


def settings(**front_matter) -> Settings:
    """Settings as a config file with ``front-matter:`` (and ``rules:``) would give them."""
    rules = front_matter.pop("rules", None)
    data = {"front-matter": {k.replace("_", "-"): v for k, v in front_matter.items()}} if front_matter else {}
    if rules:
        data["rules"] = rules
    return parse_settings(data, Path("/project/.healthlint.yaml"))


def hl2(text: str, path: str = "article.md", config: Settings | None = None, select=("HL2",)):
    return [(f.line, f.column, f.code) for f in lint_text(text, path=path, select=list(select), settings=config)]


def messages(text: str, code: str, **kw) -> list[str]:
    return [f.message for f in lint_text(text, path=kw.pop("path", "article.md"), select=[code], **kw)]


# -- a complete, correct article, and one field wrong at a time -------------------------------------
COMPLETE = """\
---
title: Eczema in adults
author: Asha Patel, RN
medically_reviewed_by: Dr. Lena Brandt, dermatologist
date_published: 2024-01-15
last_reviewed: 2026-06-01
disclosure: We earn a commission on products bought through our shop links.
---

# Eczema in adults

This article is general information only and is not a substitute for advice from your own doctor.

Eczema makes skin dry and itchy.[^1] A plain moisturiser from
[our shop](https://shop.example.com/cream) may help.

Your doctor may prescribe a steroid cream. Thinning of the skin is a rare side effect of long use.

## When to get help

Talk to your doctor or pharmacist if the rash spreads. If your lips or face swell, or you find it
hard to breathe, call your local emergency number now.

[^1]: British Association of Dermatologists, Atopic eczema leaflet, 2023.
"""


def replace_line(text: str, line: int, new: str | None) -> str:
    lines = text.split("\n")
    if new is None:
        del lines[line - 1]
    else:
        lines[line - 1] = new
    return "\n".join(lines)


def test_complete_and_correct_metadata_gives_no_hl2_finding():
    assert hl2(COMPLETE) == []


@pytest.mark.parametrize("line,new,expected", [
    (3, None, (1, 1, "HL205")),                                         # no author: at the opening ---
    (3, "author: Asha Patel", (3, 1, "HL206")),                         # author without credentials
    (4, None, (1, 1, "HL207")),                                         # no medical reviewer
    (4, "medically_reviewed_by: Lena Brandt", (4, 1, "HL206")),         # reviewer without credentials
    (6, "last_reviewed: 2023-05-01", (6, 1, "HL209")),                  # stale review (3.5 years)
    (6, None, (5, 1, "HL209")),                                         # never reviewed, published 2024-01
    (6, "last_reviewed: YYYY-MM-DD", (6, 1, "HL210")),                  # template placeholder
    (6, "last_reviewed: 2027-01-10", (6, 1, "HL210")),                  # in the future
    (5, 'date_published: "{{ date }}"', (5, 1, "HL210")),               # template placeholder
    (6, "last_reviewed: 2026-02-30", (6, 1, "HL210")),                  # no such day
    (7, None, (14, 1, "HL211")),                                        # shop link, no disclosure
])
def test_each_missing_or_wrong_field_gives_exactly_one_finding_at_its_line(line, new, expected):
    assert hl2(replace_line(COMPLETE, line, new)) == [expected]


def test_no_dates_at_all_is_one_missing_date_finding_at_the_opening_line():
    text = replace_line(replace_line(COMPLETE, 6, None), 5, None)
    assert hl2(text) == [(1, 1, "HL208")]


def test_an_empty_date_key_is_reported_at_its_own_line():
    text = replace_line(replace_line(COMPLETE, 6, None), 5, "date_published:")
    assert hl2(text) == [(5, 1, "HL208")]


def test_finding_spans_the_whole_front_matter_line():
    text = replace_line(COMPLETE, 3, "author: Asha Patel")
    (f,) = lint_text(text, path="a.md", select=["HL206"])
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 1, 3, len("author: Asha Patel") + 1)
    assert f.message.startswith('The author "Asha Patel" is named without credentials.')


def test_stale_message_says_how_old_and_what_to_do():
    text = replace_line(COMPLETE, 6, "last_reviewed: 2023-05-01")
    (message,) = messages(text, "HL209")
    assert message.startswith("'last_reviewed' is 2023-05-01, 3 years and 6 months ago, more than 24 months:")
    assert "'last_reviewed: YYYY-MM-DD'" in message


def test_future_date_names_today():
    (message,) = messages(replace_line(COMPLETE, 6, "last_reviewed: 2027-01-10"), "HL210")
    assert message.startswith("'last_reviewed': 2027-01-10 is in the future (today is 2026-11-22).")


def test_metadata_rules_are_quiet_without_front_matter_unless_required():
    body = COMPLETE.split("---\n", 2)[2]
    assert [c for c in hl2(body) if c[2] in ("HL205", "HL206", "HL207", "HL208", "HL209", "HL210")] == []


def test_broken_front_matter_is_left_to_hl902():
    text = "---\ntitle: [unclosed\n---\n\n# Eczema\n\nEczema is common.\n"
    assert [c for c in hl2(text) if c[2] in ("HL205", "HL207", "HL208")] == []


# -- configuration: aliases, require, stale-after-months --------------------------------------------
def test_team_aliases_are_read_as_the_field():
    text = replace_line(COMPLETE, 3, "byline: Asha Patel, RN")
    assert hl2(text) == [(1, 1, "HL205")]
    assert hl2(text, config=settings(aliases={"author": ["byline"]})) == []


def test_key_names_are_matched_ignoring_case_and_hyphens():
    text = replace_line(COMPLETE, 6, "Last-Reviewed: 2023-05-01")
    assert hl2(text) == [(6, 1, "HL209")]


def test_required_fields_are_checked_in_articles_without_front_matter():
    body = "# Eczema\n\nEczema is common.\n"
    config = settings(require=["author", "last_reviewed"])
    assert hl2(body, config=config, select=["HL205", "HL208"]) == [(1, 1, "HL205"), (1, 1, "HL208")]
    (message,) = messages(body, "HL208", settings=settings(require=["last_reviewed"]))
    assert message.startswith("No last-reviewed date (this article has no front matter, and your configuration requires this field).")


def test_a_byline_in_the_text_names_the_author():
    body = "# Eczema\n\nBy Dr. Asha Patel\n\nEczema is common.\n"
    assert hl2(body, config=settings(require=["author"]), select=["HL205", "HL206"]) == []


def test_a_short_paragraph_starting_with_by_is_not_a_byline():
    body = "# Eczema\n\nBy the way, rest helps.\n\nEczema is common.\n"
    assert hl2(body, config=settings(require=["author"]), select=["HL205"]) == [(1, 1, "HL205")]


def test_authors_as_a_list_of_mappings():
    text = "---\nauthors:\n  - name: Asha Patel\n    credentials: RN\n  - name: Jo Rivers\n---\n# Eczema\n\nEczema is common.\n"
    (message,) = messages(text, "HL206")
    assert message.startswith('The author "Jo Rivers" is named without credentials.')
    assert hl2(text, select=["HL206"]) == [(2, 1, "HL206")]


def test_required_review_date_missing_from_front_matter():
    text = replace_line(COMPLETE, 6, None)
    config = settings(require=["last_reviewed"])
    assert hl2(text, config=config, select=["HL208"]) == [(1, 1, "HL208")]


def test_stale_after_months_is_configurable():
    text = replace_line(COMPLETE, 6, "last_reviewed: 2026-03-01")  # 8 months before TODAY
    assert hl2(text, select=["HL209"]) == []
    assert hl2(text, config=settings(stale_after_months=6), select=["HL209"]) == [(6, 1, "HL209")]


@pytest.mark.parametrize("value,stale", [
    ("2024-11-22", False),   # exactly 24 months before TODAY: still current
    ("2024-11-21", True),
    ("2024-11", False),      # a month-only date counts from the end of that month
    ("2024-10", True),
    ("2024", False),         # a year-only date counts from the end of that year
    ("2023", True),
])
def test_staleness_boundary(value, stale):
    text = replace_line(COMPLETE, 6, f"last_reviewed: {value}")
    assert hl2(text, select=["HL209"]) == ([(6, 1, "HL209")] if stale else [])


def test_required_disclosure_without_commercial_links():
    text = replace_line(COMPLETE, 7, None).replace("from\n[our shop](https://shop.example.com/cream)", "from a chemist")
    assert hl2(text, select=["HL211"]) == []
    assert hl2(text, config=settings(require=["disclosure"]), select=["HL211"]) == [(1, 1, "HL211")]


@pytest.mark.parametrize("value,problem", [
    ({"stale-after-months": 0}, "'front-matter.stale-after-months' must be a whole number"),
    ({"stale-after-months": "two years"}, "'front-matter.stale-after-months' must be a whole number"),
    ({"require": ["autor"]}, "'front-matter.require' names unknown field 'autor'"),
    ({"aliases": {"writer": ["byline"]}}, "'front-matter.aliases' names unknown field 'writer'"),
    ({"aliases": {"author": [3]}}, "'front-matter.aliases.author' must be a key name or a list of key names"),
    ({"aliasses": {}}, "'front-matter' has no key 'aliasses'"),
    ("yes", "'front-matter' must be a mapping"),
])
def test_bad_front_matter_config_names_the_key(value, problem):
    with pytest.raises(ConfigError) as err:
        parse_settings({"front-matter": value}, Path("/project/.healthlint.yaml"))
    assert str(err.value).startswith("/project/.healthlint.yaml: ")
    assert problem in str(err.value)


def test_front_matter_config_is_normalised():
    s = settings(aliases={"author": "byline"}, require="author, last_reviewed")
    assert s.front_matter == {"aliases": {"author": ["byline"]}, "require": ["author", "last_reviewed"],
                              "stale-after-months": 24}


# -- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value,first,last", [
    ("2024-05-31", date(2024, 5, 31), date(2024, 5, 31)),
    ("2024-05-31T10:00:00Z", date(2024, 5, 31), date(2024, 5, 31)),
    ("2024/5/3", date(2024, 5, 3), date(2024, 5, 3)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    (2024, date(2024, 1, 1), date(2024, 12, 31)),
    ("31 May 2024", date(2024, 5, 31), date(2024, 5, 31)),
    ("May 31st, 2024", date(2024, 5, 31), date(2024, 5, 31)),
    ("Sep 2023", date(2023, 9, 1), date(2023, 9, 30)),
])
def test_dates_are_read_as_periods(value, first, last):
    assert metadata.parse_date(value) == metadata.Period(first, last)


@pytest.mark.parametrize("value,why", [
    ("YYYY-MM-DD", "placeholder"), ("{{ date }}", "placeholder"), ("TBD", "placeholder"),
    ("2024-XX-XX", "placeholder"), ("<date>", "placeholder"), ("DD/MM/YYYY", "placeholder"),
    ("05/04/2024", "unreadable"), ("last spring", "unreadable"), ("2024-13-01", "unreadable"),
    (["2024-01-01"], "unreadable"),
])
def test_placeholders_and_unreadable_dates(value, why):
    assert metadata.parse_date(value) == why


def test_month_arithmetic_clamps_the_day():
    assert metadata.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert metadata.months_between(date(2024, 1, 31), date(2026, 1, 30)) == 23


# -- HL201 missing-disclaimer -----------------------------------------------------------------------
def test_disclaimer_message_names_only_the_missing_parts():
    text = "# Milia\n\nMilia are small cysts.\n\nIf the spots spread, talk to your doctor.\n"
    (f,) = lint_text(text, path="a.md", select=["HL201"])
    assert (f.line, f.column, f.end_column) == (1, 3, 8)
    assert f.message.startswith(
        "No complete medical disclaimer: the article never says that it is general information only, "
        "that it is not a substitute for professional medical advice or what to do in an emergency. "
        "It already tells readers to see a professional (line 5).")
    assert "This article is general information only. It is not a substitute" in f.message
    assert "Talk to a doctor, nurse or pharmacist" not in f.message  # no suggestion for what is there


def test_disclaimer_parts_may_be_anywhere_and_in_other_words():
    text = ("# Acne\n\nThe content on this page is for educational purposes and does not replace "
            "professional medical advice.\n\nAcne is common. Ask your pharmacist about creams.\n\n"
            "In a medical emergency, dial 999.\n")
    assert hl2(text, select=["HL201"]) == []


def test_disclaimer_true_in_front_matter_or_an_alias():
    text = "---\nsite_disclaimer: yes\n---\n# Acne\n\nAcne is common.\n"
    assert hl2(text, select=["HL201"]) == [(4, 3, "HL201")]
    assert hl2(text, config=settings(aliases={"disclaimer": ["site_disclaimer"]}), select=["HL201"]) == []
    assert hl2("---\ndisclaimer: false\n---\n# Acne\n\nAcne is common.\n", select=["HL201"]) == [(4, 3, "HL201")]


def test_disclaimer_parts_and_phrasings_are_options():
    text = "# Akne\n\nAkne ist häufig. Diese Seite dient nur zur Information.\n"
    only_info = {"missing-disclaimer": {"parts": ["information-only"]}}
    assert hl2(text, config=settings(rules=only_info), select=["HL201"]) == [(1, 3, "HL201")]
    german = {"missing-disclaimer": {"parts": ["information-only"],
                                     "phrasings": {"information-only": ["nur zur Information"]}}}
    assert hl2(text, config=settings(rules=german), select=["HL201"]) == []


@pytest.mark.parametrize("phrasing", [
    "ring the helpline",  # read when first used (not among the built-in phrases worked out ahead)
    "(?:\\w+ )?ring the helpline",  # may begin with any word: the list is searched as one regex
    "rings? (?:the|our) helpline",
])
def test_configured_phrasings_are_found_however_they_begin(phrasing):
    text = "# Gout\n\nSymptoms of gout include sudden joint pain. If the pain is bad, please ring the helpline.\n"
    assert hl2(text, select=["HL202"]) == [(1, 3, "HL202")]
    advice = {"missing-professional-advice": {"phrasings": [phrasing]}}
    assert hl2(text, config=settings(rules=advice), select=["HL202"]) == []
    assert hl2(text.replace("ring", "rang"), config=settings(rules=advice), select=["HL202"]) == [(1, 3, "HL202")]


def test_the_first_words_of_every_built_in_phrase_are_known():
    """Each built-in list can be searched through the word index (none falls back to one regex)."""
    for phrases in trust.builtin_phrase_lists():
        assert phrases._union is not None, phrases.raw[:3]


def test_unknown_disclaimer_part_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown disclaimer part 'legal'"):
        lint_text("# Acne\n\nAcne is common.\n", select=["HL201"],
                  settings=settings(rules={"missing-disclaimer": {"parts": ["legal"]}}))


# -- HL202 missing-professional-advice --------------------------------------------------------------
def test_professional_advice_message_names_the_topics_and_their_lines():
    text = "# Eczema\n\nThe symptoms are dry, itchy skin.\n\nTreatment is with moisturisers.\n"
    (f,) = lint_text(text, path="a.md", select=["HL202"])
    assert (f.line, f.column) == (1, 3)
    assert f.message.startswith("The article discusses symptoms (line 3) and treatment (line 5) but never tells readers")


@pytest.mark.parametrize("sentence", [
    "Talk with your child's doctor if the rash spreads.",
    "Check with your health care provider before you stop a medicine.",
    "Seek medical advice if it does not clear up.",
    "Let your GP know if it gets worse.",
    "If you have chest pain, call 911.",
])
def test_ways_of_telling_readers_to_see_a_professional(sentence):
    assert hl2(f"# Eczema\n\nTreatment is with creams. {sentence}\n", select=["HL202"]) == []


def test_mentioning_clinicians_is_not_advice_to_see_one():
    text = "# Eczema\n\nDiagnosis involves blood tests, helping clinicians tailor treatment.\n"
    assert hl2(text, select=["HL202"]) == [(1, 3, "HL202")]


def test_no_symptoms_diagnosis_or_treatment_needs_no_advice():
    assert hl2("# Genes\n\nThe condition is inherited in an autosomal recessive pattern.\n", select=["HL202"]) == []


# -- HL203 missing-emergency-guidance ---------------------------------------------------------------
def test_emergency_sign_without_guidance_in_its_section():
    text = ("# Asthma\n\n## Symptoms\n\nSome children have trouble breathing at night.\n\n"
            "## Emergencies\n\nCall 999 if the inhaler does not help.\n")
    (f,) = lint_text(text, path="a.md", select=["HL203"])
    assert (f.line, f.column, f.end_column) == (5, 20, 37)
    assert f.message.startswith('"trouble breathing" is an emergency warning sign, but this section never tells')
    assert "If you or your child has trouble breathing, call 911" in f.message


def test_guidance_in_a_subsection_covers_its_section():
    text = ("# Stroke\n\n## Signs\n\nSlurred speech can be a sign of stroke.\n\n"
            "### What to do\n\nCall 911 straight away.\n")
    assert hl2(text, select=["HL203"]) == []


def test_one_finding_per_section_at_the_first_sign():
    text = ("# First aid\n\n## Bleeding\n\nHeavy bleeding and chest pain are serious.\n\n"
            "## Allergy\n\nA severe allergic reaction can start within minutes.\n")
    assert hl2(text, select=["HL203"]) == [(5, 1, "HL203"), (9, 3, "HL203")]


def test_suicidal_thoughts_suggest_a_crisis_line():
    (message,) = messages("# Depression\n\nSome people have suicidal thoughts.\n", "HL203")
    assert "a crisis line (988 in the US, 116 123 in the UK)" in message


@pytest.mark.parametrize("text", [
    "Some older people are wrongly thought to be unresponsive because they do not hear well.",
    "The rash was unresponsive to treatment.",
    "Shortness of breath on climbing stairs is common in older adults.",
])
def test_ordinary_symptoms_are_not_emergency_signs(text):
    assert hl2(f"# Health\n\n{text}\n", select=["HL203"]) == []


def test_plain_text_sections_split_at_heading_lines():
    text = "Asthma\nAsthma affects the airways.\nEmergencies\nSevere shortness of breath needs help. Call 911.\n"
    assert hl2(text, path="a.txt", select=["HL203"]) == []


# -- HL204 no-sources -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,quiet", [
    ("Milia clear up ([NHS](https://www.nhs.uk/conditions/milia/)).", True),
    ("Milia clear up.[^1]\n\n[^1]: NHS, Milia.", True),
    ("Milia clear up [3].", True),
    ("Milia clear up (Smith et al., 2020).", True),
    ("Order the cream from [our shop](shop/cream.md).", False),
    ("Buy it on [Amazon](https://www.amazon.com/dp/B0TEST).", False),
])
def test_what_counts_as_a_source(text, quiet):
    assert hl2(f"# Milia\n\n{text}\n", select=["HL204"]) == ([] if quiet else [(1, 3, "HL204")])


def test_sources_in_front_matter_count():
    assert hl2("---\nreferences:\n  - NHS, Milia, 2023\n---\n# Milia\n\nMilia clear up.\n", select=["HL204"]) == []


# -- HL211 missing-disclosure -----------------------------------------------------------------------
@pytest.mark.parametrize("link,reason", [
    ("[cream](https://www.amazon.co.uk/dp/B0TEST)", "links to a shop or affiliate network (amazon.co.uk)"),
    ("[cream](https://amzn.to/3xYz)", "links to a shop or affiliate network (amzn.to)"),
    ("[cream](https://example.com/c?tag=blog-21)", "carries an affiliate link (tag=blog-21)"),
    ("[cream](https://example.com/c?ref=writer7)", "carries an affiliate link (ref=writer7)"),
    ("[cream](https://example.com/c?utm_source=x&utm_medium=Affiliate)", "carries an affiliate link (utm_medium=Affiliate)"),
    ("[cream](https://shop.example.org/cream)", "links to a shop (shop.example.org)"),
    ("https://www.iherb.com/pr/cream", "links to a shop or affiliate network (iherb.com)"),
])
def test_commercial_links_need_a_disclosure(link, reason):
    (message,) = messages(f"# Skin\n\nWe like this {link} a lot.\n", "HL211")
    assert message.startswith(f"Line 3 {reason}, but the article discloses no sponsorship")


def test_disclosure_points_at_the_first_commercial_link_and_counts_the_rest():
    text = "# Skin\n\nSee [NHS](https://www.nhs.uk/).\n\nTry [A](https://amzn.to/1) or [B](https://amzn.to/2).\n"
    (f,) = lint_text(text, path="a.md", select=["HL211"])
    assert (f.line, f.column) == (5, 5)
    assert "(1 more such link follow)" in f.message


def test_reference_definitions_and_html_links_count_but_code_does_not():
    ref = "# Skin\n\nWe like [this cream][c].\n\n[c]: https://www.amazon.com/dp/B0TEST\n"
    assert hl2(ref, select=["HL211"]) == [(5, 6, "HL211")]
    html = '# Skin\n\n<p>We like <a href="https://www.amazon.com/dp/B0">this cream</a>.</p>\n'
    assert hl2(html, select=["HL211"]) == [(3, 21, "HL211")]
    code = "# Skin\n\n```html\n<a href=\"https://www.amazon.com/dp/B0\">x</a>\n```\n\nPlain text.\n"
    assert hl2(code, select=["HL211"]) == []


@pytest.mark.parametrize("text", [
    "# Skin\n\nThis post contains affiliate links.\n\nWe like [it](https://amzn.to/1).\n",
    "# Skin\n\nWe like [it](https://amzn.to/1). As an Amazon Associate we earn from qualifying purchases.\n",
    "---\ndisclosure: Sponsored by Acme.\n---\n# Skin\n\nWe like [it](https://amzn.to/1).\n",
])
def test_a_disclosure_in_the_text_or_front_matter_is_enough(text):
    assert hl2(text, select=["HL211"]) == []


# -- HL212 harms-not-mentioned ----------------------------------------------------------------------
def test_recommended_treatment_without_harms():
    text = "# Colds\n\nRest helps.\n\n- Take paracetamol for the aches.\n- Drink water.\n"
    (f,) = lint_text(text, path="a.md", select=["HL212"])
    assert (f.line, f.column, f.end_column, f.severity) == (5, 3, 7, "info")
    assert f.message.startswith('This sentence recommends a treatment ("Take paracetamol for the aches."), but')


def test_denying_side_effects_is_not_mentioning_harms():
    text = "# Tea\n\nYou should try this herbal tea. It has no side effects and is risk-free.\n"
    assert hl2(text, select=["HL212"]) == [(3, 1, "HL212")]


@pytest.mark.parametrize("text", [
    "Your doctor may prescribe a steroid cream. It can irritate the skin.",
    "Treatment of milia often involves topical retinoids.",  # described, not recommended
    "Conventional treatments include moisturisers and antihistamines.",
    "Use sunscreen every day.",  # advice, but not a treatment
])
def test_harms_quiet_cases(text):
    assert hl2(f"# Skin\n\n{text}\n", select=["HL212"]) == []


# -- the per-document summary -------------------------------------------------------------------------
def _doc(text: str, path: str = "a.md"):
    from healthlint.document import Document

    return Document(path, text, plain=path.endswith(".txt"))


def test_summary_of_a_complete_article_meets_all_four_benchmarks():
    summary = trust.trust_summary(_doc(COMPLETE))
    assert summary["met"] == ["authorship", "attribution", "disclosure", "currency"]
    assert summary["authorship"] == {"met": True, "author": "Asha Patel, RN", "credentials": True,
                                     "medical_reviewer": "Dr. Lena Brandt, dermatologist"}
    assert summary["disclosure"] == {"met": True, "commercial_links": 1}
    assert summary["currency"] == {"met": True, "date_published": "2024-01-15", "last_reviewed": "2026-06-01",
                                   "months_since": 5, "stale_after_months": 24}
    json.dumps(summary)  # ready for the JSON reporter


def test_summary_of_an_unsigned_undated_article():
    summary = trust.trust_summary(_doc("Milia\nMilia are small cysts. Talk to your doctor.\n", "a.txt"))
    assert summary["met"] == []
    assert summary["authorship"]["author"] is None and summary["currency"]["months_since"] is None


def test_summary_follows_the_configured_staleness():
    text = replace_line(COMPLETE, 6, "last_reviewed: 2026-03-01")
    assert "currency" in trust.trust_summary(_doc(text))["met"]
    assert "currency" not in trust.trust_summary(_doc(text), settings(stale_after_months=6))["met"]


# -- the seed articles (EXPECTED.md), when ../shared is present -------------------------------------
def _seed(prefix: str):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return {f.rule: f for f in lint_text(path.read_text(encoding="utf-8"), path=path.name, select=["HL2"])}


def test_seed_000_has_professional_advice_but_no_full_disclaimer_or_sources():
    found = _seed("000")
    assert sorted(found) == ["missing-disclaimer", "no-sources"]
    message = found["missing-disclaimer"].message
    assert "It already tells readers to see a professional (line 9)." in message
    assert "see a qualified professional" not in message


def test_seed_002_lacks_disclaimer_sources_and_professional_advice():
    found = _seed("002")
    assert sorted(found) == ["missing-disclaimer", "missing-professional-advice", "no-sources"]
    assert found["missing-disclaimer"].message.startswith("No medical disclaimer: the article never says")
    assert "see a qualified professional" in found["missing-disclaimer"].message


def test_seed_001_lacks_disclaimer_and_sources_only():
    assert sorted(_seed("001")) == ["missing-disclaimer", "no-sources"]


# -- option errors reach the user as configuration errors ----------------------------------------
@pytest.mark.parametrize("option,problem", [
    ("missing-disclaimer:\n    parts: [legal]", "rules.missing-disclaimer: unknown disclaimer part 'legal'"),
    ("missing-disclaimer:\n    phrasings: {emergency: ['(unclosed']}", "rules.missing-disclaimer.phrasings.emergency: a phrasing does not compile"),
    ("missing-professional-advice:\n    phrasings: [3]", "rules.missing-professional-advice.phrasings must be a list of phrasings"),
    ("missing-emergency-guidance:\n    phrasings: ['[a-']", "rules.missing-emergency-guidance.phrasings: a phrasing does not compile"),
])
def test_bad_check_option_is_a_one_line_configuration_error(tmp_path, option, problem):
    import subprocess
    import sys

    (tmp_path / ".healthlint.yaml").write_text(f"rules:\n  {option}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# Acne\n\nAcne is common.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "a.md"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"healthlint: error: {tmp_path / '.healthlint.yaml'}: {problem}" + proc.stderr.split(problem, 1)[1]
    assert len(proc.stderr.splitlines()) == 1
