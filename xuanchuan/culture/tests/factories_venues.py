"""Test factories of the venues part: venues, associations, members and (read-only here) events
at a venue or with an association, written straight to the database (the services are what the
tests test)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from xuanchuan.culture.models import (
    Association,
    AssociationMember,
    AssociationStatus,
    Event,
    EventKind,
    EventStatus,
    Venue,
    VenueKind,
)
from xuanchuan.org.models import Unit


def make_venue(unit: Unit, *, name: str = "幸福社区文化大院", kind: str = VenueKind.COURTYARD, **fields: Any) -> Venue:
    values = {"address": "幸福路 1 号", "opening_hours": "每日 8:00—20:00", "capacity": 100}
    values.update(fields)
    return Venue.objects.create(unit=unit, name=name, kind=kind, **values)


def make_association(
    unit: Unit,
    *,
    name: str = "美术家协会",
    art_form: str = "美术",
    established_on: date | None = None,
    dissolved_on: date | None = None,
    **fields: Any,
) -> Association:
    status = AssociationStatus.PREPARING
    if established_on is not None:
        status = AssociationStatus.ESTABLISHED
    if dissolved_on is not None:
        status = AssociationStatus.DISSOLVED
    return Association.objects.create(
        unit=unit,
        name=name,
        art_form=art_form,
        status=status,
        established_on=established_on,
        dissolved_on=dissolved_on,
        **fields,
    )


def make_member(
    association: Association,
    *,
    name: str = "王会员",
    phone: str = "13700001111",
    role: str = "会员",
    joined_on: date | None = None,
    left_on: date | None = None,
) -> AssociationMember:
    return AssociationMember.objects.create(
        association=association,
        name=name,
        phone=phone,
        role=role,
        joined_on=joined_on or date(2020, 1, 1),
        left_on=left_on,
    )


def make_event(
    unit: Unit,
    *,
    title: str = "周末读书会",
    venue: Venue | None = None,
    association: Association | None = None,
    starts_at: datetime | None = None,
    kind: str = EventKind.READING,
    held: bool = True,
    audience: int = 30,
    **fields: Any,
) -> Event:
    starts_at = starts_at or timezone.now() - timedelta(days=1)
    return Event.objects.create(
        unit=unit,
        title=title,
        kind=kind,
        venue=venue,
        address="" if venue else fields.pop("address", "幸福社区广场"),
        association=association,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=EventStatus.HELD if held else EventStatus.PLANNED,
        audience=audience if held else None,
        **fields,
    )
