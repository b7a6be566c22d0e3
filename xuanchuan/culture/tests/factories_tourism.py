"""Test factories of the tourism part: holiday dates and stats written directly (the services'
rules are tested on their own), and a filled import workbook."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from xuanchuan.culture.models import Holiday, HolidayPeriod, Source, TourismStat
from xuanchuan.culture.services.tourism import IMPORT_COLUMNS

# (start, end) of a few holidays, as published.
DATES = {
    (Holiday.MAY_DAY, 2024): (date(2024, 5, 1), date(2024, 5, 5)),
    (Holiday.MAY_DAY, 2025): (date(2025, 5, 1), date(2025, 5, 5)),
    (Holiday.NATIONAL_DAY, 2024): (date(2024, 10, 1), date(2024, 10, 7)),
    (Holiday.NATIONAL_DAY, 2025): (date(2025, 10, 1), date(2025, 10, 8)),
    (Holiday.MID_AUTUMN, 2025): (date(2025, 10, 1), date(2025, 10, 8)),
    (Holiday.SPRING_FESTIVAL, 2025): (date(2025, 1, 28), date(2025, 2, 4)),
    (Holiday.SPRING_FESTIVAL, 2026): (date(2026, 2, 15), date(2026, 2, 23)),
}


def make_period(holiday: str, year: int, starts_on: date | None = None, ends_on: date | None = None) -> HolidayPeriod:
    if starts_on is None:
        starts_on, ends_on = DATES[(holiday, year)]
    period, _created = HolidayPeriod.objects.update_or_create(
        holiday=holiday, year=year, defaults={"starts_on": starts_on, "ends_on": ends_on or starts_on}
    )
    return period


def make_stat(unit: Any, holiday: str, year: int, visitors: int, revenue: str | Decimal, **fields: Any) -> TourismStat:
    fields.setdefault("source", Source.ENTERED)
    return TourismStat.objects.create(
        unit=unit, holiday=holiday, year=year, visitors=visitors, revenue=Decimal(str(revenue)), **fields
    )


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    """An .xlsx of the import template's columns with ``rows`` under the header."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(IMPORT_COLUMNS) if header is None else header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
