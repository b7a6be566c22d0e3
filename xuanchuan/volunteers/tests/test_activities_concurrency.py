"""Sign-ups at the same moment on PostgreSQL: for the last place exactly one is confirmed and the
others wait; one volunteer pressing twice gets one sign-up; a cancellation racing a sign-up gives
the freed place to exactly one person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.volunteers.models import SignUp, SignUpStatus
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer
from xuanchuan.volunteers.tests.races import postgresql_only, race, restore_roles

# Decided before any database set-up: off PostgreSQL the transactional test would only flush.
pytestmark = [
    postgresql_only("concurrent sign-ups"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    """The migrated roles, again where an earlier transactional test flushed them."""
    restore_roles()


@pytest.fixture
def activity(district):
    start = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    return make_activity(make_project(make_team(district.east_community)), starts_at=start, capacity=3)


def test_six_sign_ups_at_once_for_the_last_place_confirm_exactly_one(activity, district):
    for n in (1, 2):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n))
    racers = [make_volunteer(district.east_community, n) for n in range(10, 16)]
    results = race(*[lambda v=v: services.sign_up(activity, volunteer=v) for v in racers])
    assert all(isinstance(result, SignUp) for result in results), results
    statuses = sorted(result.status for result in results)
    assert statuses == ["confirmed"] + ["waiting"] * 5
    assert SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).count() == 3


def test_one_volunteer_pressing_twice_gets_one_sign_up(activity, district):
    volunteer = make_volunteer(district.east_community, 1)
    results = race(*[lambda: services.sign_up(activity, volunteer=volunteer)] * 3)
    assert sum(isinstance(result, SignUp) for result in results) == 1
    refused = [result for result in results if isinstance(result, ServiceError)]
    assert len(refused) == 2 and all("您已报名" in result.messages[0] for result in refused)
    assert SignUp.objects.filter(activity=activity, volunteer=volunteer).count() == 1


def test_a_cancellation_racing_sign_ups_fills_the_place_once(activity, district):
    holders = [make_volunteer(district.east_community, n) for n in (1, 2, 3)]
    signups = [services.sign_up(activity, volunteer=v) for v in holders]
    waiting = make_volunteer(district.east_community, 4)
    services.sign_up(activity, volunteer=waiting)
    newcomers = [make_volunteer(district.east_community, n) for n in (20, 21)]
    calls = [lambda: services.cancel(signups[0], volunteer=holders[0])]
    calls += [lambda v=v: services.sign_up(activity, volunteer=v) for v in newcomers]
    results = race(*calls)
    assert not [result for result in results if isinstance(result, Exception)], results
    confirmed = SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED)
    assert confirmed.count() == 3
    # The one waiting before them got the freed place; the newcomers wait behind.
    assert confirmed.filter(volunteer=waiting).exists()
