"""The tourism part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): 东城街道's
and 幸福社区's holiday tourism stats, none of which may reach charlie (西城街道). Their notes are the
words that would show a leak; the stat URLs given one of them answer 404.

The holidays' dates (``holiday_edit``) are the district's, not a unit's: there is no sibling
record to name, so the walk has no argument for it (a street's reporter gets 403 there, checked in
``test_tourism_views``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

STREET_NOTE = "东城秘密景区客流"
COMMUNITY_NOTE = "东城秘密农家乐"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.culture.models import Holiday, HolidayPeriod, TourismStat

    HolidayPeriod.objects.get_or_create(
        holiday=Holiday.MAY_DAY, year=2025, defaults={"starts_on": date(2025, 5, 1), "ends_on": date(2025, 5, 5)}
    )
    TourismStat.objects.create(
        unit=district.east,
        holiday=Holiday.MAY_DAY,
        year=2025,
        visitors=87654,
        revenue=Decimal("4321.09"),
        note=STREET_NOTE,
    )
    TourismStat.objects.create(
        unit=district.east_community,
        holiday=Holiday.MAY_DAY,
        year=2025,
        visitors=7654,
        revenue=Decimal("321.09"),
        note=COMMUNITY_NOTE,
    )
    return [STREET_NOTE, COMMUNITY_NOTE, "87654", "4321.09"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.culture.models import TourismStat

    if route_name == "culture:holiday_edit":
        return []  # district-wide dates: nothing of a sibling unit to name (see the docstring)
    if route_name not in ("culture:stat_edit", "culture:stat_delete"):
        return None
    found = []
    for note in (STREET_NOTE, COMMUNITY_NOTE):
        stat = TourismStat.objects.filter(note=note).order_by("pk").first()
        if stat is None:
            return None
        found += [{"pk": stat.pk}, {"pk": stat.pk, "_method": "post"}]
    return found
