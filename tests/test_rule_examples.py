"""Every rule's own examples: 'bad' text must trigger it, 'good' text must not.

The tests are generated from the packs, so a new rule is tested the moment it is written, and a
rule without examples fails to load.
"""

import pytest

from healthlint.engine import lint_text
from healthlint.rules import load_builtin

RULES = list(load_builtin())


def _cases(kind):
    for rule in RULES:
        for i, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, example, id=f"{rule.code}-{rule.name}-{kind}{i}")


def _lint(rule, example):
    path = "example.txt" if example.plain else "example.md"
    return lint_text(example.raw if example.raw is not None else example.text, path=path, select=[rule.code])


@pytest.mark.parametrize("rule,example", list(_cases("bad")))
def test_bad_example_triggers(rule, example):
    findings = _lint(rule, example)
    assert any(f.code == rule.code for f in findings), f"{rule.code} did not fire on: {example.text!r}"
    for f in findings:
        assert f.line >= 1 and f.column >= 1
        assert (f.end_line, f.end_column) >= (f.line, f.column)
        assert f.message and "{" not in f.message, f.message


@pytest.mark.parametrize("rule,example", list(_cases("good")))
def test_good_example_is_quiet(rule, example):
    findings = [f for f in _lint(rule, example) if f.code == rule.code]
    assert not findings, f"{rule.code} fired on its good example: {[f.message for f in findings]}"


def test_every_rule_has_both_kinds_of_example():
    for rule in RULES:
        assert rule.bad and rule.good, rule.code


def test_codes_follow_families():
    for rule in RULES:
        assert rule.family != "other", rule.code
