"""The outlet registry (谁开办谁主管): register, change and close outlets and their columns, and
move an outlet's date of last update forward when something is published on it.

Unit reporters keep their own unit's outlets (and those of the units below it), the department
keeps all of them (``may_manage_outlets`` and the acting user's scope). Only a department
administrator says which outlet is the district news site the platform serves, and there is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import RoleCode, Unit, User
from xuanchuan.publishing.models import Column, Outlet, OutletKind, OutletStatus
from xuanchuan.publishing.permissions import may_manage_outlets

# What a form may set on an outlet; status ``closed`` only through ``close_outlet``.
OUTLET_FIELDS = (
    "unit",
    "name",
    "kind",
    "account",
    "url",
    "responsible",
    "responsible_name",
    "operator",
    "registration_no",
    "registered_on",
    "filed_on",
    "status",
    "update_period_days",
    "is_news_site",
    "note",
)
COLUMN_FIELDS = ("name", "slug", "is_topic", "description", "position", "opened_on")
MAX_PERIOD_DAYS = 365


def may_set_news_site(user: Any) -> bool:
    """Only department administrators say which outlet is the district news site."""
    return may_manage_outlets(user) and user.has_role(RoleCode.DEPARTMENT_ADMIN)


def _require_scope(user: User, unit: Unit) -> None:
    """The acting user's scope must cover ``unit`` (the same rule as every page)."""
    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))


def _not_future(day: date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ServiceError(_("%(label)s不能晚于今天。") % {"label": label})


# --- Outlets ---------------------------------------------------------------------------------------


def _clean_outlet(fields: dict[str, Any], *, by: User, current: Outlet | None) -> dict[str, Any]:
    unknown = set(fields) - set(OUTLET_FIELDS)
    if unknown:
        raise TypeError(f"unknown outlet fields: {sorted(unknown)}")
    data = {name: getattr(current, name) for name in OUTLET_FIELDS} if current else {}
    data.update(fields)
    unit = data.get("unit")
    if unit is None:
        raise ServiceError(_("请选择主管（主办）单位。"))
    _require_scope(by, unit)
    for name in ("name", "account", "responsible_name", "operator", "registration_no", "note"):
        data[name] = (data.get(name) or "").strip()
    data["url"] = (data.get("url") or "").strip()
    if not data["name"]:
        raise ServiceError(_("请填写平台名称。"))
    if data.get("kind") not in OutletKind.values:
        raise ServiceError(_("请选择平台类型。"))
    data["status"] = data.get("status") or OutletStatus.ACTIVE
    if data["status"] == OutletStatus.CLOSED and (current is None or current.status != OutletStatus.CLOSED):
        raise ServiceError(_("关停平台请使用“关停”操作。"))
    if data["status"] not in OutletStatus.values:
        raise ServiceError(_("平台状态不正确。"))
    period = data.get("update_period_days")
    period = 14 if period is None else period
    if not 1 <= int(period) <= MAX_PERIOD_DAYS:
        raise ServiceError(_("更新周期应在 1 至 %(max)s 天之间。") % {"max": MAX_PERIOD_DAYS})
    data["update_period_days"] = int(period)
    _not_future(data.get("registered_on"), _("开设日期"))
    _not_future(data.get("filed_on"), _("备案日期"))
    responsible = data.get("responsible")
    if responsible is not None and not User.objects.visible_to(by).filter(pk=responsible.pk).exists():
        raise PermissionDenied(_("负责人不在您的管辖范围内。"))
    if responsible is not None and not data["responsible_name"]:
        data["responsible_name"] = responsible.get_full_name()
    data["is_news_site"] = bool(data.get("is_news_site"))
    was_news_site = bool(current and current.is_news_site)
    if data["is_news_site"] != was_news_site:
        require(may_set_news_site(by), _("只有部管理员可以指定或取消本平台托管的新闻网站。"))
    if data["is_news_site"]:
        if data["kind"] != OutletKind.WEBSITE:
            raise ServiceError(_("新闻网站的类型应为“网站”。"))
        other = Outlet.objects.filter(is_news_site=True).exclude(pk=getattr(current, "pk", None)).first()
        if other is not None:
            raise ServiceError(
                _("“%(name)s”已是本平台托管的新闻网站，只能有一个；请先取消它的标记。") % {"name": other.name}
            )
    duplicate = Outlet.objects.filter(kind=data["kind"], name=data["name"]).exclude(pk=getattr(current, "pk", None))
    if duplicate.exists():
        raise ServiceError(
            _("已登记同名的%(kind)s“%(name)s”。") % {"kind": OutletKind(data["kind"]).label, "name": data["name"]}
        )
    return data


def _save(instance: Outlet | Column, message: str) -> None:
    """Save in a savepoint: a rival's insert of the same name at the same moment is refused with ``message``."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ServiceError(message) from None


def create_outlet(*, by: User, **fields: Any) -> Outlet:
    """Register a website or new-media account of a unit in the acting user's scope."""
    require(may_manage_outlets(by))
    data = _clean_outlet(fields, by=by, current=None)
    with transaction.atomic():
        outlet = Outlet(created_by=by, **data)
        _save(outlet, _("同名平台或新闻网站已被他人登记，请刷新后重试。"))
    return outlet


def update_outlet(outlet: Outlet, *, by: User, **fields: Any) -> Outlet:
    """Change an outlet's details; moving it to another unit moves its columns with it."""
    require(may_manage_outlets(by))
    _require_scope(by, outlet.unit)
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().get(pk=outlet.pk)
        if outlet.status == OutletStatus.CLOSED:
            raise ServiceError(_("已关停的平台不能修改。"))
        data = _clean_outlet(fields, by=by, current=outlet)
        for name, value in data.items():
            setattr(outlet, name, value)
        _save(outlet, _("同名平台或新闻网站已被他人登记，请刷新后重试。"))
        Column.objects.filter(outlet=outlet).exclude(unit=outlet.unit).update(unit=outlet.unit)
    return outlet


def close_outlet(outlet: Outlet, *, by: User, closed_on: date | None = None, reason: str = "") -> Outlet:
    """关停: the outlet stops (status closed, from ``closed_on``), and so do its open columns."""
    require(may_manage_outlets(by))
    _require_scope(by, outlet.unit)
    day = closed_on or timezone.localdate()
    _not_future(day, _("关停日期"))
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().get(pk=outlet.pk)
        if outlet.status == OutletStatus.CLOSED:
            raise ServiceError(_("该平台已经关停。"))
        if outlet.is_news_site:
            raise ServiceError(_("本平台托管的新闻网站不能关停；请部管理员先取消其新闻网站标记。"))
        if outlet.registered_on and day < outlet.registered_on:
            raise ServiceError(_("关停日期不能早于开设日期。"))
        outlet.status, outlet.closed_on = OutletStatus.CLOSED, day
        reason = reason.strip()
        if reason:
            line = _("%(day)s 关停：%(reason)s") % {"day": day.isoformat(), "reason": reason}
            outlet.note = f"{outlet.note}\n{line}".strip()
        outlet.save(update_fields=["status", "closed_on", "note", "updated_at"])
        open_columns = Column.objects.filter(outlet=outlet, is_active=True)
        # A column opened after the closing day closes the day it opened (never before it).
        open_columns.filter(opened_on__gt=day).update(is_active=False, closed_on=F("opened_on"))
        open_columns.update(is_active=False, closed_on=day)
    return outlet


def note_published(outlet_ids: Iterable[int], day: date) -> int:
    """Something was published on these outlets on ``day``: their date of last update moves
    forward to it, never backwards (one UPDATE, so two publications at once cannot undo each
    other). No ``by=``: the side effect of publishing (review, external posts). Returns how many moved."""
    ids = [int(pk) for pk in outlet_ids]
    if not ids:
        return 0
    behind = Q(last_published_on__isnull=True) | Q(last_published_on__lt=day)
    return Outlet.objects.filter(pk__in=ids).filter(behind).update(last_published_on=day, updated_at=timezone.now())


# --- Columns ---------------------------------------------------------------------------------------


def column_slug(name: str) -> str:
    """An ASCII address for a column from its (Chinese) name: 要闻动态 → yao-wen-dong-tai."""
    text = slugify(" ".join(lazy_pinyin(name)))
    return text[:60].strip("-") or "column"


def _clean_column(fields: dict[str, Any], *, outlet: Outlet, current: Column | None) -> dict[str, Any]:
    unknown = set(fields) - set(COLUMN_FIELDS)
    if unknown:
        raise TypeError(f"unknown column fields: {sorted(unknown)}")
    data = {name: getattr(current, name) for name in COLUMN_FIELDS} if current else {}
    data.update(fields)
    data["name"] = (data.get("name") or "").strip()
    data["description"] = (data.get("description") or "").strip()
    if not data["name"]:
        raise ServiceError(_("请填写栏目名称。"))
    slug = (data.get("slug") or "").strip()
    if slug and slugify(slug) != slug:
        raise ServiceError(_("网址名只能用小写字母、数字和连字符。"))
    if not slug:
        base = slug = column_slug(data["name"])
        others = Column.objects.filter(outlet=outlet).exclude(pk=getattr(current, "pk", None))
        number = 2
        while others.filter(slug=slug).exists():
            slug = f"{base[:55]}-{number}"
            number += 1
    data["slug"] = slug
    position = data.get("position")
    data["position"] = 100 if position is None else int(position)
    if not 0 <= data["position"] <= 9999:
        raise ServiceError(_("排序应在 0 至 9999 之间。"))
    data["opened_on"] = data.get("opened_on") or timezone.localdate()
    _not_future(data["opened_on"], _("开设日期"))
    if current is not None and current.closed_on and data["opened_on"] > current.closed_on:
        raise ServiceError(_("开设日期不能晚于关闭日期。"))
    data["is_topic"] = bool(data.get("is_topic"))
    others = Column.objects.filter(outlet=outlet).exclude(pk=getattr(current, "pk", None))
    if others.filter(name=data["name"]).exists():
        raise ServiceError(_("该平台已有栏目“%(name)s”。") % {"name": data["name"]})
    if others.filter(slug=data["slug"]).exists():
        raise ServiceError(_("该平台已有网址名为“%(slug)s”的栏目。") % {"slug": data["slug"]})
    return data


def create_column(outlet: Outlet, *, by: User, **fields: Any) -> Column:
    """Open a column (栏目) or topic column (专题专栏) on an open outlet."""
    require(may_manage_outlets(by))
    _require_scope(by, outlet.unit)
    with transaction.atomic():
        outlet = Outlet.objects.select_for_update().get(pk=outlet.pk)
        if outlet.status == OutletStatus.CLOSED:
            raise ServiceError(_("已关停的平台不能开设栏目。"))
        data = _clean_column(fields, outlet=outlet, current=None)
        column = Column(outlet=outlet, unit=outlet.unit, created_by=by, **data)
        _save(column, _("同名栏目已被他人开设，请刷新后重试。"))
    return column


def update_column(column: Column, *, by: User, **fields: Any) -> Column:
    """Change a column's name, address, description, order or opening day."""
    require(may_manage_outlets(by))
    _require_scope(by, column.unit)
    with transaction.atomic():
        column = Column.objects.select_for_update().select_related("outlet").get(pk=column.pk)
        data = _clean_column(fields, outlet=column.outlet, current=column)
        for name, value in data.items():
            setattr(column, name, value)
        _save(column, _("同名栏目已被他人开设，请刷新后重试。"))
    return column


def move_column(column: Column, *, by: User, up: bool) -> Column:
    """Move an open column one place up or down among the outlet's open columns of its kind
    (columns or topic columns); the group is renumbered 10, 20, 30 … in its new order."""
    require(may_manage_outlets(by))
    _require_scope(by, column.unit)
    with transaction.atomic():
        Outlet.objects.select_for_update().get(pk=column.outlet_id)  # one reordering of an outlet at a time
        column = Column.objects.get(pk=column.pk)
        if not column.is_active:
            raise ServiceError(_("已关闭的栏目不能调整顺序。"))
        group = list(
            Column.objects.filter(outlet_id=column.outlet_id, is_topic=column.is_topic, is_active=True).order_by(
                "position", "name"
            )
        )
        index = next(number for number, item in enumerate(group) if item.pk == column.pk)
        target = index - 1 if up else index + 1
        if not 0 <= target < len(group):
            raise ServiceError(_("已经排在最前面了。") if up else _("已经排在最后面了。"))
        group[index], group[target] = group[target], group[index]
        for number, item in enumerate(group, 1):
            if item.position != number * 10:
                item.position = number * 10
                item.save(update_fields=["position", "updated_at"])
        return next(item for item in group if item.pk == column.pk)


def close_column(column: Column, *, by: User, closed_on: date | None = None) -> Column:
    """Close a column from ``closed_on`` (today by default); its past items stay where they are."""
    require(may_manage_outlets(by))
    _require_scope(by, column.unit)
    day = closed_on or timezone.localdate()
    _not_future(day, _("关闭日期"))
    with transaction.atomic():
        column = Column.objects.select_for_update().get(pk=column.pk)
        if not column.is_active:
            raise ServiceError(_("该栏目已经关闭。"))
        if day < column.opened_on:
            raise ServiceError(_("关闭日期不能早于开设日期。"))
        column.is_active, column.closed_on = False, day
        column.save(update_fields=["is_active", "closed_on", "updated_at"])
    return column
