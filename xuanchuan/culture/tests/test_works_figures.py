"""The works part's figures against hand-made records: the period's edges, the unit (a call's
records count for its unit and the units above it, never for a sibling street), what is left out
(drafts, pending and rejected works, closed exhibitions)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.culture.tests.factories_works import make_call, make_submission
from xuanchuan.reports.registry import Period, get_figure

pytestmark = pytest.mark.django_db

YEAR = 2025


def at(month: int, day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(YEAR, month, day, hour))


def value(key: str, period: Period, unit=None):
    return get_figure(key).compute(period, unit).value


def test_figures_are_registered_with_their_words():
    for key, label, unit, word in (
        ("culture.calls_for_works", "作品征集活动", "次", "征集活动"),
        ("culture.works_received", "征集作品", "件", "投稿"),
        ("culture.works_accepted", "入选作品", "件", "采用作品"),
        ("culture.works_shown", "网上展出作品", "件", "线上展览"),
    ):
        figure = get_figure(key)
        assert figure.label == label and figure.unit == unit and word in figure.synonyms and figure.description


def test_calls_for_works_open_during_the_period(district):
    def call(title, opens, closes, status=CallStatus.CLOSED, unit=district.east):
        return make_call(unit, title=title, status=status, opens_at=opens, closes_at=closes)

    call("跨年", at(1, 1) - timedelta(days=20), at(1, 10))  # still open in January: counts
    call("一月", at(1, 5), at(1, 25))
    call("三月", at(3, 1), at(3, 20))
    call("草稿", at(1, 5), at(1, 25), status=CallStatus.DRAFT)
    call("西城一月", at(1, 5), at(1, 25), unit=district.west)
    call("幸福社区一月", at(1, 5), at(1, 25), unit=district.east_community)
    january = Period.month(YEAR, 1)
    assert value("culture.calls_for_works", january) == 4
    assert value("culture.calls_for_works", january, district.east) == 3
    assert value("culture.calls_for_works", january, district.east_community) == 1
    assert value("culture.calls_for_works", Period.month(YEAR, 2)) == 0
    assert value("culture.calls_for_works", Period.year(YEAR), district.west) == 1
    edge = make_call(district.east, title="二月一日零点截止", status=CallStatus.CLOSED,
                     opens_at=at(1, 20), closes_at=timezone.make_aware(datetime(YEAR, 2, 1, 0, 0)))  # fmt: skip
    # Taking works up to (not at) its closing time: a call closing at midnight was not open in February.
    assert edge.pk and value("culture.calls_for_works", Period.month(YEAR, 2), district.east) == 0
    assert value("culture.calls_for_works", january, district.east) == 4


@pytest.fixture
def works(district, bob):
    east = make_call(district.east, title="东城", status=CallStatus.CLOSED, exhibition_open=True)
    west = make_call(district.west, title="西城", status=CallStatus.CLOSED)
    made = {}
    for name, call, status in (
        ("e_acc", east, SubmissionStatus.ACCEPTED),
        ("e_acc2", east, SubmissionStatus.ACCEPTED),
        ("e_rej", east, SubmissionStatus.REJECTED),
        ("e_pen", east, SubmissionStatus.PENDING),
        ("w_acc", west, SubmissionStatus.ACCEPTED),
    ):
        made[name] = make_submission(call, title=name, status=status, by=bob)
    when = {
        "e_acc": (at(3, 1), at(3, 10)),
        "e_acc2": (at(3, 31, 23), at(4, 1, 0)),  # received in March, decided at midnight on 1 April
        "e_rej": (at(3, 2), at(3, 11)),
        "e_pen": (at(4, 5), None),
        "w_acc": (at(3, 3), at(3, 12)),
    }
    for name, (created, decided) in when.items():
        Submission.objects.filter(pk=made[name].pk).update(created_at=created, decided_at=decided)
    return east, west


def test_works_received_accepted_and_shown(district, works):
    east, _west = works
    march, april, year = Period.month(YEAR, 3), Period.month(YEAR, 4), Period.year(YEAR)
    assert value("culture.works_received", march) == 4
    assert value("culture.works_received", march, district.east) == 3
    assert value("culture.works_received", april, district.east) == 1
    assert value("culture.works_received", year, district.east_community) == 0
    assert value("culture.works_accepted", march) == 2  # e_acc and w_acc; e_acc2 was decided in April
    assert value("culture.works_accepted", april, district.east) == 1
    assert value("culture.works_accepted", year, district.west) == 1
    assert value("culture.works_shown", year) == 2  # the west call's exhibition is closed
    assert value("culture.works_shown", march, district.east) == 1
    assert value("culture.works_shown", year, district.west) == 0
    CallForWorks.objects.filter(pk=east.pk).update(exhibition_open=False)
    assert value("culture.works_shown", year) == 0


def test_figures_records_are_the_counted_rows(district, works):
    measure = get_figure("culture.works_received").compute(Period.month(YEAR, 3), district.east)
    assert measure.value == 3 and {row.title for row in measure.records} == {"e_acc", "e_acc2", "e_rej"}
