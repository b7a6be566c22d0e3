"""Figures of the civility app's standards part (see ``metrics.py``): the units that took
responsibility for places (包街、包帮) in a period, and the places under responsibility, as
section 三 words them: “全区×个机关单位认真落实“包帮”“包街”工作责任制”.

A responsibility counts for a period when it was in force on at least one of its days. A unit's
report counts the responsibilities of that unit and the units below it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xuanchuan.civility.models import Assignment, Place
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure


def _in_force_during(period: Period, unit: Unit | None) -> QuerySet:
    overlapping = Q(starts_on__lte=period.end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
    return Assignment.objects.within(unit).filter(overlapping)


@figure(
    "civility.responsible_units",
    label="落实包街包帮责任的单位数",
    unit="个",
    synonyms=(
        "包帮",
        "包街",
        "包街包帮",
        "包帮包街",
        "包帮”“包街",
        "工作责任制",
        "责任制",
        "落实包帮包街",
        # The reference's own words, so that its blank binds here rather than to org.agency_units
        # (which counts all 机关单位, not those with a responsibility).
        "机关单位认真落实",
    ),
    description="期间内至少有一天负有包街、包帮或包点责任的单位（含下级单位）。",
)
def responsible_units(period: Period, unit: Unit | None) -> QuerySet:
    """期间内至少有一天负有包街、包帮或包点责任的单位。"""
    return Unit.objects.filter(pk__in=_in_force_during(period, unit).values("unit_id"))


@figure(
    "civility.places_covered",
    label="落实责任单位的点位数",
    unit="个",
    synonyms=("覆盖点位", "责任点位", "包保点位", "点位", "包街点位", "背街小巷"),
    description="期间内至少有一天有责任单位的点位（单位报告计其本单位及下级单位负责的点位）。",
)
def places_covered(period: Period, unit: Unit | None) -> Measure:
    """期间内至少有一天有责任单位的点位。A unit counts the places it answers for (not the places it
    keeps on the list): a Measure, so the dashboards do not group it by the places' own unit."""
    places = Place.objects.filter(pk__in=_in_force_during(period, unit).values("place_id"))
    return Measure(places.count(), places)
