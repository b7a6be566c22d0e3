"""JSON API of the culture app's tourism part (``/api/culture/tourism/``): per holiday and year the
visitors and revenue in the caller's scope with their year-on-year change computed (raw and per
holiday day; a missing previous year or a zero base comes as ``percent: null`` with the reason),
and the holidays' dates. Tourism managers only, read only, through ``visible_to``."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from xuanchuan.core import growth
from xuanchuan.culture.models import Holiday
from xuanchuan.culture.permissions import may_manage_tourism
from xuanchuan.culture.queries import tourism as queries
from xuanchuan.org.models import Unit

router = Router()
MAX_ID = 999_999_999_999_999_999


class ChangeOut(Schema):
    percent: float | None = Field(None, description="同比（%，一位小数）；无法计算时为空")
    reason: str = Field("", description="无法计算的原因：no_previous 上年无数据、zero_base 上年为零……")
    text: str = Field(..., description="增长12.5% / 下降3.0% / 持平 / 上年无数据 …")


def _change(change: growth.Change) -> dict[str, Any]:
    rounded = change.rounded(1)
    return {"percent": float(rounded) if rounded is not None else None, "reason": change.reason, "text": change.words()}


class StatOut(Schema):
    holiday: str
    holiday_label: str
    year: int
    starts_on: date | None = None
    ends_on: date | None = None
    days: int | None = None
    previous_days: int | None = None
    visitors: int
    revenue: Decimal = Field(..., description="旅游综合收入（万元）")
    records: int = Field(..., description="汇总的填报记录数")
    visitors_change: ChangeOut
    visitors_comparable: ChangeOut = Field(..., description="按假期日均计算的可比同比")
    revenue_change: ChangeOut
    revenue_comparable: ChangeOut
    note: str = Field("", description="假期天数不同时的说明")


def _row(row: queries.YearRow) -> dict[str, Any]:
    return {
        "holiday": row.holiday,
        "holiday_label": row.holiday_label,
        "year": row.year,
        "starts_on": row.period.starts_on if row.period else None,
        "ends_on": row.period.ends_on if row.period else None,
        "days": row.days,
        "previous_days": row.previous_days,
        "visitors": row.visitors,
        "revenue": row.revenue,
        "records": row.records,
        "visitors_change": _change(row.visitors_change),
        "visitors_comparable": _change(row.visitors_comparable),
        "revenue_change": _change(row.revenue_change),
        "revenue_comparable": _change(row.revenue_comparable),
        "note": row.length_note,
    }


class HolidayOut(Schema):
    holiday: str
    holiday_label: str
    year: int
    starts_on: date
    ends_on: date
    days: int

    @staticmethod
    def resolve_holiday_label(obj: Any) -> str:
        return str(obj.get_holiday_display())


class StatFilters(Schema):
    holiday: Holiday | None = Field(None, description="假日")
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="单位（含下级）")


def _require(request: HttpRequest) -> None:
    if not may_manage_tourism(request.user):
        raise PermissionDenied


@router.get("/stats", response=list[StatOut], url_name="culture_tourism_stats", summary="假日旅游人数与收入及同比")
@paginate
def culture_tourism_stats(request: HttpRequest, filters: Query[StatFilters]) -> Any:
    _require(request)
    unit = None
    if filters.unit is not None:
        unit = Unit.objects.visible_to(request.user).filter(pk=filters.unit).first()
        if unit is None:
            raise Http404
    rows = queries.yearly_table(
        request.user, holiday=filters.holiday or "", unit=unit, year_from=filters.year, year_to=filters.year
    )
    return [_row(row) for row in rows]


class HolidayFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")


@router.get("/holidays", response=list[HolidayOut], url_name="culture_tourism_holidays", summary="假日放假安排")
@paginate
def culture_tourism_holidays(request: HttpRequest, filters: Query[HolidayFilters]) -> Any:
    _require(request)
    return queries.holiday_periods(year=filters.year)
