"""The contests part's figures: each counts the records of its unit and the units below it, in the
period, with the period's first and last day inside and the days around it outside."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from xuanchuan.culture.tests.factories_contests import (
    make_campaign,
    make_competition,
    make_contestant,
    make_round,
    make_video,
    score,
)
from xuanchuan.reports.registry import Period, compute, get_figure

pytestmark = pytest.mark.django_db
YEAR = 2025
PERIOD = Period.year(YEAR)
KEYS = {
    "culture.competitions": ("比赛", "场", ("比赛", "演讲比赛", "阅读比赛", "大赛")),
    "culture.contestants": ("参赛选手", "名", ("参赛选手", "参赛")),
    "culture.contestants_recommended": (
        "推荐参加上级比赛的选手",
        "名",
        ("选拔推荐", "推荐选手", "参加市上比赛", "推荐参加"),
    ),
    "culture.product_campaigns": ("特产推介活动", "次", ("特产代言", "代言活动")),
    "culture.product_videos": ("特产代言短片", "部", ("代言短片", "短片", "宣传片")),
    "culture.product_video_views": ("代言短片播放量", "次", ("播放量", "浏览量", "点击量")),
}


def value(key: str, unit=None, period: Period = PERIOD):
    return compute(key, period, unit).value


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_the_figures_are_declared_with_their_words():
    for key, (label, unit, synonyms) in KEYS.items():
        item = get_figure(key)
        assert (item.label, item.unit) == (label, unit)
        assert set(synonyms) <= set(item.synonyms)
    assert get_figure("culture.contestants_recommended").date_field == "recommended_at"
    assert get_figure("culture.product_videos").date_field == "published_on"


def test_competitions_and_contestants_count_a_round_held_in_the_period(district):
    inside = make_competition(district.east_community, year=YEAR)
    make_round(inside, "初赛", 1, date(YEAR, 1, 1))
    make_round(inside, "决赛", 2, date(YEAR, 12, 31))  # two rounds in the period: one competition
    for name in ("甲", "乙", "丙"):
        make_contestant(inside, name)
    before = make_competition(district.east, title="去年", year=YEAR - 1)
    make_round(before, "决赛", 1, date(YEAR - 1, 12, 31))
    make_contestant(before, "丁")
    after = make_competition(district.east, title="明年", year=YEAR + 1)
    make_round(after, "初赛", 1, date(YEAR + 1, 1, 1))
    undated = make_competition(district.east, title="无日期", year=YEAR)
    make_round(undated, "初赛", 1, None)
    make_contestant(undated, "戊")
    west = make_competition(district.west, title="西城", year=YEAR)
    make_round(west, "初赛", 1, date(YEAR, 6, 1))
    make_contestant(west, "己")

    assert value("culture.competitions") == 2
    assert value("culture.contestants") == 4
    assert value("culture.competitions", district.east) == 1
    assert value("culture.contestants", district.east) == 3
    assert value("culture.contestants", district.east_community) == 3
    assert value("culture.contestants", district.west) == 1
    assert value("culture.competitions", district.publicity) == 0
    assert value("culture.competitions", period=Period.year(YEAR - 1)) == 1


def test_recommended_contestants_count_by_the_time_of_the_recommendation(district):
    competition = make_competition(district.east, year=YEAR)
    item = make_round(competition, held_on=date(YEAR, 5, 1))
    for name, when in (
        ("首日", at(date(YEAR, 1, 1)).replace(hour=0, minute=0)),
        ("末日", at(date(YEAR, 12, 31)).replace(hour=23, minute=59)),
        ("去年", at(date(YEAR - 1, 12, 31)).replace(hour=23, minute=59)),
        ("明年", at(date(YEAR + 1, 1, 1)).replace(hour=0, minute=0)),
        ("未推荐", None),
    ):
        person = make_contestant(competition, name, recommended_at=when)
        score(item, person, "90")
    west = make_competition(district.west, year=YEAR)
    make_contestant(west, "西城", recommended_at=at(date(YEAR, 6, 1)))
    assert value("culture.contestants_recommended") == 3
    assert value("culture.contestants_recommended", district.east) == 2
    assert value("culture.contestants_recommended", district.west) == 1
    assert value("culture.contestants_recommended", period=Period.month(YEAR, 12)) == 1


def test_campaigns_videos_and_views_count_what_was_published_in_the_period(district):
    campaign = make_campaign(district.east_community, year=YEAR)
    make_video(campaign, "首日", published_on=date(YEAR, 1, 1), views=100, platform="抖音")
    make_video(campaign, "末日", published_on=date(YEAR, 12, 31), views=250, platform="快手")
    make_video(campaign, "去年", published_on=date(YEAR - 1, 12, 31), views=1000)
    old = make_campaign(district.east, title="去年的活动", year=YEAR - 1)
    make_video(old, "更早", published_on=date(YEAR - 1, 6, 1), views=5000)
    later = make_campaign(district.east, title="明年的活动", year=YEAR + 1)
    make_video(later, "明年", published_on=date(YEAR + 1, 1, 1), views=7000)
    west = make_campaign(district.west, title="西城", year=YEAR)
    make_video(west, "西城短片", published_on=date(YEAR, 3, 1), views=30)

    assert value("culture.product_campaigns") == 2
    assert value("culture.product_videos") == 3
    assert value("culture.product_video_views") == 380
    assert value("culture.product_campaigns", district.east) == 1
    assert value("culture.product_videos", district.east) == 2
    assert value("culture.product_video_views", district.east) == 350
    assert value("culture.product_video_views", district.west) == 30
    assert value("culture.product_video_views", district.publicity) == 0
    assert value("culture.product_videos", period=Period.year(YEAR - 1)) == 2
    assert value("culture.product_campaigns", period=Period.year(YEAR - 1)) == 2  # this one and the old one
