"""Reads of the tourism part for pages, the API and to-dos: every function takes the user and reads
stats only through ``visible_to(user)``. The holidays' dates are the district's and readable by
every tourism manager.

The year-on-year table sums the stats in scope per holiday and year and compares each year with
the one before through ``core.growth``: raw, and per holiday day (comparable when the holiday's
length differs between the two years). A year without rows has no value (``None``), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core import growth
from xuanchuan.culture.models import Holiday, HolidayPeriod, TourismStat
from xuanchuan.org.models import Unit

HOLIDAY_ORDER = {code: index for index, code in enumerate(Holiday.values)}


def stats(user: Any) -> QuerySet:
    """The stat rows in ``user``'s scope, with their units."""
    return TourismStat.objects.visible_to(user).select_related("unit")


def holiday_periods(*, year: int | None = None) -> QuerySet:
    """The holidays' dates (district-wide), newest year first, in the order of the year."""
    found = HolidayPeriod.objects.order_by("-year", "starts_on")
    return found.filter(year=year) if year else found


def period_map(years: set[int] | None = None) -> dict[tuple[str, int], HolidayPeriod]:
    found = HolidayPeriod.objects.all() if years is None else HolidayPeriod.objects.filter(year__in=years)
    return {(period.holiday, period.year): period for period in found}


# Years offered before this one even without holiday dates (their dates may be entered later).
RECENT_YEARS = 5


def shares_national_day(periods: dict[tuple[str, int], HolidayPeriod], year: int) -> bool:
    """Whether Mid-Autumn of ``year`` falls within National Day's holiday (2023, 2025): its
    figures are then National Day's (entered there once, see ``services.tourism``)."""
    mid_autumn = periods.get((Holiday.MID_AUTUMN, year))
    national = periods.get((Holiday.NATIONAL_DAY, year))
    return bool(mid_autumn and national) and (
        mid_autumn.starts_on <= national.ends_on and national.starts_on <= mid_autumn.ends_on  # type: ignore[union-attr]
    )


def holiday_years(*, recent: bool = True) -> list[int]:
    """Years that have holiday dates and this year, newest first; with ``recent`` also the few
    years before this one (for the filters and the forms)."""
    years = set(HolidayPeriod.objects.values_list("year", flat=True).distinct())
    this_year = timezone.localdate().year
    years.update(range(this_year - RECENT_YEARS, this_year + 1) if recent else (this_year,))
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class YearRow:
    """A holiday of a year in scope: its length, the sums and the changes from the year before."""

    holiday: str
    year: int
    period: HolidayPeriod | None
    visitors: int | None
    revenue: Decimal | None
    records: int
    previous_days: int | None
    previous_visitors: int | None
    previous_revenue: Decimal | None
    # Mid-Autumn within National Day's holiday: the row shows National Day's stats.
    shared: bool = False

    @property
    def holiday_label(self) -> str:
        if self.shared:
            return _("中秋节（与国庆节连休）")
        return str(Holiday(self.holiday).label)

    @property
    def days(self) -> int | None:
        return self.period.days if self.period else None

    @property
    def visitors_change(self) -> growth.Change:
        return growth.change(self.visitors, self.previous_visitors)

    @property
    def visitors_comparable(self) -> growth.Change:
        return growth.comparable(self.visitors, self.days, self.previous_visitors, self.previous_days)

    @property
    def revenue_change(self) -> growth.Change:
        return growth.change(self.revenue, self.previous_revenue)

    @property
    def revenue_comparable(self) -> growth.Change:
        return growth.comparable(self.revenue, self.days, self.previous_revenue, self.previous_days)

    @property
    def visitors_per_day(self) -> Decimal | None:
        value = growth.per(self.visitors, self.days)
        return value.quantize(Decimal("0.1")) if value is not None else None

    @property
    def lengths_differ(self) -> bool:
        return (
            self.previous_visitors is not None
            and bool(self.days and self.previous_days)
            and (self.days != self.previous_days)
        )

    @property
    def length_note(self) -> str:
        """Said beside a row whose holiday is longer or shorter than the year before."""
        if not self.lengths_differ:
            return ""
        return _("假期天数不同（%(now)d天/%(before)d天），可比口径按日均计算") % {
            "now": self.days,
            "before": self.previous_days,
        }


def _money(value: Any) -> Decimal | None:
    """A sum of 万元 to the cent (SQLite sums decimals in floating point)."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def yearly_table(
    user: Any,
    *,
    holiday: str = "",
    unit: Unit | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> list[YearRow]:
    """Per holiday (one, or all six) and year: the stats in scope summed, with the year before
    (also outside ``year_from``, so the first year shown still has its change)."""
    found = TourismStat.objects.visible_to(user)
    if unit is not None:
        found = found.within(unit)
    if holiday:
        # Mid-Autumn's years within National Day's holiday are read from National Day's stats.
        found = found.filter(
            holiday__in={holiday, Holiday.NATIONAL_DAY} if holiday == Holiday.MID_AUTUMN else {holiday}
        )
    sums = {
        (row["holiday"], row["year"]): row
        for row in found.values("holiday", "year").annotate(v=Sum("visitors"), r=Sum("revenue"), n=Count("pk"))
    }
    periods = period_map({year for _holiday, year in sums} | {year - 1 for _holiday, year in sums})
    shared = {year for _holiday, year in sums if shares_national_day(periods, year)}
    for year in shared:
        if (Holiday.NATIONAL_DAY, year) in sums:
            sums[(Holiday.MID_AUTUMN, year)] = sums[(Holiday.NATIONAL_DAY, year)]
    rows = []
    for (code, year), row in sums.items():
        if (holiday and code != holiday) or (year_from and year < year_from) or (year_to and year > year_to):
            continue
        if code == Holiday.MID_AUTUMN and year in shared and not holiday:
            continue  # in the table of all holidays, the shared holiday is its National Day row
        before = sums.get((code, year - 1))
        previous_period = periods.get((code, year - 1))
        rows.append(
            YearRow(
                holiday=code,
                year=year,
                period=periods.get((code, year)),
                visitors=row["v"],
                revenue=_money(row["r"]),
                records=row["n"],
                previous_days=previous_period.days if previous_period else None,
                previous_visitors=before["v"] if before else None,
                previous_revenue=_money(before["r"]) if before else None,
                shared=code == Holiday.MID_AUTUMN and year in shared,
            )
        )
    rows.sort(key=lambda item: (HOLIDAY_ORDER.get(item.holiday, 99), -item.year))
    return rows


def change_cell(change: growth.Change) -> float | str:
    """A change for a spreadsheet: the percent (one decimal) as a number, or the reason in words."""
    return float(change.rounded(1)) if change.known else growth.REASONS[change.reason]  # type: ignore[arg-type]


def export_rows(rows: list[YearRow]) -> list[list[Any]]:
    return [
        [
            row.holiday_label,
            row.year,
            f"{row.period.starts_on:%Y-%m-%d}至{row.period.ends_on:%Y-%m-%d}" if row.period else "",
            row.days or "",
            row.visitors,
            float(row.revenue) if row.revenue is not None else None,
            change_cell(row.visitors_change),
            change_cell(row.visitors_comparable),
            change_cell(row.revenue_change),
            change_cell(row.revenue_comparable),
            row.length_note,
        ]
        for row in rows
    ]


EXPORT_HEADERS = [
    "假日",
    "年度",
    "放假日期",
    "天数",
    "旅游人数（人次）",
    "旅游综合收入（万元）",
    "旅游人数同比（%）",
    "旅游人数可比同比（%，按日均）",
    "旅游综合收入同比（%）",
    "旅游综合收入可比同比（%，按日均）",
    "说明",
]


def unreported_holidays(user: Any, today: date | None = None) -> list[HolidayPeriod]:
    """This year's holidays that are over (their dates exist, ``ends_on`` past) without any stat
    in ``user``'s scope."""
    today = today or timezone.localdate()
    ended = list(HolidayPeriod.objects.filter(year=today.year, ends_on__lt=today).order_by("starts_on"))
    if not ended:
        return []
    reported = set(
        TourismStat.objects.visible_to(user)
        .filter(year=today.year, holiday__in=[period.holiday for period in ended])
        .values_list("holiday", flat=True)
        .distinct()
    )
    return [period for period in ended if period.holiday not in reported]
