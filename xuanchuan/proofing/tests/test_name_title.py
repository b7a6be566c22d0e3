"""A leader's name next to a title that is not theirs."""

import pytest

from xuanchuan.proofing import Checker, default_terms

NAMES = {"张三": ["区长", "区委副书记"], "李四": ["区委书记"], "王五": ["副区长"]}


@pytest.fixture(scope="module")
def checker():
    return Checker(default_terms(), names=NAMES)


def titles(checker, text):
    return [(f.text, f.suggestion, f.severity) for f in checker.check(text) if f.kind == "name_title"]


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("副区长张三出席会议", "副区长张三", "区长张三"),
        ("张三副区长出席会议", "张三副区长", "张三区长"),
        ("区委书记张三讲话", "区委书记张三", "区长张三"),
        ("区长王五讲话", "区长王五", "副区长王五"),  # a deputy is not promoted
        ("区委副书记李四主持", "区委副书记李四", "区委书记李四"),
        ("副区长 张三出席", "副区长 张三", "区长张三"),
    ],
)
def test_a_wrong_title_is_found(checker, text, wrong, right):
    assert titles(checker, text) == [(wrong, right, "high")]


@pytest.mark.parametrize(
    "text",
    [
        "区长张三出席会议",
        "区委副书记、区长张三出席会议",
        "张三区长指出",
        "张三同志指出",
        "区委书记李四，书记李四",
        "副区长王五",
        "张三丰副区长",  # another name
    ],
)
def test_the_right_title_is_fine(checker, text):
    assert titles(checker, text) == []


def test_no_names_no_title_findings():
    assert [f for f in Checker(default_terms()).check("副区长张三") if f.kind == "name_title"] == []
