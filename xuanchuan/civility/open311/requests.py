"""The public face of a citizen's report: the GeoReport v2 request object (spec §4) and the
request list's filters. Only reports that came in through Open311 are published, and only what
is safe to publish: never the reporter's name or contact, never internal notes (requirements,
replies, reasons) — the status note is the status's own label."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from xuanchuan.civility.models import Problem, ProblemSource, ProblemStatus
from xuanchuan.civility.open311.formats import w3c

CLOSED_STATUSES = (ProblemStatus.RECTIFIED, ProblemStatus.UNFIXABLE, ProblemStatus.REJECTED, ProblemStatus.MERGED)
MAX_SPAN = datetime.timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 200
W3C_DTF = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$")


class BadArgument(ValueError):
    """A filter that cannot be read (400)."""


def published() -> QuerySet[Problem]:
    """The reports a GeoReport v2 client may read: those submitted through Open311."""
    # scoping: allowed — public by design (GeoReport v2 requests), limited to citizens' reports
    return Problem.objects.filter(source=ProblemSource.OPEN311).select_related("category", "ticket__unit")


def parse_w3c(raw: str, name: str) -> datetime.datetime:
    """A W3C-DTF date-time with its mandatory time zone (``Z`` or ``±hh:mm``), no fractions."""
    if not W3C_DTF.match(raw):
        raise BadArgument(f"{name} must be a W3C-DTF date-time with a time zone, e.g. 2024-05-01T00:00:00+08:00")
    try:
        return datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadArgument(f"{name} is not a valid date-time") from None


@dataclass
class Filters:
    ids: list[str] | None = None
    codes: list[str] | None = None
    statuses: list[str] | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def read_filters(query: Any) -> Filters:
    """The filters of GET ``requests``; an empty argument counts as absent (spec §1)."""
    filters = Filters()
    raw_ids = (query.get("service_request_id") or "").strip()
    if raw_ids:
        filters.ids = _list(raw_ids)
        if len(filters.ids) > MAX_IDS or any(len(part) > 24 for part in filters.ids):
            raise BadArgument(f"service_request_id: at most {MAX_IDS} ids of at most 24 characters")
        return filters  # overrides all other filters
    raw_codes = (query.get("service_code") or "").strip()
    if raw_codes:
        filters.codes = _list(raw_codes)[:MAX_IDS]
    raw_status = (query.get("status") or "").strip()
    if raw_status:
        filters.statuses = _list(raw_status)
        if not set(filters.statuses) <= {"open", "closed"}:
            raise BadArgument("status must be open, closed or both (comma-separated)")
    raw_start = (query.get("start_date") or "").strip()
    raw_end = (query.get("end_date") or "").strip()
    start = parse_w3c(raw_start, "start_date") if raw_start else None
    end = parse_w3c(raw_end, "end_date") if raw_end else None
    if start and end and end < start:
        raise BadArgument("end_date is before start_date")
    if start and end and end - start > MAX_SPAN:
        raise BadArgument("start_date and end_date may not span more than 90 days")
    if end is None:
        end = min(start + MAX_SPAN, timezone.now()) if start else timezone.now()
        end = max(end, start) if start else end
    if start is None:
        start = end - MAX_SPAN
    filters.start, filters.end = start, end
    return filters


def select(filters: Filters) -> list[Problem]:
    """At most 1000 published reports matching ``filters``, the latest first."""
    rows = published()
    if filters.ids is not None:
        return list(rows.filter(public_id__in=filters.ids).order_by("-found_at")[:MAX_RESULTS])
    if filters.codes:
        rows = rows.filter(category__code__in=filters.codes)
    if filters.statuses and set(filters.statuses) != {"open", "closed"}:
        if "closed" in filters.statuses:
            rows = rows.filter(status__in=CLOSED_STATUSES)
        else:
            rows = rows.exclude(status__in=CLOSED_STATUSES)
    rows = rows.filter(found_at__gte=filters.start, found_at__lte=filters.end)
    return list(rows.order_by("-found_at")[:MAX_RESULTS])


def _end_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def request_object(problem: Problem) -> dict[str, Any]:
    """The GeoReport v2 request object (§4): exactly the specification's fields, ids and codes as
    strings, times in +08:00 without fractions."""
    closed = problem.status in CLOSED_STATUSES
    ticket = problem.ticket
    updated = problem.updated_at
    if ticket is not None:
        updated = ticket.closed_at if closed and ticket.closed_at else max(updated, ticket.updated_at)
    return {
        "service_request_id": str(problem.public_id),
        "status": "closed" if closed else "open",
        "status_notes": str(problem.get_status_display()),
        "service_name": str(problem.category.name),
        "service_code": str(problem.category.code),
        "description": problem.description,
        "agency_responsible": ticket.unit.name if ticket is not None else None,
        "service_notice": None,
        "requested_datetime": w3c(problem.found_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(_end_of(ticket.due_on)) if ticket is not None else None,
        "address": problem.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": _number(problem.latitude),
        "long": _number(problem.longitude),
        "media_url": problem.media_url or None,
    }


def jurisdiction_ok(raw: str | None) -> bool:
    """Absent (or empty) or the configured jurisdiction."""
    return not raw or raw == settings.CIVILITY_OPEN311_JURISDICTION
