"""The outlet registry's endpoints (added to ``publishing.api.router`` at ``/outlets``): the
outlets the user may see, filtered, and one outlet with its columns. Reads only through
``visible_to``; another unit's outlet is 404 like a missing one."""

from datetime import date
from typing import Any, Literal

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.org.scoping import requested_unit
from xuanchuan.publishing.models import Column, Outlet
from xuanchuan.publishing.queries import outlets as queries

router = Router()

KindParam = Literal["website", "wechat", "weibo", "douyin", "kuaishou", "toutiao", "channels", "app", "other"]
StatusParam = Literal["active", "suspended", "closed"]


class OutletFilters(Schema):
    kind: KindParam | None = Field(None, description="类型")
    status: StatusParam | None = Field(None, description="状态")
    unit: int | None = Field(None, ge=1, le=999_999_999_999_999_999, description="单位（含下级）")
    stale: bool | None = Field(None, description="是否长期未更新")
    q: str = Field("", max_length=100, description="名称、账号或单位中包含的文字")


class ColumnOut(Schema):
    id: int
    name: str
    slug: str
    is_topic: bool
    position: int
    is_active: bool
    opened_on: date
    closed_on: date | None = None


class OutletOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    account: str
    url: str
    unit_id: int
    unit_name: str
    responsible_name: str
    operator: str
    registration_no: str
    registered_on: date | None = None
    filed_on: date | None = None
    status: str
    status_label: str
    closed_on: date | None = None
    update_period_days: int
    last_published_on: date | None = None
    is_news_site: bool
    is_stale: bool
    stale_since: date | None = None

    @staticmethod
    def resolve_kind_label(obj: Outlet) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_name(obj: Outlet) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_responsible_name(obj: Outlet) -> str:
        return obj.keeper_name

    @staticmethod
    def resolve_status_label(obj: Outlet) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_stale_since(obj: Outlet) -> date | None:
        return obj.stale_since()


class OutletDetailOut(OutletOut):
    note: str
    columns: list[ColumnOut]

    @staticmethod
    def resolve_columns(obj: Outlet, context: Any) -> list[Column]:
        user = context["request"].user
        return list(Column.objects.visible_to(user).filter(outlet=obj).order_by("-is_active", "position", "name"))


@router.get("/", response=list[OutletOut], url_name="publishing_outlet_list", summary="网站和政务新媒体（可见范围内）")
@paginate
def publishing_outlet_list(request: HttpRequest, filters: Query[OutletFilters]) -> Any:
    outlets = queries.outlets_for(request.user).order_by("unit__path", "kind", "name")
    if filters.kind:
        outlets = outlets.filter(kind=filters.kind)
    if filters.status:
        outlets = outlets.filter(status=filters.status)
    if filters.unit is not None:
        outlets = outlets.within(requested_unit(request.user, str(filters.unit)))  # 404 outside the scope
    if filters.q.strip():
        text = filters.q.strip()
        outlets = outlets.filter(Q(name__icontains=text) | Q(account__icontains=text) | Q(unit__name__icontains=text))
    if filters.stale is not None:
        ids = queries.stale_ids(outlets)
        outlets = outlets.filter(pk__in=ids) if filters.stale else outlets.exclude(pk__in=ids)
    return outlets


@router.get(
    "/{int:outlet_id}", response=OutletDetailOut, url_name="publishing_outlet_detail", summary="发布平台及其栏目"
)
def publishing_outlet_detail(request: HttpRequest, outlet_id: int) -> Outlet:
    if not 0 < outlet_id < 2**63:
        raise Http404
    return get_object_or_404(queries.outlets_for(request.user), pk=outlet_id)
