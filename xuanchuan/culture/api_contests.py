"""JSON API of the culture app, contests part (``/api/culture/contests/``): competitions and
local-product campaigns in scope (filters, paginated). Staff only, read only, through
``visible_to``; no personal data (no contestant's phone)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.culture.permissions import may_view
from xuanchuan.culture.queries import contests as queries
from xuanchuan.org.models import Unit

router = Router()
MAX_ID = 999_999_999_999_999_999


class CompetitionOut(Schema):
    id: int
    title: str
    year: int
    unit_id: int
    unit_name: str
    series_id: int | None = None
    next_level: str
    round_count: int
    contestant_count: int
    recommended_count: int

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    unit_id: int
    unit_name: str
    products: str
    video_count: int
    total_views: int
    total_likes: int

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class Filters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="单位（含下级）")
    q: str = Field("", max_length=100, description="名称中包含的文字")


def _filtered(request: HttpRequest, found: Any, filters: Filters, *text_fields: str) -> Any:
    if not may_view(request.user):
        raise PermissionDenied
    if filters.year:
        found = found.filter(year=filters.year)
    if filters.unit is not None:
        unit = Unit.objects.visible_to(request.user).filter(pk=filters.unit).first()
        if unit is None:
            raise Http404
        found = found.within(unit)
    text = filters.q.strip()
    if text:
        condition = Q()
        for name in text_fields:
            condition |= Q(**{f"{name}__icontains": text})
        found = found.filter(condition)
    return found


@router.get(
    "/competitions", response=list[CompetitionOut], url_name="culture_competition_list", summary="比赛（可见范围内）"
)
@paginate
def culture_competition_list(request: HttpRequest, filters: Query[Filters]) -> Any:
    found = queries.competitions(request.user).order_by("-year", "title", "pk")
    return _filtered(request, found, filters, "title", "next_level")


@router.get(
    "/campaigns", response=list[CampaignOut], url_name="culture_campaign_list", summary="特产推介活动（可见范围内）"
)
@paginate
def culture_campaign_list(request: HttpRequest, filters: Query[Filters]) -> Any:
    found = queries.campaigns(request.user).order_by("-year", "title", "pk")
    return _filtered(request, found, filters, "title", "products")
