"""The outlet registry's figures and report paragraphs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from xuanchuan.publishing.models import Outlet, OutletKind, OutletStatus, Publication, PublicationStatus
from xuanchuan.publishing.services import outlets as services
from xuanchuan.reports.defaults import _contributions
from xuanchuan.reports.registry import Period, compute, get_figure

pytestmark = pytest.mark.django_db


def value(key: str, year: int, unit=None):
    return compute(key, Period.year(year), unit).value


def test_registered_outlets_count_those_open_at_the_end_of_the_period(district, alice, bob) -> None:
    services.create_outlet(
        by=alice, unit=district.publicity, name="示范政务网", kind=OutletKind.WEBSITE, registered_on=date(2019, 1, 1)
    )
    wechat = services.create_outlet(
        by=bob, unit=district.east, name="东城发布", kind=OutletKind.WECHAT, registered_on=date(2023, 6, 1)
    )
    services.create_outlet(
        by=bob, unit=district.east, name="东城抖音", kind=OutletKind.DOUYIN, registered_on=date(2025, 3, 1)
    )
    services.close_outlet(wechat, by=bob, closed_on=date(2024, 7, 1))
    assert value("publishing.outlets_registered", 2022) == 1
    assert value("publishing.outlets_registered", 2023) == 2
    assert value("publishing.outlets_registered", 2024) == 1  # the WeChat account closed in July
    assert value("publishing.outlets_registered", 2025) == 2
    assert value("publishing.newmedia_accounts", 2025) == 1  # the website is not a new-media account
    assert value("publishing.newmedia_accounts", 2023) == 1
    assert value("publishing.outlets_registered", 2025, district.east) == 1
    assert value("publishing.outlets_registered", 2025, district.west) == 0


def test_stale_outlets_at_the_end_of_a_period(district, bob) -> None:
    today = timezone.localdate()
    year = today.year
    dormant = services.create_outlet(
        by=bob, unit=district.east, name="沉睡号", kind=OutletKind.WECHAT, registered_on=date(year - 3, 1, 1)
    )
    services.note_published([dormant.pk], date(year - 2, 2, 1))
    lively = services.create_outlet(
        by=bob, unit=district.east, name="活跃号", kind=OutletKind.WECHAT, registered_on=date(year - 3, 1, 1)
    )
    services.note_published([lively.pk], today)
    services.create_outlet(
        by=bob, unit=district.east, name="暂停号", kind=OutletKind.WEIBO, registered_on=date(year - 3, 1, 1),
        status=OutletStatus.SUSPENDED,
    )  # fmt: skip
    # The dormant one is stale at the end of each year; the lively one's past is unknown (it
    # published only later), so it is not counted before; the suspended one never.
    assert value("publishing.stale_outlets", year - 2) == 1
    assert value("publishing.stale_outlets", year - 1) == 1
    assert value("publishing.stale_outlets", year) == 1
    records = compute("publishing.stale_outlets", Period.year(year)).records
    assert list(records) == [Outlet.objects.get(name="沉睡号")]
    # Before its update of February the year before last nothing is known of it: not counted.
    assert value("publishing.stale_outlets", year - 3) == 0
    assert value("publishing.stale_outlets", year, district.west) == 0
    # A period that has not ended is judged today: a fresh update makes it current.
    services.note_published([dormant.pk], today - timedelta(days=1))
    assert value("publishing.stale_outlets", year) == 0
    # A past year is judged by what was published on it before its end (the publishing log).
    assert value("publishing.stale_outlets", year - 2) == 0  # nothing known before: not counted
    item = Publication.objects.create(
        unit=district.east, title="年末稿件", status=PublicationStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime(year - 2, 12, 28, 10)),
    )  # fmt: skip
    item.outlets.add(dormant)
    assert value("publishing.stale_outlets", year - 2) == 0  # published 28 December: current at the end
    assert value("publishing.stale_outlets", year - 1) == 1  # and nothing in the year after


def test_topic_columns_opened_in_the_period(district, bob) -> None:
    outlet = services.create_outlet(by=bob, unit=district.east, name="东城发布", kind=OutletKind.WECHAT)
    services.create_column(outlet, by=bob, name="疫情防控", is_topic=True, opened_on=date(2024, 1, 25))
    services.create_column(outlet, by=bob, name="乡村振兴", is_topic=True, opened_on=date(2025, 5, 1))
    services.create_column(outlet, by=bob, name="要闻", opened_on=date(2025, 5, 1))
    assert value("publishing.topic_columns_opened", 2024) == 1
    assert value("publishing.topic_columns_opened", 2025) == 1  # an ordinary column is not a topic column
    assert value("publishing.topic_columns_opened", 2025, district.west) == 0
    assert get_figure("publishing.topic_columns_opened").date_field == "opened_on"


def test_figures_carry_the_words_reports_use_and_appear_in_the_default_template() -> None:
    assert "政务新媒体" in get_figure("publishing.outlets_registered").synonyms
    assert "专题专栏" in get_figure("publishing.topic_columns_opened").synonyms
    texts = {item.key: item for item in _contributions.values() if item.key.startswith("publishing.")}
    assert texts["publishing.outlets"].line == 6 and "谁开办、谁主管" in texts["publishing.outlets"].text
    for key in ("outlets_registered", "newmedia_accounts", "stale_outlets"):
        assert f"publishing.{key}" in texts["publishing.outlets"].text
    assert "publishing.topic_columns_opened" in texts["publishing.topic_columns"].text
