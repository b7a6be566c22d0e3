"""Excel export of any table, with openpyxl: the one place where every export is written.

Two rules hold for every workbook the platform hands out:

- **No cell is a formula.** openpyxl turns any string starting with ``=`` into a formula, and a
  spreadsheet may treat text starting with ``+ - @``, a tab or a carriage return as one when the
  cell is edited. Such text is written as a string cell (``inlineStr``) with Excel's "quote
  prefix" style — what typing ``'`` before it does — so it shows, copies and sorts as the text it
  is, and never becomes a formula (``data_type`` stays ``"s"`` when read back).
- **Memory stays bounded.** Rows are written as they come (openpyxl's write-only mode) into a
  temporary file; a file larger than ``STREAM_ABOVE_BYTES`` is streamed from it
  (``FileResponse``), a smaller one is sent in one piece. Nothing holds the whole table. An
  export longer than ``settings.EXPORT_MAX_ROWS`` rows is refused with a Chinese message asking
  for a narrower filter.

``xlsx_response`` serves a table; ``write_xlsx`` writes one and says how many rows it holds
(for export logs); ``workbook_bytes`` gives a small table as bytes (report appendices);
``workbook_to_bytes`` saves a workbook built cell by cell (styled daily tables), with the same
formula rule applied to every cell.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from itertools import chain, islice
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from xuanchuan.core.services import ServiceError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text starting with one of these may be taken for a formula by a spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Column widths are worked out from the headers and this many first rows (the file is written
# row by row, and widths must come before the rows).
WIDTH_SAMPLE_ROWS = 500
MAX_COLUMN_WIDTH = 60
# Files up to this size are read into the response whole; larger ones are streamed from disk.
STREAM_ABOVE_BYTES = 1 << 20


class ExportTooLarge(ServiceError):
    """The table has more rows than one export may hold."""


def looks_like_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def cell_value(value: Any) -> Any:
    """A value as a cell holds it: local naive datetimes, numbers and dates as they are, the rest as text."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, int | float | date | str):
        return value
    return str(value)


def _text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _row(sheet: WriteOnlyWorksheet, values: Sequence[Any]) -> list[Any]:
    return [_text_cell(sheet, value) if looks_like_formula(value) else value for value in values]


@dataclass
class ExportFile:
    """A written workbook in a temporary file (deleted once closed) and the number of data rows."""

    file: IO[bytes]
    rows: int

    def response(self, filename: str) -> HttpResponse | FileResponse:
        """The file as a download named ``<filename>-<today>.xlsx``: streamed from disk when large."""
        size = self.file.seek(0, os.SEEK_END)
        self.file.seek(0)
        if size > STREAM_ABOVE_BYTES:
            response: HttpResponse | FileResponse = FileResponse(self.file, content_type=XLSX_TYPE)
        else:
            with self.file:
                response = HttpResponse(self.file.read(), content_type=XLSX_TYPE)
        stamped = f"{filename}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stamped)}"
        return response


def _widths(headers: Sequence[str], sample: list[list[Any]]) -> list[int]:
    widths = [max(len(str(header)) * 2, 8) for header in headers]
    for values in sample:
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = min(max(widths[index], len(str(value if value is not None else "")) + 2), MAX_COLUMN_WIDTH)
    return widths


def sheet_title(title: str) -> str:
    """``title`` as Excel allows a sheet's name: none of ``\\ / ? * [ ] :`` (a masked name holds
    ``*``), no leading or trailing apostrophe, at most 31 characters, not empty."""
    cleaned = "".join("_" if char in '\\/?*[]:' else char for char in title).strip("'")[:31]
    return cleaned or "Sheet1"


def _sheet(book: Workbook, title: str, headers: Sequence[str], sample: list[list[Any]]) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(sheet_title(title))
    for index, width in enumerate(_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for header in headers:
        cell = _text_cell(sheet, str(header)) if looks_like_formula(str(header)) else WriteOnlyCell(sheet, str(header))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    return sheet


def _write(target: IO[bytes], title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], limit: int) -> int:
    values: Iterator[list[Any]] = ([cell_value(value) for value in row] for row in rows)
    sample = list(islice(values, WIDTH_SAMPLE_ROWS))
    book = Workbook(write_only=True)
    sheet = _sheet(book, title, headers, sample)
    count = 0
    for row in chain(sample, values):
        count += 1
        if count > limit:
            _discard(sheet)
            raise ExportTooLarge(
                _("导出的记录超过 %(limit)s 条的上限，请先按单位、日期等条件缩小范围，再分批导出。") % {"limit": limit}
            )
        sheet.append(_row(sheet, row))
    book.save(target)
    return count


def _discard(sheet: WriteOnlyWorksheet) -> None:
    """Finish an abandoned sheet and delete the file openpyxl was writing its rows to."""
    sheet.close()
    sheet._writer.cleanup()


def write_xlsx(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, max_rows: int | None = None
) -> ExportFile:
    """Write ``rows`` under ``headers`` to a temporary file, one row at a time.

    Raises ``ExportTooLarge`` (a ``ServiceError``) past ``max_rows`` (default
    ``settings.EXPORT_MAX_ROWS``); the rows after the limit are not read.
    """
    limit = settings.EXPORT_MAX_ROWS if max_rows is None else max_rows
    target = tempfile.TemporaryFile(prefix="xuanchuan-export-", suffix=".xlsx")  # noqa: SIM115 (closed by the response)
    try:
        count = _write(target, title, headers, rows, limit)
    except BaseException:
        target.close()
        raise
    return ExportFile(file=target, rows=count)


def refused_response(error: ServiceError) -> HttpResponse:
    """A plain page saying why an export was not made (the export links open it in place of a download)."""
    page = format_html(
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{}</title></head>'
        '<body><h1>{}</h1><p id="export-refused">{}</p><p><a href="/">{}</a></p></body></html>',
        _("导出未完成"),
        _("导出未完成"),
        "；".join(error.messages),
        _("返回工作台"),
    )
    return HttpResponse(page, status=400, content_type="text/html; charset=utf-8")


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """``rows`` as a streamed .xlsx download, or the page that says the table is too long to export."""
    try:
        export = write_xlsx(title, headers, rows)
    except ExportTooLarge as error:
        return refused_response(error)
    return export.response(filename)


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A small table (a report's appendix) as .xlsx bytes, written like every other export."""
    export = write_xlsx(title, headers, rows)
    with export.file:
        export.file.seek(0)
        return export.file.read()


def defuse_formulas(book: Workbook) -> None:
    """Make every formula-like text cell of a workbook built cell by cell a plain string cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or looks_like_formula(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_to_bytes(book: Workbook) -> bytes:
    """Save a (styled, in-memory) workbook as .xlsx bytes, with no cell left a formula."""
    defuse_formulas(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
