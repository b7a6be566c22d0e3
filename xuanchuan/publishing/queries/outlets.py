"""Reads of the outlet registry's pages, the API and the to-dos: always through ``visible_to``.

Staleness depends on each outlet's own update period, so it is worked out in Python over the
few fields it needs (a district has dozens to hundreds of outlets, not millions) and turned
back into a queryset by key: ``stale_ids``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xuanchuan.publishing.models import Column, Outlet, OutletStatus, Publication, PublicationStatus

RECENT_UPDATES = 10


def with_list_fields(outlets: QuerySet) -> QuerySet:
    """What a list row shows: the unit, the responsible person, the number of open columns."""
    return outlets.select_related("unit", "responsible").annotate(
        column_count=Count("columns", filter=Q(columns__is_active=True))
    )


def outlets_for(user: Any) -> QuerySet:
    """The outlets ``user`` may see, with what a list row shows."""
    return with_list_fields(Outlet.objects.visible_to(user))


def stale_ids(outlets: QuerySet, today: date | None = None) -> list[int]:
    """Keys of the outlets of ``outlets`` that are stale today (active and not updated within
    their period): one query over the few fields ``Outlet.stale_since`` reads."""
    today = today or timezone.localdate()
    rows = (
        outlets.filter(status=OutletStatus.ACTIVE)
        .select_related(None)
        .only("pk", "status", "last_published_on", "registered_on", "created_at", "update_period_days")
    )
    return [row.pk for row in rows.order_by() if row.stale_since(today) is not None]


def stale(outlets: QuerySet, today: date | None = None) -> QuerySet:
    return outlets.filter(pk__in=stale_ids(outlets, today))


def kept_stale_count(user: Any) -> int:
    """How many stale outlets the user keeps: those of their unit and the units below it (all of
    them for the department)."""
    return len(stale_ids(Outlet.objects.visible_to(user)))


@dataclass(frozen=True)
class OutletPage:
    """What an outlet's page shows: its columns (open first, in their order) and its latest items."""

    outlet: Outlet
    columns: list[Column]
    topic_columns: list[Column]
    recent: list[Publication]
    stale_since: date | None


def outlet_page(user: Any, outlet: Outlet) -> OutletPage:
    columns = list(Column.objects.visible_to(user).filter(outlet=outlet).order_by("-is_active", "position", "name"))
    recent = list(
        Publication.objects.visible_to(user)
        .filter(outlets=outlet, status__in=(PublicationStatus.PUBLISHED, PublicationStatus.TAKEN_DOWN))
        .exclude(published_at__isnull=True)
        .select_related("unit")
        .order_by("-published_at")[:RECENT_UPDATES]
    )
    return OutletPage(
        outlet=outlet,
        columns=[column for column in columns if not column.is_topic],
        topic_columns=[column for column in columns if column.is_topic],
        recent=recent,
        stale_since=outlet.stale_since(),
    )
