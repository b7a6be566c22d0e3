"""Writes of the tourism part: the dates of each statutory holiday per year (district-wide, kept by
the district's tourism managers), and per unit, holiday and year the visitors (人次) and tourism
revenue (万元), entered on a form or imported from Excel.

An import is two steps: :func:`plan_import` reads the file and says, row by row, what confirming
would do (new, update with the old values, or an error with its reason) without writing anything;
:func:`confirm_import` plans the same rows again against the database as it is then, refuses if the
outcome differs from the preview the user saw (``fingerprint``), and writes the rows in one
transaction. Only the cells of the uploaded file are kept between the two steps (by the page, in
the server-side session), never values posted back by the browser.

Year-on-year changes are never stored: pages and figures compute them (``core.growth``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.uploads import xlsx_rows
from xuanchuan.culture.models import Holiday, HolidayPeriod, Source, TourismStat
from xuanchuan.culture.permissions import may_manage_tourism
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit, user_sees_all_units

# A holiday (the Spring Festival's nine days at most so far) is never longer than this.
MAX_HOLIDAY_DAYS = 15
# How far a holiday's days may reach outside its year (none does today; a margin for 元旦-like
# arrangements, without letting a typo of the year through).
YEAR_MARGIN_DAYS = 15
# Mid-Autumn and National Day fall together in some years (2023, 2025: 10月1日–8日, one holiday
# announced for both): only these two may share days.
MAY_SHARE_DAYS = frozenset({Holiday.MID_AUTUMN, Holiday.NATIONAL_DAY})
MAX_VISITORS = 10**10
MAX_REVENUE = Decimal("999999999999.99")  # the column's 14 digits, 2 of them decimals
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 1000
IMPORT_COLUMNS = ("单位", "假日", "年度", "旅游人数（人次）", "旅游综合收入（万元）", "说明")

# How people write the holidays in a spreadsheet or a report.
HOLIDAY_WORDS: dict[str, str] = {
    "春节": Holiday.SPRING_FESTIVAL,
    "清明": Holiday.QINGMING,
    "清明节": Holiday.QINGMING,
    "五一": Holiday.MAY_DAY,
    "劳动节": Holiday.MAY_DAY,
    "端午": Holiday.DRAGON_BOAT,
    "端午节": Holiday.DRAGON_BOAT,
    "中秋": Holiday.MID_AUTUMN,
    "中秋节": Holiday.MID_AUTUMN,
    "国庆": Holiday.NATIONAL_DAY,
    "国庆节": Holiday.NATIONAL_DAY,
}


def holiday_code(text: str) -> str | None:
    """The holiday ``text`` names (春节, 五一, 国庆节, or a code), or ``None``."""
    text = (text or "").strip()
    if text in Holiday.values:
        return text
    return HOLIDAY_WORDS.get(text)


def holiday_label(code: str) -> str:
    return str(Holiday(code).label)


def _require_manage(by: User) -> None:
    require(may_manage_tourism(by))


# --- Holiday dates ------------------------------------------------------------------------------


def _check_dates(holiday: str, year: int, starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ServiceError(_("放假结束日期不能早于开始日期。"))
    days = (ends_on - starts_on).days + 1
    if days > MAX_HOLIDAY_DAYS:
        raise ServiceError(
            _("假期不能超过 %(max)d 天（现为 %(days)d 天），请核对日期。") % {"max": MAX_HOLIDAY_DAYS, "days": days}
        )
    earliest = date(year, 1, 1) - timedelta(days=YEAR_MARGIN_DAYS)
    latest = date(year, 12, 31) + timedelta(days=YEAR_MARGIN_DAYS)
    if starts_on < earliest or ends_on > latest:
        raise ServiceError(_("放假日期应在 %(year)d 年内，请核对年份。") % {"year": year})


def _check_overlap(holiday: str, year: int, starts_on: date, ends_on: date) -> None:
    others = HolidayPeriod.objects.filter(year=year, starts_on__lte=ends_on, ends_on__gte=starts_on).exclude(
        holiday=holiday
    )
    for other in others:
        if {holiday, other.holiday} <= MAY_SHARE_DAYS:
            continue
        raise ServiceError(
            _("与%(other)s（%(start)s至%(end)s）的日期重叠，请核对。")
            % {"other": other, "start": f"{other.starts_on:%m月%d日}", "end": f"{other.ends_on:%m月%d日}"}
        )


def _check_shared_days(holiday: str, year: int, starts_on: date, ends_on: date) -> None:
    """Mid-Autumn may not come to share National Day's days while it has stats of its own: they
    would be counted twice (the shared holiday's figures go under National Day)."""
    if holiday not in MAY_SHARE_DAYS:
        return
    other = Holiday.NATIONAL_DAY if holiday == Holiday.MID_AUTUMN else Holiday.MID_AUTUMN
    overlapping = HolidayPeriod.objects.filter(
        holiday=other, year=year, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists()
    if overlapping and TourismStat.objects.filter(holiday=Holiday.MID_AUTUMN, year=year).exists():
        raise ServiceError(
            _("%(year)d年已有中秋节的旅游数据；中秋节与国庆节连休时数据应填在国庆节下，请先将其并入国庆节再修改日期。")
            % {"year": year}
        )


def set_holiday_period(*, holiday: str, year: int, starts_on: date, ends_on: date, by: User) -> HolidayPeriod:
    """Record (or correct) the days of ``holiday`` in ``year``. The dates are the district's,
    kept by its tourism managers who see all units; stats already entered keep counting for the
    holiday (their per-day figures follow the corrected length)."""
    _require_manage(by)
    require(user_sees_all_units(by), _("假日放假日期由全区的管理员维护。"))
    if holiday not in Holiday.values:
        raise ServiceError(_("没有这个假日。"))
    if not 2000 <= year <= 2100:
        raise ServiceError(_("年度应在 2000 至 2100 之间。"))
    _check_dates(holiday, year, starts_on, ends_on)
    with transaction.atomic():
        _check_overlap(holiday, year, starts_on, ends_on)
        _check_shared_days(holiday, year, starts_on, ends_on)
        period, _created = HolidayPeriod.objects.select_for_update().update_or_create(
            holiday=holiday, year=year, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
    return period


# --- Stats ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatInput:
    """What a stat holds, as the form or an import row gives it."""

    unit: Unit
    holiday: str
    year: int
    visitors: int
    revenue: Decimal
    note: str = ""


def missing_dates_message(holiday: str, year: int) -> str:
    return _("请先填写%(year)d年%(holiday)s的放假日期。") % {"year": year, "holiday": holiday_label(holiday)}


def _stat_problem(
    holiday: str, year: int, visitors: Any, revenue: Any, periods: dict[tuple[str, int], HolidayPeriod]
) -> str:
    """Why these values cannot be a stat, or ''. ``periods``: the holidays' dates by (holiday, year)."""
    period = periods.get((holiday, year))
    if period is None:
        return missing_dates_message(holiday, year)
    if period.starts_on > timezone.localdate():
        return _("%(period)s尚未开始（%(start)s放假），不能填报。") % {
            "period": period,
            "start": f"{period.starts_on:%Y-%m-%d}",
        }
    national = periods.get((Holiday.NATIONAL_DAY, year))
    if (
        holiday == Holiday.MID_AUTUMN
        and national
        and national.starts_on <= period.ends_on
        and (period.starts_on <= national.ends_on)
    ):
        return _("%(year)d年中秋节与国庆节连休，请把这段假期的数据填在国庆节下（避免重复计算）。") % {"year": year}
    if not isinstance(visitors, int) or not 0 <= visitors <= MAX_VISITORS:
        return _("旅游人数应为 0 至 100 亿之间的整数。")
    if not isinstance(revenue, Decimal) or not Decimal(0) <= revenue <= MAX_REVENUE:
        return _("旅游综合收入应为不小于 0 的数（万元）。")
    return ""


def _periods(pairs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], HolidayPeriod]:
    years = {year for _holiday, year in pairs}
    rows = HolidayPeriod.objects.filter(year__in=years)
    return {(row.holiday, row.year): row for row in rows}


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _clean_stat(data: StatInput, by: User) -> StatInput:
    _require_manage(by)
    require_visible_unit(by, data.unit)
    if data.holiday not in Holiday.values:
        raise ServiceError(_("没有这个假日。"))
    revenue = _money(data.revenue) if isinstance(data.revenue, Decimal) else data.revenue
    problem = _stat_problem(data.holiday, data.year, data.visitors, revenue, _periods([(data.holiday, data.year)]))
    if problem:
        raise ServiceError(problem)
    note = (data.note or "").strip()[:300]
    return StatInput(data.unit, data.holiday, data.year, data.visitors, revenue, note)


def _duplicate(data: StatInput) -> ServiceError:
    return ServiceError(
        _("%(unit)s %(year)d年%(holiday)s的数据已经填报，请修改原记录。")
        % {"unit": data.unit.name, "year": data.year, "holiday": holiday_label(data.holiday)}
    )


def create_stat(data: StatInput, *, by: User) -> TourismStat:
    """A unit's visitors and revenue over a holiday of a year (one row per unit, holiday, year)."""
    data = _clean_stat(data, by)
    try:
        with transaction.atomic():
            if TourismStat.objects.filter(unit=data.unit, holiday=data.holiday, year=data.year).exists():
                raise _duplicate(data)
            return TourismStat.objects.create(
                unit=data.unit,
                holiday=data.holiday,
                year=data.year,
                visitors=data.visitors,
                revenue=data.revenue,
                note=data.note,
                source=Source.ENTERED,
                created_by=by,
            )
    except IntegrityError:  # entered at the same moment by someone else
        raise _duplicate(data) from None


def update_stat(stat: TourismStat, data: StatInput, *, by: User) -> TourismStat:
    """Correct a stat; moving it to a unit, holiday or year that already has one is refused."""
    _require_manage(by)
    require_visible_unit(by, stat.unit)
    data = _clean_stat(data, by)
    try:
        with transaction.atomic():
            stat = TourismStat.objects.select_for_update().get(pk=stat.pk)
            clash = TourismStat.objects.filter(unit=data.unit, holiday=data.holiday, year=data.year).exclude(pk=stat.pk)
            if clash.exists():
                raise _duplicate(data)
            stat.unit, stat.holiday, stat.year = data.unit, data.holiday, data.year
            stat.visitors, stat.revenue, stat.note = data.visitors, data.revenue, data.note
            stat.source = Source.ENTERED
            stat.save(update_fields=["unit", "holiday", "year", "visitors", "revenue", "note", "source", "updated_at"])
    except IntegrityError:
        raise _duplicate(data) from None
    return stat


def delete_stat(stat: TourismStat, *, by: User) -> None:
    _require_manage(by)
    require_visible_unit(by, stat.unit)
    with transaction.atomic():
        TourismStat.objects.filter(pk=stat.pk).delete()


# --- Excel import ---------------------------------------------------------------------------------

NEW, UPDATE, ERROR = "new", "update", "error"


@dataclass
class ImportRow:
    """One row of an import file and what confirming would do with it."""

    number: int
    cells: list[str]
    status: str = ERROR
    reasons: list[str] = field(default_factory=list)
    unit: Unit | None = None
    holiday: str = ""
    year: int | None = None
    visitors: int | None = None
    revenue: Decimal | None = None
    note: str = ""
    old: TourismStat | None = None

    @property
    def holiday_label(self) -> str:
        return holiday_label(self.holiday) if self.holiday else ""

    @property
    def key(self) -> tuple[int, str, int] | None:
        if self.unit is None or not self.holiday or self.year is None:
            return None
        return (self.unit.pk, self.holiday, self.year)

    def summary(self) -> list[Any]:
        """What the preview shows of the row, for the fingerprint."""
        old = (self.old.pk, self.old.visitors, str(self.old.revenue), self.old.note) if self.old else None
        return [
            self.number,
            self.status,
            self.reasons,
            self.key and list(self.key),
            self.visitors,
            str(self.revenue) if self.revenue is not None else None,
            self.note,
            old,
        ]


@dataclass
class ImportPlan:
    """Every row of a file with its outcome; nothing has been written."""

    rows: list[ImportRow]

    def counted(self, status: str) -> list[ImportRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def new(self) -> list[ImportRow]:
        return self.counted(NEW)

    @property
    def updates(self) -> list[ImportRow]:
        return self.counted(UPDATE)

    @property
    def errors(self) -> list[ImportRow]:
        return self.counted(ERROR)

    @property
    def fingerprint(self) -> str:
        text = json.dumps([row.summary() for row in self.rows], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int


def read_import_file(data: bytes) -> list[list[str]]:
    """The data rows (cells as text) of an uploaded import file, the header row checked and
    dropped; a file that is not a readable .xlsx of the template's columns is refused."""
    if len(data) > IMPORT_MAX_BYTES:
        raise ServiceError(_("文件超过 2 MB，请删去多余的工作表或拆分后再上传。"))
    if not data.startswith(b"PK\x03\x04"):
        raise ServiceError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"))
    rows = xlsx_rows(data, max_rows=IMPORT_MAX_ROWS + 1, max_columns=len(IMPORT_COLUMNS) + 4)
    if not rows:
        raise ServiceError(_("文件是空的。"))
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in IMPORT_COLUMNS[:5] if name not in header]
    if missing:
        raise ServiceError(
            _("第 1 行应为表头（%(columns)s），缺少：%(missing)s。请使用下载的模板。")
            % {"columns": "、".join(IMPORT_COLUMNS), "missing": "、".join(missing)}
        )
    order = [header.index(name) if name in header else None for name in IMPORT_COLUMNS]
    body = rows[1:]
    if not body:
        raise ServiceError(_("文件中除表头外没有数据。"))
    return [
        [(row[index] if index is not None and index < len(row) else "").strip()[:400] for index in order]
        for row in body
    ]


def _units_by_word(by: User) -> dict[str, list[Unit]]:
    """The units ``by`` may report for, by code, name and short name."""
    found: dict[str, list[Unit]] = {}
    for unit in Unit.objects.visible_to(by).filter(dissolved_on__isnull=True):
        for word in {unit.code, unit.name, unit.short_name} - {"", None}:
            found.setdefault(word, []).append(unit)
    return found


_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3})")


def _number(text: str) -> Decimal | None:
    text = _THOUSANDS.sub("", text.replace(" ", ""))
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _read_row(row: ImportRow, units: dict[str, list[Unit]]) -> None:
    unit_text, holiday_text, year_text, visitors_text, revenue_text, note = row.cells
    reasons = row.reasons
    matches = units.get(unit_text, [])
    if not unit_text:
        reasons.append(_("缺少单位"))
    elif not matches:
        reasons.append(_("单位“%(unit)s”不存在或不在您的管理范围内") % {"unit": unit_text[:40]})
    elif len(matches) > 1:
        reasons.append(_("有多个单位名为“%(unit)s”，请填写单位编码") % {"unit": unit_text[:40]})
    else:
        row.unit = matches[0]
    row.holiday = holiday_code(holiday_text) or ""
    if not row.holiday:
        reasons.append(
            _("无法识别的假日“%(text)s”（应为春节、清明、五一、端午、中秋、国庆）") % {"text": holiday_text[:20]}
        )
    year = _number(year_text)
    if year is None or year != year.to_integral_value() or not 2000 <= year <= 2100:
        reasons.append(_("年度应为 2000 至 2100 之间的年份"))
    else:
        row.year = int(year)
    visitors = _number(visitors_text)
    if not visitors_text:
        reasons.append(_("缺少旅游人数"))
    elif visitors is None or visitors < 0 or visitors != visitors.to_integral_value() or visitors > MAX_VISITORS:
        reasons.append(_("旅游人数“%(text)s”应为不小于 0 的整数") % {"text": visitors_text[:20]})
    else:
        row.visitors = int(visitors)
    revenue = _number(revenue_text)
    if not revenue_text:
        reasons.append(_("缺少旅游综合收入"))
    elif revenue is None or revenue < 0 or revenue > MAX_REVENUE:
        reasons.append(_("旅游综合收入“%(text)s”应为不小于 0 的数（万元）") % {"text": revenue_text[:20]})
    else:
        row.revenue = _money(revenue)
    row.note = note[:300]


def plan_import(cells: list[list[str]], *, by: User) -> ImportPlan:
    """What importing these rows (from :func:`read_import_file`) would do, row by row: rows are
    numbered as in the file (the header is row 1; blank rows are not counted)."""
    _require_manage(by)
    rows = [ImportRow(number=index, cells=(list(row) + [""] * 6)[:6]) for index, row in enumerate(cells, 2)]
    units = _units_by_word(by)
    for row in rows:
        _read_row(row, units)
    keyed = [row for row in rows if row.key is not None]
    periods = _periods([(row.holiday, row.year) for row in keyed])  # type: ignore[misc]
    seen: dict[tuple[int, str, int], list[ImportRow]] = {}
    for row in keyed:
        seen.setdefault(row.key, []).append(row)  # type: ignore[arg-type]
    for same in seen.values():
        if len(same) > 1:
            numbers = "、".join(str(row.number) for row in same)
            for row in same:
                row.reasons.append(_("第 %(rows)s 行重复（同一单位、假日、年度）") % {"rows": numbers})
    for row in keyed:
        if not row.reasons and row.visitors is not None and row.revenue is not None:
            problem = _stat_problem(row.holiday, row.year, row.visitors, row.revenue, periods)  # type: ignore[arg-type]
            if problem:
                row.reasons.append(problem)
    existing = _existing([row for row in keyed if not row.reasons])
    for row in rows:
        if row.reasons:
            row.status = ERROR
            continue
        row.old = existing.get(row.key)  # type: ignore[arg-type]
        row.status = UPDATE if row.old is not None else NEW
    return ImportPlan(rows)


def _existing(rows: list[ImportRow], *, lock: bool = False) -> dict[tuple[int, str, int], TourismStat]:
    """The stats the rows would update, by key (read by units and years: a file of a thousand
    rows is one query, not a thousand conditions)."""
    if not rows:
        return {}
    keys = {row.key for row in rows}
    found = TourismStat.objects.filter(
        unit_id__in={row.unit.pk for row in rows},  # type: ignore[union-attr]
        year__in={row.year for row in rows},
    )
    if lock:
        found = found.select_for_update()
    return {key: stat for stat in found if (key := (stat.unit_id, stat.holiday, stat.year)) in keys}


def confirm_import(cells: list[list[str]], *, fingerprint: str, skip_errors: bool, by: User) -> ImportResult:
    """Write the rows of a previewed file (source: imported), all or none. The rows are planned
    again: if anything changed since the preview (``fingerprint``) the user must look again; rows
    with errors are left out only when ``skip_errors`` says so."""
    _require_manage(by)
    try:
        return _write_import(cells, fingerprint=fingerprint, skip_errors=skip_errors, by=by)
    except IntegrityError:  # the same stat entered by someone else while this one was written
        raise ServiceError(_("导入时数据已有变化（他人同时填报了相同的假日数据），请重新预览后再确认。")) from None


def _write_import(cells: list[list[str]], *, fingerprint: str, skip_errors: bool, by: User) -> ImportResult:
    with transaction.atomic():
        plan = plan_import(cells, by=by)
        if plan.fingerprint != fingerprint:
            raise ServiceError(_("预览之后数据已有变化（他人修改了数据或假日日期），请核对新的预览后再确认。"))
        if plan.errors and not skip_errors:
            raise ServiceError(
                _("文件中有 %(count)d 行错误。请修改后重新上传，或勾选“跳过错误行，只导入其余行”。")
                % {"count": len(plan.errors)}
            )
        good = plan.new + plan.updates
        if not good:
            raise ServiceError(_("没有可以导入的行。"))
        existing = _existing(good, lock=True)
        for row in good:
            stat = existing.get(row.key)  # type: ignore[arg-type]
            if (stat is None) != (row.status == NEW):  # entered or deleted since the plan: not what was shown
                raise IntegrityError("a stat changed between the plan and the write")
            if stat is None:
                TourismStat.objects.create(
                    unit=row.unit,
                    holiday=row.holiday,
                    year=row.year,
                    visitors=row.visitors,
                    revenue=row.revenue,
                    note=row.note,
                    source=Source.IMPORTED,
                    created_by=by,
                )
                continue
            stat.visitors, stat.revenue, stat.source = row.visitors, row.revenue, Source.IMPORTED
            if row.note:
                stat.note = row.note
            stat.save(update_fields=["visitors", "revenue", "note", "source", "updated_at"])
    return ImportResult(created=len(plan.new), updated=len(plan.updates), skipped=len(plan.errors))
