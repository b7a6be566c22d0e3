"""Disguised spellings: letters or homophones for characters, full-width forms, inserted spaces."""

import pytest

from xuanchuan.proofing import Checker, Term, check


def formulations(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "formulation"]


@pytest.mark.parametrize(
    ("text", "disguise"),
    [
        ("统筹做好扫H除E专项斗争", "扫H除E"),  # as the reference report writes it
        ("统筹做好扫h除e专项斗争", "扫h除e"),
        ("统筹做好ＳＨ除恶专项斗争", "ＳＨ除恶"),  # full-width letters
        ("统筹做好扫 黑 除 恶专项斗争", "扫 黑 除 恶"),  # spaces
        ("统筹做好扫\u200b黑\u200b除恶专项斗争", "扫\u200b黑\u200b除恶"),  # zero-width characters
        ("统筹做好扫 H 除 E 专项斗争", "扫 H 除 E"),
        ("统筹做好扫黑出恶专项斗争", "扫黑出恶"),  # a homophone
        ("统筹做好打H除E专项斗争", "打H除E"),  # the outdated form, disguised
    ],
)
def test_disguised_forms_are_found_with_the_standard_form(text, disguise):
    assert formulations(text) == [(disguise, "扫黑除恶")]


def test_disguised_sensitive_term():
    findings = [(f.kind, f.text, f.suggestion) for f in check("这是中华民G总统的说法")]
    assert ("sensitive", "中华民G总统", "台湾地区领导人") in findings


@pytest.mark.parametrize(
    "text",
    [
        "扫黑除恶",  # the correct form itself
        "shche was typed in plain English",  # letters only: no real character
        "sh ch e",
        "统筹做好扫H，除E",  # across punctuation
        "扫H\n除E",  # across a line break
        "少黑出饿",  # nothing of the term left
    ],
)
def test_what_is_not_a_disguise(text):
    assert formulations(text) == []


def test_only_terms_of_three_characters_or_more_are_looked_for_in_disguise():
    checker = Checker([Term("蒙族", "sensitive", "蒙古族"), Term("东突厥斯坦", "sensitive")])
    assert [f.text for f in checker.check("M族同胞") if f.kind == "sensitive"] == []
    assert [f.text for f in checker.check("所谓东TJ斯坦") if f.kind == "sensitive"] == ["东TJ斯坦"]


def test_a_disguise_overlapping_an_exact_match_is_not_reported_twice():
    text = "打黑除恶"
    assert formulations(text) == [("打黑除恶", "扫黑除恶")]


@pytest.mark.parametrize(
    "text",
    [
        "这是市委的决定",  # 是市委 sounds like 市市委
        "这是省委的部署",
        "会议由区委书记主持",
    ],
)
def test_short_homophones_are_no_disguise(text):
    assert [f for f in check(text) if f.kind in ("formulation", "sensitive")] == []


def test_homophones_need_half_of_the_term_unchanged():
    checker = Checker([Term("扫黑除恶", "formulation", "扫黑除恶")])
    assert [f.text for f in checker.check("扫黑出恶")] == ["扫黑出恶"]
    assert [f.text for f in checker.check("扫嘿出恶")] == ["扫嘿出恶"]  # two of four unchanged
    assert checker.check("嫂嘿出恶") == []  # one of four


def test_full_width_letters_of_an_entry_match():
    assert ("ＷＴＯ成员国", "WTO成员") in formulations("所有ＷＴＯ成员国")
    assert ("wto成员国", "WTO成员") in formulations("所有wto成员国")
