"""The standards part of the civility app's share of the URL walk (see ``tests/scoping.py``): a
place kept by 东城街道 in its own area, with 东城街道 answering for it."""

from __future__ import annotations

import datetime
from typing import Any

from xuanchuan.civility.models import Assignment, Place, PlaceKind

PLACE_NAME = "东城秘密背街小巷"
ADDRESS = "东城秘密弄堂12号"
NOTE = "东城秘密包街备注"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    place = Place.objects.create(
        unit=district.east, area=district.east, name=PLACE_NAME, kind=PlaceKind.ALLEY, address=ADDRESS
    )
    Assignment.objects.create(place=place, unit=district.east_community, starts_on=datetime.date(2024, 1, 1), note=NOTE)
    return [PLACE_NAME, ADDRESS, NOTE]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if route_name in ("civility:standard_detail", "civility:standard_copy", "civility:standard_make_current"):
        # The standard is the district's, not a unit's: every member of staff reads it (writes: 403).
        return []
    if route_name in ("civility:category_edit", "civility:category_toggle"):
        return []  # the same: categories belong to the district's standard
    place = Place.objects.filter(name=PLACE_NAME).first()
    if route_name in (
        "civility:place_detail",
        "civility:place_edit",
        "civility:place_toggle",
        "civility:assignment_create",
    ):
        return [{"pk": place.pk}, {"pk": place.pk, "_method": "post"}]
    if route_name in ("civility:assignment_edit", "civility:assignment_end"):
        assignment = Assignment.objects.filter(note=NOTE).first()
        return [{"pk": assignment.pk}, {"pk": assignment.pk, "_method": "post"}]
    if route_name in ("api:civility_place_detail",):
        return [{"place_id": place.pk}]
    return None
