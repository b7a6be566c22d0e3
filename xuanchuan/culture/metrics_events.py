"""Figures of the culture app's events part (section 五 of the report: 开展“欢乐中国年”等系列活动×场次，
送文化下乡×场次，百姓文化大舞台×场次，研学活动×场次，阅读推广活动×场次，惠及群众×人次).

Every figure counts held events only (planned and cancelled ones do not), placed in a period by
their start, of the report's unit and the units below it (``within(unit)``; the district,
``unit=None``, counts all), by the unit that organised the event. ``culture.series_events`` takes
the name of a series as its parameter: the events of every series of that name (a district series
of a year and a street's series of the same name both count), so a template written once serves
every year in which the series is held again.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from xuanchuan.culture.models import Event, EventKind, EventStatus, Series
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Choice, Measure, Parameter, Period, figure


def _held(period: Period, unit: Unit | None) -> QuerySet:
    return Event.objects.within(unit).filter(period.q_instant("starts_at"), status=EventStatus.HELD)


def series_choices(unit: Unit | None) -> list[Choice]:
    """The distinct names of the series a report of ``unit`` may speak of: those of its units
    above it, of itself and of the units below it (every series for the district), the most
    recent year first."""
    # scoping: allowed — a report's choices for its unit, not a page of a user.
    rows = Series.objects.all()
    if unit is not None:
        above = [unit.path[:end] for end in range(Unit.steplen, len(unit.path), Unit.steplen)]
        rows = rows.filter(Q(unit__path__startswith=unit.path) | Q(unit__path__in=above))
    seen: dict[str, None] = {}
    for name in rows.order_by("-year", "name").values_list("name", flat=True):
        seen.setdefault(name, None)
    return [Choice(value=name, label=name) for name in seen]


@figure(
    "culture.events",
    label="文化活动",
    unit="场次",
    synonyms=("文化惠民活动", "文化活动", "惠民演出"),
    description="期间内已举办的文化活动（各类型、含系列活动），不含已安排未举办和已取消的；按主办单位计。",
    date_field="starts_at",
)
def events(period: Period, unit: Unit | None) -> QuerySet:
    """期间内举办的文化活动（场次）。"""
    return _held(period, unit)


@figure(
    "culture.series",
    label="系列活动",
    unit="个",
    synonyms=("系列活动", "专项活动"),
    description="期间内至少举办了一场活动的系列活动（专项活动）个数；按活动的主办单位计。",
)
def series(period: Period, unit: Unit | None) -> Measure:
    """期间内有已举办活动的系列活动（个）。

    A ``Measure``, computed unit by unit: a district series counts for every street that held one
    of its events, so a unit's series are not the series owned in its subtree."""
    held = _held(period, unit).filter(series__isnull=False).values("series_id")
    # scoping: allowed — a figure: the series of the held events counted above.
    rows = Series.objects.filter(pk__in=held)
    return Measure(rows.count(), rows)


@figure(
    "culture.series_events",
    label="系列活动场次",
    unit="场次",
    synonyms=("系列活动", "迎新春等系列活动"),
    description="期间内已举办的、属于所选名称的系列活动的文化活动场次（同名的区级和街道系列都计入）。",
    date_field="starts_at",
    parameter=Parameter(label="系列活动", choices=series_choices),
)
def series_events(period: Period, unit: Unit | None, name: str) -> QuerySet:
    """期间内举办的某一系列活动的场次。"""
    return _held(period, unit).filter(series__name=name)


@figure(
    "culture.countryside_events",
    label="送文化下乡",
    unit="场次",
    synonyms=("送文化下乡", "文化下乡", "文艺轻骑兵", "送戏下乡"),
    description="期间内已举办的送文化下乡活动（类型为“送文化下乡”）。",
    date_field="starts_at",
)
def countryside_events(period: Period, unit: Unit | None) -> QuerySet:
    """期间内送文化下乡（场次）。"""
    return _held(period, unit).filter(kind=EventKind.COUNTRYSIDE)


@figure(
    "culture.stage_events",
    label="百姓文化大舞台",
    unit="场次",
    synonyms=("百姓文化大舞台", "文化大舞台"),
    description="期间内已举办的百姓文化大舞台活动（类型为“百姓文化大舞台”）。",
    date_field="starts_at",
)
def stage_events(period: Period, unit: Unit | None) -> QuerySet:
    """期间内百姓文化大舞台（场次）。"""
    return _held(period, unit).filter(kind=EventKind.STAGE)


@figure(
    "culture.study_trips",
    label="研学活动",
    unit="场次",
    synonyms=("研学", "研学活动", "研学游"),
    description="期间内已举办的研学活动（类型为“研学活动”，如在图书馆、博物馆开展的研学）。",
    date_field="starts_at",
)
def study_trips(period: Period, unit: Unit | None) -> QuerySet:
    """期间内研学活动（场次）。"""
    return _held(period, unit).filter(kind=EventKind.STUDY_TRIP)


@figure(
    "culture.reading_events",
    label="阅读推广活动",
    unit="场次",
    synonyms=("阅读推广", "全民阅读", "读书活动"),
    description="期间内已举办的阅读推广活动（类型为“阅读推广”）。",
    date_field="starts_at",
)
def reading_events(period: Period, unit: Unit | None) -> QuerySet:
    """期间内阅读推广活动（场次）。"""
    return _held(period, unit).filter(kind=EventKind.READING)


@figure(
    "culture.event_audience",
    label="文化活动参与群众",
    unit="人次",
    synonyms=("参与群众", "惠及群众", "观众"),
    description="期间内已举办的文化活动登记的参与群众人数合计（人次）。",
)
def event_audience(period: Period, unit: Unit | None) -> Measure:
    """期间内文化活动参与群众合计（人次）。"""
    held = _held(period, unit)
    return Measure(held.aggregate(total=Coalesce(Sum("audience"), 0))["total"], held)
