"""Two scans of one volunteer at the same moment (a double tap, a retry on a bad connection) on
PostgreSQL: one record; two check-outs at once certify the minutes once (one ``hours_confirmed``)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.volunteers import checkin_codes, signals
from xuanchuan.volunteers.models import RecordStatus, ServiceRecord, SignUp, SignUpStatus
from xuanchuan.volunteers.services import attendance as services
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer
from xuanchuan.volunteers.tests.races import postgresql_only, race

# Decided before any database set-up: the race needs real concurrent transactions.
pytestmark = [
    postgresql_only("concurrent scans"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def setting(district):
    team = make_team(district.east_community)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta_minutes(30)
    activity = make_activity(make_project(team), starts_at=start, hours=2)
    volunteer = make_volunteer(district.east_community, 1)
    SignUp.objects.create(
        activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED, created_at=timezone.now()
    )
    return activity, volunteer


def timedelta_minutes(n):
    from datetime import timedelta

    return timedelta(minutes=n)


def test_two_check_ins_at_once_make_one_record(setting):
    activity, volunteer = setting

    def scan():
        return services.check_in(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))

    for _ in range(3):
        ServiceRecord.objects.all().delete()
        results = race(scan, scan, scan)
        made = [r for r in results if isinstance(r, ServiceRecord)]
        refused = [r for r in results if isinstance(r, ServiceError)]
        assert len(made) == 1 and len(refused) == 2, results
        assert all("您已签到" in str(r) for r in refused)
        assert ServiceRecord.objects.filter(activity=activity, volunteer=volunteer).count() == 1


def test_two_check_outs_at_once_certify_once(setting):
    activity, volunteer = setting
    services.check_in(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))
    sent: list = []

    def received(sender, record, by, **kwargs):
        sent.append(record.pk)

    signals.hours_confirmed.connect(received, dispatch_uid="test-race-confirmed")
    try:

        def scan():
            return services.check_out(activity, volunteer=volunteer, code=checkin_codes.current_code(activity))

        results = race(scan, scan)
    finally:
        signals.hours_confirmed.disconnect(dispatch_uid="test-race-confirmed")
    assert sum(isinstance(r, ServiceRecord) for r in results) == 1, results
    assert any(isinstance(r, ServiceError) and "您已签退" in str(r) for r in results)
    assert len(sent) == 1
    assert ServiceRecord.objects.get().status == RecordStatus.CONFIRMED
