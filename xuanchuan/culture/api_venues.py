"""JSON API of the culture app, venues part (``/api/culture/venues/``): venues and arts associations
in scope (filters, paginated). Staff only, read only, through ``visible_to``; no personal data
(members' phones are never given; a venue's phone is its office's, public)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.culture.models import Association, AssociationStatus, Venue, VenueKind
from xuanchuan.culture.permissions import may_view
from xuanchuan.culture.queries import venues as queries
from xuanchuan.org.models import Unit

router = Router()
MAX_ID = 999_999_999_999_999_999


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit_id: int
    unit_name: str
    address: str
    opening_hours: str
    capacity: int | None = None
    phone: str
    active: bool
    held_count: int

    @staticmethod
    def resolve_kind_label(obj: Venue) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_name(obj: Venue) -> str:
        return obj.unit.name


class AssociationOut(Schema):
    id: int
    name: str
    art_form: str
    status: str
    status_label: str
    established_on: date | None = None
    dissolved_on: date | None = None
    leader: str
    unit_id: int
    unit_name: str
    member_count: int
    event_count: int

    @staticmethod
    def resolve_status_label(obj: Association) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit_name(obj: Association) -> str:
        return obj.unit.name


class VenueFilters(Schema):
    kind: VenueKind | None = Field(None, description="类型")
    active: bool | None = Field(None, description="是否开放")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="单位（含下级）")
    q: str = Field("", max_length=100, description="名称或地址中包含的文字")


class AssociationFilters(Schema):
    status: AssociationStatus | None = Field(None, description="状态")
    art_form: str = Field("", max_length=60, description="门类")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="单位（含下级）")
    q: str = Field("", max_length=100, description="名称中包含的文字")


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def _within(request: HttpRequest, found: Any, unit_id: int | None) -> Any:
    if unit_id is None:
        return found
    unit = Unit.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return found.within(unit)


@router.get("/venues", response=list[VenueOut], url_name="culture_venue_list", summary="文化场馆（可见范围内）")
@paginate
def culture_venue_list(request: HttpRequest, filters: Query[VenueFilters]) -> Any:
    _require_view(request)
    found = queries.venues(request.user).order_by("kind", "unit__path", "name", "pk")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.active is not None:
        found = found.filter(active=filters.active)
    text = filters.q.strip()
    if text:
        found = found.filter(Q(name__icontains=text) | Q(address__icontains=text))
    return _within(request, found, filters.unit)


@router.get(
    "/associations",
    response=list[AssociationOut],
    url_name="culture_association_list",
    summary="文艺协会（可见范围内）",
)
@paginate
def culture_association_list(request: HttpRequest, filters: Query[AssociationFilters]) -> Any:
    _require_view(request)
    found = queries.associations(request.user).order_by("status", "unit__path", "name", "pk")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.art_form.strip():
        found = found.filter(art_form=filters.art_form.strip())
    if filters.q.strip():
        found = found.filter(name__icontains=filters.q.strip())
    return _within(request, found, filters.unit)
