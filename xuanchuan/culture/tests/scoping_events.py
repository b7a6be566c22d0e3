"""The events part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): a series of
东城街道, a held event of 幸福社区 in it with a photo and a link, a planned event of 东城街道 at its
venue; none may reach charlie (西城街道), and every object URL given one of them answers 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

PUBLIC_UNIT_LISTS: dict[str, str] = {}

SERIES = "东城秘密系列活动"
HELD = "东城秘密已举办活动"
PLANNED = "东城秘密计划活动"
LINK = "东城秘密视频"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.utils import timezone

    from xuanchuan.culture.tests.factories_events import make_event, make_link, make_photo, make_series, make_venue

    series = make_series(district.east, name=SERIES)
    held = make_event(district.east_community, title=HELD, held=True, series=series, performers="东城秘密演员")
    make_photo(held, caption="东城秘密照片")
    make_link(held, title=LINK)
    venue = make_venue(district.east, name="东城秘密文化站")
    make_event(district.east, title=PLANNED, venue=venue, starts_at=timezone.now() + timedelta(days=3))
    return [SERIES, HELD, PLANNED, LINK, "东城秘密演员", "东城秘密照片"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.culture.models import Event, EventLink, EventPhoto, Series

    if not (route_name.startswith("culture:") or route_name.startswith("api:culture_")):
        return None
    series = Series.objects.filter(name=SERIES).order_by("pk").first()
    if series is None:
        return None
    held = Event.objects.filter(title=HELD).order_by("pk").first()
    planned = Event.objects.filter(title=PLANNED).order_by("pk").first()
    photo = EventPhoto.objects.filter(event=held).order_by("pk").first()
    link = EventLink.objects.filter(event=held).order_by("pk").first()
    if route_name in ("culture:series_detail", "culture:series_edit"):
        return [{"pk": series.pk}, {"pk": series.pk, "_method": "post"}]
    if route_name in (
        "culture:event_detail",
        "culture:event_edit",
        "culture:event_held",
        "culture:event_cancel",
        "culture:event_delete",
        "culture:event_photo_add",
        "culture:event_link_add",
    ):
        return [{"pk": held.pk}, {"pk": planned.pk}, {"pk": planned.pk, "_method": "post"}]
    if route_name in ("culture:event_photo", "culture:event_photo_delete"):
        return [{"pk": held.pk, "photo_pk": photo.pk}, {"pk": held.pk, "photo_pk": photo.pk, "_method": "post"}]
    if route_name == "culture:event_link_delete":
        return [{"pk": held.pk, "link_pk": link.pk}, {"pk": held.pk, "link_pk": link.pk, "_method": "post"}]
    return None
