"""The sentence splitter: where it must not break, where it must, with exact offsets."""

from __future__ import annotations

import pytest

from healthlint.document import Document
from healthlint.sentences import split, split_spans


def spans(text: str) -> list[tuple[int, int]]:
    return list(split_spans(text))


@pytest.mark.parametrize("text", [
    "Common triggers (e.g. dust and pollen) make eczema worse.",
    "Triggers, e.g., dust, make it worse.",
    "Use a mild soap, i.e. one without perfume.",
    "Dr. Patel and Prof. Adeyemi ran the trial.",
    "Ask Mrs. Okafor or Ms. Lee at St. Mary's clinic.",
    "In the U.S. about 1 in 10 people will have eczema.",
    "The U.S. Food and Drug Administration approved it.",
    "Take 2.5 mg twice a day with food.",
    "Compare ibuprofen vs. paracetamol for pain.",
    "J. R. Smith studied 200 patients.",
    "The study by Smith et al. was small.",
    "Smith et al. (2020) found no benefit.",
    "According to Dr. J. Smith, most rashes clear up.",
    "Vitamin D (approx. 600 IU a day) supports bones.",
    "See Fig. 2 and p. 14 of the leaflet.",
    "Section No. 4 lists the side effects.",
    "It was published in Jan. 2020 in a journal.",
    "Take the first dose at 8 a.m. with water.",
    "Jane Doe, M.D., reviewed this page.",
    "It may help... or it may not.",
    "He asked, “Is it serious?” and waited.",
    "Search www.ClinicalTrials.gov for a trial.",
])
def test_no_break(text):
    assert spans(text) == [(0, len(text))]


@pytest.mark.parametrize("text,expected", [
    ("Drink fluids. Rest well.", [(0, 13), (14, 24)]),
    ("Is it safe? Ask your midwife.", [(0, 11), (12, 29)]),
    ("Call 999 now! Do not wait.", [(0, 13), (14, 26)]),
    ("Is it contagious? No. It is not.", [(0, 17), (18, 21), (22, 32)]),
    ("Stay out of the sun. Wear a hat.", [(0, 20), (21, 32)]),
    ("Take 5 mg. Then rest.", [(0, 10), (11, 21)]),
    ("Her HbA1c was 7.5. That is high.", [(0, 18), (19, 32)]),
    ("The cream is sold in the U.S. It costs little.", [(0, 29), (30, 46)]),
    ("It was reported by Jones et al. The results held.", [(0, 31), (32, 49)]),
    ("Take it at 8 p.m. Then sleep.", [(0, 17), (18, 29)]),
    ("Most adults are immune to hepatitis B. It is rare.", [(0, 38), (39, 50)]),
    ("Eat foods rich in vitamin C. Citrus is one.", [(0, 28), (29, 43)]),
    ("Her blood type is O. She can donate.", [(0, 20), (21, 36)]),
    ("Many people live with MS. It is treatable.", [(0, 25), (26, 42)]),
    ("It is often called ED. Treatment works.", [(0, 22), (23, 39)]),
    ("Itching, redness, etc. See a doctor.", [(0, 22), (23, 36)]),
    ('She said, "Take it with food." Then she left.', [(0, 30), (31, 45)]),
    ("The rash can spread [1]. Keep it covered.", [(0, 24), (25, 41)]),
    ("Keep a diary (what you ate). Bring it along.", [(0, 28), (29, 44)]),
    ("The results were mixed… More work is needed.", [(0, 23), (24, 44)]),
    ("Your doctor will check your eGFR. eGFR shows kidney function.", [(0, 33), (34, 61)]),
    ("It is common in the United States.2 It is rarer in Asia.", [(0, 35), (36, 56)]),
])
def test_breaks_with_exact_offsets(text, expected):
    assert spans(text) == expected


def test_enumerators_do_not_end_a_sentence():
    assert split("1. Wash your hands. 2. Dry them well.") == ["1. Wash your hands.", "2. Dry them well."]
    assert split("Step 1. Clean the cut. Step 2. Cover it.") == ["Step 1. Clean the cut.", "Step 2. Cover it."]


def test_sentences_run_together_without_a_space_are_split():
    assert spans("The rash faded in most patients.Milia can follow burns.") == [(0, 32), (32, 55)]
    assert split("Wash gently.Do not pick the spots.") == ["Wash gently.", "Do not pick the spots."]


def test_line_breaks_inside_a_paragraph():
    text = "Key Points\nThere are two kinds of eczema.\nSide effects include the following:\nHeadache.\nNausea."
    assert split(text) == ["Key Points", "There are two kinds of eczema.", "Side effects include the following:", "Headache.", "Nausea."]
    # A hard-wrapped sentence is one sentence, even before a capitalised name.
    wrapped = "Most boils are caused by the bacterium\nStaphylococcus aureus, which lives on the skin."
    assert spans(wrapped) == [(0, len(wrapped))]


def test_offsets_within_a_range_are_trimmed_of_white_space():
    text = "xx  First one.   Second one.  yy"
    assert list(split_spans(text, 2, 30)) == [(4, 14), (17, 28)]
    assert list(split_spans("     ", 0, 5)) == []
    assert list(split_spans("", 0, 0)) == []


def test_period_at_the_very_end_and_no_final_punctuation():
    assert spans("One. Two") == [(0, 4), (5, 8)]
    assert spans("One.") == [(0, 4)]


def test_document_sentences_have_exact_offsets_and_stay_in_their_block():
    text = "# Dr. Smith's advice\n\nUse it e.g. twice daily. Dr. Lee\nagrees. `Code.` Then it ends.\n\n- Item one. Item two.\n"
    d = Document("doc.md", text)
    got = [(d.position(s.start), d.position(s.end), s.text) for s in d.sentences]
    assert got == [
        ((1, 3), (1, 21), "Dr. Smith's advice"),
        ((3, 1), (3, 25), "Use it e.g. twice daily."),
        ((3, 26), (4, 8), "Dr. Lee\nagrees."),
        ((4, 17), (4, 30), "Then it ends."),
        ((6, 3), (6, 12), "Item one."),
        ((6, 13), (6, 22), "Item two."),
    ]


def test_masked_markup_does_not_split_or_join_sentences():
    # The period inside the URL and the code span are blanked before splitting.
    d = Document("doc.md", "See https://example.org/a.B for more. Then rest.\n")
    assert [d.text[s.start:s.end] for s in d.sentences] == ["See https://example.org/a.B for more.", "Then rest."]
