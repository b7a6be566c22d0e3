"""Figures of the pass system for the report. ``passes.outings`` is read by ``outbreak``: keep the key."""

from __future__ import annotations

from django.db.models import QuerySet

from xuanchuan.org.models import Unit
from xuanchuan.passes.models import Direction, Movement, Pass, PassStatus, Verification
from xuanchuan.reports.registry import Period, figure


@figure(
    "passes.issued",
    label="签发电子通行证",
    unit="张",
    synonyms=("电子通行证", "通行证", "发放通行证"),
    date_field="decided_at",
)
def issued(period: Period, unit: Unit | None) -> QuerySet:
    """期间内批准签发的通行证（含其后被撤销的），按持证住户所在社区（村）统计。"""
    return Pass.objects.within(unit).filter(
        status__in=(PassStatus.APPROVED, PassStatus.REVOKED),
        decided_at__gte=period.start_datetime,
        decided_at__lt=period.end_datetime,
    )


@figure(
    "passes.verifications",
    label="通行证核验",
    unit="人次",
    synonyms=("核验", "卡口核验", "扫码核验"),
    date_field="checked_at",
)
def verifications(period: Period, unit: Unit | None) -> QuerySet:
    """期间内各卡口的全部核验（含未通过的），按核验员所在单位统计。"""
    return Verification.objects.within(unit).filter(
        checked_at__gte=period.start_datetime, checked_at__lt=period.end_datetime
    )


@figure(
    "passes.outings", label="凭证外出", unit="人次", synonyms=("外出", "外出人次", "出行"), date_field="occurred_at"
)
def outings(period: Period, unit: Unit | None) -> QuerySet:
    """期间内卡口记录的外出（出口方向），按住户所在社区（村）统计。"""
    return Movement.objects.within(unit).filter(
        direction=Direction.EXIT, occurred_at__gte=period.start_datetime, occurred_at__lt=period.end_datetime
    )


@figure("passes.revoked", label="撤销电子通行证", unit="张", synonyms=("撤销通行证",), date_field="revoked_at")
def revoked(period: Period, unit: Unit | None) -> QuerySet:
    """期间内撤销的通行证（含重新签发时撤销的原证）。"""
    return Pass.objects.within(unit).filter(revoked_at__gte=period.start_datetime, revoked_at__lt=period.end_datetime)
