"""The rules the culture models hold in the database itself (the services will check them first
with clear messages; these constraints keep the data right whatever writes it)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from xuanchuan.culture.models import (
    Association,
    AssociationStatus,
    Competition,
    Contestant,
    Event,
    EventKind,
    EventStatus,
    Holiday,
    HolidayPeriod,
    Round,
    Score,
    TourismStat,
    Venue,
    VenueKind,
)

pytestmark = pytest.mark.django_db


def _event(unit, **fields) -> Event:
    start = timezone.now()
    return Event.objects.create(
        unit=unit,
        title=fields.pop("title", "百姓文化大舞台"),
        kind=fields.pop("kind", EventKind.STAGE),
        starts_at=start,
        ends_at=fields.pop("ends_at", start + timedelta(hours=2)),
        **fields,
    )


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_an_event_has_a_place_an_end_after_its_start_and_once_held_an_audience(district):
    venue = Venue.objects.create(
        unit=district.east, name="东城文化馆", kind=VenueKind.CULTURAL_CENTRE, address="东城路1号"
    )
    assert _event(district.east, venue=venue).pk
    assert _event(district.east, address="幸福社区广场").pk
    _refused(lambda: _event(district.east))
    _refused(lambda: _event(district.east, address="广场", ends_at=timezone.now() - timedelta(hours=1)))
    _refused(lambda: _event(district.east, address="广场", status=EventStatus.HELD))
    assert _event(district.east, address="广场", status=EventStatus.HELD, audience=0).pk


def test_an_established_association_has_its_date(district):
    _refused(
        lambda: Association.objects.create(
            unit=district.east, name="剪纸协会", art_form="剪纸", status=AssociationStatus.ESTABLISHED
        )
    )
    assert Association.objects.create(unit=district.east, name="剪纸协会", art_form="剪纸").status == "preparing"


def test_one_score_a_round_never_negative(district):
    competition = Competition.objects.create(unit=district.publicity, title="农家书屋阅读演讲比赛", year=2025)
    first = Round.objects.create(competition=competition, name="初赛", order=1)
    contestant = Contestant.objects.create(competition=competition, name="王小读")
    Score.objects.create(round=first, contestant=contestant, score=Decimal("91.50"))
    _refused(lambda: Score.objects.create(round=first, contestant=contestant, score=Decimal("90")))
    second = Round.objects.create(competition=competition, name="决赛", order=2)
    _refused(lambda: Score.objects.create(round=second, contestant=contestant, score=Decimal("-1")))
    _refused(lambda: Round.objects.create(competition=competition, name="复赛", order=2))


def test_a_holiday_has_its_days_once_a_year_and_one_figure_per_unit(district):
    may_day = HolidayPeriod.objects.create(
        holiday=Holiday.MAY_DAY, year=2025, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 5)
    )
    assert may_day.days == 5
    _refused(
        lambda: HolidayPeriod.objects.create(
            holiday=Holiday.MAY_DAY, year=2025, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 3)
        )
    )
    _refused(
        lambda: HolidayPeriod.objects.create(
            holiday=Holiday.QINGMING, year=2025, starts_on=date(2025, 4, 6), ends_on=date(2025, 4, 4)
        )
    )
    TourismStat.objects.create(
        unit=district.root, holiday=Holiday.MAY_DAY, year=2025, visitors=52000, revenue=Decimal("1830.5")
    )
    _refused(
        lambda: TourismStat.objects.create(
            unit=district.root, holiday=Holiday.MAY_DAY, year=2025, visitors=1, revenue=Decimal("1")
        )
    )
    _refused(
        lambda: TourismStat.objects.create(
            unit=district.east, holiday=Holiday.MAY_DAY, year=2025, visitors=1, revenue=Decimal("-1")
        )
    )
