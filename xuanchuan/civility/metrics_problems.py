"""Figures of the civility app's problems part (section 三: 梳理问题×条; citizens' reports).

A problem counts for the unit handling it (the inspector's unit, the unit receiving an Open311
client's reports) and for the unit whose area it lies in, and the units above them; the district
(``unit=None``) counts all. Because a unit's count is this either-or, these figures are Measures
with no ``date_field``: a count grouped by the owning unit alone would miss the area's share.
Duplicates merged into another report, citizens' reports found
unfounded and those not yet verified are not problems found."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xuanchuan.civility.models.cases import Problem, ProblemSource, ProblemStatus
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure

NOT_FOUND = (ProblemStatus.UNVERIFIED, ProblemStatus.REJECTED, ProblemStatus.MERGED)


def _problems(period: Period, unit: Unit | None) -> QuerySet:
    rows = Problem.objects.filter(found_at__gte=period.start_datetime, found_at__lt=period.end_datetime)
    if unit is not None:
        rows = rows.filter(Q(unit__path__startswith=unit.path) | Q(area__path__startswith=unit.path))
    return rows


def _measure(rows: QuerySet) -> Measure:
    """A count with its records, as a Measure: a unit's share is either-or (handling unit or area),
    so the dashboards compute it unit by unit instead of grouping by the owning unit alone."""
    return Measure(rows.count(), rows)


@figure(
    "civility.problems_found",
    label="梳理发现问题数",
    unit="条",
    synonyms=("梳理问题", "发现问题", "排查问题", "督查发现问题", "问题"),
)
def problems_found(period: Period, unit: Unit | None) -> Measure:
    """期间内督查发现并确认的问题（条）：督查员记录的问题和核实属实的群众反映，不含合并的重复反映、不属实和待核实的。"""
    return _measure(_problems(period, unit).exclude(status__in=NOT_FOUND))


@figure(
    "civility.citizen_reports",
    label="群众反映问题数",
    unit="条",
    synonyms=("群众反映", "市民反映", "群众举报", "市民随手拍", "随手拍"),
)
def citizen_reports(period: Period, unit: Unit | None) -> Measure:
    """期间内群众经 Open311 客户端（随手拍、热线等）反映的问题（条），含待核实和不属实的。"""
    return _measure(_problems(period, unit).filter(source=ProblemSource.OPEN311))
