"""Figures of the civility app's tickets part (section 三: 共下发交办单×份，……督促整改完成×条，按期整改率×%).

A ticket counts for the unit it is assigned to (``unit``) and the units above it; the district
(``unit=None``) counts all."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from xuanchuan.civility.models.cases import EventKind, Problem, ProblemStatus, Ticket, TicketEvent, TicketStatus
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, or ``None`` when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _tickets(unit: Unit | None) -> QuerySet:
    return Ticket.objects.within(unit)


def _accepted(period: Period, unit: Unit | None) -> QuerySet:
    return _tickets(unit).filter(
        status=TicketStatus.ACCEPTED, closed_at__gte=period.start_datetime, closed_at__lt=period.end_datetime
    )


@figure(
    "civility.tickets_issued",
    label="下发交办单数",
    unit="份",
    synonyms=("交办单", "下发交办单", "交办问题清单", "交办"),
    date_field="issued_at",
)
def tickets_issued(period: Period, unit: Unit | None) -> QuerySet:
    """期间内向责任单位下发的交办单（份）。"""
    return _tickets(unit).filter(issued_at__gte=period.start_datetime, issued_at__lt=period.end_datetime)


@figure(
    "civility.problems_rectified",
    label="督促整改完成问题数",
    unit="条",
    synonyms=("整改完成", "督促整改完成", "整改到位", "完成整改"),
)
def problems_rectified(period: Period, unit: Unit | None) -> Measure:
    """期间内复核通过（销号）的交办单中已整改的问题（条），计入交办单的责任单位。"""
    problems = Problem.objects.filter(
        status=ProblemStatus.RECTIFIED,
        ticket__closed_at__gte=period.start_datetime,
        ticket__closed_at__lt=period.end_datetime,
    )
    if unit is not None:
        # The responsible unit (the ticket's), not the problem's scope (the inspector's unit): a
        # Measure, so the dashboards compute it unit by unit rather than group by the problem's scope.
        problems = problems.filter(ticket__unit__path__startswith=unit.path)
    return Measure(problems.count(), problems)


@figure(
    "civility.tickets_accepted",
    label="复核销号交办单数",
    unit="份",
    synonyms=("销号", "复核通过", "验收通过"),
    date_field="closed_at",
)
def tickets_accepted(period: Period, unit: Unit | None) -> QuerySet:
    """期间内复核通过、销号的交办单（份）。"""
    return _accepted(period, unit)


@figure(
    "civility.tickets_on_time",
    label="按期整改交办单数",
    unit="份",
    synonyms=("按期整改", "按时整改", "按期完成整改"),
    date_field="closed_at",
)
def tickets_on_time(period: Period, unit: Unit | None) -> QuerySet:
    """期间内销号、且在整改期限内反馈整改情况的交办单（份）。"""
    return _accepted(period, unit).filter(on_time=True)


@figure(
    "civility.on_time_rate",
    label="按期整改率",
    unit="%",
    synonyms=("按期整改率", "按时整改率", "整改及时率"),
    parts=("civility.tickets_on_time", "civility.tickets_accepted"),
    combine=rate,
)
def on_time_rate(period: Period, unit: Unit | None) -> Measure:
    """期间内销号的交办单中按期整改的比例：按期整改份数 ÷ 销号份数 × 100%。"""
    accepted = _accepted(period, unit)
    return Measure(rate(accepted.filter(on_time=True).count(), accepted.count()), accepted)


@figure(
    "civility.tickets_reopened",
    label="复核未通过重新整改次数",
    unit="次",
    synonyms=("重新整改", "复核未通过", "退回整改"),
    date_field="at",
)
def tickets_reopened(period: Period, unit: Unit | None) -> QuerySet:
    """期间内复核未通过、退回责任单位重新整改的次数。"""
    return TicketEvent.objects.within(unit).filter(
        kind=EventKind.REOPENED, at__gte=period.start_datetime, at__lt=period.end_datetime
    )


@figure(
    "civility.tickets_escalated",
    label="逾期督办交办单数",
    unit="份",
    synonyms=("督办", "逾期督办", "超期督办", "逾期未整改"),
    date_field="escalated_at",
)
def tickets_escalated(period: Period, unit: Unit | None) -> QuerySet:
    """期间内因逾期未整改而督办的交办单（份）。"""
    return _tickets(unit).filter(escalated_at__gte=period.start_datetime, escalated_at__lt=period.end_datetime)
