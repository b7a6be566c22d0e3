"""Importing the reference's volunteer sentence (section 三): each blank binds to the volunteers
app's figure its words name, with the style its words ask for (×余 about, ×万 in 万), and the ×年
of 发布×年志愿服务项目 is the report's year, not a number."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuanchuan.reports import services
from xuanchuan.reports.placeholders import NUMBER, YEAR, find_placeholders

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "district_report_sample.txt"
SENTENCE = (
    "将创建“志愿之城”与新时代文明实践工作相结合，组建新时代文明实践志愿服务队伍×余支，×万余人，"
    "发布×年志愿服务项目，开展各类志愿服务活动×多场次，志愿服务在×区蔚然成风。"
)


def test_the_reference_holds_the_sentence() -> None:
    if not REFERENCE.exists():
        pytest.skip("the reference report is not checked out beside the project")
    assert "组建新时代文明实践志愿服务队伍×余支，×万余人，发布×年志愿服务项目，开展各类志愿服务活动×多场次" in (
        REFERENCE.read_text(encoding="utf-8")
    )


def test_each_blank_of_the_volunteer_sentence_gets_its_figure() -> None:
    teams, volunteers, year, activities, place = find_placeholders(SENTENCE)
    assert (teams.cls, teams.unit, teams.figure) == (NUMBER, "支", "volunteers.teams")
    assert (volunteers.cls, volunteers.unit, volunteers.figure) == (NUMBER, "万人", "volunteers.volunteers")
    assert (year.cls, year.figure) == (YEAR, None)
    assert (activities.cls, activities.unit, activities.figure) == (NUMBER, "场次", "volunteers.activities")
    assert place.figure is None


@pytest.mark.django_db
def test_the_import_proposes_figures_styles_and_the_year(district, bob) -> None:
    upload = SimpleUploadedFile("volunteers.txt", SENTENCE.encode("utf-8"), content_type="text/plain")
    record = services.start_import(upload, by=bob, unit=district.east)
    proposed = [(item["binding"], item["style"]) for item in record.placeholders]
    assert proposed == [
        ("volunteers.teams", ["about"]),  # ×余支
        ("volunteers.volunteers", ["wan", "about"]),  # ×万余人
        ("year", []),  # 发布×年志愿服务项目: the report's year
        ("volunteers.activities", ["about"]),  # ×多场次
        ("district_short", []),  # ×区
    ]


def test_the_points_words_tell_earned_from_redeemed() -> None:
    earned, redeemed, hours = find_placeholders("发放道德信贷积分×分，兑换积分×分，志愿服务时长×小时。")
    assert earned.figure == "volunteers.points_earned"
    assert redeemed.figure == "volunteers.points_redeemed"
    assert hours.figure == "volunteers.service_hours"
