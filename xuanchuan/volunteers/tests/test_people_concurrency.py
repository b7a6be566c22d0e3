"""On PostgreSQL, at the same moment: one person registering twice is one volunteer (the second
is told to sign in), and certificates issued together get distinct numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import Certificate, Volunteer
from xuanchuan.volunteers.services import people as services
from xuanchuan.volunteers.services.identity import Person
from xuanchuan.volunteers.tests.factories import id_number, make_activity, make_project, make_team, make_volunteer
from xuanchuan.volunteers.tests.races import postgresql_only, race
from xuanchuan.volunteers.tests.test_people_support import record

pytestmark = [
    postgresql_only("concurrent registrations and certificates"),
    # Not serialized_rollback (see civility/tests/test_problems_concurrency.py); roles are made
    # again by ``make_person`` after a flush.
    pytest.mark.django_db(transaction=True),
]


def test_one_person_registering_twice_at_once_is_one_volunteer(district):
    for n in range(3):

        def register(n=n):
            person = Person(name="同时", id_number=id_number(700 + n), phone=f"1360000{700 + n:04d}")
            return services.register_self(person, unit=district.east_community, consented=True)

        results = race(register, register)
        volunteers = [r for r in results if isinstance(r, Volunteer)]
        refused = [r for r in results if isinstance(r, ServiceError)]
        assert len(volunteers) == 1 and len(refused) == 1, results
        assert refused[0].code == "duplicate"
    assert Volunteer.objects.count() == 3


def test_certificates_issued_together_get_distinct_numbers(district):
    worker = make_person("sq", district.east_community, RoleCode.COMMUNITY_WORKER)
    activity = make_activity(
        make_project(make_team(district.east_community)), starts_at=timezone.now() - timedelta(days=1)
    )
    volunteers = [make_volunteer(district.east_community, n) for n in range(1, 5)]
    for volunteer in volunteers:
        record(activity, volunteer, 60)
    today = timezone.localdate()

    def issue(volunteer):
        return lambda: services.issue_certificate(
            volunteer, period_start=today - timedelta(days=7), period_end=today, by=worker
        )

    results = race(*(issue(v) for v in volunteers))
    assert all(isinstance(r, Certificate) for r in results), results
    assert len({r.number for r in results}) == 4
    assert Certificate.objects.count() == 4
