"""Records the events part's tests build on: a series, an event (planned, held or cancelled), a
venue, a photo (a small JPEG made in memory) and a link. Written straight to the database; the
services are what the tests test."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xuanchuan.culture.models import Event, EventKind, EventLink, EventPhoto, EventStatus, Series, Venue, VenueKind
from xuanchuan.org.models import Unit


def jpeg_bytes(colour: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def jpeg_upload(name: str = "photo.jpg", colour: str = "red") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(colour), content_type="image/jpeg")


def make_series(unit: Unit, name: str = "欢乐中国年迎新春系列活动", year: int | None = None, **fields: Any) -> Series:
    return Series.objects.create(unit=unit, name=name, year=year or timezone.localdate().year, **fields)


def make_venue(unit: Unit, name: str = "东城街道文化站", kind: str = VenueKind.CULTURAL_CENTRE, **fields: Any) -> Venue:
    fields.setdefault("address", f"{unit.name}文化路1号")
    return Venue.objects.create(unit=unit, name=name, kind=kind, **fields)


def make_event(
    unit: Unit,
    *,
    title: str = "广场文艺演出",
    kind: str = EventKind.PERFORMANCE,
    starts_at: datetime | None = None,
    hours: int = 2,
    held: bool = False,
    audience: int = 120,
    status: str | None = None,
    **fields: Any,
) -> Event:
    starts_at = starts_at or timezone.now() - timedelta(days=1)
    if not fields.get("venue"):
        fields.setdefault("address", f"{unit.name}文化广场")
    if held:
        status = EventStatus.HELD
        fields.setdefault("summary", "演出精彩，群众反响热烈。")
    return Event.objects.create(
        unit=unit,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        status=status or EventStatus.PLANNED,
        audience=audience if status == EventStatus.HELD else None,
        **fields,
    )


def make_photo(event: Event, caption: str = "") -> EventPhoto:
    photo = EventPhoto(event=event, caption=caption, uploaded_at=timezone.now())
    photo.image.save("photo.jpg", ContentFile(jpeg_bytes()), save=True)
    return photo


def make_link(event: Event, url: str = "https://www.douyin.com/video/1", **fields: Any) -> EventLink:
    fields.setdefault("platform", "抖音")
    return EventLink.objects.create(event=event, url=url, **fields)
