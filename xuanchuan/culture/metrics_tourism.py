"""Figures of the culture app's tourism part (section 六 of the report: 假日期间接待游客×万人次，
同比增长×%，实现旅游综合收入×万元，同比增长×%).

A stat counts for a period when its holiday's dates of that year *start* in the period (the
Spring Festival of 2026 belongs to February 2026, 国庆 2025 to October 2025), and for a unit when
the stat's unit is that unit or below it (``within``). Where no stat counts the value is ``None``,
never 0, so the report says 上年无数据 instead of an infinite growth. Revenue is entered in 万元 and
given here in 元 (the report's ``wan`` option writes it back in 万元). The per-day figures divide
by the holiday's days (for a holiday of several years in one period, by the days of the holidays
that have stats), so a report can give the comparable change of a longer or shorter holiday.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from xuanchuan.culture.models import Holiday, HolidayPeriod, TourismStat
from xuanchuan.culture.queries.tourism import period_map, shares_national_day
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import ArgumentError, Choice, Measure, Parameter, Period, figure, shared

TEN_THOUSAND = Decimal(10000)

HOLIDAY_CHOICES = (
    Choice("春节", "春节", ("春节", "春节假期", "春节黄金周", "春节长假")),
    Choice("清明节", "清明节", ("清明", "清明小长假", "清明假期")),
    Choice("劳动节", "劳动节", ("五一", "五一小长假", "五一假期", "劳动节")),
    Choice("端午节", "端午节", ("端午", "端午小长假", "端午假期")),
    Choice("中秋节", "中秋节", ("中秋", "中秋假期", "中秋小长假")),
    Choice("国庆节", "国庆节", ("国庆", "十一", "国庆黄金周", "国庆假期")),
)
CODES = {choice.value: code for choice, code in zip(HOLIDAY_CHOICES, Holiday.values, strict=True)}


def holiday_choices(unit: Any) -> list[Choice]:
    """The six statutory holidays (the same for every unit)."""
    return list(HOLIDAY_CHOICES)


HOLIDAY = Parameter(label="假日", closed=True, choices=holiday_choices)


def _stats(period: Period, unit: Unit | None, holiday: str = "") -> QuerySet:
    """The stats within ``unit`` whose holiday of their year starts in ``period``. Mid-Autumn of a
    year when it falls within National Day's holiday (2025: 10月1日–8日) is that holiday, whose
    stats are entered under National Day once: they count for both, and once in the totals."""
    code = ""
    if holiday:
        code = CODES.get(holiday, "")
        if not code:
            raise ArgumentError(f"没有这个假日：{holiday}")
    periods = _calendar()
    starting = [item for item in periods.values() if period.start <= item.starts_on <= period.end]
    pairs = set()
    for item in starting:
        if code and item.holiday != code:
            continue
        if item.holiday == Holiday.MID_AUTUMN and shares_national_day(periods, item.year):
            if code:  # the total counts the shared holiday once, as National Day
                pairs.add((Holiday.NATIONAL_DAY, item.year))
            continue
        pairs.add((item.holiday, item.year))
    if not pairs:
        return TourismStat.objects.none()
    condition = Q()
    for item_holiday, year in sorted(pairs):
        condition |= Q(holiday=item_holiday, year=year)
    return TourismStat.objects.within(unit).filter(condition)


def _calendar() -> dict[tuple[str, int], HolidayPeriod]:
    """Every holiday's dates by (holiday, year): a small table, read once while many figures are
    computed together (the catalogue, the dashboards: ``registry.shared``)."""
    return shared("culture.holiday_calendar", period_map)


def _total(records: QuerySet, field: str) -> Any:
    return records.aggregate(total=Sum(field))["total"]


def _revenue_yuan(records: QuerySet) -> Decimal | None:
    total = _total(records, "revenue")
    return None if total is None else (Decimal(str(total)) * TEN_THOUSAND).quantize(Decimal(1))


def _per_day(records: QuerySet, field: str) -> Decimal | None:
    """The sum of ``field`` over the days of the holidays (of their years) that have stats, in one
    query grouped by holiday and year; ``None`` without stats."""
    rows = records.order_by().values_list("holiday", "year").annotate(total=Sum(field))
    calendar = _calendar()
    total, days = None, 0
    for holiday, year, value in rows:
        total = (total or 0) + value
        days += calendar[(holiday, year)].days if (holiday, year) in calendar else 0
    if total is None or not days:
        return None
    if field == "revenue":
        total = Decimal(str(total)) * TEN_THOUSAND
    return (Decimal(total) / days).quantize(Decimal("0.01"))


@figure(
    "culture.holiday_visitors",
    label="假日旅游人数",
    unit="人次",
    synonyms=("旅游人数", "接待游客", "游客人数", "接待旅游人数"),
    parameter=HOLIDAY,
    description="该假日的旅游人数（人次）：本单位及下级单位填报或导入的数字之和，按该年假期开始日落在期间内计；"
    "没有填报时为“无数据”，不是 0。中秋与国庆连休的年份读国庆节的数字。",
)
def holiday_visitors(period: Period, unit: Unit | None, holiday_name: str) -> Measure:
    """A holiday's visitors (人次) in the units' stats, for the holiday whose dates start in the period."""
    records = _stats(period, unit, holiday_name)
    return Measure(_total(records, "visitors"), records)


@figure(
    "culture.holiday_revenue",
    label="假日旅游综合收入",
    unit="元",
    synonyms=("旅游综合收入", "旅游收入", "综合收入"),
    parameter=HOLIDAY,
    description="该假日的旅游综合收入：填报的万元换算为元（报告用 wan 写成万元），"
    "按该年假期开始日落在期间内计；没有填报时为“无数据”。",
)
def holiday_revenue(period: Period, unit: Unit | None, holiday_name: str) -> Measure:
    """A holiday's tourism revenue in 元 (entered in 万元), for the holiday whose dates start in the period."""
    records = _stats(period, unit, holiday_name)
    return Measure(_revenue_yuan(records), records)


@figure(
    "culture.holiday_visitors_per_day",
    label="假日日均旅游人数",
    unit="人次",
    synonyms=("日均旅游人数", "日均接待游客", "可比口径"),
    parameter=HOLIDAY,
    description="该假日的日均旅游人数：旅游人数除以假期天数；假期天数与上年不同时，它的同比就是可比口径的同比。",
)
def holiday_visitors_per_day(period: Period, unit: Unit | None, holiday_name: str) -> Measure:
    """A holiday's visitors per day of the holiday: the comparable basis when its length changed."""
    records = _stats(period, unit, holiday_name)
    return Measure(_per_day(records, "visitors"), records)


@figure(
    "culture.holiday_revenue_per_day",
    label="假日日均旅游综合收入",
    unit="元",
    synonyms=("日均旅游收入", "日均综合收入"),
    parameter=HOLIDAY,
    description="该假日的日均旅游综合收入（元）：收入除以假期天数，可比口径的同比用它。",
)
def holiday_revenue_per_day(period: Period, unit: Unit | None, holiday_name: str) -> Measure:
    """A holiday's tourism revenue in 元 per day of the holiday."""
    records = _stats(period, unit, holiday_name)
    return Measure(_per_day(records, "revenue"), records)


@figure(
    "culture.tourism_visitors",
    label="节假日旅游人数合计",
    unit="人次",
    synonyms=("全年节假日旅游人数", "节假日接待游客"),
    description="期间内开始的全部假日的旅游人数合计（人次）；中秋与国庆连休时只计一次；没有填报时为“无数据”。",
)
def tourism_visitors(period: Period, unit: Unit | None) -> Measure:
    """Visitors (人次) over all the holidays whose dates start in the period."""
    records = _stats(period, unit)
    return Measure(_total(records, "visitors"), records)


@figure(
    "culture.tourism_revenue",
    label="节假日旅游综合收入合计",
    unit="元",
    synonyms=("全年节假日旅游综合收入", "节假日旅游收入"),
    description="期间内开始的全部假日的旅游综合收入合计（元，报告用 wan 写成万元）；没有填报时为“无数据”。",
)
def tourism_revenue(period: Period, unit: Unit | None) -> Measure:
    """Tourism revenue in 元 (entered in 万元) over all the holidays whose dates start in the period."""
    records = _stats(period, unit)
    return Measure(_revenue_yuan(records), records)
