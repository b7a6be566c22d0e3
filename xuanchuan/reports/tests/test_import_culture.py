"""Importing the reference's culture sentences (sections 五 and 六): each blank binds to the culture
figure its words name — 送文化下乡×场次, 研学活动×场次, 选拔推荐×名选手 — a series' events to the
series its sentence names (a figure with a parameter), the May Day visitors and revenue to the
holiday figures bound to 劳动节 with their 同比增长×% as their change, and the culture paragraphs of
the default template, blanked, bind back to the figures they were written with."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuanchuan.culture.models import Series
from xuanchuan.reports import services
from xuanchuan.reports.defaults import contributions
from xuanchuan.reports.placeholders import NUMBER, find_placeholders
from xuanchuan.reports.registry import all_figures

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "district_report_sample.txt"
SECTION_FIVE = (
    "组织开展了“激昂新×·欢乐中国年”迎新春等系列活动×场次，开展“红色文艺轻骑兵”送文化下乡×场次，"
    "“活力×·百姓文化大舞台”×场次。依托区图书馆、区博物馆等文化阵地，开展研学活动×场次。"
    "举办“发现乡村领读员”农家书屋阅读演讲比赛，选拔推荐×名选手参加市上比赛。"
    "五一期间组织开展了“激情五月·畅游×”全域旅游系列活动，涵盖吃、住、行、游、购、娱各项旅游要素。"
    "据统计，五一小长假，全区旅游人数近×万人（次），同比增长×%；旅游综合收入达到×万元，同比增长×%，"
    "有效提振了旅游市场，扩大了社会消费，文化旅游融合发展进一步推进，文化引领力不断增强。"
)
SERIES = "激昂新示范·欢乐中国年"


def _numbers(text: str) -> list[str | None]:
    return [item.figure for item in find_placeholders(text) if item.cls == NUMBER]


def test_the_reference_holds_the_sentences() -> None:
    if not REFERENCE.exists():
        pytest.skip("the reference report is not checked out beside the project")
    text = REFERENCE.read_text(encoding="utf-8")
    for sentence in re.split(r"(?<=。)", SECTION_FIVE):
        assert sentence in text, sentence


@pytest.mark.django_db
def test_each_blank_of_section_five_gets_its_figure(district) -> None:
    Series.objects.create(unit=district.root, name=SERIES, year=2025)
    Series.objects.create(unit=district.root, name="活力示范·百姓文化大舞台", year=2025)
    assert _numbers(SECTION_FIVE) == [
        f"culture.series_events({SERIES})",  # the blanked name (激昂新×) still names the series
        "culture.countryside_events",
        "culture.stage_events",  # 百姓文化大舞台 is a kind of event as well as a series: the kind comes first
        "culture.study_trips",
        "culture.contestants_recommended",
        "culture.holiday_visitors(劳动节)",  # 五一小长假 names the holiday
        None,  # 同比增长×%: bound by the import to the change of the number before it (below)
        "culture.holiday_revenue(劳动节)",
        None,
    ]


@pytest.mark.django_db
def test_without_the_series_recorded_staff_choose_it(district) -> None:
    assert _numbers(SECTION_FIVE)[0] == "culture.series_events"


@pytest.mark.django_db
def test_the_import_proposes_the_holiday_figures_with_their_change(district, bob) -> None:
    Series.objects.create(unit=district.root, name=SERIES, year=2025)
    upload = SimpleUploadedFile("culture.txt", SECTION_FIVE.encode("utf-8"), content_type="text/plain")
    record = services.start_import(upload, by=bob, unit=district.east)
    numbers = [(item["binding"], item["style"]) for item in record.placeholders if item["class"] == NUMBER]
    assert numbers[-4:] == [
        ("culture.holiday_visitors(劳动节)", ["wan", "about"]),
        ("culture.holiday_visitors(劳动节)", ["growth"]),
        ("culture.holiday_revenue(劳动节)", ["wan"]),
        ("culture.holiday_revenue(劳动节)", ["growth"]),
    ]
    assert numbers[0] == (f"culture.series_events({SERIES})", [])


def test_the_whole_reference_sections_bind_the_culture_figures() -> None:
    """The lines of sections 五 and 六 as the reference writes them (not sentences cut for the test)."""
    if not REFERENCE.exists():
        pytest.skip("the reference report is not checked out beside the project")
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    five = next(row for row in lines if row.startswith("五、"))
    assert [key for key in _numbers_without_db(five) if key] == [
        "culture.series_events",
        "culture.countryside_events",
        "culture.stage_events",
        "culture.study_trips",
        "culture.contestants_recommended",
        "culture.holiday_visitors(劳动节)",
        "culture.holiday_revenue(劳动节)",
    ]


def _numbers_without_db(text: str) -> list[str | None]:
    """The proposals when no series is recorded (the series' choices are then none)."""
    figures = [
        replace(item, parameter=replace(item.parameter, choices=lambda unit: []))
        if item.key == "culture.series_events"
        else item
        for item in all_figures(with_parameters=True)
    ]
    return [item.figure for item in find_placeholders(text, figures) if item.cls == NUMBER]


def test_the_default_culture_paragraphs_blanked_bind_back() -> None:
    """Each culture paragraph of the default template with its numbers blanked: every blank gets
    the figure it was written with (a change, 同比增长12.5%, is written out, not blanked)."""
    checked = 0
    for line in (5, 6):
        for item in contributions(line):
            if not item.key.startswith("culture."):
                continue
            written = [
                key for key, options in re.findall(r"\{\{ ([^ }]+)( [^}]*)? \}\}", item.text) if "change" not in options
            ]
            blanked = re.sub(r"\{\{ [^ }]+ change \}\}", "增长12.5%", item.text)
            blanked = re.sub(r"\{\{ [^}]+ \}\}", "×", blanked)
            assert _numbers_without_db(blanked) == written, item.key
            checked += len(written)
    assert checked >= 30
