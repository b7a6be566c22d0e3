"""The sites part's records for the URL walk: 东城街道's institute, 幸福社区's station, a brand and a
team of 幸福社区 with a member — nothing of it may reach charlie (西城街道)."""

from __future__ import annotations

from typing import Any

SITE = "东城秘密文明实践所"
STATION = "幸福秘密文明实践站"
BRAND = "东城秘密品牌"
TEAM = "幸福秘密志愿服务队"
ADDRESS = "东城秘密路1号"

# Routes that list unit names on purpose, with the reason (see ``xuanchuan/tests/test_url_scoping.py``).
PUBLIC_UNIT_LISTS = {
    "volunteers:m_site_list": "居民查找身边的文明实践阵地：公开列出各街道（乡镇）的中心、所、站及地址、开放时间和电话",
}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.volunteers.models import Brand, PracticeSite, SiteLevel
    from xuanchuan.volunteers.services import sites as services
    from xuanchuan.volunteers.tests.factories import make_team, make_volunteer

    # Inactive: the public page lists active sites only (by design it shows every active site).
    PracticeSite.objects.create(unit=district.east, level=SiteLevel.INSTITUTE, name=SITE, address=ADDRESS, active=False)
    station = PracticeSite.objects.create(
        unit=district.east_community, level=SiteLevel.STATION, name=STATION, address=ADDRESS, active=False
    )
    brand = Brand.objects.create(unit=district.east_community, name=BRAND)
    team = make_team(district.east_community, TEAM, brand=brand, site=station)
    volunteer = make_volunteer(district.east_community, 901, name="东城秘密志愿者")
    services.add_member(team, volunteer, by=people["bob"])
    return [SITE, STATION, BRAND, TEAM, ADDRESS, volunteer.number]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.volunteers.models import Brand, Membership, PracticeSite, Team

    if route_name in ("volunteers:site_detail", "volunteers:site_edit"):
        site = PracticeSite.objects.get(name=STATION)
        return [{"pk": site.pk}, {"pk": PracticeSite.objects.get(name=SITE).pk, "_method": "post"}]
    if route_name in ("volunteers:brand_edit", "volunteers:brand_delete"):
        brand = Brand.objects.get(name=BRAND)
        return [{"pk": brand.pk}, {"pk": brand.pk, "_method": "post"}]
    team = Team.objects.get(name=TEAM)
    if route_name in (
        "volunteers:team_detail",
        "volunteers:team_edit",
        "volunteers:team_dissolve",
        "volunteers:team_member_add",
        "volunteers:team_import",
    ):
        return [{"pk": team.pk}, {"pk": team.pk, "_method": "post"}]
    if route_name in ("volunteers:team_member_remove", "volunteers:team_leader_set"):
        membership = Membership.objects.get(team=team)
        return [{"pk": membership.pk}, {"pk": membership.pk, "_method": "post"}]
    if route_name == "api:volunteers_team_detail":
        return [{"team_id": team.pk}]
    return None
