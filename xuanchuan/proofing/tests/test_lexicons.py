"""Sensitive words, formulations and misused words from the shipped lexicons."""

import pytest

from xuanchuan.proofing import Checker, Term, check


def found(text, kind=None):
    return [(f.kind, f.text, f.suggestion) for f in check(text) if kind is None or f.kind == kind]


@pytest.mark.parametrize(
    ("text", "kind", "wrong", "right"),
    [
        ("深入推进打黑除恶专项斗争", "formulation", "打黑除恶", "扫黑除恶"),
        ("认真学习党的二十大会议精神", "formulation", "二十大会议精神", "二十大精神"),
        ("共建“一带一路”战略", "formulation", "“一带一路”战略", "“一带一路”倡议"),
        ("某某任东莞市市委书记", "formulation", "市市委", "市委"),
        ("全国人大副委员长出席", "formulation", "全国人大副委员长", "全国人大常委会副委员长"),
        ("筑牢中华民族共同体意识", "formulation", "筑牢中华民族共同体意识", "铸牢中华民族共同体意识"),
        ("香港政府宣布", "formulation", "香港政府", "香港特区政府"),
        ("北朝鲜发射卫星", "formulation", "北朝鲜", "朝鲜"),
        ("他是残废人", "sensitive", "残废人", "残疾人"),
        ("蒙族同胞", "sensitive", "蒙族", "蒙古族"),
        ("尖阁群岛", "formulation", "尖阁群岛", "钓鱼岛"),
        ("反对台独", "sensitive", "台独", "“台独”"),
        ("请大家再接再励", "misused", "再接再励", "再接再厉"),
        ("截止目前已完成", "misused", "截止目前", "截至目前"),
        ("出门要带口罩", "misused", "带口罩", "戴口罩"),
        ("注册帐号", "misused", "帐号", "账号"),
    ],
)
def test_wrong_forms_are_found_with_the_right_one(text, kind, wrong, right):
    assert (kind, wrong, right) in found(text, kind)


@pytest.mark.parametrize(
    "text",
    [
        "深入推进扫黑除恶专项斗争",
        "认真学习党的二十大精神",
        "区人大常委会副主任出席会议",  # holds 人大常委 inside the standard 人大常委会
        "全国人大常委会副委员长",
        "朝鲜族同胞",  # holds 鲜族
        "大学生村官",  # holds 村官
        "反对“台独”分裂活动",  # the term in the quotes it needs
        "携带口罩",  # holds 带口罩
        "依法依规进行责任追究",  # holds 进行责任追究
        "铸牢中华民族共同体意识",
        "以习近平同志为核心的党中央",
    ],
)
def test_the_correct_form_itself_is_not_flagged(text):
    assert found(text, "sensitive") + found(text, "formulation") + found(text, "misused") == []


def test_severities_follow_the_kind_of_error():
    by_text = {f.text: f.severity for f in check("打黑除恶，再接再励，亲自")}
    assert by_text == {"打黑除恶": "high", "再接再励": "medium", "亲自": "low"}


def test_latin_terms_match_whole_words_only():
    assert ("sensitive", "SB", "") in found("你真是SB")
    assert ("sensitive", "ＳＢ", "") in found("你真是ＳＢ")  # full-width letters
    assert found("SBS电视台与NBA的合作", "sensitive") == []


def test_a_longer_entry_wins_over_the_one_inside_it():
    checker = Checker([Term("残废", "sensitive", "残疾"), Term("残废人", "sensitive", "残疾人")])
    assert [(f.text, f.suggestion) for f in checker.check("残废人") if f.kind == "sensitive"] == [("残废人", "残疾人")]


def test_a_standard_entry_protects_the_text_holding_it():
    wrong = Term("常委", "formulation", "常委会委员")
    assert [f.text for f in Checker([wrong]).check("人大常委会召开") if f.kind == "formulation"] == ["常委"]
    protected = Checker([wrong, Term("人大常委会", "formulation", "人大常委会")])
    assert [f for f in protected.check("人大常委会召开") if f.kind == "formulation"] == []


@pytest.mark.parametrize(
    "text",
    [
        "电视台独家报道",
        "打造舞台独特风格",
        "平台独立运营",
        "来来回回跑了好几趟",
        "建立农村长效机制",
        "推进乡村长效管护",
        "部署NB-IoT网络",
        "及时向区政府报告",
        "能源动力学院",
        "各区区委宣传部",
        "观看电影后谈体会",
        "疫苗不良反应情况",
        "集中港口资源",
        "这趟出行很顺利",
    ],
)
def test_common_words_holding_an_entry_are_not_flagged(text):
    assert [f for f in check(text) if f.kind in ("sensitive", "formulation", "misused")] == []


def test_the_entries_those_words_hold_are_still_found():
    assert ("sensitive", "台独", "“台独”") in found("坚决反对台独")
    assert ("sensitive", "村长", "村主任") in found("村长主持村民大会")
    assert ("formulation", "政府报告指出", "政府工作报告指出") in found("政府报告指出，要稳增长")
    assert ("sensitive", "中港合作", "内地与香港合作") in found("深化中港合作")
