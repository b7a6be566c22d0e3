"""Pathological inputs of the platform's largest text (50,000 characters) finish quickly: no rule
is quadratic (no regex backtracking over long runs, no scan of a growing list per character)."""

import time

import pytest

from xuanchuan.proofing import Checker, default_terms

SIZE = 50_000

CASES = {
    "digits then a percent sign": "1" * SIZE + "%",
    "digits then years and ranges": "2" * SIZE + "年～月",
    "a long list naming Taiwan, then 国家": "台湾、" + "甲、" * (SIZE // 2) + "国家",
    "a long ASCII word and an at sign": "a" * SIZE + "@",
    "openers then closers of another kind": "“" * (SIZE // 2) + "）" * (SIZE // 2),
    "repeated and half-width marks": "。。甲,乙" * (SIZE // 5),
    "spaces between characters": "扫 " * (SIZE // 2),
    "letters between characters": "扫h" * (SIZE // 2),
    "placeholders": "×X□" * (SIZE // 3),
    "nested titles": "《" * (SIZE // 2) + "》" * (SIZE // 2),
    "a term everywhere": "打黑除恶扫黑出恶" * (SIZE // 8),
    "one entry everywhere": "打黑除恶" * (SIZE // 4),
    "names and titles everywhere": "副区长张三" * (SIZE // 5),
}
CHECKER = Checker(default_terms(), names={"张三": ["区长"]})


@pytest.mark.parametrize("name", CASES)
def test_pathological_text_is_checked_quickly(name):
    text = CASES[name]
    started = time.process_time()
    findings = CHECKER.check(text)
    assert time.process_time() - started < 3, name
    for f in findings[:1000]:
        assert text[f.start : f.end] == f.text
