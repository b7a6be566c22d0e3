"""The sites part's rules hold when two people act at the same moment, on PostgreSQL: one site per
unit (the loser gets the Chinese sentence, not an IntegrityError), one leader per team, one current
membership per person and team, and one volunteer per person across two teams' imports."""

from __future__ import annotations

import pytest

from xuanchuan.core.services import ServiceError
from xuanchuan.volunteers.models import MemberRole, Membership, PracticeSite, SiteLevel, Volunteer
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.tests.factories import make_team, make_volunteer
from xuanchuan.volunteers.tests.races import postgresql_only, race
from xuanchuan.volunteers.tests.sites_files import member_file, person

# Decided before any database set-up: the transactional tests below flush the tables.
pytestmark = [
    postgresql_only("concurrent changes"),
    pytest.mark.django_db(transaction=True),
]


def test_two_sites_for_one_unit_at_once(district, alice, bob):
    def create(name, by):
        return lambda: services.save_site(
            None, unit=district.east_community, level=SiteLevel.STATION, name=name, address="幸福路1号", by=by
        )

    results = race(create("甲站", alice), create("乙站", bob))
    made = [result for result in results if isinstance(result, PracticeSite)]
    refused = [result for result in results if isinstance(result, ServiceError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert "“幸福社区”已有文明实践阵地，每个单位只设一个" in refused[0].messages[0]
    assert PracticeSite.objects.filter(unit=district.east_community).count() == 1


def test_two_leaders_set_at_once_leave_one(district, bob, dora):
    team = make_team(district.east_community)
    first = services.add_member(team, make_volunteer(district.east_community, 1), by=bob)
    second = services.add_member(team, make_volunteer(district.east_community, 2), by=bob)
    results = race(lambda: services.set_leader(first, by=bob), lambda: services.set_leader(second, by=dora))
    assert not [result for result in results if not isinstance(result, Membership | ServiceError)], results
    assert Membership.objects.filter(team=team, role=MemberRole.LEADER, left_on__isnull=True).count() == 1


def test_one_person_added_twice_at_once_is_one_membership(district, bob, dora):
    team = make_team(district.east_community)
    volunteer = make_volunteer(district.east_community, 1)
    results = race(
        lambda: services.add_member(team, volunteer, by=bob), lambda: services.add_member(team, volunteer, by=dora)
    )
    assert sum(isinstance(result, Membership) for result in results) == 1, results
    refused = [result for result in results if isinstance(result, ServiceError)]
    assert refused and "已是本队队员" in refused[0].messages[0]
    assert Membership.objects.filter(team=team, volunteer=volunteer).count() == 1


def test_two_teams_import_the_same_people_at_once(district, bob, dora):
    first, second = make_team(district.east_community, "甲队"), make_team(district.east, "乙队")
    data = member_file([person(1), person(2), person(3)])
    results = race(
        lambda: services.import_members(first, data, consented=True, by=dora),
        lambda: services.import_members(second, data, consented=True, by=bob),
    )
    assert all(isinstance(result, services.ImportResult) for result in results), results
    assert sum(result.created for result in results) == 3
    assert Volunteer.objects.count() == 3
    assert Membership.objects.count() == 6
