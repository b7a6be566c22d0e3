"""Reading the platforms' back-office exports (no database here: ``services.import_export`` stores).

A file is sniffed by its content, never its name: an .xlsx (a zip, read with
``core.uploads.xlsx_rows``), a real BIFF .xls (xlrd), an HTML table saved as .xls (WeChat 用户增长),
or CSV (UTF-8 with or without BOM, then GB18030). The header row is looked for in the first rows;
the layout is recognised from it (see ``LAYOUTS``). Each cell is checked and every error is
reported with its row (as numbered in the file) and column, in Chinese; a file with any error
gives no records at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError
from xuanchuan.core.uploads import MAX_COLUMNS, MAX_ROWS, xlsx_rows

MAX_BYTES = 10 * 1024 * 1024
HEADER_SCAN_ROWS = 10
MAX_ERRORS_SHOWN = 30
WECHAT_TITLE_KEY_CHARS = 30


@dataclass(frozen=True)
class Column:
    """A column of a layout: its heading, the record field it fills and how a cell is read."""

    heading: str
    field: str
    kind: str  # text, datetime, date, count, signed, rate
    required: bool = False


@dataclass(frozen=True)
class Layout:
    kind: str
    platform: str
    label: str
    columns: tuple[Column, ...]

    @property
    def headings(self) -> set[str]:
        return {column.heading for column in self.columns}


WECHAT_ARTICLES = Layout(
    "wechat_articles",
    "wechat",
    "微信公众号·已通知内容",
    (
        Column("内容标题", "title", "text", True),
        Column("发表时间", "published_at", "datetime", True),
        Column("总阅读人数", "readers", "count"),
        Column("总阅读次数", "reads", "count", True),
        Column("总分享人数", "", "count"),
        Column("总分享次数", "shares", "count"),
        Column("阅读后关注人数", "follows", "count"),
        Column("送达人数", "delivered", "count"),
        Column("公众号消息阅读次数", "", "count"),
        Column("送达阅读率", "", "rate"),
        Column("首次分享次数", "", "count"),
        Column("分享产生阅读次数", "", "count"),
        Column("首次分享率", "", "rate"),
        Column("每次分享带来阅读次数", "", "rate"),
        Column("阅读完成率", "completion_rate", "rate"),
        Column("内容url", "url", "url"),
    ),
)
WECHAT_USERS = Layout(
    "wechat_users",
    "wechat",
    "微信公众号·用户增长",
    (
        Column("时间", "day", "date", True),
        Column("新关注人数", "new", "count"),
        Column("取消关注人数", "cancelled", "count"),
        Column("净增关注人数", "net", "signed"),
        Column("累积关注人数", "cumulative", "count"),
    ),
)
DOUYIN_WORKS = Layout(
    "douyin_works",
    "douyin",
    "抖音·作品数据",
    (
        Column("作品名称", "title", "text", True),
        Column("发布时间", "published_at", "datetime", True),
        Column("体裁", "kind", "text"),
        Column("审核状态", "", "text"),
        Column("播放量", "reads", "count", True),
        Column("完播率", "completion_rate", "rate"),
        Column("5s完播率", "", "rate"),
        Column("封面点击率", "", "rate"),
        Column("2s跳出率", "", "rate"),
        Column("平均播放时长", "", "rate"),
        Column("点赞量", "likes", "count"),
        Column("分享量", "shares", "count"),
        Column("评论量", "comments", "count"),
        Column("收藏量", "favourites", "count"),
        Column("主页访问量", "", "count"),
        Column("粉丝增量", "follows", "signed"),
    ),
)
LAYOUTS = (WECHAT_ARTICLES, WECHAT_USERS, DOUYIN_WORKS)


@dataclass
class Parsed:
    """The records of an export file, each with the row it came from."""

    layout: Layout
    records: list[dict[str, Any]] = field(default_factory=list)


# --- Reading the table -----------------------------------------------------------------------------


def read_table(data: bytes) -> list[tuple[int, list[Any]]]:
    """The file's non-empty rows as (row number in the file, cells), whatever its format."""
    if len(data) > MAX_BYTES:
        raise ServiceError(_("文件超过 %(mb)d MB，请按时间段分批导出后再导入。") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise ServiceError(_("文件是空的。"))
    if data[:4] == b"PK\x03\x04":
        return _numbered(xlsx_rows(data))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _xls_rows(data)
    text = _decode(data)
    if re.match(r"\s*<", text[:2000]) and re.search(r"<t[dh]\b", text[:200000], re.IGNORECASE):
        return _html_rows(text)
    if "\x00" in text:
        raise ServiceError(_("无法识别文件格式：请上传平台导出的 .xls、.xlsx 或 .csv 文件。"))
    return _csv_rows(text)


def _numbered(rows: list[list[Any]]) -> list[tuple[int, list[Any]]]:
    # xlsx_rows drops empty rows: the numbers are then those of the non-empty rows, which is
    # what a person counting in Excel sees for files without blank lines.
    return list(enumerate(rows, 1))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError(_("无法识别文件的文字编码（应为 UTF-8 或 GBK）。"))


def _limit(rows: list[tuple[int, list[Any]]]) -> None:
    if len(rows) > MAX_ROWS:
        raise ServiceError(_("文件超过 %(limit)d 行，请拆分后分批上传。") % {"limit": MAX_ROWS})


def _trimmed(cells: list[Any]) -> list[Any]:
    cells = cells[:MAX_COLUMNS]
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()
    return cells


def _csv_rows(text: str) -> list[tuple[int, list[Any]]]:
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text)), 1):
            cells = _trimmed(cells)
            if cells:
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    break
    except csv.Error as exc:
        raise ServiceError(_("CSV 文件格式有误：%(error)s") % {"error": str(exc)[:100]}) from exc
    _limit(rows)
    return rows


def _xls_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as exc:  # noqa: BLE001 (any unreadable workbook gets the same answer)
        raise ServiceError(_("无法读取这个 .xls 文件，请确认是平台导出的原文件。")) from exc
    if sheet.nrows > MAX_ROWS + HEADER_SCAN_ROWS:
        raise ServiceError(_("文件超过 %(limit)d 行，请拆分后分批上传。") % {"limit": MAX_ROWS})
    rows = []
    for index in range(sheet.nrows):
        cells: list[Any] = []
        for cell in sheet.row(index)[:MAX_COLUMNS]:
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    cells.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError):
                    cells.append(cell.value)
            elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                cells.append(int(cell.value))
            else:
                cells.append(cell.value)
        cells = _trimmed(cells)
        if cells:
            rows.append((index + 1, cells))
    _limit(rows)
    return rows


class _TableParser(HTMLParser):
    """The rows of the first table-like content of an HTML page (WeChat's "xls")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self._finish_row()
            self._row = []
        elif tag in ("td", "th"):
            self._finish_cell()
            if self._row is None:
                self._row = []
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._finish_cell()
        elif tag in ("tr", "table"):
            self._finish_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _finish_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
        self._cell = None

    def _finish_row(self) -> None:
        self._finish_cell()
        if self._row is not None:
            self.rows.append(self._row)
            if len(self.rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise ServiceError(_("文件超过 %(limit)d 行，请拆分后分批上传。") % {"limit": MAX_ROWS})
        self._row = None


def _html_rows(text: str) -> list[tuple[int, list[Any]]]:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    parser._finish_row()
    rows = [(number, cells) for number, cells in enumerate((_trimmed(r) for r in parser.rows), 1) if cells]
    _limit(rows)
    return rows


# --- Cells -----------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message says why (Chinese)."""


EXCEL_EPOCH = datetime(1899, 12, 30)
DATETIME_PATTERNS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%Y年%m月%d日 %H:%M",
    "%Y-%m-%dT%H:%M:%S",
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "-", "--", "—"))


def read_datetime(value: Any) -> datetime:
    """A moment in the project's time zone from any of the date styles the exports use."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return read_datetime(str(int(value)))
        if 1 <= value < 80000:  # an Excel serial day number (1900–2118)
            moment = EXCEL_EPOCH + timedelta(days=float(value))
            moment = moment.replace(microsecond=0)
        else:
            raise CellError(_("“%(value)s”不是日期") % {"value": value})
    else:
        text = " ".join(str(value).strip().split())
        if re.fullmatch(r"\d+(\.\d+)?", text) and not re.fullmatch(r"\d{8}", text):
            return read_datetime(float(text))
        for pattern in DATETIME_PATTERNS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise CellError(_("“%(value)s”不是日期") % {"value": text[:40]})
    if not 2000 <= moment.year <= 2100:
        raise CellError(_("日期“%(value)s”不在 2000—2100 年之间") % {"value": moment.date()})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def read_number(value: Any) -> Decimal | None:
    """A number: "-" and empty are "not available" (None, never 0); "1.2万" is 12000; "16.42%" is
    0.1642; thousands separators are allowed."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s”不是数字") % {"value": value})
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        factor = Decimal(1)
        if text.endswith("%"):
            text, factor = text[:-1], Decimal("0.01")
        elif text.endswith("万"):
            text, factor = text[:-1], Decimal(10000)
        elif text.endswith("亿"):
            text, factor = text[:-1], Decimal(100000000)
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise CellError(_("“%(value)s”不是数字") % {"value": str(value).strip()[:40]})
        try:
            number = Decimal(text) * factor
        except InvalidOperation as exc:
            raise CellError(_("“%(value)s”不是数字") % {"value": str(value)[:40]}) from exc
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        raise CellError(_("“%(value)s”超出合理范围") % {"value": str(value)[:40]})
    return number


def read_cell(column: Column, value: Any) -> Any:
    if column.kind == "text":
        text = "" if value is None else " ".join(str(value).split())
        if column.required and not text:
            raise CellError(_("不能为空"))
        return text
    if column.kind in ("datetime", "date"):
        if _blank(value):
            raise CellError(_("不能为空"))
        moment = read_datetime(value)
        return timezone.localtime(moment).date() if column.kind == "date" else moment
    if column.kind == "url":
        text = "" if value is None else str(value).strip()
        if text and not re.fullmatch(r"https?://\S{1,490}", text):
            raise CellError(_("“%(value)s”不是网址") % {"value": text[:40]})
        return text
    number = read_number(value)
    if number is None:
        if column.required:
            raise CellError(_("不能为空"))
        return None
    if column.kind == "rate":
        if number < 0:
            raise CellError(_("不能为负数"))
        return number
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s”应为整数") % {"value": str(value)[:40]})
    if column.kind == "count" and number < 0:
        raise CellError(_("不能为负数"))
    return int(number)


# --- Layouts ---------------------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _clean_heading(value: Any) -> str:
    return "".join(str(value or "").split())


def find_header(rows: list[tuple[int, list[Any]]]) -> tuple[Layout, int, dict[str, int]]:
    """The layout of the file, the position of its header row in ``rows`` and where each heading is."""
    for position, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        headings = [_clean_heading(cell) for cell in cells]
        for layout in LAYOUTS:
            required = {column.heading for column in layout.columns if column.required}
            # The required headings and at least three of the layout's (a lone 时间 is no header).
            if required <= set(headings) and len(layout.headings & set(headings)) >= 3:
                index = {}
                for column in layout.columns:
                    if column.heading in headings:
                        index[column.heading] = headings.index(column.heading)
                return layout, position, index
    known = "；".join(
        f"{layout.label}（{'、'.join(c.heading for c in layout.columns if c.required)}）" for layout in LAYOUTS
    )
    raise ServiceError(
        _("在文件前 %(rows)d 行中没有找到可识别的表头。可导入的文件：%(known)s。")
        % {"rows": HEADER_SCAN_ROWS, "known": known}
    )


def post_key(layout: Layout, record: dict[str, Any]) -> str:
    """What identifies a post across exports of the same account (a hash, for a short column)."""
    moment = timezone.localtime(record["published_at"]).replace(tzinfo=None)
    if layout.kind == WECHAT_ARTICLES.kind:
        basis = f"{moment:%Y-%m-%d}|{record['title'][:WECHAT_TITLE_KEY_CHARS]}"
    else:
        basis = f"{moment:%Y-%m-%d %H:%M}|{record['title']}"
    return hashlib.sha256(basis.encode()).hexdigest()


def parse_export(data: bytes) -> Parsed:
    """Every record of an export file, or ``ServiceError`` listing each bad cell (row, column)."""
    rows = read_table(data)
    if not rows:
        raise ServiceError(_("文件中没有数据。"))
    layout, position, index = find_header(rows)
    parsed = Parsed(layout)
    errors: list[str] = []
    for number, cells in rows[position + 1 :]:
        if _clean_heading(cells[0] if cells else "") in ("合计", "总计", "汇总"):
            continue
        record: dict[str, Any] = {"row": number}
        for column in layout.columns:
            at = index.get(column.heading)
            if at is None:
                continue
            value = cells[at] if at < len(cells) else None
            try:
                result = read_cell(column, value)
            except CellError as exc:
                errors.append(
                    _("第%(row)d行“%(heading)s”列（%(letter)s列）：%(error)s")
                    % {"row": number, "heading": column.heading, "letter": _column_letter(at), "error": exc}
                )
                continue
            if column.field:
                record[column.field] = result
        if "title" in record and len(record["title"]) > 500:
            record["title"] = record["title"][:500]
        parsed.records.append(record)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("……另有 %(count)d 处错误。") % {"count": len(errors) - MAX_ERRORS_SHOWN})
        raise ServiceError([_("文件有错误，未导入任何数据，请改正后重新导入：")] + shown)
    if not parsed.records:
        raise ServiceError(_("文件只有表头，没有数据行。"))
    return parsed
