"""The civility app's standards endpoints (added to ``civility.api.router`` at ``/standards``): the
current categories, and the places the user may see with their responsible units. Reads only
through ``visible_to`` (the standard is the district's: every member of staff reads it); another
unit's place is 404 like a missing one."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.civility.models import Category, Place, PlaceKind
from xuanchuan.civility.permissions import may_view
from xuanchuan.civility.queries.standards import current_categories, in_force, places_without_responsibility

router = Router()


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    group: str
    default_severity: str
    deadline_days: int
    description: str


class AssignmentOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: str
    starts_on: date
    ends_on: date | None = None
    category_codes: list[str]


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    area_id: int
    area_name: str
    address: str
    latitude: float | None = None
    longitude: float | None = None
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Place) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_area_name(obj: Place) -> str:
        return obj.area.name


class PlaceDetailOut(PlaceOut):
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_assignments(obj: Place, context: Any) -> list[dict]:
        user = context["request"].user
        found = (
            obj.assignments.visible_to(user)
            .filter(in_force(timezone.localdate()))
            .select_related("unit")
            .prefetch_related("categories")
        )
        return [
            {
                "id": a.pk,
                "unit_id": a.unit_id,
                "unit_name": a.unit.name,
                "kind": a.kind,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "category_codes": [c.code for c in a.categories.all()],
            }
            for a in found
        ]


class PlaceFilters(Schema):
    kind: PlaceKind | None = Field(None, description="点位类型")
    area: int | None = Field(None, ge=1, le=999_999_999_999_999_999, description="所在街道（乡镇）")
    gap: bool | None = Field(None, description="是否无责任单位（今天）")
    q: str = Field("", max_length=100, description="名称或地址中包含的文字")


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


@router.get(
    "/categories", response=list[CategoryOut], url_name="civility_category_list", summary="当前测评标准的问题类别"
)
def civility_category_list(request: HttpRequest) -> list[Category]:
    _require_view(request)
    return list(current_categories())


@router.get("/places", response=list[PlaceOut], url_name="civility_place_list", summary="点位（可见范围内）")
@paginate
def civility_place_list(request: HttpRequest, filters: Query[PlaceFilters]) -> Any:
    places = Place.objects.visible_to(request.user).select_related("area").order_by("area__path", "kind", "name")
    if filters.kind:
        places = places.filter(kind=filters.kind)
    if filters.area is not None:
        places = places.filter(area_id=filters.area)
    if filters.q.strip():
        text = filters.q.strip()
        places = places.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if filters.gap is not None:
        gaps = places_without_responsibility(request.user).values("pk")
        places = places.filter(pk__in=gaps) if filters.gap else places.exclude(pk__in=gaps)
    return places


@router.get(
    "/places/{int:place_id}", response=PlaceDetailOut, url_name="civility_place_detail", summary="点位及其责任单位"
)
def civility_place_detail(request: HttpRequest, place_id: int) -> Place:
    if not 0 < place_id < 2**63:
        raise Http404
    return get_object_or_404(Place.objects.visible_to(request.user).select_related("area"), pk=place_id)
