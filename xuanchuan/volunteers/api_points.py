"""The points part of the volunteers API (``/api/volunteers/points/``): points accounts in the
user's scope with their balances, one account's entries, the rules and the redemptions. Read only
(every change is made on the pages, through the services); names are masked."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.volunteers.api_filters import narrow, search
from xuanchuan.volunteers.models import (
    EntryKind,
    PointEntry,
    PointRule,
    PointsAccount,
    Redemption,
    RedemptionStatus,
    RuleKind,
)
from xuanchuan.volunteers.permissions import may_view
from xuanchuan.volunteers.queries.points import owner_label

router = Router()


class AccountOut(Schema):
    id: int
    unit_id: int
    unit: str
    owner: str
    household: bool
    balance: int

    @staticmethod
    def resolve_unit(obj: PointsAccount) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_owner(obj: PointsAccount) -> str:
        return owner_label(obj)

    @staticmethod
    def resolve_household(obj: PointsAccount) -> bool:
        return obj.household_id is not None


class EntryOut(Schema):
    id: int
    kind: EntryKind
    amount: int
    balance_after: int
    expires_on: date | None = None
    reason: str
    at: datetime


class RuleOut(Schema):
    id: int
    kind: RuleKind
    name: str
    points: int
    evidence: str
    yearly_cap: int
    for_households: bool
    active: bool
    unit_id: int


class RedemptionOut(Schema):
    id: int
    goods: str
    merchant: str
    quantity: int
    points: int
    status: RedemptionStatus
    created_at: datetime
    expires_at: datetime
    confirmed_at: datetime | None = None

    @staticmethod
    def resolve_goods(obj: Redemption) -> str:
        return obj.goods.name

    @staticmethod
    def resolve_merchant(obj: Redemption) -> str:
        return obj.goods.merchant.name


class AccountFilters(Schema):
    household: bool | None = None
    min_balance: int | None = Field(None, ge=0, le=10**9)


class RuleFilters(Schema):
    kind: RuleKind | None = None
    active: bool | None = None
    q: str = Field("", max_length=100)


class RedemptionFilters(Schema):
    status: RedemptionStatus | None = None


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看志愿服务积分的权限。")


@router.get("/accounts", response=list[AccountOut], url_name="volunteers_points_account_list", summary="积分账户")
@paginate
def points_account_list(request: HttpRequest, filters: Query[AccountFilters]) -> Any:
    _require_view(request)
    rows = (
        PointsAccount.objects.visible_to(request.user)
        .select_related("unit", "volunteer", "household")
        .order_by("unit__path", "pk")
    )
    if filters.household is not None:
        rows = rows.filter(household__isnull=not filters.household)
    rows = narrow(rows, balance__gte=filters.min_balance)
    return rows


@router.get(
    "/accounts/{int:account_id}/entries",
    response=list[EntryOut],
    url_name="volunteers_points_entry_list",
    summary="一个积分账户的明细",
)
@paginate
def points_entry_list(request: HttpRequest, account_id: int) -> Any:
    _require_view(request)
    if not 0 < account_id < 2**63:
        raise Http404
    account = get_object_or_404(PointsAccount.objects.visible_to(request.user), pk=account_id)
    return PointEntry.objects.visible_to(request.user).filter(account=account).order_by("-pk")


@router.get("/rules", response=list[RuleOut], url_name="volunteers_points_rule_list", summary="积分规则")
@paginate
def points_rule_list(request: HttpRequest, filters: Query[RuleFilters]) -> Any:
    _require_view(request)
    rows = PointRule.objects.visible_to(request.user).order_by("kind", "name", "pk")
    rows = narrow(rows, kind=filters.kind, active=filters.active)
    rows = search(rows, filters.q, "name")
    return rows


@router.get(
    "/redemptions", response=list[RedemptionOut], url_name="volunteers_points_redemption_list", summary="积分兑换"
)
@paginate
def points_redemption_list(request: HttpRequest, filters: Query[RedemptionFilters]) -> Any:
    _require_view(request)
    rows = Redemption.objects.visible_to(request.user).select_related("goods__merchant").order_by("-pk")
    rows = narrow(rows, status=filters.status)
    return rows
