"""healthlint works offline: nothing it runs opens a network connection.

Each test runs a fresh Python with a ``sitecustomize.py`` on PYTHONPATH that makes every way of
reaching the network (DNS look-ups, socket connects) record the attempt and fail. The guard is
shown to work on a real connection attempt, so a silent download cannot pass unnoticed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = '''
"""Test guard: no network. Every attempt is recorded in $HEALTHLINT_NET_LOG and fails."""
import os
import socket

_LOG = os.environ["HEALTHLINT_NET_LOG"]


def _record(what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(what + "\\n")


def _blocked(name):
    def refuse(*args, **kwargs):
        _record(f"attempt {name} {args[1:] if name.startswith('socket.') else args}")
        raise OSError(101, f"network disabled by the healthlint offline test ({name})")
    return refuse


for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
    setattr(socket.socket, _name, _blocked("socket." + _name))
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
    setattr(socket, _name, _blocked(_name))
_record("guard active")
'''

# Long and dense enough for the metric rules: a 7-sentence paragraph (HL403) and a sentence of
# more than 25 words (HL402), with many long words for the reading-grade formulas.
ARTICLE = """# Understanding atopic dermatitis

Atopic dermatitis is a chronic inflammatory condition of the skin. It frequently begins during
infancy. Characteristic manifestations include persistent itching and recurrent inflammation.
Environmental irritants, temperature variations and psychological stress can exacerbate symptoms.
Regular moisturisation supports the protective function of the epidermis. Many individuals
experience considerable improvement during adolescence. Nevertheless, occasional recurrences
are possible throughout adulthood.

Management typically combines consistent emollient application, identification and avoidance of
individual triggers, intermittent anti-inflammatory preparations prescribed by a clinician, and
practical education about recognising infection, which together reduce the frequency and severity
of exacerbations considerably.
"""

READING_PACK = """rules:
  - code: HL480
    name: team-smog-grade
    severity: warning
    type: metric
    metric: smog-grade
    scope: document
    max: 8
    message: "SMOG grade {value} is over {max}."
    explanation: Our readers need text at grade 8 or below.
    examples:
      bad: ["Characteristic manifestations include persistent inflammation. Environmental irritants exacerbate symptoms considerably. Individuals experience considerable improvement during adolescence."]
      good: ["Eczema makes skin dry. It can itch. Cream helps."]
  - code: HL481
    name: team-fk-grade
    severity: warning
    type: metric
    metric: flesch-kincaid-grade
    scope: paragraph
    max: 8
    message: "Flesch-Kincaid grade {value} is over {max}."
    explanation: Our readers need text at grade 8 or below.
    examples:
      bad: ["Characteristic manifestations include persistent inflammation."]
      good: ["Eczema makes skin dry. It can itch."]
"""


@pytest.fixture
def offline(tmp_path):
    """Environment and log for a subprocess with the network guard installed."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "HTTPS", "NO_PROXY", "http", "https"))}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(guard_dir), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "HEALTHLINT_NET_LOG": str(log),
        "HOME": str(tmp_path / "home"),          # no caches or downloaded data from the real home
        "NLTK_DATA": str(tmp_path / "nltk_data"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })

    def python(*args: str, stdin: str | None = None) -> tuple[subprocess.CompletedProcess, list[str]]:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=tmp_path,
                              input=stdin, timeout=120)
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return done, lines

    return python


def test_guard_blocks_and_records_connections(offline):
    """Without this, the other tests could not tell a blocked download from no download."""
    code = ("import socket, urllib.request\n"
            "for attempt in (lambda: socket.create_connection(('pypi.org', 443), timeout=2),\n"
            "                lambda: urllib.request.urlopen('https://pypi.org/simple/', timeout=2),\n"
            "                lambda: socket.socket().connect(('127.0.0.1', 9))):\n"
            "    try:\n"
            "        attempt()\n"
            "    except OSError as exc:\n"
            "        print('blocked', exc)\n")
    done, log = offline("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("blocked") == 3
    assert log[0] == "guard active"
    assert len([line for line in log if line.startswith("attempt")]) >= 3


def test_check_runs_offline_with_metric_rules(offline, tmp_path):
    (tmp_path / "team.yaml").write_text(READING_PACK, encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text("extend-rules: [team.yaml]\n", encoding="utf-8")
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    done, log = offline("-m", "healthlint", "check", "--format", "json", "article.md")
    assert done.returncode == 1, done.stderr  # findings, no failure
    assert done.stderr == ""
    assert log == ["guard active"], log
    diags = json.loads(done.stdout)["diagnostics"]
    found = {d["code"]: d for d in diags}
    assert {"HL402", "HL403", "HL480", "HL481"} <= set(found)
    assert found["HL402"]["line"] == 10 and found["HL403"]["line"] == 3
    smog = float(found["HL480"]["message"].split()[2])
    assert 8 < smog < 30
    assert found["HL480"]["line"] == 1  # a document-level finding sits at the title


def test_stdin_runs_offline(offline):
    done, log = offline("-m", "healthlint", "check", "--select", "HL4", "-", "--stdin-filename", "a.md", stdin=ARTICLE)
    assert done.returncode == 1, done.stderr
    assert log == ["guard active"]
    assert "a.md:10:1: HL402 warning" in done.stdout


def test_grade_formulas_run_offline_without_textstat(offline):
    """The grade formulas are our own (healthlint.checks.grade): no textstat, no dictionary download."""
    code = ("import json, sys\n"
            "from healthlint.checks import grade\n"
            "from healthlint.document import Document\n"
            "doc = Document('a.md', sys.stdin.read())\n"
            "c = grade.count_words(doc.words(0, len(doc.text)), len(doc.sentences))\n"
            "print(json.dumps([grade.flesch_kincaid(c), grade.smog(c), grade.syllables('inflammation'),\n"
            "                  'textstat' in sys.modules]))\n")
    done, log = offline("-c", code, stdin=ARTICLE)
    assert done.returncode == 0, done.stderr
    assert log == ["guard active"], log
    fk, smog, syllables, textstat_loaded = json.loads(done.stdout)
    assert 5 < fk < 30 and 5 < smog < 30
    assert syllables == 4
    assert textstat_loaded is False


def test_no_runtime_dependency_downloads_data():
    """textstat 0.7.10+ fetches NLTK's cmudict at run time (DESIGN.md section 6): it must not be a dependency."""
    pyproject = Path(__file__).resolve().parents[1].joinpath("pyproject.toml").read_text()
    runtime = pyproject.split("[project.optional-dependencies]")[0]
    assert '"textstat' not in runtime and '"nltk' not in runtime
