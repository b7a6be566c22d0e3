"""Importing a blanked report: finding, classifying and matching its placeholders."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from xuanchuan.reports.placeholders import (
    NAME,
    NUMBER,
    PLACE,
    YEAR,
    Placeholder,
    extract_docx_text,
    find_placeholders,
    read_document,
)
from xuanchuan.reports.registry import Figure

DATA = Path(__file__).parent / "data"
REFERENCE_NAME = "district_report_sample.txt"


def _figure(key: str, label: str, unit: str, *synonyms: str) -> Figure:
    return Figure(key=key, label=label, unit=unit, func=lambda period, unit: None, synonyms=synonyms)


SAMPLE_FIGURES = [
    _figure("theory.study_sessions", "理论学习中心组学习场次", "场次", "中心组学习", "学习会议"),
    _figure("theory.seminars", "集中研讨次数", "次", "集中研讨", "研讨交流"),
    _figure("news.articles", "发表新闻稿件", "篇", "新闻稿件", "稿件"),
    _figure("news.wechat_posts", "微信公众号发布信息", "条", "公众号", "微信"),
    _figure("org.agency_units", "机关单位数", "个", "机关单位", "部门单位"),
    _figure("volunteers.people", "志愿者人数", "人", "志愿者"),
]


def _summary(placeholders: list[Placeholder]) -> list[tuple[str, str, str]]:
    return [(item.mark, item.cls, item.unit) for item in placeholders]


def _at(text: str, placeholders: list[Placeholder], needle: str, offset: int) -> Placeholder:
    """The placeholder at ``offset`` characters into the first occurrence of ``needle``."""
    start = text.index(needle) + offset
    return next(item for item in placeholders if item.start == start)


def test_every_variant_of_mark_is_found_and_classified() -> None:
    text = read_document(DATA / "variants_report.txt")
    placeholders = find_placeholders(text, SAMPLE_FIGURES)
    assert _summary(placeholders) == [
        ("XX", PLACE, ""),
        ("XX", NAME, ""),
        ("XX", PLACE, ""),
        ("XX", NUMBER, "场次"),
        ("xx", NUMBER, "次"),
        ("ＸＸ", PLACE, ""),
        ("ｘｘ", NAME, ""),
        ("＊＊", NUMBER, "篇"),
        ("**", NAME, ""),
        ("××", NUMBER, "期"),
        ("X", NUMBER, "个"),
        ("Ｘ", NUMBER, "万份"),
        ("×", NUMBER, "万人次"),
        ("xx", NUMBER, "%"),
        ("20××", YEAR, "年"),
        ("202X", YEAR, "年"),
        ("二〇××", YEAR, "年"),
        ("×", YEAR, "月"),
        ("×", YEAR, "日"),
    ]
    assert [item.index for item in placeholders] == list(range(len(placeholders)))
    for item in placeholders:
        assert text[item.start : item.end] == item.mark
        assert item.mark in item.context
        if item.cls != NUMBER:
            assert item.figure is None and item.alternatives == []


def test_latin_words_formulas_and_footnotes_are_not_placeholders() -> None:
    text = read_document(DATA / "not_placeholders.txt")
    assert "扫H除E" in text and "3×4" in text
    assert find_placeholders(text, SAMPLE_FIGURES) == []


@pytest.mark.parametrize(
    ("text", "mark", "cls", "unit"),
    [
        ("我代表×区汇报", "×", PLACE, ""),
        ("全区×个机关单位", "×", NUMBER, "个"),
        ("×区委宣传部", "×", PLACE, ""),
        ("在×政务网发布", "×", PLACE, ""),
        ("在“×宣传”开设专栏", "×", NAME, ""),
        ("讲好×故事", "×", PLACE, ""),
        ("建设幸福美好×提供保证", "×", PLACE, ""),
        ("尊敬的×，同志们", "×", NAME, ""),
        ("×同志指出", "×", NAME, ""),
        ("×区长讲话", "×", NAME, ""),
        ("播出《纵横×》栏目", "×", NAME, ""),
        ("“决战决胜脱贫攻坚×全媒体行”", "×", PLACE, ""),
        ("制定《×年工作方案》", "×", YEAR, "年"),
        ("连续×年获评", "×", NUMBER, "年"),
        ("202×年", "202×", YEAR, "年"),
        ("部分×特产", "×", PLACE, ""),
        ("推荐×名选手", "×", NUMBER, "名"),
        ("发表稿件×余篇", "×", NUMBER, "篇"),
        ("开展活动×多场次", "×", NUMBER, "场次"),
        ("发布信息×多条", "×", NUMBER, "条"),
        ("旅游人数近×万人（次）", "×", NUMBER, "万人次"),
        ("同比增长×％", "×", NUMBER, "%"),
        ("收入×万元", "×", NUMBER, "万元"),
        ("打造×小时课堂", "×", NUMBER, "小时"),
        ("讲好×故事·×篇章", "×", PLACE, ""),
        ("排名第×。", "×", NUMBER, ""),
        ("选拔1××名选手", "1××", NUMBER, "名"),
        ("收入12××万元", "12××", NUMBER, "万元"),
        ("19××年", "19××", YEAR, "年"),
        ("二〇二×年", "二〇二×", YEAR, "年"),
        ("２０２Ｘ年", "２０２Ｘ", YEAR, "年"),
        ("XX年XX月XX日", "XX", YEAR, "年"),
        ("提高×个百分点", "×", NUMBER, "个百分点"),
        ("在××期间", "××", PLACE, ""),
    ],
)
def test_classification_rules(text: str, mark: str, cls: str, unit: str) -> None:
    placeholder = find_placeholders(text, [])[0]
    assert (placeholder.mark, placeholder.cls, placeholder.unit) == (mark, cls, unit)


def test_figures_are_proposed_from_words_and_unit() -> None:
    text = (
        "举办区委理论学习中心组学习会议×场次，集中研讨交流×次。"
        "累计发表新闻稿件×多篇。全区×个机关单位参与，选拔×名选手。"
    )
    placeholders = find_placeholders(text, SAMPLE_FIGURES)
    sessions, seminars, articles, agencies, contestants = placeholders
    assert sessions.figure == "theory.study_sessions"
    assert seminars.figure == "theory.seminars"
    assert "theory.study_sessions" in seminars.alternatives  # same sentence, a unit of the same kind
    assert articles.figure == "news.articles"
    assert agencies.figure == "org.agency_units"
    # Nothing in the catalogue counts contestants: no proposal rather than a wrong one.
    assert contestants.figure is None and contestants.alternatives == []


def test_unit_decides_between_figures_with_the_same_words() -> None:
    figures = [
        _figure("demo.sessions", "宣讲活动场次", "场次", "宣讲活动"),
        _figure("demo.events", "宣讲活动次数", "次", "宣讲活动"),
        _figure("demo.audience", "宣讲活动受众", "人次", "宣讲活动"),
    ]
    sessions, audience = find_placeholders("开展宣讲活动×场次，受众×万人次。", figures)
    # 次 is a unit of the same kind as 场次: the runner-up; 人次 counts people and is left out.
    assert (sessions.figure, sessions.alternatives) == ("demo.sessions", ["demo.events"])
    assert (audience.figure, audience.alternatives) == ("demo.audience", [])


def test_the_word_naming_what_is_counted_decides_between_figures_sharing_the_nearest_word() -> None:
    figures = [
        _figure("demo.wechat_reads", "微信公众号阅读量", "人次", "点击量", "阅读量", "微信公众号"),
        _figure("demo.douyin_plays", "抖音短视频播放量", "人次", "点击量", "播放量", "抖音", "短视频"),
    ]
    text = "微信公众号发布信息×多条，点击量达×万人次，抖音发布短视频×条，点击量×万人次。"
    _posts, wechat, _videos, douyin = find_placeholders(text, figures)
    assert wechat.figure == "demo.wechat_reads"
    assert douyin.figure == "demo.douyin_plays"
    # A synonym holding the nearest word counts by what it adds: 微信 of 微信点击量.
    figures = [
        _figure("demo.wechat_reads", "微信公众号文章点击量", "人次", "微信点击量", "点击量"),
        _figure("demo.douyin_plays", "抖音短视频点击量", "人次", "抖音点击量", "点击量"),
    ]
    _posts, wechat, _videos, douyin = find_placeholders(text, figures)
    assert (wechat.figure, douyin.figure) == ("demo.wechat_reads", "demo.douyin_plays")
    # The same word alone ties, and the key decides: the second word is what tells them apart.
    (alone,) = find_placeholders("点击量×万人次。", figures)
    assert alone.figure == "demo.douyin_plays" and alone.alternatives == ["demo.wechat_reads"]


def test_registry_is_the_default_catalogue() -> None:
    (placeholder,) = find_placeholders("全区×个机关单位参加培训")
    assert placeholder.figure == "org.agency_units"
    # With the words of the civilised-city responsibility, the figure of the units that took it.
    (placeholder,) = find_placeholders("全区×个机关单位认真落实包街责任制")
    assert placeholder.figure == "civility.responsible_units"


def test_docx_text_keeps_paragraph_and_table_order() -> None:
    pytest.importorskip("docx")
    text = extract_docx_text(DATA / "blanked_report.docx")
    assert text.split("\n") == [
        "××区宣传思想工作汇报",
        "今年以来，举办区委理论学习中心组学习会议×场次，全区×个机关单位参与。",
        "项目",
        "数量",
        "发表新闻稿件",
        "×篇",
        "讲好XX故事，建设幸福美好XX。",
    ]
    placeholders = find_placeholders(text, SAMPLE_FIGURES)
    assert _summary(placeholders) == [
        ("××", PLACE, ""),
        ("×", NUMBER, "场次"),
        ("×", NUMBER, "个"),
        ("×", NUMBER, "篇"),
        ("XX", PLACE, ""),
        ("XX", PLACE, ""),
    ]
    assert placeholders[3].figure == "news.articles"  # the table cell before it names the figure
    assert all(text[item.start : item.end] == item.mark for item in placeholders)


def test_command_prints_json_in_text_order() -> None:
    out = StringIO()
    call_command("report_import", str(DATA / "variants_report.txt"), "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert "尊敬的" in out.getvalue()  # ensure_ascii=False: Chinese as it is
    assert [item["index"] for item in payload] == list(range(19))
    assert list(payload[0]) == ["index", "start", "mark", "class", "unit", "context", "figure", "alternatives"]
    assert payload[10] | {"context": ""} == {
        "index": 10,
        "start": payload[10]["start"],
        "mark": "X",
        "class": "number",
        "unit": "个",
        "context": "",
        "figure": "org.agency_units",
        "alternatives": ["civility.responsible_units"],
    }
    starts = [item["start"] for item in payload]
    assert starts == sorted(starts)


def test_command_prints_a_chinese_table(tmp_path: Path) -> None:
    out = StringIO()
    call_command("report_import", str(DATA / "variants_report.txt"), stdout=out)
    table = out.getvalue()
    assert "序号" in table and "建议指标" in table and "org.agency_units" in table
    assert "共 19 处占位" in table
    empty = tmp_path / "empty.txt"
    empty.write_text("没有占位标记的文稿。", encoding="gb18030")
    out = StringIO()
    call_command("report_import", str(empty), stdout=out)
    assert "未发现占位标记" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("report_import", str(tmp_path / "missing.txt"))


def _reference_report() -> Path | None:
    for folder in (Path(settings.BASE_DIR).parent / "shared" / "reference", Path("/work/shared/reference")):
        if (folder / REFERENCE_NAME).is_file():
            return folder / REFERENCE_NAME
    return None


def test_reference_report_every_mark_accounted_for(db) -> None:  # a series' name is read from the records
    path = _reference_report()
    if path is None:
        pytest.skip(f"参考文稿 {REFERENCE_NAME} 不在 ../shared/reference/（只在有该目录的环境中检查）")
    text = read_document(path)
    placeholders = find_placeholders(text)
    runs = list(re.finditer(r"×+", text))
    assert len(placeholders) == len(runs)
    assert [item.start for item in placeholders] == [run.start() for run in runs]

    assert _at(text, placeholders, "尊敬的×", 3).cls == NAME
    agencies = _at(text, placeholders, "全区×个机关单位", 2)
    # The units that took responsibility for streets (包帮、包街), not all agency units.
    assert (agencies.cls, agencies.unit, agencies.figure) == (NUMBER, "个", "civility.responsible_units")
    assert "org.agency_units" in agencies.alternatives
    clicks = _at(text, placeholders, "点击量达×万人次", 4)
    assert (clicks.cls, clicks.unit) == (NUMBER, "万人次")
    assert _at(text, placeholders, "建设×年工作方案", 2).cls == YEAR
    assert _at(text, placeholders, "发布×年志愿服务项目", 2).cls == YEAR
    assert _at(text, placeholders, "代表×区", 2).cls == PLACE
    assert _at(text, placeholders, "《纵横×》", 3).cls == NAME
    assert _at(text, placeholders, "“×宣传”", 1).cls == NAME
    assert _at(text, placeholders, "幸福美好×", 4).cls == PLACE
    assert _at(text, placeholders, "×名选手", 0).unit == "名"
    tourists = _at(text, placeholders, "近×万人（次）", 1)
    assert (tourists.cls, tourists.unit) == (NUMBER, "万人次")
    counts = {cls: sum(item.cls == cls for item in placeholders) for cls in (NUMBER, PLACE, NAME, YEAR)}
    assert counts == {NUMBER: 33, PLACE: 24, NAME: 3, YEAR: 2}


SECTION_TWO = [
    ("在省、市主流媒体发表新闻稿件×", "media.press_articles"),
    ("播出《纵横×》栏目×", "media.tv_episodes"),
    ("累计发表各类稿件×", "publishing.publications_published"),
    ("微信公众号发布信息×", "media.wechat_posts"),
    ("点击量达×", "media.wechat_reads"),
    ("抖音发布短视频×", "media.douyin_videos"),
    ("短视频×条，点击量×", "media.douyin_plays"),
    ("商铺等×", "media.led_screens"),
    ("、×块大型电子显示屏", "media.big_screens"),
    ("、×台楼宇广告机", "media.ad_machines"),
    ("宣传横幅×", "media.banners"),
    ("宣传车贴×", "media.car_stickers"),
    ("宣传彩页×", "media.leaflets"),
    ("疫情防控短信×", "media.sms"),
]


def test_reference_report_section_two_blanks_get_their_figures(db) -> None:  # a series' name is read from the records
    """Every number blank of section 二 (press and new media) is proposed the figure that counts it."""
    path = _reference_report()
    if path is None:
        pytest.skip(f"参考文稿 {REFERENCE_NAME} 不在 ../shared/reference/（只在有该目录的环境中检查）")
    text = read_document(path)
    placeholders = find_placeholders(text)
    section = (text.index("二、坚持正确方向"), text.index("三、深化文明创建"))
    numbers = [item for item in placeholders if item.cls == NUMBER and section[0] <= item.start < section[1]]
    for needle, key in SECTION_TWO:
        item = _at(text, placeholders, needle, needle.rindex("×"))
        assert item.figure == key, needle
    assert len(numbers) == len(SECTION_TWO)
    # No section 五 blank is taken for a reading figure because its sentence speaks of 阅读 (a reading contest).
    assert _at(text, placeholders, "×名选手", 0).figure != "media.wechat_reads"


SECTION_THREE_CASEWORK = [
    ("全区×个机关单位认真落实", "civility.responsible_units"),
    ("共下发交办单×", "civility.tickets_issued"),
    ("梳理问题×", "civility.problems_found"),
    ("督促整改完成×", "civility.problems_rectified"),
]


def test_reference_report_casework_blanks_get_their_figures(db) -> None:  # a series' name is read from the records
    """The civilised-city casework sentence of section 三: responsibility, tickets, problems, rectified."""
    path = _reference_report()
    if path is None:
        pytest.skip(f"参考文稿 {REFERENCE_NAME} 不在 ../shared/reference/（只在有该目录的环境中检查）")
    text = read_document(path)
    placeholders = find_placeholders(text)
    for needle, key in SECTION_THREE_CASEWORK:
        assert _at(text, placeholders, needle, needle.index("×")).figure == key, needle


# --- lone *, _ and __; names in parentheses; scores and ranks ---------------------------------------------


def test_stars_and_underscores_are_found_where_the_sentence_explains_them() -> None:
    text = read_document(DATA / "stars_and_underscores_report.txt")
    placeholders = find_placeholders(text, [])
    assert _summary(placeholders) == [
        ("**", PLACE, ""),  # **街道
        ("**", PLACE, ""),
        ("_", NUMBER, "个"),
        ("__", NUMBER, "个"),
        ("*", NUMBER, "场次"),
        ("*", NUMBER, "分"),  # 测评得分*分: a score
        ("*", NUMBER, "名"),  # 排名第*名: a rank
        ("__", NUMBER, "个"),
        ("*", NUMBER, "个"),
        ("*", NUMBER, "人"),
        ("***", NAME, ""),  # 先进个人*人（***、**、***）: the names of the people counted
        ("**", NAME, ""),
        ("***", NAME, ""),
        ("**", NUMBER, "名"),  # 推荐**名同志: a count of people
        ("**", NAME, ""),  # 先进个人1人（**）
        ("**", NAME, ""),  # “**好人”
        ("202*", YEAR, "年"),
        ("×", NUMBER, "名"),
        ("××", NUMBER, "分"),
    ]
    assert all(text[item.start : item.end] == item.mark for item in placeholders)
    assert [item.index for item in placeholders] == list(range(len(placeholders)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("先进个人1人（**）", [("**", NAME, "")]),
        ("优秀党员3名（×××、××、×××）", [("×××", NAME, ""), ("××", NAME, ""), ("×××", NAME, "")]),
        ("表彰先进个人×人(**，***)", [("×", NUMBER, "人"), ("**", NAME, ""), ("***", NAME, "")]),
        ("测评得分×分", [("×", NUMBER, "分")]),
        ("获得×分的好成绩", [("×", NUMBER, "分")]),
        ("排名第×名", [("×", NUMBER, "名")]),
        ("全市第×名", [("×", NUMBER, "名")]),
        ("共有_个单位", [("_", NUMBER, "个")]),
        ("共有__个单位", [("__", NUMBER, "个")]),
        ("尊敬的*：", [("*", NAME, "")]),
        ("于20__年印发", [("20__", YEAR, "年")]),
        ("辖**个街道**个村", [("**", NUMBER, "个"), ("**", NUMBER, "个")]),
        # Not blanks: a name list needs a count of people before it; 分 starting a word is no score.
        ("成立×分公司", [("×", PLACE, "")]),
        ("活动（**）", [("**", PLACE, "")]),
        ("这是**重点**内容", []),
        ("注*：见附表", []),
        ("带*号的为必填项", []),
        ("文件名_最终版", []),
    ],
)
def test_new_marks_and_units(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _summary(find_placeholders(text, [])) == expected


def test_a_rank_is_not_matched_with_a_count_of_people_and_a_score_with_scores() -> None:
    figures = [
        _figure("civil.rank", "文明城市测评排名", "名次", "测评排名", "排名"),
        _figure("civil.people", "参加测评人数", "人", "测评", "排名"),
        _figure("civil.score", "文明城市测评得分", "分", "测评得分"),
    ]
    rank, people, score = find_placeholders("全市测评排名第×名，参加测评×名，测评得分×分。", figures)
    assert (rank.unit, rank.figure) == ("名", "civil.rank")
    assert "civil.people" not in rank.alternatives
    assert (people.unit, people.figure) == ("名", "civil.people")
    assert (score.unit, score.figure) == ("分", "civil.score")
