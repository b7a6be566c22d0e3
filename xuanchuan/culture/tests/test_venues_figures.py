"""The venues part's figures: each counts within the unit (and below it), at the period's end or in
the period, with its edges; closed venues, dissolved associations, members who left and events not
held are left out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from xuanchuan.culture.models import Association, EventStatus, Venue, VenueKind
from xuanchuan.culture.tests.factories_venues import make_association, make_event, make_member, make_venue
from xuanchuan.reports.registry import Period, compute, get_figure

pytestmark = pytest.mark.django_db
KEYS = (
    "culture.venues",
    "culture.courtyards",
    "culture.bookshops",
    "culture.venue_events",
    "culture.associations_established",
    "culture.associations_preparing",
    "culture.association_members",
    "culture.association_events",
)
Y2024 = Period.year(2024)
Y2025 = Period.year(2025)


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def value(key: str, period: Period, unit=None) -> int:
    return compute(key, period, unit).value


def test_the_figures_are_registered_with_labels_and_synonyms():
    for key in KEYS:
        item = get_figure(key)
        assert item.label and item.unit and item.description, key
    assert "农家书屋" in get_figure("culture.bookshops").synonyms
    assert "正在积极筹备" in get_figure("culture.associations_preparing").synonyms
    assert get_figure("culture.venue_events").date_field == "starts_at"


def _venue(unit, name, kind, created: date, active: bool = True) -> Venue:
    venue = make_venue(unit, name=name, kind=kind, active=active)
    Venue.objects.filter(pk=venue.pk).update(created_at=at(created, 12))
    return venue


def test_venues_open_at_the_period_end_within_the_unit(district):
    _venue(district.east_community, "院一", VenueKind.COURTYARD, date(2024, 12, 31))  # last day: counted
    _venue(district.east_community, "院二", VenueKind.COURTYARD, date(2025, 1, 1))  # next year
    _venue(district.east_community, "书屋", VenueKind.BOOKSHOP, date(2023, 5, 1))
    _venue(district.east, "关了的院", VenueKind.COURTYARD, date(2023, 5, 1), active=False)
    _venue(district.west, "图书馆", VenueKind.LIBRARY, date(2023, 5, 1))
    assert value("culture.venues", Y2024) == 3
    assert value("culture.venues", Y2025) == 4
    assert value("culture.venues", Y2024, district.east) == 2
    assert value("culture.venues", Y2024, district.west_community) == 0
    assert value("culture.courtyards", Y2024) == 1 and value("culture.courtyards", Y2025) == 2
    assert value("culture.courtyards", Y2025, district.west) == 0
    assert value("culture.bookshops", Y2024, district.east_community) == 1
    assert value("culture.bookshops", Period.year(2022)) == 0
    assert value("culture.venues", Period.month(2024, 12)) == 3


def test_events_held_at_a_venue_or_with_an_association_in_the_period(district):
    venue = make_venue(district.east)
    association = make_association(district.east, established_on=date(2020, 1, 1))
    make_event(district.east_community, venue=venue, starts_at=at(date(2024, 1, 1)))  # first instant
    make_event(district.east_community, venue=venue, starts_at=at(date(2024, 12, 31), 23, 59))
    make_event(district.east, venue=venue, starts_at=at(date(2025, 1, 1)))  # next year
    make_event(district.east, venue=venue, held=False, starts_at=at(date(2024, 6, 1)))  # not held
    make_event(district.east, starts_at=at(date(2024, 6, 1)), association=association)  # an address
    make_event(district.west, venue=venue, association=association, starts_at=at(date(2024, 6, 1)))
    cancelled = make_event(district.east, venue=venue, association=association, starts_at=at(date(2024, 6, 1)))
    type(cancelled).objects.filter(pk=cancelled.pk).update(status=EventStatus.CANCELLED, audience=None)
    assert value("culture.venue_events", Y2024) == 3
    assert value("culture.venue_events", Y2024, district.east) == 2
    assert value("culture.venue_events", Y2024, district.west) == 1
    assert value("culture.venue_events", Y2025) == 1
    assert value("culture.association_events", Y2024) == 2
    assert value("culture.association_events", Y2024, district.east) == 1
    assert value("culture.association_events", Y2025) == 0


def test_associations_established_and_preparing_at_the_period_end(district):
    make_association(district.east, name="甲", established_on=date(2024, 12, 31))  # the last day
    make_association(district.east, name="乙", established_on=date(2025, 1, 1))
    make_association(district.east, name="丙", established_on=date(2023, 1, 1), dissolved_on=date(2024, 12, 31))
    make_association(district.east, name="丁", established_on=date(2023, 1, 1), dissolved_on=date(2025, 3, 1))
    make_association(district.west, name="戊", established_on=date(2023, 1, 1))
    make_association(district.east_community, name="筹")
    make_association(district.east, name="弃", dissolved_on=date(2025, 6, 1))  # given up in preparation
    Association.objects.filter(name__in=["乙", "筹", "弃"]).update(created_at=at(date(2024, 3, 1)))
    assert value("culture.associations_established", Y2024) == 3  # 甲, 丁, 戊
    assert value("culture.associations_established", Y2024, district.east) == 2
    assert value("culture.associations_established", Y2025) == 3  # 甲, 乙, 戊 (丁 dissolved)
    assert value("culture.associations_established", Period.year(2022)) == 0
    assert value("culture.associations_preparing", Y2024) == 3  # 乙 (founded later), 筹, 弃
    assert value("culture.associations_preparing", Y2024, district.east_community) == 1
    assert value("culture.associations_preparing", Y2025) == 1  # 筹
    assert value("culture.associations_preparing", Period.year(2023)) == 0  # recorded in 2024


def test_members_of_established_associations_at_the_period_end(district):
    art = make_association(district.east, name="美协", established_on=date(2024, 6, 1))
    gone = make_association(district.east, name="撤了", established_on=date(2020, 1, 1), dissolved_on=date(2024, 7, 1))
    preparing = make_association(district.east, name="筹备")
    west = make_association(district.west, name="西协", established_on=date(2020, 1, 1))
    make_member(art, name="在", joined_on=date(2024, 6, 1))
    make_member(art, name="年末入", joined_on=date(2024, 12, 31))
    make_member(art, name="明年入", joined_on=date(2025, 1, 1))
    make_member(art, name="已退", joined_on=date(2024, 6, 1), left_on=date(2024, 12, 31))
    make_member(art, name="明年退", joined_on=date(2024, 6, 1), left_on=date(2025, 2, 1))
    make_member(gone, name="撤了的", joined_on=date(2021, 1, 1))
    make_member(preparing, name="筹备的", joined_on=date(2024, 1, 1))
    make_member(west, name="西", joined_on=date(2021, 1, 1))
    assert value("culture.association_members", Y2024) == 4  # 在, 年末入, 明年退, 西
    assert value("culture.association_members", Y2024, district.east) == 3
    assert value("culture.association_members", Y2025) == 4  # 在, 年末入, 明年入, 西
    assert value("culture.association_members", Period.year(2023)) == 2  # 撤了的, 西
    assert value("culture.association_members", Y2024, district.west_community) == 0


def test_month_by_month_equals_the_year(district):
    venue = make_venue(district.east)
    for month in (1, 4, 4, 12):
        make_event(district.east, venue=venue, starts_at=at(date(2024, month, 15), 20))
    months = sum(value("culture.venue_events", Period.month(2024, m)) for m in range(1, 13))
    assert months == value("culture.venue_events", Y2024) == 4


def test_today_counts_this_year(district):
    venue = make_venue(district.east)
    make_event(district.east, venue=venue, starts_at=timezone.now() - timedelta(minutes=5))
    assert value("culture.venues", Period.year(timezone.localdate().year)) == 1
