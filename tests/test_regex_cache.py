"""The compiled-pattern cache (healthlint/regex_cache.py): faster start-up, never another result."""

from __future__ import annotations

import re

import pytest

from cli_helpers import run, write
from healthlint import regex_cache


@pytest.fixture()
def cache(tmp_path):
    assert regex_cache.install(tmp_path)
    yield tmp_path
    regex_cache.uninstall()


PATTERNS = [r"(?<![\w-])cur(?:e|es|ed)(?![\w-])", r"(?P<kind>miracle|wonder)\s+(?:cure|drug)s?", r"(a)(b)?\1",
            r"^\s*#+\s", r"[^\W_]+(?:[-'’][^\W_]+)*", "(?i)ſ", r"\bİstanbul\b"]
TEXT = "A miracle cure cures; wonder drugs cured aba. ## Heading ſtanbul İstanbul co-op it’s"


def test_cached_patterns_behave_like_fresh_ones(cache):
    for p in PATTERNS:
        re.compile(p, re.I)  # compiled through the cache: the code is recorded
    regex_cache.save()
    regex_cache.uninstall()
    expected = {p: [(m.span(), m.groups()) for m in re.compile(p, re.I).finditer(TEXT)] for p in PATTERNS}
    re.purge()
    assert regex_cache.install(cache)  # a new run: the code comes from the file
    assert regex_cache._state["entries"], "the file was read"
    for p in PATTERNS:
        compiled = re.compile(p, re.I)
        assert [(m.span(), m.groups()) for m in compiled.finditer(TEXT)] == expected[p], p
        assert compiled.groupindex == re.compile(p, re.I).groupindex


def test_a_bad_pattern_still_raises_and_keeps_the_cache(cache):
    with pytest.raises(re.error, match="missing \\)"):
        re.compile("wonder(drug")
    assert regex_cache._state  # still installed


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x01garbage"])
def test_a_damaged_file_is_ignored(tmp_path, content):
    path = regex_cache.cache_file(tmp_path)
    path.write_bytes(content)
    assert regex_cache.install(tmp_path)
    try:
        re.purge()
        assert re.compile(r"d(?:amag)ed?").search("a damaged file")
    finally:
        regex_cache.uninstall()


def test_code_the_engine_rejects_turns_the_cache_off(tmp_path):
    import marshal

    key = (True, r"x+y", 0)
    regex_cache.cache_file(tmp_path).write_bytes(marshal.dumps({key: (32, [1, 2, 3], 0, {}, (None,))}))
    assert regex_cache.install(tmp_path)
    re.purge()
    assert re.compile(r"x+y").search("xxy")  # compiled the usual way
    assert not regex_cache._state  # and the cache is off for the rest of the run


def test_the_cli_writes_it_beside_the_results_and_gives_the_same_output(tmp_path, monkeypatch):
    write(tmp_path / "a.md", "# Eczema\n\nDetox tea cures eczema in every child.\n")
    monkeypatch.chdir(tmp_path)
    first = run("check", "--no-cache", "a.md")
    assert regex_cache.cache_file(tmp_path / ".healthlint_cache").exists()
    assert not regex_cache._state  # the CLI leaves re as it found it
    re.purge()
    second = run("check", "--no-cache", "a.md")
    assert (second.code, second.out) == (first.code, first.out) and first.code == 1


def test_a_class_built_from_a_set_has_one_key_in_any_order(cache):
    """markdown-it builds a class from a frozenset: its order changes with the hash seed, its key must not."""
    re.compile("[!\\#\\-a\\\n]")  # as re.escape writes them
    regex_cache.save()
    regex_cache.uninstall()
    re.purge()
    assert regex_cache.install(cache)
    reordered = re.compile("[a\\\n\\-!\\#]")
    assert regex_cache._state["added"] == 0  # found under the same key
    assert [m.group() for m in reordered.finditer("x!y#z-a\nb")] == ["!", "#", "-", "a", "\n"]
    assert reordered.pattern == "[a\\\n\\-!\\#]"


@pytest.mark.parametrize("pattern", [r"[a-z]", r"[z-a]", r"[^ab]", r"[\d.]", r"[\x41b]", r"[[a]]", r"[ab\]"])
def test_classes_whose_order_matters_keep_their_own_key(pattern):
    assert regex_cache._canonical(pattern) == pattern


def test_plain_classes_are_keyed_sorted():
    assert regex_cache._canonical(r"[ba\-]") == regex_cache._canonical(r"[\-ab]") == r"[\-ab]"
    assert regex_cache._canonical(b"[ba]") == b"[ba]"  # bytes patterns keep their text
