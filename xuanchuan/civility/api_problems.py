"""The civility app's problems endpoints (added to ``civility.api.router`` at ``/problems``): the
problems the user sees, one problem, and recording one (JSON; photos are added on the page).
A re-sent recording with the same ``client_key`` answers the problem stored the first time."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.civility.models import Category, Place, Problem, ProblemSource, ProblemStatus, Severity
from xuanchuan.civility.permissions import may_view
from xuanchuan.civility.services import problems as services
from xuanchuan.core.services import refusal_text

router = Router()


class ProblemOut(Schema):
    id: int
    public_id: str
    status: str
    status_label: str
    source: str
    category_id: int
    category: str
    place_id: int | None = None
    place: str | None = None
    area_id: int | None = None
    address: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    description: str
    severity: str
    immediate: bool
    found_at: datetime
    merged_into_id: int | None = None
    ticket_id: int | None = None
    photo_count: int = 0

    @staticmethod
    def resolve_status_label(obj: Problem) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category(obj: Problem) -> str:
        return obj.category.name

    @staticmethod
    def resolve_place(obj: Problem) -> str | None:
        return obj.place.name if obj.place_id else None

    @staticmethod
    def resolve_photo_count(obj: Problem) -> int:
        return getattr(obj, "photo_total", 0) or 0


class ProblemFilters(Schema):
    status: ProblemStatus | None = None
    source: ProblemSource | None = None
    category: int | None = Field(None, ge=1, le=2**31 - 1)
    found_from: date | None = None
    found_to: date | None = None
    q: str = Field("", max_length=100)


class ProblemIn(Schema):
    category: int = Field(..., ge=1, le=2**31 - 1)
    description: str = Field(..., min_length=1, max_length=4000)
    place: int | None = Field(None, ge=1, le=2**31 - 1)
    address: str = Field("", max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    severity: Severity | None = None
    immediate: bool = False
    client_key: uuid.UUID | None = None


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看文明城市创建事项的权限。")


def _problems(request: HttpRequest) -> Any:
    from django.db.models import Count

    return (
        Problem.objects.visible_to(request.user)
        .select_related("category", "place")
        .annotate(photo_total=Count("photos"))
        .order_by("-found_at", "-pk")
    )


@router.get("", response=list[ProblemOut], url_name="civility_problem_list", summary="发现的问题（可见范围内）")
@paginate
def civility_problem_list(request: HttpRequest, filters: Query[ProblemFilters]) -> Any:
    _require_view(request)
    rows = _problems(request)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.found_from:
        rows = rows.filter(found_at__date__gte=filters.found_from)
    if filters.found_to:
        rows = rows.filter(found_at__date__lte=filters.found_to)
    if filters.q.strip():
        text = filters.q.strip()
        rows = rows.filter(Q(public_id__icontains=text) | Q(description__icontains=text) | Q(address__icontains=text))
    return rows


@router.get("/{int:problem_id}", response=ProblemOut, url_name="civility_problem_detail", summary="一个问题")
def civility_problem_detail(request: HttpRequest, problem_id: int) -> Problem:
    if not 0 < problem_id < 2**63:
        raise Http404
    return get_object_or_404(_problems(request), pk=problem_id)


@router.post(
    "", response={201: ProblemOut}, url_name="civility_problem_create", summary="记录发现的问题（client_key 防重复）"
)
def civility_problem_create(request: HttpRequest, payload: ProblemIn) -> tuple[int, Problem]:
    category = Category.objects.filter(pk=payload.category).first()  # scoping: allowed (the district's standard)
    if category is None:
        raise HttpError(400, "没有这个问题类别。")
    place = None
    if payload.place is not None:
        place = Place.objects.visible_to(request.user).filter(pk=payload.place).first()
        if place is None:
            raise HttpError(400, "请选择您可见的点位。")
    try:
        problem = services.record_problem(
            by=request.user,
            category=category,
            description=payload.description,
            place=place,
            address=payload.address,
            latitude=payload.latitude,
            longitude=payload.longitude,
            severity=payload.severity,
            immediate=payload.immediate,
            client_key=str(payload.client_key) if payload.client_key else None,
        )
    except PermissionDenied as exc:
        raise HttpError(403, refusal_text(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, refusal_text(exc)) from exc
    return 201, get_object_or_404(_problems(request), pk=problem.pk)
