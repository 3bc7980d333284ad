"""Regular expressions cannot hang a run (issue 8).

- A team's own patterns (``extend-rules``) that nest repeats are refused when the pack loads, with
  a message naming the file, line, rule and pattern.
- A team pattern that gets past that screen still cannot hang: each rule has a time budget per
  document, and running out of it stops the run with one line naming the rule, its pack and line,
  and the file (exit status 2).
- Team patterns run on the ``regex`` module with the same results as the stdlib ``re``.
- Every built-in pattern (rule packs, data files, the Python modules) is run against adversarial
  text (long runs of letters, spaces, hyphens, repeated words...) under a watchdog.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from cli_helpers import run, write
from healthlint.document import Document
from healthlint.rules import PackError, RuleTimeout, builtin_pack_paths, load_builtin, load_pack, regex_time_limit
from healthlint.safe_regex import Budget, LimitedPattern, PatternTimeout, compile_limited, nested_repeat

ROOT = Path(__file__).resolve().parent.parent

# -- the load-time screen -----------------------------------------------------------------------
CATASTROPHIC = [
    r"(a+)+", r"(a*)*", r"(\w+\s?)+!", r"(\w+ ?)+!", r"(?:x|y+)*z", r"(a{1,3})+$", r"(?:\w+\s*){1,12}!",
    r"(a+b?)+$", r"((a+))+", r"(?:(?:a+){2})+", r"(.*)*x", r"(?:\w+(?:-\w+)*)+!", r"(?=x)(a+)+",
    r"(?:\p{L}+\s?)+!", r"(?:[a-z]+|\d)+x",
]
SOUND = [
    r"a+", r"(?:\s+\w+)*", r"\w+(?:-\w+)*", r"(?:\S+\s+){0,4}$", r"(?>a+)+", r"(?:a++)+", r"(a?)+",
    r"(?:\w+\s*){1,3}", r"[^\W_]+(?:[-'’][^\W_]+)*", r"(?:a{3})+", r"\bmiracle cure\b", r"(?:\d{1,3},)+\d{3}",
    r"\p{L}+", r"(?:very )+good", r"(?:[a-z]+, )+and", r"cures? (?:all|every) (?:\w+ )?diseases?",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_nested_repeats_are_found(pattern):
    from healthlint.patterns import flexible_spaces

    assert nested_repeat(flexible_spaces(pattern))


@pytest.mark.parametrize("pattern", SOUND)
def test_sound_patterns_are_not_flagged(pattern):
    from healthlint.patterns import flexible_spaces

    assert not nested_repeat(flexible_spaces(pattern))


def test_no_builtin_pattern_is_flagged_by_the_screen():
    """The built-in patterns pass the screen that team patterns must pass (no false alarm either)."""
    flagged = [p for p, flags, _ in builtin_patterns() if nested_repeat(p, flags)]
    assert flagged == []


TEAM_RULE = """rules:
  - code: HL801
    name: team-rule
    severity: warning
    type: {type}
{options}
    message: "{message}"
    explanation: A rule of our own.
    examples:
      bad: ["aa!"]
      good: ["b"]
"""


def team_pack(tmp_path: Path, options: str, rtype: str = "existence", message: str = "Avoid {{match}}.") -> Path:
    return write(tmp_path / "team.yaml", TEAM_RULE.format(type=rtype, options=options, message=message.replace("{{", "{").replace("}}", "}")))


@pytest.mark.parametrize("rtype,options,what", [
    ("existence", r"    patterns: ['(\w+ ?)+!']", r"pattern '(\w+ ?)+!'"),
    ("existence", "    tokens: [aa]\n    exceptions: ['(a|b+)*c']", "exception '(a|b+)*c'"),
    ("existence", "    tokens: [aa]\n    skip-if-sentence-matches: ['(?:x+y?)+z']", "skip-if-sentence-matches pattern '(?:x+y?)+z'"),
    ("substitution", "    regex: true\n    swap: {'(a+)+b': c}", "pattern '(a+)+b'"),
    ("occurrence", "    max: 1\n    patterns: ['(a*)*b']", "pattern '(a*)*b'"),
    ("required", "    patterns: ['(a*)*b']", "pattern '(a*)*b'"),
    ("consistency", "    either: {'(a+)+x': 'y'}", "form '(a+)+x'"),
])
def test_team_pack_with_a_nested_repeat_is_refused_naming_file_line_rule_and_pattern(tmp_path, rtype, options, what):
    messages = {"occurrence": "{{count}}", "required": "{{title}}", "consistency": "{{match}}"}
    pack = team_pack(tmp_path, options, rtype, messages.get(rtype, "Avoid {{match}}."))
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    message = str(caught.value)
    assert message.startswith(f"{pack}:2: rule HL801 (team-rule): {what} repeats a part"), message
    assert "nested quantifiers such as (a+)+ backtrack catastrophically" in message


def test_the_same_pattern_in_a_builtin_pack_is_not_screened(tmp_path):
    """Built-in packs are reviewed by the tests below, not screened at every start-up."""
    pack = team_pack(tmp_path, r"    patterns: ['(\w+ ?)+!']")
    [rule] = load_pack(pack, builtin=True)
    assert rule.impl.budget is None


def test_cli_refuses_a_nested_repeat_in_one_line(tmp_path, monkeypatch):
    pack = team_pack(tmp_path, r"    patterns: ['(\w+ ?)+!']")
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\n")
    write(tmp_path / "doc.md", "# Title\n\nSome text.\n")
    monkeypatch.chdir(tmp_path)
    r = run("check", "doc.md")
    assert r.code == 2 and r.out == ""
    [line] = r.err_lines()
    assert line.startswith(f"healthlint: error: {pack}:2: rule HL801 (team-rule): pattern '(\\w+ ?)+!' repeats"), line


# -- team rules: the regex module, under a time budget -------------------------------------------
SLOW = "(?:a|aa)+!"  # overlapping alternatives: exponential, and not a nested repeat the screen knows


def test_team_rules_run_on_the_regex_module_and_builtin_rules_on_re(tmp_path):
    [team] = load_pack(team_pack(tmp_path, "    patterns: ['wonder ?drug']\n    exceptions: ['no wonder']"))
    assert isinstance(team.impl.terms.regex, LimitedPattern) and isinstance(team.impl.exceptions, LimitedPattern)
    builtin = load_builtin()
    assert all(r.impl.budget is None for r in builtin)
    assert isinstance(builtin.get("HL103").impl.terms.regex, re.Pattern)


def test_a_team_pattern_that_runs_out_of_time_names_rule_pack_line_and_file(tmp_path):
    pack = team_pack(tmp_path, f"    patterns: ['{SLOW}']")
    [rule] = load_pack(pack)
    doc = Document("drafts/a.md", "# Title\n\n" + "a" * 60 + "\n")
    with pytest.raises(RuleTimeout) as caught:
        list(rule.run(doc, settings=SimpleNamespace(regex_timeout=0.2)))
    assert str(caught.value) == (
        f"{pack}:2: rule HL801 (team-rule): pattern '{SLOW}' took longer than 0.2 s on drafts/a.md; "
        "simplify it (nested quantifiers such as (a+)+ backtrack catastrophically)"
    )


def test_the_budget_is_per_document(tmp_path):
    """A rule that timed out on one document starts afresh on the next."""
    [rule] = load_pack(team_pack(tmp_path, f"    patterns: ['{SLOW}']"))
    settings = SimpleNamespace(regex_timeout=0.2)
    with pytest.raises(RuleTimeout):
        list(rule.run(Document("a.md", "a" * 60 + "\n"), settings=settings))
    hits = list(rule.run(Document("b.md", "Say aa! twice: aa!\n"), settings=settings))
    assert [(h.start, h.end) for h in hits] == [(4, 7), (15, 18)]


def test_a_timeout_in_a_rule_with_several_patterns_names_none_of_them(tmp_path):
    [rule] = load_pack(team_pack(tmp_path, f"    patterns: ['{SLOW}', 'other']"))
    with pytest.raises(RuleTimeout, match=r"rule HL801 \(team-rule\): its patterns took longer than 0.2 s on a.md"):
        list(rule.run(Document("a.md", "a" * 60 + "\n"), settings=SimpleNamespace(regex_timeout=0.2)))


def test_cli_reports_a_timeout_in_one_line_and_exits_2(tmp_path, monkeypatch):
    """The config's regex-timeout is the budget (here small enough to run out)."""
    pack = team_pack(tmp_path, f"    patterns: ['{SLOW}']")
    write(tmp_path / ".healthlint.yaml", "extend-rules: [team.yaml]\nregex-timeout: 0.2\n")
    write(tmp_path / "drafts" / "a.md", "# Title\n\n" + "a" * 60 + "\n")
    monkeypatch.chdir(tmp_path)
    r = run("check", "--no-cache", "--jobs", "1", "drafts/a.md")
    assert r.code == 2 and r.out == ""
    assert r.err_lines() == [
        f"healthlint: error: {pack}:2: rule HL801 (team-rule): pattern '{SLOW}' took longer than 0.2 s on drafts/a.md; "
        "simplify it (nested quantifiers such as (a+)+ backtrack catastrophically)"
    ]


@pytest.mark.parametrize("value", ["0", "-1", "soon", "true"])
def test_the_time_limit_must_be_a_positive_number(tmp_path, monkeypatch, value):
    write(tmp_path / ".healthlint.yaml", f"regex-timeout: {value}\n")
    write(tmp_path / "a.md", "# Title\n")
    monkeypatch.chdir(tmp_path)
    r = run("check", "a.md")
    assert r.code == 2 and "'regex-timeout' must be a positive number of seconds" in r.err


def test_the_time_limit_grows_with_very_large_files():
    assert regex_time_limit(None, 10_000) == 2.0
    assert regex_time_limit(SimpleNamespace(regex_timeout=0.5), 10_000) == 0.5
    assert regex_time_limit(None, 10_000_000) == 20.0  # 2 s per megabyte: a sound pattern never times out


def test_budget_outside_a_run_and_after_it_is_spent():
    budget = Budget(1.5)
    assert budget.remaining() == 1.5  # loading a pack: a whole budget per call
    budget.start(0.0)
    with pytest.raises(PatternTimeout):
        budget.remaining("x+")
    budget.stop()
    assert budget.remaining() == 1.5


def test_limited_pattern_behaves_like_re():
    budget = Budget()
    limited = compile_limited(r"(?<![\w-])cure[sd]?(?![\w-])", re.IGNORECASE, budget)
    plain = re.compile(limited.pattern, re.IGNORECASE)
    text = "It cures. Cured! A precure, cure-all, CURE."
    assert [m.span() for m in limited.finditer(text, 3, 40)] == [m.span() for m in plain.finditer(text, 3, 40)]
    assert limited.search(text, 5).span() == plain.search(text, 5).span()
    assert limited.match(text, 3).span() == plain.match(text, 3).span()
    assert limited.fullmatch("Cured") and not limited.fullmatch("Cured!")


def test_a_pattern_the_regex_module_refuses_is_worded_as_re_would():
    with pytest.raises(re.error, match="missing \\), unterminated subpattern"):
        compile_limited("wonder(drug", 0, Budget())


def test_builtin_packs_loaded_as_team_packs_find_exactly_the_same():
    """The regex module gives the same findings as re for every data-driven built-in rule."""
    from healthlint.engine import lint_text
    from healthlint.rules import RuleSet

    team = RuleSet(rule for path in builtin_pack_paths() for rule in load_pack(path))
    assert all(r.impl.budget is not None for r in team if r.type != "check")
    builtin = load_builtin()
    data_driven = [r.code for r in builtin if r.type != "check"]
    docs = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "examples").glob("*.txt"))
    assert docs and data_driven
    for path in docs:
        data = path.read_bytes()
        assert lint_text(data, path=path.name, select=data_driven, ruleset=team) == \
            lint_text(data, path=path.name, select=data_driven, ruleset=builtin), path.name


# -- the review of every built-in pattern --------------------------------------------------------
# Records every pattern healthlint compiles with re (packs, data files, modules) while loading
# and linting documents that exercise every rule.
_COLLECT = r"""
import json, re, sys
from pathlib import Path
seen = {}
original = re._compile
def recording(pattern, flags):
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") in ("re", "functools"):
        frame = frame.f_back  # the caller of re.compile, re.search...
    module = frame.f_globals.get("__name__", "") if frame is not None else ""
    if module.startswith("healthlint") and isinstance(pattern, str):
        seen.setdefault((pattern, int(flags)), module)
    return original(pattern, flags)
re._compile = recording
from healthlint.engine import lint_text
root = Path(sys.argv[1])
for p in sorted(root.glob("examples/*.md")) + sorted(root.glob("examples/*.txt")):
    lint_text(p.read_bytes(), path=p.name)
lint_text("---\ntitle: A\nauthor: B\n---\n# T\n\nThis cures cancer [1]. Call 911. Dr. A. B. said so (Smith, 2020). "
          "See https://x.org, a@b.com and `code`. The MRI (magnetic resonance imaging) may help.\n\n- item\n\n"
          "| a | b |\n|---|---|\n| c | d |\n\n<!-- healthlint-disable-next-line HL101 -->\n\n[^1]: note\n", path="w.md")
lint_text("Plain title\n\nThis cures cancer. It may help.\n", path="w.txt")
print(json.dumps([[p, f, m] for (p, f), m in seen.items()]))
"""


_PATTERNS: list | None = None


def builtin_patterns() -> list[tuple[str, int, str]]:
    """(pattern, flags, module) of every stdlib regex healthlint compiles, from a fresh process."""
    global _PATTERNS
    if _PATTERNS is None:
        out = subprocess.run([sys.executable, "-c", _COLLECT, str(ROOT)], capture_output=True, text=True, check=True)
        _PATTERNS = [tuple(item) for item in json.loads(out.stdout)]
    return _PATTERNS


def adversarial(n: int) -> dict[str, str]:
    """Text that makes badly written patterns backtrack: long runs and repetitions."""
    return {
        "letters": "a" * n, "capitals": "A" * n, "words": "a " * (n // 2) + "!", "Words": "Aa " * (n // 3) + "!",
        "same word": "word " * (n // 5) + "?", "spaces": " " * n + "a!", "newlines": "a\n" * (n // 2),
        "hyphens": "-" * n, "hyphenated": "a-" * (n // 2) + "!", "dots": "." * n, "dotted": "a." * (n // 2),
        "digits": "1" * n, "numbers": "1,000 " * (n // 6), "commas": "a, " * (n // 3), "parens": "(" * n,
        "paren words": "(a " * (n // 3), "brackets": "[" * n, "quotes": "'" * n, "curly quotes": "’" * n,
        "accents": "é" * n, "addresses": "a.b@" * (n // 4), "url": "https://" + "a/" * (n // 2),
        "the": "the " * (n // 4), "title case": "Key Points " * (n // 11), "mixed": "Aa1-" * (n // 4),
        "backticks": "`a" * (n // 2), "tags": "<a " * (n // 3),
    }


class _Hang(Exception):
    pass


def _raise_hang(*_):
    raise _Hang


def hangs(patterns: list[tuple[str, int, str]], watchdog: float = 5.0) -> list[str]:
    """The patterns that do not finish within ``watchdog`` seconds on some adversarial text.

    Each is searched through 300 characters (exponential backtracking shows at once) and matched
    at the start of 20,000 (a quadratic pattern at one position takes seconds there). The
    stdlib's matcher checks for signals while it backtracks, so an alarm interrupts it; the alarm
    counts processor time, so a busy machine does not set it off.
    """
    short, long = adversarial(300), adversarial(20_000)
    found = []
    previous = signal.signal(signal.SIGPROF, _raise_hang)
    try:
        for source, flags, module in patterns:
            compiled = re.compile(source, flags)
            for name in short:
                for how in ("search", "match"):
                    signal.setitimer(signal.ITIMER_PROF, watchdog)  # generous: these take milliseconds
                    try:
                        if how == "search":
                            for _ in compiled.finditer(short[name]):
                                pass
                        else:
                            compiled.match(long[name])
                    except _Hang:
                        found.append(f"{module}: {how} on {name}: {source[:80]}")
                    finally:
                        signal.setitimer(signal.ITIMER_PROF, 0)
    finally:
        signal.signal(signal.SIGPROF, previous)
    return found


needs_alarm = pytest.mark.skipif(not hasattr(signal, "SIGPROF"), reason="the watchdog needs SIGPROF (not on Windows)")


@needs_alarm
def test_every_builtin_pattern_finishes_on_adversarial_text():
    patterns = builtin_patterns()
    assert len(patterns) > 150  # the packs, the data files and the modules were all seen
    assert hangs(patterns) == []


@needs_alarm
def test_the_watchdog_catches_catastrophic_and_quadratic_patterns():
    caught = hangs([(r"(?:a|aa)+!", 0, "exponential"), (r"\s*,?\s*x", 0, "quadratic"), (r"\s*(?:,\s*)?x", 0, "fixed")],
                   watchdog=0.2)
    assert {line.split(":")[0] for line in caught} == {"exponential", "quadratic"}
