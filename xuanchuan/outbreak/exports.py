"""Excel exports in the usual layout of a daily table: one sheet per day, a title line, units
down the side, indicators across, the time each unit filed, and a 合计 line at the foot."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xuanchuan.core.exports import XLSX_TYPE, workbook_to_bytes
from xuanchuan.org.models import Unit, User
from xuanchuan.outbreak.models import DailyReport, Indicator, ReportForm
from xuanchuan.outbreak.queries import UnitRate, days_between, required_units

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2DCDB")
MISSING_FILL = PatternFill("solid", fgColor="FDE9E7")


def _response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _save(book: Workbook) -> bytes:
    # core.exports writes every text that a spreadsheet would take for a formula as text.
    return workbook_to_bytes(book)


def daily_tables(form: ReportForm, start: date, end: date, user: User, scope: Unit | None = None) -> bytes:
    """The workbook: a sheet per day from ``start`` to ``end``, rows = units, columns = indicators."""
    indicators = list(form.indicators.all())
    units = list(required_units(form, user, scope))
    reports = (
        DailyReport.objects.visible_to(user)
        .within(scope)
        .filter(form=form, day__range=(start, end))
        .prefetch_related("values")
    )
    by_day: dict[date, dict[int, DailyReport]] = {}
    for report in reports:
        by_day.setdefault(report.day, {})[report.unit_id] = report
    book = Workbook()
    book.remove(book.active)
    for day in days_between(start, end):
        active = [unit for unit in units if _active(unit, day)]
        _day_sheet(book.create_sheet(f"{day:%Y-%m-%d}"), form, day, indicators, active, by_day.get(day, {}))
    return _save(book)


def _active(unit: Unit, day: date) -> bool:
    started = unit.established_on is None or unit.established_on <= day
    return started and (unit.dissolved_on is None or unit.dissolved_on > day)


def _day_sheet(
    sheet: Worksheet,
    form: ReportForm,
    day: date,
    indicators: list[Indicator],
    units: list[Unit],
    reports: dict[int, DailyReport],
) -> None:
    headers = [_("序号"), _("单位"), *(f"{i.name}（{i.measure_unit}）" for i in indicators), _("上报时间"), _("备注")]
    width = len(headers)
    title = _("%(district)s%(form)s（%(year)s年%(month)s月%(day)s日）") % {
        "district": settings.XUANCHUAN_DISTRICT_NAME, "form": form.name, "year": day.year, "month": day.month,
        "day": day.day,
    }  # fmt: skip
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    totals = [0] * len(indicators)
    for number, unit in enumerate(units, start=1):
        report = reports.get(unit.pk)
        values = {row.indicator_id: row.value for row in report.values.all()} if report else {}
        cells = [values.get(indicator.pk) for indicator in indicators]
        for index, value in enumerate(cells):
            totals[index] += value or 0
        sheet.append([number, unit.name, *cells, _filed_at(report), _remark(report)])
        if report is None:
            for cell in sheet[sheet.max_row]:
                cell.fill = MISSING_FILL
    reported = len([unit for unit in units if unit.pk in reports])
    sheet.append(["", _("合计"), *totals, _("已报 %(done)s/%(due)s") % {"done": reported, "due": len(units)}, ""])
    _style(sheet, width)


def _filed_at(report: DailyReport | None) -> str:
    return f"{timezone.localtime(report.submitted_at):%m-%d %H:%M}" if report else ""


def _remark(report: DailyReport | None) -> str:
    if report is None:
        return _(_("未报"))
    notes = [_("迟报") if report.is_late else _("按时")]
    if report.carried_over:
        notes.append(_("较昨日无变化"))
    return _("，").join(notes)


def _style(sheet: Worksheet, width: int, *, total_row: bool = True) -> None:
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=width):
        for cell in row:
            cell.border = BOX
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if total_row:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 24
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "C3"


def daily_tables_response(form: ReportForm, start: date, end: date, user: User, scope: Unit | None) -> HttpResponse:
    span = f"{start:%Y%m%d}" if start == end else f"{start:%Y%m%d}-{end:%Y%m%d}"
    return _response(daily_tables(form, start, end, user, scope), f"疫情日报-{span}.xlsx")


def rates_workbook(form: ReportForm, start: date, end: date, rows: Iterable[UnitRate]) -> bytes:
    """Reporting and on-time rate per unit, one sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("上报率")
    headers = [
        _("单位"),
        _("应报（天）"),
        _("已报"),
        _("按时"),
        _("迟报"),
        _(_("未报")),
        _("上报率（%）"),
        _("按时上报率（%）"),
    ]
    sheet.append([_("%(form)s上报率统计（%(start)s至%(end)s）") % {"form": form.name, "start": start, "end": end}])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.unit.name, row.expected, row.reported, row.on_time, row.late, row.missing,
                      _number(row.reporting_rate), _number(row.on_time_rate)])  # fmt: skip
    _style(sheet, len(headers), total_row=False)
    return _save(book)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def rates_response(form: ReportForm, start: date, end: date, rows: Iterable[UnitRate]) -> HttpResponse:
    return _response(rates_workbook(form, start, end, rows), f"疫情日报上报率-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
