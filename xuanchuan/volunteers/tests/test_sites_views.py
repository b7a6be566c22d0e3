"""Pages of the sites part: lists with their filters, export and query ceilings; the forms'
Chinese refusals; a team's members added, led, removed and the team dissolved through the pages;
another unit's records answer 404; the public phone list needs no sign-in."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import verified_login
from xuanchuan.volunteers.models import Brand, MemberRole, Membership, PracticeSite, SiteLevel, Team
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.tests.factories import id_number, make_team, make_volunteer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def sites(district, alice):
    made = {}
    for unit, level, name in (
        (district.root, SiteLevel.CENTRE, "示范区新时代文明实践中心"),
        (district.east, SiteLevel.INSTITUTE, "东城街道新时代文明实践所"),
        (district.east_community, SiteLevel.STATION, "幸福社区新时代文明实践站"),
        (district.west, SiteLevel.INSTITUTE, "西城街道新时代文明实践所"),
    ):
        made[unit.name] = services.save_site(
            None, unit=unit, level=level, name=name, address=f"{unit.name}大道1号", opening_hours="9:00-17:00", by=alice
        )
    return made


@pytest.fixture
def teams(district, bob, sites):
    brand = services.save_brand(None, unit=district.east, name="理论宣讲", by=bob)
    made = []
    for n in range(8):
        team = make_team(
            district.east_community if n % 2 else district.east,
            f"东城队{n}",
            brand=brand if n < 4 else None,
            site=sites["东城街道"] if n < 6 else None,
        )
        for m in range(3):
            services.add_member(
                team, make_volunteer(team.unit if n % 2 else district.east_community, n * 10 + m), by=bob
            )
        made.append(team)
    return made


def test_site_list_tree_filters_and_export(client, district, bob, sites):
    client.force_login(bob)
    url = reverse("volunteers:site_list")
    page = client.get(url).content.decode()
    assert "东城街道新时代文明实践所" in page and "幸福社区新时代文明实践站" in page
    assert "西城街道" not in page and 'id="site-tree"' in page
    filtered = client.get(url, {"level": "station"}).content.decode()
    assert filtered.count("幸福社区新时代文明实践站") == 2  # the table's row and the tree
    assert ">东城街道新时代文明实践所</a></td>" not in filtered
    export = client.get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "层级", "所在单位") and len(rows) == 3


def test_site_list_offers_missing_stations_to_managers(client, district, alice):
    verified_login(client, alice)
    page = client.get(reverse("volunteers:site_list")).content.decode()
    assert 'id="missing-stations"' in page and "幸福社区" in page and "和平社区" in page
    create = client.get(reverse("volunteers:site_create"), {"unit": district.east_community.pk}).content.decode()
    assert f'value="{district.east_community.pk}" selected' in create


def test_site_create_refuses_a_wrong_level_in_chinese(client, district, bob, sites):
    client.force_login(bob)
    url = reverse("volunteers:site_create")
    data = {"unit": district.east_community.pk, "level": "institute", "name": "站", "address": "路", "active": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "“幸福社区”应设新时代文明实践站，不能设为新时代文明实践所" in response.content.decode()
    PracticeSite.objects.filter(unit=district.east_community).delete()
    response = client.post(url, data)
    assert "“幸福社区”应设新时代文明实践站，不能设为新时代文明实践所" in response.content.decode()
    response = client.post(url, {**data, "level": "station"})
    site = PracticeSite.objects.get(unit=district.east_community)
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:site_detail", args=[site.pk])
    again = client.post(url, {**data, "level": "station"})
    assert "“幸福社区”已有文明实践阵地，每个单位只设一个" in again.content.decode()


def test_site_detail_shows_teams_and_sites_below(client, district, bob, sites, teams):
    client.force_login(bob)
    page = client.get(reverse("volunteers:site_detail", args=[sites["东城街道"].pk])).content.decode()
    assert "东城队0" in page and "东城队5" in page and "东城队6" not in page
    assert "幸福社区新时代文明实践站" in page
    assert client.get(reverse("volunteers:site_edit", args=[sites["东城街道"].pk])).status_code == 200


def test_outsider_gets_404(client, district, charlie, sites, teams):
    client.force_login(charlie)
    team = teams[1]
    membership = team.memberships.first()
    for url in (
        reverse("volunteers:site_detail", args=[sites["东城街道"].pk]),
        reverse("volunteers:site_edit", args=[sites["幸福社区"].pk]),
        reverse("volunteers:brand_edit", args=[team.brand.pk]),
        reverse("volunteers:team_detail", args=[team.pk]),
        reverse("volunteers:team_member_add", args=[team.pk]),
        reverse("volunteers:team_leader_set", args=[membership.pk]),
        reverse("volunteers:team_member_remove", args=[membership.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.get(reverse("volunteers:team_detail", args=[99_999_999_999_999_999_999])).status_code == 404
    # His own street's site is there.
    assert client.get(reverse("volunteers:site_detail", args=[sites["西城街道"].pk])).status_code == 200


def test_lists_have_bounded_queries(client, district, bob, sites, teams, django_assert_max_num_queries):
    client.force_login(bob)
    for name in ("volunteers:site_list", "volunteers:brand_list", "volunteers:team_list"):
        client.get(reverse(name))
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("volunteers:team_detail", args=[teams[1].pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("volunteers:site_detail", args=[sites["东城街道"].pk])).status_code == 200


def test_team_list_filters_and_export(client, district, bob, sites, teams):
    client.force_login(bob)
    url = reverse("volunteers:team_list")
    brand = Brand.objects.get()
    page = client.get(url, {"brand": brand.pk}).content.decode()
    assert "东城队3" in page and "东城队4" not in page
    page = client.get(url, {"unit": district.east_community.pk}).content.decode()
    assert "东城队1" in page and "东城队2" not in page
    services.dissolve_team(teams[0], reason="合并", by=bob)
    page = client.get(url, {"state": "dissolved"}).content.decode()
    assert "东城队0" in page and "东城队1" not in page
    page = client.get(url, {"leader": "none", "q": "队7"}).content.decode()
    assert "东城队7" in page and "东城队6" not in page
    export = client.get(url, {"export": "xlsx", "site": sites["东城街道"].pk})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("队伍名称", "品牌", "依托阵地", "所属单位", "成立日期", "在队人数", "状态")
    assert len(rows) == 7 and {row[5] for row in rows[1:]} == {0, 3}
    assert client.get(url, {"unit": district.west.pk}).status_code == 200  # not a choice: the form says so


def test_a_community_worker_keeps_a_team_through_the_pages(client, district, dora):
    verified_login(client, dora)
    response = client.post(
        reverse("volunteers:team_create"),
        {"unit": district.east_community.pk, "name": "幸福红马甲", "founded_on": TODAY.isoformat(), "description": ""},
    )
    team = Team.objects.get(name="幸福红马甲")
    assert response.status_code == 302 and team.created_by == dora
    first = make_volunteer(district.east_community, 1, name="王小明", phone="13911112222")
    second = make_volunteer(district.east_community, 2)
    add = reverse("volunteers:team_member_add", args=[team.pk])
    assert "没有找到该志愿者" in client.get(add, {"q": "1391111"}).content.decode()
    found = client.get(add, {"q": id_number(1)}).content.decode()
    assert first.number in found and "王小明" not in found and "139****2222" in found
    assert client.post(add, {"volunteer": first.pk}).status_code == 302
    assert "已在本队" in client.get(add, {"q": "13911112222"}).content.decode()
    client.post(add, {"volunteer": second.pk})
    again = client.post(add, {"volunteer": first.pk}, follow=True).content.decode()
    assert f"志愿者 {first.number} 已是本队队员" in again
    outsider = make_volunteer(district.west_community, 3)
    assert client.post(add, {"volunteer": outsider.pk}).status_code == 404
    one = Membership.objects.get(team=team, volunteer=first)
    two = Membership.objects.get(team=team, volunteer=second)
    leader = reverse("volunteers:team_leader_set", args=[one.pk])
    assert "确认将志愿者" in client.get(leader).content.decode()
    client.post(leader)
    client.post(reverse("volunteers:team_leader_set", args=[two.pk]))
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.role, two.role) == (MemberRole.MEMBER, MemberRole.LEADER)
    remove = reverse("volunteers:team_member_remove", args=[one.pk])
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    assert "退出日期不能晚于今天" in client.post(remove, {"left_on": future}, follow=True).content.decode()
    client.post(remove, {"left_on": ""})
    one.refresh_from_db()
    assert one.left_on == TODAY
    detail = client.get(reverse("volunteers:team_detail", args=[team.pk])).content.decode()
    assert 'id="former-members"' in detail and "王小明" not in detail and "王*" in detail
    dissolve = reverse("volunteers:team_dissolve", args=[team.pk])
    assert client.post(dissolve, {"reason": " "}).status_code == 400
    assert Team.objects.get(pk=team.pk).dissolved_on is None
    assert client.post(dissolve, {"reason": "并入其他队伍"}).status_code == 302
    team.refresh_from_db()
    assert team.dissolved_on == TODAY and team.dissolved_reason == "并入其他队伍"
    detail = client.get(reverse("volunteers:team_detail", args=[team.pk])).content.decode()
    assert "已撤销" in detail and 'id="add-member"' not in detail


def test_brand_pages_and_delete(client, district, bob, teams):
    client.force_login(bob)
    response = client.post(reverse("volunteers:brand_create"), {"unit": district.east.pk, "name": "理论宣讲"})
    assert "已有名为“理论宣讲”的品牌" in response.content.decode()
    client.post(reverse("volunteers:brand_create"), {"unit": district.east.pk, "name": "孝善", "active": "on"})
    unused = Brand.objects.get(name="孝善")
    used = Brand.objects.get(name="理论宣讲")
    page = client.get(reverse("volunteers:brand_list")).content.decode()
    assert "孝善" in page and "理论宣讲" in page
    refused = client.post(reverse("volunteers:brand_delete", args=[used.pk]), follow=True).content.decode()
    assert "已有队伍使用品牌“理论宣讲”，不能删除，可改为停用" in refused
    assert "确认删除品牌" in client.get(reverse("volunteers:brand_delete", args=[unused.pk])).content.decode()
    assert client.post(reverse("volunteers:brand_delete", args=[unused.pk])).status_code == 302
    assert not Brand.objects.filter(name="孝善").exists()


def test_viewers_without_the_manager_role_cannot_write(client, district, sites):
    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode

    clerk = make_person("clerk", district.east, RoleCode.POINTS_CLERK)
    client.force_login(clerk)
    assert client.get(reverse("volunteers:site_list")).status_code == 403
    assert client.get(reverse("volunteers:team_create")).status_code == 403
    assert client.get(reverse("volunteers:team_import_template")).status_code == 403


def test_the_public_phone_list(client, district, sites):
    PracticeSite.objects.filter(unit=district.west).update(active=False)
    response = client.get(reverse("volunteers:m_site_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "东城街道新时代文明实践所" in page and "幸福社区大道1号" in page and "9:00-17:00" in page
    assert "西城街道新时代文明实践所" not in page
    assert page.index("示范区新时代文明实践中心") < page.index("东城街道新时代文明实践所")
    assert client.post(reverse("volunteers:m_site_list")).status_code == 405
