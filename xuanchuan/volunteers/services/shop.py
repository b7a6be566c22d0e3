"""Writes of the points shop (积分超市) and partner merchants: merchants and their clerks, goods
with their price and stock, and redemptions (reserved by a volunteer on the phone, cancelled,
confirmed by a merchant's clerk by scanning, expired when nobody collects them).

Kept apart from ``services.points`` (earning and losing points) because the shop is its own
workflow with its own staff; both change balances only through ``services.ledger.post`` with the
account row locked. Where a service locks more than one row it always locks the account first,
then the goods, then the redemption, so two requests can never wait on each other's rows in the
opposite order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import RoleCode, Unit, UnitType, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.volunteers.models import (
    EntryKind,
    Goods,
    Merchant,
    Redemption,
    RedemptionStatus,
    Volunteer,
    VolunteerStatus,
)
from xuanchuan.volunteers.permissions import may_confirm_redemptions, may_manage_points
from xuanchuan.volunteers.services.ledger import account_for_volunteer, lock, post

MERCHANT_FIELDS = ("kind", "name", "address", "opening_hours", "active")
GOODS_FIELDS = ("name", "points", "stock", "active")
CLERK_ROLE_CODES = (RoleCode.POINTS_CLERK, RoleCode.COMMUNITY_WORKER)
MAX_QUANTITY = 20

# ---------------------------------------------------------------- merchants and goods


def eligible_clerks(by: User, unit: Unit) -> Any:
    """Who may be named a merchant's clerk: points clerks and community workers in ``by``'s scope
    and of ``unit`` or below it."""
    return (
        User.objects.visible_to(by)
        .filter(is_active=True, roles__code__in=CLERK_ROLE_CODES, unit__path__startswith=unit.path)
        .distinct()
        .order_by("username")
    )


def _set_staff(merchant: Merchant, staff: Iterable[User] | None, by: User) -> None:
    if staff is None:
        return
    staff = list(staff)
    allowed = set(
        eligible_clerks(by, merchant.unit).filter(pk__in=[user.pk for user in staff]).values_list("pk", flat=True)
    )
    if any(user.pk not in allowed for user in staff):
        raise ServiceError(_("核销人员须为本单位范围内的积分核销员或社区工作人员。"))
    merchant.staff.set(staff)


def merchant_create(*, by: User, unit: Unit, staff: Iterable[User] | None = None, **fields: Any) -> Merchant:
    """A points shop or partner merchant of ``unit``, with the accounts that confirm there."""
    require(may_manage_points(by))
    require_visible_unit(by, unit)
    data = {name: fields[name] for name in MERCHANT_FIELDS if name in fields}
    if not (data.get("name") or "").strip():
        raise ServiceError(_("请填写兑换点名称。"))
    with transaction.atomic():
        merchant = Merchant.objects.create(unit=unit, created_by=by, **data)
        _set_staff(merchant, staff, by)
    return merchant


def merchant_edit(merchant: Merchant, *, by: User, staff: Iterable[User] | None = None, **fields: Any) -> Merchant:
    """Change a merchant's details and its clerks."""
    require(may_manage_points(by))
    require_visible_unit(by, merchant.unit)
    with transaction.atomic():
        merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
        for name in MERCHANT_FIELDS:
            if name in fields:
                setattr(merchant, name, fields[name])
        merchant.save()
        _set_staff(merchant, staff, by)
    return merchant


def _check_goods(data: dict[str, Any]) -> None:
    if "points" in data and (data["points"] is None or int(data["points"]) <= 0):
        raise ServiceError(_("所需积分须大于零。"))
    if "stock" in data and (data["stock"] is None or int(data["stock"]) < 0):
        raise ServiceError(_("库存不能为负数。"))


def goods_create(*, by: User, merchant: Merchant, **fields: Any) -> Goods:
    """An item for points at ``merchant``, with its price and stock."""
    require(may_manage_points(by))
    require_visible_unit(by, merchant.unit)
    data = {name: fields[name] for name in GOODS_FIELDS if name in fields}
    _check_goods(data)
    with transaction.atomic():
        return Goods.objects.create(unit=merchant.unit, merchant=merchant, created_by=by, **data)


def goods_edit(goods: Goods, *, by: User, **fields: Any) -> Goods:
    """Change an item's name, price, stock or whether it is offered (locked: a redemption at the
    same moment takes stock under the same lock)."""
    require(may_manage_points(by))
    require_visible_unit(by, goods.unit)
    data = {name: fields[name] for name in GOODS_FIELDS if name in fields}
    _check_goods(data)
    with transaction.atomic():
        goods = Goods.objects.select_for_update().get(pk=goods.pk)
        for name, value in data.items():
            setattr(goods, name, value)
        goods.save()
    return goods


# ---------------------------------------------------------------- redemptions


def street_of(unit: Unit) -> Unit:
    """The street or town a community belongs to (the unit itself when it is no community)."""
    if unit.unit_type in (UnitType.STREET, UnitType.TOWN):
        return unit
    for ancestor in reversed(list(Unit.objects.get_ancestors(unit)) if unit.depth > 1 else []):
        if ancestor.unit_type in (UnitType.STREET, UnitType.TOWN):
            return ancestor
    return unit


def reserve_redemption(goods: Goods, *, volunteer: Volunteer, quantity: int = 1) -> Redemption:
    """The volunteer exchanges points for ``quantity`` of ``goods``: the points are taken and the
    stock held at once (account row locked first, then the goods row), and the merchant confirms
    within ``VOLUNTEERS_REDEMPTION_HOLD_HOURS``."""
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ServiceError(_("该志愿者已注销。"))
    if not 1 <= int(quantity) <= MAX_QUANTITY:
        raise ServiceError(_("兑换数量须在1到%(max)d之间。") % {"max": MAX_QUANTITY})
    quantity = int(quantity)
    account = account_for_volunteer(volunteer)
    with transaction.atomic():
        account = lock(account)
        goods = Goods.objects.select_for_update().select_related("merchant").get(pk=goods.pk)
        street = street_of(volunteer.unit)
        if not (goods.active and goods.merchant.active and goods.unit.path.startswith(street.path)):
            raise ServiceError(_("该物品已下架或不在本街道的兑换点。"))
        if goods.stock < quantity:
            raise ServiceError(_("库存不足。"))
        cost = goods.points * quantity
        if account.balance < cost:
            raise ServiceError(_("积分不足"))
        now = timezone.now()
        redemption = Redemption.objects.create(
            unit=goods.unit,
            account=account,
            goods=goods,
            quantity=quantity,
            points=cost,
            expires_at=now + datetime.timedelta(hours=settings.VOLUNTEERS_REDEMPTION_HOLD_HOURS),
        )
        reason = _("兑换“%(goods)s”×%(quantity)d（%(merchant)s）") % {
            "goods": goods.name,
            "quantity": quantity,
            "merchant": goods.merchant.name,
        }
        post(account, kind=EntryKind.REDEMPTION, amount=-cost, by=None, reason=reason, at=now, redemption=redemption)
        goods.stock -= quantity
        goods.save(update_fields=["stock", "updated_at"])
    return redemption


def _give_back(redemption: Redemption, status: str, reason: str, by: Any) -> Redemption:
    """Inside the caller's transaction: account, goods, then the redemption row locked; a reserved
    redemption becomes ``status`` with its points and stock returned."""
    account = lock(redemption.account)
    goods = Goods.objects.select_for_update().get(pk=redemption.goods_id)
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.status != RedemptionStatus.RESERVED:
        raise ServiceError(_("只能取消待核销的兑换。"))
    redemption.status = status
    redemption.save(update_fields=["status", "updated_at"])
    post(account, kind=EntryKind.REFUND, amount=redemption.points, by=by, reason=reason, redemption=redemption)
    goods.stock += redemption.quantity
    goods.save(update_fields=["stock", "updated_at"])
    return redemption


def cancel_redemption(redemption: Redemption, *, volunteer: Volunteer) -> Redemption:
    """The volunteer cancels their reserved redemption: the points and the stock come back."""
    if redemption.account.volunteer_id != volunteer.pk:
        raise ServiceError(_("只能取消本人的兑换。"))
    with transaction.atomic():
        reason = _("取消兑换“%(goods)s”") % {"goods": redemption.goods.name}
        return _give_back(redemption, RedemptionStatus.CANCELLED, reason, None)


def may_confirm_at(user: User, merchant: Merchant) -> bool:
    """A clerk of the merchant, or an administrator or community worker whose scope covers it."""
    if not may_confirm_redemptions(user):
        return False
    if merchant.staff.filter(pk=user.pk).exists():
        return True
    if user.has_role(RoleCode.DEPARTMENT_ADMIN, RoleCode.COMMUNITY_WORKER):
        return Merchant.objects.visible_to(user).filter(pk=merchant.pk).exists()
    return False


def confirm_redemption(redemption: Redemption, *, by: User) -> Redemption:
    """The merchant hands over the goods: a reserved, unexpired redemption becomes confirmed."""
    require(may_confirm_at(by, redemption.goods.merchant), _("您不是该兑换点的核销人员。"))
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
        if redemption.status != RedemptionStatus.RESERVED:
            raise ServiceError(
                _("该兑换已是“%(status)s”状态，不能核销。") % {"status": redemption.get_status_display()}
            )
        now = timezone.now()
        if redemption.expires_at <= now:
            raise ServiceError(_("该兑换已过核销截止时间。"))
        redemption.status = RedemptionStatus.CONFIRMED
        redemption.confirmed_at, redemption.confirmed_by = now, by
        redemption.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    return redemption


def expire_redemptions(now: datetime.datetime | None = None) -> int:
    """Reserved redemptions past their deadline become expired, their points and stock returned.
    Returns how many."""
    now = now or timezone.now()
    due = list(
        Redemption.objects.filter(status=RedemptionStatus.RESERVED, expires_at__lte=now)  # scoping: allowed — a task.
        .select_related("account", "goods")
        .order_by("pk")
    )
    done = 0
    for redemption in due:
        try:
            with transaction.atomic():
                reason = _("兑换“%(goods)s”逾期未核销，积分退回") % {"goods": redemption.goods.name}
                _give_back(redemption, RedemptionStatus.EXPIRED, reason, None)
                done += 1
        except ServiceError:
            continue  # confirmed or cancelled meanwhile
    return done
