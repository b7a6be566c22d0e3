"""Figures of the organisation for the report (e.g. 全区×个机关单位)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xuanchuan.org.models import AGENCY_TYPES, GRASSROOTS_TYPES, SUBDISTRICT_TYPES, Unit, User
from xuanchuan.reports.registry import Period, figure


def _units_at_end(period: Period, unit: Unit | None, types: tuple[str, ...]) -> QuerySet:
    return Unit.objects.within(unit).active_on(period.end).filter(unit_type__in=types)


@figure(
    "org.agency_units",
    label="机关单位数",
    unit="个",
    synonyms=("机关单位", "部门单位", "区直部门", "各部门单位"),
)
def agency_units(period: Period, unit: Unit | None) -> QuerySet:
    """区委部门和政府部门中，在期末仍存续的单位。"""
    return _units_at_end(period, unit, AGENCY_TYPES)


@figure("org.subdistricts", label="街道（乡镇）数", unit="个", synonyms=("街道", "乡镇", "镇街"))
def subdistricts(period: Period, unit: Unit | None) -> QuerySet:
    """期末存续的街道和乡镇。"""
    return _units_at_end(period, unit, SUBDISTRICT_TYPES)


@figure("org.grassroots_units", label="社区（村）数", unit="个", synonyms=("社区", "村", "村（社区）"))
def grassroots_units(period: Period, unit: Unit | None) -> QuerySet:
    """期末存续的社区和村。"""
    return _units_at_end(period, unit, GRASSROOTS_TYPES)


@figure("org.platform_users", label="平台用户数", unit="人", synonyms=("用户", "工作人员", "账号"))
def platform_users(period: Period, unit: Unit | None) -> QuerySet:
    """期末前开通、且在期末仍在用（未停用或停用晚于期末）的账号。"""
    users = User.objects.within(unit).filter(date_joined__lt=period.end_datetime)
    return users.filter(Q(deactivated_at__isnull=True) | Q(deactivated_at__gte=period.end_datetime))
