"""The venues part's rules hold when two people act at the same moment, on PostgreSQL: one venue
name per unit (the loser gets the Chinese sentence, not an IntegrityError), a member leaves once,
an association is established once, and a member added while the association is dissolved either
is refused or leaves with the others — a dissolved association never keeps a current member."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import AssociationMember, AssociationStatus, Venue, VenueKind
from xuanchuan.culture.services import venues as services
from xuanchuan.culture.tests.factories_venues import make_association, make_member
from xuanchuan.volunteers.tests.races import postgresql_only, race

# Decided before any database set-up: the transactional tests below flush the tables.
pytestmark = [postgresql_only("concurrent changes"), pytest.mark.django_db(transaction=True)]


def refusals(results: list) -> list[ServiceError]:
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ServiceError)]
    assert not unexpected, results
    return [r for r in results if isinstance(r, ServiceError)]


def test_one_venue_name_per_unit_at_once(district, bob, dora):
    data = services.VenueInput(name="幸福书屋", kind=VenueKind.BOOKSHOP, address="幸福路 1 号")
    results = race(
        lambda: services.create_venue(data, unit=district.east_community, by=bob),
        lambda: services.create_venue(data, unit=district.east_community, by=dora),
    )
    refused = refusals(results)
    assert len(refused) == 1 and "已有名为“幸福书屋”的场馆" in refused[0].messages[0]
    assert Venue.objects.count() == 1


def test_a_member_leaves_once(district, bob, dora):
    association = make_association(district.east_community, established_on=date(2024, 1, 1))
    member = make_member(association, joined_on=date(2024, 1, 1))
    today = timezone.localdate()
    results = race(
        lambda: services.member_leave(member, on=today, by=bob),
        lambda: services.member_leave(member, on=today - timedelta(days=1), by=dora),
    )
    refused = refusals(results)
    assert len(refused) == 1 and "已于" in refused[0].messages[0]
    member.refresh_from_db()
    assert member.left_on in (today, today - timedelta(days=1))


def test_established_once(district, bob, dora):
    association = make_association(district.east_community)
    results = race(
        lambda: services.establish_association(association, on=date(2025, 1, 1), by=bob),
        lambda: services.establish_association(association, on=date(2025, 2, 1), by=dora),
    )
    assert len(refusals(results)) == 1
    association.refresh_from_db()
    assert association.status == AssociationStatus.ESTABLISHED
    assert association.established_on in (date(2025, 1, 1), date(2025, 2, 1))


def test_member_added_while_dissolving(district, bob, dora):
    association = make_association(district.east_community, established_on=date(2024, 1, 1))
    member = services.MemberInput(name="新会员", joined_on=date(2025, 1, 1), phone="13712345678")
    results = race(
        lambda: services.add_member(association, member, by=bob),
        lambda: services.dissolve_association(association, on=timezone.localdate(), by=dora),
    )
    assert isinstance(results[1], type(association))
    assert results[0] is not None
    association.refresh_from_db()
    assert association.status == AssociationStatus.DISSOLVED
    assert not AssociationMember.objects.filter(association=association, left_on__isnull=True).exists()
