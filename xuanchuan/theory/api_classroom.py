"""The theory app's JSON API, classroom part (``/api/theory/classroom/``): the classroom items and
categories the user sees, and one item with the URLs of its media and poster. Staff only (the
project's API auth), read only through ``visible_to``; another unit's item is 404 like a missing
one. No personal data."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.theory.models import ClassItem, ItemStatus, MediaKind
from xuanchuan.theory.permissions import may_view
from xuanchuan.theory.queries import classroom as queries

router = Router()
MAX_ID = 999_999_999_999_999_999


class CategoryOut(Schema):
    id: int
    name: str
    order: int
    active: bool
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class ItemOut(Schema):
    id: int
    title: str
    category_id: int
    category_name: str
    kind: str
    speaker: str
    content_type: str
    size: int
    duration_seconds: int
    status: str
    status_label: str
    published_at: datetime | None = None
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_category_name(obj: ClassItem) -> str:
        return obj.category.name

    @staticmethod
    def resolve_status_label(obj: ClassItem) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_unit_name(obj: ClassItem) -> str:
        return obj.unit.name


class ItemDetailOut(ItemOut):
    description: str
    lecture_id: int | None = None
    media_url: str
    poster_url: str = ""

    @staticmethod
    def resolve_media_url(obj: ClassItem) -> str:
        return reverse("theory:m_item_media", args=[obj.pk])

    @staticmethod
    def resolve_poster_url(obj: ClassItem) -> str:
        return reverse("theory:m_item_poster", args=[obj.pk]) if obj.poster else ""


class ItemFilters(Schema):
    category: int | None = Field(None, ge=1, le=MAX_ID, description="类别")
    kind: MediaKind | None = Field(None, description="类型（video 视频 / audio 音频）")
    status: ItemStatus | None = Field(None, description="状态")
    q: str = Field("", max_length=100, description="标题、主讲人中包含的文字")


class CategoryFilters(Schema):
    active: bool | None = Field(None, description="是否启用")


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def _narrow(rows: QuerySet, **lookups: Any) -> QuerySet:
    given = {lookup: value for lookup, value in lookups.items() if value is not None and value != ""}
    return rows.filter(**given) if given else rows


@router.get("/items", response=list[ItemOut], url_name="theory_item_list", summary="云课堂课程（可见范围内）")
@paginate
def theory_item_list(request: HttpRequest, filters: Query[ItemFilters]) -> Any:
    _require_view(request)
    found = queries.items(request.user).order_by("-published_at", "-pk")
    found = _narrow(found, category_id=filters.category, kind=filters.kind, status=filters.status)
    text = filters.q.strip()
    if text:
        found = found.filter(Q(title__icontains=text) | Q(speaker__icontains=text))
    return found


@router.get(
    "/items/{int:item_id}", response=ItemDetailOut, url_name="theory_item_detail", summary="云课堂课程及其播放地址"
)
def theory_item_detail(request: HttpRequest, item_id: int) -> ClassItem:
    _require_view(request)
    if not 0 < item_id < 2**63:
        raise Http404
    return get_object_or_404(queries.items(request.user), pk=item_id)


@router.get(
    "/categories", response=list[CategoryOut], url_name="theory_category_list", summary="云课堂课程类别（可见范围内）"
)
@paginate
def theory_category_list(request: HttpRequest, filters: Query[CategoryFilters]) -> Any:
    _require_view(request)
    return _narrow(queries.categories(request.user).order_by("unit__path", "order", "name"), active=filters.active)
