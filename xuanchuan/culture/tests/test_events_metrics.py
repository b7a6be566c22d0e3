"""The events part's figures: held events only, by start within the period (both edges), of the
unit and the units below it; the kinds; the audience; series with a held event; the events of a
named series as a figure with a parameter, bound by name, with its choices per unit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from xuanchuan.culture.models import EventKind, EventStatus
from xuanchuan.culture.tests.factories_events import make_event, make_series
from xuanchuan.reports.registry import ArgumentError, Period, compute, get_figure

pytestmark = pytest.mark.django_db
YEAR = 2025
PERIOD = Period.year(YEAR)


def at(month: int, day: int, hour: int = 10, year: int = YEAR) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def records(district):
    """Per kind held events in 东城 and 西城, and the ones that must not count."""
    east, west = district.east, district.west
    spring = make_series(district.root, name="欢乐中国年", year=YEAR)
    east_series = make_series(east, name="东城消夏晚会", year=YEAR)
    make_event(east, held=True, audience=100, starts_at=at(1, 1, 0), series=spring)  # first instant
    make_event(district.east_community, held=True, audience=50, kind=EventKind.COUNTRYSIDE, starts_at=at(2, 3),
               series=spring)  # fmt: skip
    make_event(east, held=True, audience=30, kind=EventKind.STAGE, starts_at=at(7, 1), series=east_series)
    make_event(east, held=True, audience=40, kind=EventKind.STUDY_TRIP, starts_at=at(8, 1))
    make_event(east, held=True, audience=20, kind=EventKind.READING, starts_at=at(12, 31, 23))  # last hour
    make_event(west, held=True, audience=7, kind=EventKind.COUNTRYSIDE, starts_at=at(3, 1), series=spring)
    # Not counted: planned, cancelled, the instant after the year, the year before.
    make_event(east, kind=EventKind.COUNTRYSIDE, starts_at=at(5, 1), series=spring)
    make_event(east, status=EventStatus.CANCELLED, cancel_reason="雨", kind=EventKind.STAGE, starts_at=at(6, 1))
    make_event(east, held=True, audience=1000, starts_at=at(1, 1, 0, year=YEAR + 1), series=spring)
    make_event(east, held=True, audience=1000, starts_at=at(1, 1, 0, year=YEAR) - timedelta(seconds=1))
    return district


def value(key: str, unit=None, period: Period = PERIOD):
    return compute(key, period, unit).value


def test_events_and_audience_by_unit_and_period(records) -> None:
    district = records
    assert value("culture.events") == 6
    assert value("culture.events", district.east) == 5
    assert value("culture.events", district.east_community) == 1
    assert value("culture.events", district.west) == 1
    assert value("culture.event_audience") == 247
    assert value("culture.event_audience", district.east) == 240
    assert value("culture.event_audience", district.west_community) == 0
    assert value("culture.events", period=Period.month(YEAR, 1)) == 1
    assert (
        value("culture.events", period=Period.days(datetime(YEAR, 12, 31).date(), datetime(YEAR, 12, 31).date())) == 1
    )


def test_kinds(records) -> None:
    district = records
    assert value("culture.countryside_events") == 2
    assert value("culture.countryside_events", district.east) == 1
    assert value("culture.stage_events") == 1  # the cancelled one does not count
    assert value("culture.study_trips") == 1
    assert value("culture.reading_events") == 1
    assert value("culture.reading_events", district.west) == 0


def test_series_with_a_held_event(records) -> None:
    district = records
    assert value("culture.series") == 2
    assert value("culture.series", district.east) == 2
    assert value("culture.series", district.west) == 1
    assert value("culture.series", district.west_community) == 0
    assert value("culture.series", period=Period.month(YEAR, 1)) == 1


def test_series_events_bound_to_a_name(records) -> None:
    district = records
    item = get_figure("culture.series_events(欢乐中国年)")
    assert item.key == "culture.series_events(欢乐中国年)" and item.label == "系列活动场次（欢乐中国年）"
    assert item.compute(PERIOD).value == 3
    assert item.compute(PERIOD, district.east).value == 2
    assert item.compute(PERIOD, district.west).value == 1
    assert value("culture.series_events(东城消夏晚会)") == 1
    assert value("culture.series_events(明年才有的系列)") == 0
    with pytest.raises(ArgumentError):
        get_figure("culture.series_events").compute(PERIOD)
    assert get_figure("culture.series_events").parameter.label == "系列活动"


def test_series_choices_per_unit(district) -> None:
    make_series(district.root, name="欢乐中国年", year=YEAR - 1)
    make_series(district.root, name="欢乐中国年", year=YEAR)
    make_series(district.east, name="东城消夏晚会", year=YEAR + 1)
    make_series(district.east_community, name="幸福读书会", year=YEAR)
    make_series(district.west, name="西城灯会", year=YEAR)
    choices = get_figure("culture.series_events").parameter.choices
    assert [c.value for c in choices(None)] == ["东城消夏晚会", "幸福读书会", "欢乐中国年", "西城灯会"]
    assert [c.value for c in choices(district.east)] == ["东城消夏晚会", "幸福读书会", "欢乐中国年"]
    assert [c.value for c in choices(district.east_community)] == ["东城消夏晚会", "幸福读书会", "欢乐中国年"]
    assert [c.value for c in choices(district.west)] == ["欢乐中国年", "西城灯会"]
    assert [c.label for c in choices(district.west)] == ["欢乐中国年", "西城灯会"]


def test_every_figure_of_the_part_is_declared_with_its_words() -> None:
    expected = {
        "culture.events": ("文化活动", "场次", "文化惠民活动"),
        "culture.series": ("系列活动", "个", "专项活动"),
        "culture.series_events": ("系列活动场次", "场次", "迎新春等系列活动"),
        "culture.countryside_events": ("送文化下乡", "场次", "文艺轻骑兵"),
        "culture.stage_events": ("百姓文化大舞台", "场次", "文化大舞台"),
        "culture.study_trips": ("研学活动", "场次", "研学"),
        "culture.reading_events": ("阅读推广活动", "场次", "全民阅读"),
        "culture.event_audience": ("文化活动参与群众", "人次", "惠及群众"),
    }
    for key, (label, unit, word) in expected.items():
        item = get_figure(key)
        assert (item.label, item.unit) == (label, unit) and word in item.synonyms, key
