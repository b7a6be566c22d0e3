"""Rules without a lexicon: placeholders, brackets, punctuation, number and date styles."""

import pytest

from xuanchuan.proofing import check


def of(kind, text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == kind]


# ------------------------------------------------------------------ placeholders


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("在×政务网发布", "×"),
        ("××同志出席", "××"),
        ("XX区委宣传部", "XX"),
        ("ＸＸ街道", "ＸＸ"),
        ("截至202×年底", "202×"),
        ("20XX年工作总结", "20XX"),
        ("共计□□万元", "□□"),
        ("联系人：**", "**"),
        ("中共X省委", "X"),
        ("金额：____元", "____"),
    ],
)
def test_placeholders_are_found(text, blank):
    assert of("placeholder", text) == [(blank, "")]


@pytest.mark.parametrize(
    "text",
    [
        "长方形面积为3×4平方米",
        "3 × 4 = 12",
        "按 date × channel 汇总",
        "玩Xbox游戏",
        "拍X光片",
        "XXL码的衣服",
        "做X射线检查",
        "二〇〇八年",
    ],
)
def test_not_placeholders(text):
    assert of("placeholder", text) == []


def test_placeholder_severity_is_high():
    assert {f.severity for f in check("×区") if f.kind == "placeholder"} == {"high"}


# ------------------------------------------------------------------ brackets


def test_unpaired_marks():
    assert of("brackets", "他说：“我们要团结。") == [("“", "")]
    assert of("brackets", "他说：我们要团结。”") == [("”", "")]
    assert of("brackets", "学习《决定精神") == [("《", "")]
    assert of("brackets", "会议（扩大）召开】") == [("】", "")]
    assert of("brackets", "他说：“好（很好”。")[0] == ("（", "")


def test_paired_marks_are_fine():
    assert of("brackets", "学习《关于〈决定〉的说明》，他说：“‘两个维护’是根本。”（完）【注】") == []


def test_nested_titles_and_quotes_must_be_double_outside_single_inside():
    assert of("brackets", "读《关于《决定》的说明》") == [("《", "〈"), ("》", "〉")]
    assert of("brackets", "他说：“要做到“两个维护”。”") == [("“", "‘"), ("”", "’")]


def test_marks_pair_within_a_paragraph():
    assert len(of("brackets", "他说：“第一段\n第二段。”")) == 2


def test_english_quotes_in_chinese_text():
    assert of("brackets", '他强调"团结"的重要性') == [('"', "“"), ('"', "”")]
    assert of("brackets", 'He said "yes" and left') == []


def test_book_title_marks_not_for_meetings_activities_and_prizes():
    assert of("brackets", "召开《全区宣传工作会议》") == [("《全区宣传工作会议》", "“全区宣传工作会议”")]
    assert of("brackets", "荣获《五个一工程奖》") == [("《五个一工程奖》", "“五个一工程奖”")]
    assert of("brackets", "学习《中国共产党章程》") == []


# ------------------------------------------------------------------ punctuation


@pytest.mark.parametrize(
    ("text", "mark", "full"),
    [
        ("我们要团结,奋斗", ",", "，"),
        ("主要任务是:宣传", ":", "："),
        ("这是为什么?", "?", "？"),
        ("要坚持;要创新", ";", "；"),
        ("会议召开.", ".", "。"),
        ("会议(扩大)召开", "(", "（"),
        ("太好了!", "!", "！"),
    ],
)
def test_half_width_punctuation_in_chinese(text, mark, full):
    assert (mark, full) in of("punctuation", text)


@pytest.mark.parametrize(
    "text",
    [
        "圆周率约为3.14。",
        "会议于10:30开始。",
        "详见https://www.example.gov.cn/a.html?id=1,2，请查阅。",
        "Hello, world! (test)",
        "1.会议要求",
        "联系邮箱xuanchuan@example.cn。",
        "增长1,234户",
        "Document: 国务院办公厅",
    ],
)
def test_punctuation_that_belongs(text):
    assert [f for f in check(text) if f.kind == "punctuation" and f.text in ",.;:?!()"] == []


@pytest.mark.parametrize(
    ("text", "run", "fix"),
    [
        ("太好了！！！！", "！！！！", "！！！"),
        ("为什么？？？？？", "？？？？？", "？？？"),
        ("结束了。。", "。。", "。"),
        ("等等。。。", "。。。", "……"),
        ("首先，，其次", "，，", "，"),
        ("还有...", "...", "……"),
        ("还有…其他", "…", "……"),
    ],
)
def test_repeated_punctuation(text, run, fix):
    assert (run, fix) in of("punctuation", text)


def test_three_exclamation_marks_and_a_proper_ellipsis_are_fine():
    assert of("punctuation", "太好了！！！还有……其他") == []


def test_ranges_take_a_dash():
    assert ("1-3", "1—3") in of("punctuation", "1-3月累计")
    assert ("2016-2020", "2016—2020") in of("punctuation", "2016-2020年间")
    assert [f for f in check("日期2025-03-05") if f.kind == "punctuation"] == []


def test_ordinal_marks():
    assert ("1、", "1.") in of("punctuation", "1、加强领导")
    assert ("一.", "一、") in of("punctuation", "一.加强领导")
    assert ("（一）、", "（一）") in of("punctuation", "（一）、加强领导")
    assert of("punctuation", "一、加强领导\n1.明确责任\n（一）强化保障") == []


# ------------------------------------------------------------------ consistency


def test_mixed_date_styles_flag_the_minority():
    text = "2025年3月5日召开会议，2025年3月8日通报，2025-03-10截止。"
    assert of("consistency", text) == [("2025-03-10", "2025年3月10日")]
    assert [f.severity for f in check(text) if f.kind == "consistency"] == ["low"]


def test_one_date_of_each_style_flags_the_non_chinese_one():
    assert of("consistency", "2025年3月5日和2025-03-05") == [("2025-03-05", "2025年3月5日")]


def test_month_and_year_numerals():
    assert ("三月", "3月") in of("consistency", "3月和4月完成，三月底检查")
    assert ("5月", "五月") in of("consistency", "三月、四月完成，5月检查")
    assert ("二〇二五年", "2025年") in of("consistency", "2024年、2026年和二〇二五年")


def test_percentages():
    assert ("百分之三十", "") in of("consistency", "增长30%，下降15%，持平百分之三十")


def test_one_style_is_consistent():
    assert of("consistency", "2025年3月5日召开，2025年4月1日结束，增长3%和5%") == []


# ------------------------------------------------------------------ ranges with units, 国家和地区


def test_both_ends_of_a_range_take_the_unit():
    assert ("9～16亿", "9亿～16亿") in of("punctuation", "投资9～16亿元")
    assert ("15～30%", "15%～30%") in of("punctuation", "增长15～30%")
    assert [f for f in check("投资9亿～16亿元，增长15%～30%") if f.kind == "punctuation"] == []


def test_a_list_with_hong_kong_macao_or_taiwan_is_not_only_countries():
    text = "来自美国、日本、台湾等国家的客商"
    assert [(f.text, f.suggestion, f.severity) for f in check(text) if f.kind == "formulation"] == [
        ("国家", "国家和地区", "high")
    ]
    assert text[text.index("国家") :].startswith("国家")
    assert [f for f in check("来自美国、日本、香港等国家和地区的客商") if f.kind == "formulation"] == []
    assert [f for f in check("来自美国、日本、韩国等国家的客商") if f.kind == "formulation"] == []
    assert [f for f in check("香港回归以来，国家高度重视") if f.kind == "formulation"] == []
