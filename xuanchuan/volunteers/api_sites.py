"""The sites part of the volunteers API (``/api/volunteers/sites/``): practice sites, brands and
teams the user sees, and a team with its number of members. Staff only (the project's API auth),
read only through ``visible_to``; no personal data (a team's members are counted, not listed);
another unit's team is 404 like a missing one."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.volunteers.api_filters import narrow, search
from xuanchuan.volunteers.models import Brand, PracticeSite, SiteLevel, Team
from xuanchuan.volunteers.permissions import may_view
from xuanchuan.volunteers.queries import sites as queries

router = Router()
MAX_ID = 999_999_999_999_999_999


class SiteOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    unit_id: int
    unit_name: str
    address: str
    opening_hours: str
    phone: str
    show_ranking: bool
    active: bool

    @staticmethod
    def resolve_level_label(obj: PracticeSite) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class BrandOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    description: str
    active: bool

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name


class TeamOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str
    brand_id: int | None = None
    brand_name: str = ""
    site_id: int | None = None
    site_name: str = ""
    founded_on: date
    dissolved_on: date | None = None
    member_count: int

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_brand_name(obj: Team) -> str:
        return obj.brand.name if obj.brand_id else ""

    @staticmethod
    def resolve_site_name(obj: Team) -> str:
        return obj.site.name if obj.site_id else ""


class TeamDetailOut(TeamOut):
    description: str
    dissolved_reason: str
    has_leader: bool

    @staticmethod
    def resolve_has_leader(obj: Team) -> bool:
        return bool(obj.leader_count)


class SiteFilters(Schema):
    level: SiteLevel | None = Field(None, description="层级")
    active: bool | None = Field(None, description="是否启用")
    q: str = Field("", max_length=100, description="名称或地址中包含的文字")


class BrandFilters(Schema):
    active: bool | None = Field(None, description="是否启用")
    q: str = Field("", max_length=60, description="名称中包含的文字")


class TeamFilters(Schema):
    brand: int | None = Field(None, ge=1, le=MAX_ID, description="品牌")
    site: int | None = Field(None, ge=1, le=MAX_ID, description="依托阵地")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="所属单位（含下级）")
    dissolved: bool | None = Field(None, description="是否已撤销")
    q: str = Field("", max_length=100, description="名称中包含的文字")


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


@router.get("/", response=list[SiteOut], url_name="volunteers_site_list", summary="文明实践阵地（可见范围内）")
@paginate
def volunteers_site_list(request: HttpRequest, filters: Query[SiteFilters]) -> Any:
    _require_view(request)
    found = queries.sites(request.user).order_by("unit__path")
    found = narrow(found, level=filters.level, active=filters.active)
    found = search(found, filters.q, "name", "address")
    return found


@router.get("/brands", response=list[BrandOut], url_name="volunteers_brand_list", summary="文明实践品牌（可见范围内）")
@paginate
def volunteers_brand_list(request: HttpRequest, filters: Query[BrandFilters]) -> Any:
    _require_view(request)
    found = Brand.objects.visible_to(request.user).select_related("unit").order_by("unit__path", "name")
    found = narrow(found, active=filters.active)
    found = search(found, filters.q, "name")
    return found


@router.get("/teams", response=list[TeamOut], url_name="volunteers_team_list", summary="志愿服务队伍（可见范围内）")
@paginate
def volunteers_team_list(request: HttpRequest, filters: Query[TeamFilters]) -> Any:
    _require_view(request)
    found = queries.teams(request.user).order_by("unit__path", "name")
    found = narrow(found, brand_id=filters.brand, site_id=filters.site)
    if filters.unit is not None:
        from xuanchuan.org.models import Unit

        unit = Unit.objects.visible_to(request.user).filter(pk=filters.unit).first()
        if unit is None:
            raise Http404
        found = found.within(unit)
    if filters.dissolved is not None:
        found = found.filter(dissolved_on__isnull=not filters.dissolved)
    found = search(found, filters.q, "name")
    return found


@router.get(
    "/teams/{int:team_id}", response=TeamDetailOut, url_name="volunteers_team_detail", summary="志愿服务队伍及在队人数"
)
def volunteers_team_detail(request: HttpRequest, team_id: int) -> Team:
    _require_view(request)
    if not 0 < team_id < 2**63:
        raise Http404
    found = queries.teams(request.user).annotate(
        leader_count=Count("memberships", filter=Q(memberships__left_on__isnull=True, memberships__role="leader"))
    )
    return get_object_or_404(found, pk=team_id)
