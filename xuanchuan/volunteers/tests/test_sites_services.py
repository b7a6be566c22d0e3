"""Services of the sites part: who may keep sites, brands, teams and members, within which scope,
and every rule with its Chinese refusal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import Brand, MemberRole, Membership, PracticeSite, SiteLevel, Team
from xuanchuan.volunteers.queries import sites as queries
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.tests.factories import make_team, make_volunteer
from xuanchuan.volunteers.todos_sites import todos

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def site_fields(**extra):
    return {"name": "幸福社区新时代文明实践站", "address": "幸福路1号", "opening_hours": "9:00-17:00", **extra}


# ---------------------------------------------------------------- sites


def test_the_level_follows_the_unit(district, alice):
    centre = services.save_site(None, unit=district.root, level=SiteLevel.CENTRE, by=alice, **site_fields(name="中心"))
    institute = services.save_site(
        None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="所")
    )
    station = services.save_site(
        None, unit=district.east_community, level=SiteLevel.STATION, by=alice, **site_fields(show_ranking=True)
    )
    assert (centre.level, institute.level, station.level) == ("centre", "institute", "station")
    assert station.show_ranking and station.created_by == alice
    with pytest.raises(ServiceError, match="“西城街道”应设新时代文明实践所，不能设为新时代文明实践站"):
        services.save_site(None, unit=district.west, level=SiteLevel.STATION, by=alice, **site_fields())
    with pytest.raises(ServiceError, match="区教育局”是政府部门，不设新时代文明实践阵地"):
        services.save_site(None, unit=district.education, level=SiteLevel.INSTITUTE, by=alice, **site_fields())


def test_show_ranking_counts_only_for_a_station(district, alice):
    institute = services.save_site(
        None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(show_ranking=True)
    )
    assert institute.show_ranking is False


def test_one_site_per_unit_with_a_clear_message(district, alice):
    first = services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields())
    with pytest.raises(ServiceError, match="“东城街道”已有文明实践阵地，每个单位只设一个"):
        services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="又一个"))
    other = services.save_site(None, unit=district.west, level=SiteLevel.INSTITUTE, by=alice, **site_fields())
    with pytest.raises(ServiceError, match="已有文明实践阵地"):
        services.save_site(other, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields())
    edited = services.save_site(
        first, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="东城所")
    )
    assert edited.name == "东城所" and PracticeSite.objects.count() == 2


def test_site_needs_name_and_address(district, alice):
    with pytest.raises(ServiceError, match="请填写名称"):
        services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name=" "))
    with pytest.raises(ServiceError, match="请填写地址"):
        services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(address=""))
    with pytest.raises(ServiceError, match="名称不能超过 100 个字"):
        services.save_site(
            None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="字" * 101)
        )


def test_sites_only_in_scope_and_only_for_managers(district, bob, charlie):
    with pytest.raises(PermissionDenied):
        services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=charlie, **site_fields())
    clerk = make_person("clerk", district.east, RoleCode.POINTS_CLERK)
    with pytest.raises(PermissionDenied):
        services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=clerk, **site_fields())
    site = services.save_site(None, unit=district.east_community, level=SiteLevel.STATION, by=bob, **site_fields())
    with pytest.raises(PermissionDenied):
        services.save_site(site, unit=district.west_community, level=SiteLevel.STATION, by=bob, **site_fields())


def test_the_tree_and_the_sites_below(district, alice, bob):
    centre = services.save_site(None, unit=district.root, level=SiteLevel.CENTRE, by=alice, **site_fields(name="中心"))
    east = services.save_site(
        None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="东城所")
    )
    services.save_site(
        None, unit=district.east_community, level=SiteLevel.STATION, by=alice, **site_fields(name="幸福站")
    )
    services.save_site(None, unit=district.west, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="西城所"))
    tree = queries.site_tree(alice)
    assert [(s.name, s.indent) for s in tree] == [("中心", 0), ("东城所", 1), ("幸福站", 2), ("西城所", 1)]
    assert [(s.name, s.indent) for s in queries.site_tree(bob)] == [("东城所", 0), ("幸福站", 1)]
    assert [s.name for s in queries.sites_below(alice, centre)] == ["东城所", "幸福站", "西城所"]
    assert [s.name for s in queries.sites_below(alice, east)] == ["幸福站"]


def test_public_sites_grouped_by_street(district, alice):
    services.save_site(None, unit=district.root, level=SiteLevel.CENTRE, by=alice, **site_fields(name="中心"))
    services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields(name="东城所"))
    services.save_site(
        None, unit=district.east_community, level=SiteLevel.STATION, by=alice, **site_fields(name="幸福站")
    )
    services.save_site(
        None,
        unit=district.west_community,
        level=SiteLevel.STATION,
        by=alice,
        **site_fields(name="和平站", active=False),
    )
    groups = queries.public_sites()
    assert [(g.name, [s.name for s in g.sites]) for g in groups] == [
        ("示范区", ["中心"]),
        ("东城街道", ["东城所", "幸福站"]),
    ]


# ---------------------------------------------------------------- brands


def test_brand_name_unique_per_unit(district, bob):
    brand = services.save_brand(None, unit=district.east, name="理论宣讲", by=bob)
    with pytest.raises(ServiceError, match="“东城街道”已有名为“理论宣讲”的品牌"):
        services.save_brand(None, unit=district.east, name=" 理论宣讲 ", by=bob)
    other = services.save_brand(None, unit=district.east_community, name="理论宣讲", by=bob)
    with pytest.raises(ServiceError, match="已有名为"):
        services.save_brand(other, unit=district.east, name="理论宣讲", by=bob)
    with pytest.raises(ServiceError, match="请填写品牌名称"):
        services.save_brand(None, unit=district.east, name="", by=bob)
    assert services.save_brand(brand, unit=district.east, name="理论宣讲", description="新", by=bob).description == "新"


def test_a_brand_in_use_cannot_be_deleted(district, bob, charlie):
    used = services.save_brand(None, unit=district.east, name="孝善", by=bob)
    make_team(district.east, brand=used)
    with pytest.raises(ServiceError, match="已有队伍使用品牌“孝善”，不能删除，可改为停用"):
        services.delete_brand(used, by=bob)
    unused = services.save_brand(None, unit=district.east, name="邻里互助", by=bob)
    with pytest.raises(PermissionDenied):
        services.delete_brand(unused, by=charlie)
    services.delete_brand(unused, by=bob)
    assert list(Brand.objects.values_list("name", flat=True)) == ["孝善"]
    assert services.save_brand(used, unit=district.east, name="孝善", active=False, by=bob).active is False


# ---------------------------------------------------------------- teams


def test_team_rules(district, bob, charlie):
    brand = services.save_brand(None, unit=district.east, name="理论宣讲", by=bob)
    site = services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=bob, **site_fields())
    team = services.save_team(
        None, unit=district.east_community, name="红马甲", brand=brand, site=site, founded_on=TODAY, by=bob
    )
    assert (team.brand, team.site, team.created_by) == (brand, site, bob)
    with pytest.raises(ServiceError, match="“幸福社区”已有名为“红马甲”的队伍"):
        services.save_team(None, unit=district.east_community, name="红马甲", founded_on=TODAY, by=bob)
    with pytest.raises(ServiceError, match="成立日期不能晚于今天"):
        services.save_team(None, unit=district.east, name="明天", founded_on=TODAY + datetime.timedelta(days=1), by=bob)
    with pytest.raises(ServiceError, match="请填写成立日期"):
        services.save_team(None, unit=district.east, name="无日期", founded_on=None, by=bob)
    with pytest.raises(PermissionDenied):
        services.save_team(None, unit=district.east, name="越权", founded_on=TODAY, by=charlie)
    west_brand = services.save_brand(None, unit=district.west, name="西城品牌", by=charlie)
    with pytest.raises(PermissionDenied, match="不能选用其他街道（社区）的品牌"):
        services.save_team(None, unit=district.east, name="借用", brand=west_brand, founded_on=TODAY, by=bob)
    services.save_brand(brand, unit=district.east, name="理论宣讲", active=False, by=bob)
    brand.refresh_from_db()
    with pytest.raises(ServiceError, match="品牌“理论宣讲”已停用，不能选用"):
        services.save_team(None, unit=district.east, name="新队", brand=brand, founded_on=TODAY, by=bob)
    # The team that chose the brand before it was deactivated keeps it when edited.
    kept = services.save_team(
        team, unit=district.east_community, name="红马甲服务队", brand=brand, site=site, founded_on=TODAY, by=bob
    )
    assert kept.name == "红马甲服务队" and kept.brand == brand


def test_a_community_team_carries_the_districts_brand_at_the_streets_institute(district, alice, dora, charlie):
    brand = services.save_brand(None, unit=district.root, name="理论宣讲", by=alice)  # the centre's brand
    institute = services.save_site(None, unit=district.east, level=SiteLevel.INSTITUTE, by=alice, **site_fields())
    west = services.save_site(None, unit=district.west, level=SiteLevel.INSTITUTE, by=alice, **site_fields())
    team = services.save_team(
        None, unit=district.east_community, name="宣讲队", brand=brand, site=institute, founded_on=TODAY, by=dora
    )
    assert (team.brand, team.site) == (brand, institute)
    assert list(queries.offered_sites(dora)) == [institute] and list(queries.offered_brands(charlie)) == [brand]
    with pytest.raises(PermissionDenied, match="不能选用其他街道（社区）的阵地"):
        services.save_team(None, unit=district.east_community, name="借阵地", site=west, founded_on=TODAY, by=dora)


def test_dissolve_ends_memberships_and_keeps_history(district, bob):
    team = make_team(district.east_community, founded_on=TODAY - datetime.timedelta(days=30))
    member = services.add_member(
        team, make_volunteer(district.east_community, 1), by=bob, joined_on=TODAY - datetime.timedelta(days=10)
    )
    with pytest.raises(ServiceError, match="请填写撤销原因"):
        services.dissolve_team(team, reason=" ", by=bob)
    with pytest.raises(ServiceError, match="撤销日期不能早于成立日期"):
        services.dissolve_team(team, on=TODAY - datetime.timedelta(days=31), reason="合并", by=bob)
    with pytest.raises(ServiceError, match="有队员在撤销日期之后才加入"):
        services.dissolve_team(team, on=TODAY - datetime.timedelta(days=20), reason="合并", by=bob)
    services.dissolve_team(team, reason="并入社区队伍", by=bob)
    team.refresh_from_db()
    member.refresh_from_db()
    assert team.dissolved_on == TODAY and team.dissolved_reason == "并入社区队伍"
    assert member.left_on == TODAY and Membership.objects.filter(team=team).count() == 1
    with pytest.raises(ServiceError, match="队伍已于"):
        services.dissolve_team(team, reason="再次", by=bob)
    with pytest.raises(ServiceError, match="队伍已撤销，不能再修改"):
        services.save_team(team, unit=team.unit, name="改名", founded_on=team.founded_on, by=bob)
    with pytest.raises(ServiceError, match="队伍已撤销，不能再调整队员"):
        services.add_member(team, make_volunteer(district.east_community, 2), by=bob)


# ---------------------------------------------------------------- members


def test_add_remove_and_leader(district, bob, dora):
    team = make_team(district.east_community, founded_on=TODAY - datetime.timedelta(days=5))
    first, second = make_volunteer(district.east_community, 1), make_volunteer(district.east_community, 2)
    one = services.add_member(team, first, by=dora)
    two = services.add_member(team, second, by=bob)
    with pytest.raises(ServiceError, match=f"志愿者 {first.number} 已是本队队员"):
        services.add_member(team, first, by=dora)
    with pytest.raises(ServiceError, match="加入日期不能早于队伍成立日期"):
        services.add_member(
            team, make_volunteer(district.east_community, 3), joined_on=TODAY - datetime.timedelta(days=6), by=bob
        )
    services.set_leader(one, by=dora)
    with pytest.raises(ServiceError, match="该队员已是队长"):
        services.set_leader(one, by=dora)
    services.set_leader(two, by=dora)
    one.refresh_from_db()
    assert one.role == MemberRole.MEMBER and Membership.objects.filter(team=team, role=MemberRole.LEADER).get() == two
    services.remove_member(two, by=dora)
    two.refresh_from_db()
    assert two.left_on == TODAY and two.role == MemberRole.MEMBER
    with pytest.raises(ServiceError, match="该队员已于"):
        services.remove_member(two, by=dora)
    with pytest.raises(ServiceError, match="该队员已退出，不能设为队长"):
        services.set_leader(two, by=dora)
    # Rejoining after leaving is a new membership; the old one stays.
    services.add_member(team, second, by=dora)
    assert Membership.objects.filter(team=team, volunteer=second).count() == 2
    with pytest.raises(ServiceError, match="退出日期不能早于加入日期"):
        services.remove_member(one, on=TODAY - datetime.timedelta(days=30), by=dora)


def test_members_only_in_scope(district, bob, charlie, dora):
    team = make_team(district.east_community)
    outsider = make_volunteer(district.west_community, 7)
    with pytest.raises(PermissionDenied, match="该志愿者不在您的管辖范围内"):
        services.add_member(team, outsider, by=dora)
    membership = services.add_member(team, make_volunteer(district.east_community, 8), by=dora)
    for action in (
        lambda: services.add_member(team, outsider, by=charlie),
        lambda: services.remove_member(membership, by=charlie),
        lambda: services.set_leader(membership, by=charlie),
        lambda: services.dissolve_team(team, reason="越权", by=charlie),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_find_volunteers_only_by_whole_numbers_in_scope(district, dora, alice):
    from xuanchuan.volunteers.tests.factories import id_number

    mine = make_volunteer(district.east_community, 11, phone="13912345678")
    make_volunteer(district.west_community, 12, phone="13912345679")
    assert queries.find_volunteers(dora, mine.number.lower()) == [mine]
    assert queries.find_volunteers(dora, id_number(11)) == [mine]
    assert queries.find_volunteers(dora, "139 1234 5678") == [mine]
    assert queries.find_volunteers(dora, "1391234") == []  # a part of a number finds nobody
    assert queries.find_volunteers(dora, "志愿者11") == []  # nor a name
    assert queries.find_volunteers(dora, id_number(12)) == []  # nor someone outside the scope
    assert len(queries.find_volunteers(alice, id_number(12))) == 1


def test_todos_name_leaderless_teams_and_missing_stations(district, bob, dora, alice):
    team = make_team(district.east_community)
    labels = {todo.label: todo.count for todo in todos(dora)}
    assert labels == {"未设队长的志愿服务队伍": 1, "未建文明实践站的社区（村）": 1}
    services.set_leader(services.add_member(team, make_volunteer(district.east_community, 1), by=dora), by=dora)
    services.save_site(None, unit=district.east_community, level=SiteLevel.STATION, by=dora, **site_fields())
    assert list(todos(dora)) == []
    assert {todo.label: todo.count for todo in todos(alice)} == {"未建文明实践站的社区（村）": 1}  # 和平社区
    clerk = make_person("clerk", district.east, RoleCode.POINTS_CLERK)
    assert list(todos(clerk)) == []
    assert Team.objects.count() == 1
