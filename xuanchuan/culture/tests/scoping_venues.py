"""The venues part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): records of
东城街道 and its community, none of which may reach charlie (西城街道): a venue of 幸福社区 with an
event held there, an unused venue of 东城街道, an association of 东城街道 in preparation with a
member. Every object URL given one of them answers 404."""

from __future__ import annotations

from datetime import date
from typing import Any

VENUE = "东城秘密文化大院"
UNUSED_VENUE = "东城秘密农家书屋"
ASSOCIATION = "东城秘密书法家协会"
MEMBER = "东城秘密会员"
EVENT = "东城秘密读书会"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.culture.models import VenueKind
    from xuanchuan.culture.tests.factories_venues import make_association, make_event, make_member, make_venue

    venue = make_venue(district.east_community, name=VENUE, address="东城秘密路 1 号")
    make_venue(district.east, name=UNUSED_VENUE, kind=VenueKind.BOOKSHOP)
    association = make_association(district.east, name=ASSOCIATION, leader="东城秘密会长")
    make_member(association, name=MEMBER, phone="13700004444", joined_on=date(2024, 1, 1))
    make_event(district.east_community, title=EVENT, venue=venue, association=association)
    return [VENUE, UNUSED_VENUE, ASSOCIATION, MEMBER, "东城秘密路", "东城秘密会长"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.culture.models import Association, AssociationMember, Venue

    venue_routes = ("venue_detail", "venue_edit", "venue_close", "venue_reopen", "venue_delete")
    association_routes = ("association_detail", "association_edit", "association_establish", "association_dissolve")
    member_routes = ("member_edit", "member_leave")
    name = route_name.removeprefix("culture:")
    if not route_name.startswith("culture:") or name not in (*venue_routes, *association_routes, "member_add",
                                                              *member_routes):  # fmt: skip
        return None
    venue = Venue.objects.filter(name=VENUE).order_by("pk").first()
    unused = Venue.objects.filter(name=UNUSED_VENUE).order_by("pk").first()
    association = Association.objects.filter(name=ASSOCIATION).order_by("pk").first()
    member = AssociationMember.objects.filter(association=association).order_by("pk").first()
    if venue is None or association is None or member is None:
        return None
    if name in venue_routes:
        return [{"pk": venue.pk}, {"pk": unused.pk}, {"pk": venue.pk, "_method": "post"},
                {"pk": unused.pk, "_method": "post"}]  # fmt: skip
    if name in (*association_routes, "member_add"):
        return [{"pk": association.pk}, {"pk": association.pk, "_method": "post"}]
    return [
        {"pk": association.pk, "member_pk": member.pk},
        {"pk": association.pk, "member_pk": member.pk, "_method": "post"},
    ]
