"""JSON API of the culture app's events part (``/api/culture/events/``): events and series in the
user's scope, filtered and paginated. Staff only, read only, through ``visible_to``; no personal
data (events hold none)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.culture.models import Event, EventKind, EventStatus
from xuanchuan.culture.permissions import may_view
from xuanchuan.culture.queries import events as queries

router = Router()
MAX_ID = 999_999_999_999_999_999


class SeriesOut(Schema):
    id: int
    name: str
    year: int
    unit_id: int
    unit_name: str
    active: bool
    event_count: int
    held_count: int
    audience_total: int

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class EventOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    starts_at: datetime
    ends_at: datetime
    series_id: int | None = None
    series_name: str = ""
    venue_id: int | None = None
    place: str
    unit_id: int
    unit_name: str
    audience: int | None = None
    performers: str

    @staticmethod
    def resolve_kind_label(obj: Event) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Event) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_series_name(obj: Event) -> str:
        return obj.series.name if obj.series_id else ""

    @staticmethod
    def resolve_place(obj: Event) -> str:
        return obj.venue.name if obj.venue_id else obj.address

    @staticmethod
    def resolve_unit_name(obj: Event) -> str:
        return obj.unit.name


class SeriesFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    q: str = Field("", max_length=100, description="名称中包含的文字")


class EventFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度（按开始时间）")
    kind: EventKind | None = Field(None, description="类型")
    series: int | None = Field(None, ge=1, le=MAX_ID, description="所属系列")
    status: EventStatus | None = Field(None, description="状态")
    q: str = Field("", max_length=100, description="名称、地点或演职人员中包含的文字")


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


@router.get("/series", response=list[SeriesOut], url_name="culture_series_list", summary="系列活动（可见范围内）")
@paginate
def culture_series_list(request: HttpRequest, filters: Query[SeriesFilters]) -> Any:
    _require_view(request)
    found = queries.series(request.user).order_by("-year", "unit__path", "name", "pk")
    if filters.year:
        found = found.filter(year=filters.year)
    if filters.q.strip():
        found = found.filter(name__icontains=filters.q.strip())
    return found


@router.get("/events", response=list[EventOut], url_name="culture_event_list", summary="文化活动（可见范围内）")
@paginate
def culture_event_list(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    _require_view(request)
    found = queries.events(request.user).order_by("-starts_at", "-pk")
    if filters.year:
        found = found.filter(starts_at__year=filters.year)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.series:
        found = found.filter(series_id=filters.series)
    if filters.status:
        found = found.filter(status=filters.status)
    text = filters.q.strip()
    if text:
        found = found.filter(
            Q(title__icontains=text) | Q(address__icontains=text) | Q(venue__name__icontains=text)
            | Q(performers__icontains=text)
        )  # fmt: skip
    return found
