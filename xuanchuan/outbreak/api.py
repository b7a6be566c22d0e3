"""JSON API of the daily reports (mounted by the platform at ``/api/outbreak/``).

Reads go through ``visible_to(request.user)``; filing goes through ``services.submit_report``,
exactly as the page does, within the page form's bounds (a value 0..10,000,000, a reason of at
most 200 characters). Another unit's report or unit answers 404 like a missing one; a refused
permission 403, a refused rule 422 with the reason, and input out of bounds 422, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from xuanchuan.core.services import refusal_text
from xuanchuan.core.views import visible_or_404
from xuanchuan.org.models import Unit
from xuanchuan.outbreak import queries, services
from xuanchuan.outbreak.forms import FIRST_DAY, LAST_DAY
from xuanchuan.outbreak.models import DailyReport, ValueCorrection

router = Router(tags=["疫情上报"])

# Ids as the database stores them (64-bit), days the platform reports on, values as the page form.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Value = Annotated[int, Field(ge=0, le=services.MAX_VALUE)]
MAX_INDICATORS = 200


class IndicatorOut(Schema):
    id: int
    name: str
    measure_unit: str
    figure_key: str


class FormOut(Schema):
    id: int
    name: str
    deadline: str
    lock_time: str
    reminder_minutes: int
    starts_on: date
    ends_on: date | None
    is_active: bool
    indicators: list[IndicatorOut]


class BoardRowOut(Schema):
    unit_id: int
    unit_name: str
    status: str
    state: str
    report_id: int | None
    submitted_at: datetime | None
    is_late: bool | None
    reminded: bool


class BoardOut(Schema):
    form_id: int
    day: date
    required: int
    reported: int
    on_time: int
    late: int
    approved: bool
    rows: list[BoardRowOut]


class ValueOut(Schema):
    indicator_id: int
    indicator: str
    value: int
    prefilled: bool


class CorrectionOut(Schema):
    indicator: str
    old_value: int
    new_value: int
    reason: str
    by: str
    at: datetime


class ReportOut(Schema):
    id: int
    form_id: int
    unit_id: int
    unit_name: str
    day: date
    status: str
    submitted_at: datetime
    is_late: bool
    carried_over: bool
    values: list[ValueOut]
    corrections: list[CorrectionOut]


class ReportIn(Schema):
    form_id: Id
    unit_id: Id
    day: Day
    values: Annotated[dict[Id, Value], Field(max_length=MAX_INDICATORS)]
    reason: Annotated[str, Field(max_length=services.MAX_REASON_LENGTH)] = ""


def _form_out(form) -> dict:
    return {
        "id": form.pk,
        "name": form.name,
        "deadline": f"{form.deadline:%H:%M}",
        "lock_time": f"{form.lock_time:%H:%M}",
        "reminder_minutes": form.reminder_minutes,
        "starts_on": form.starts_on,
        "ends_on": form.ends_on,
        "is_active": form.is_active,
        "indicators": [
            {"id": i.pk, "name": i.name, "measure_unit": i.measure_unit, "figure_key": i.figure_key}
            for i in form.indicators.all()
        ],
    }


def _report_out(request: HttpRequest, report: DailyReport) -> dict:
    corrections = (
        ValueCorrection.objects.visible_to(request.user).filter(report=report).select_related("indicator", "created_by")
    )
    return {
        "id": report.pk,
        "form_id": report.form_id,
        "unit_id": report.unit_id,
        "unit_name": report.unit.name,
        "day": report.day,
        "status": report.status,
        "submitted_at": report.submitted_at,
        "is_late": report.is_late,
        "carried_over": report.carried_over,
        "values": [
            {"indicator_id": v.indicator_id, "indicator": v.indicator.name, "value": v.value, "prefilled": v.prefilled}
            for v in report.values.select_related("indicator").order_by("indicator__position", "indicator_id")
        ],
        "corrections": [
            {
                "indicator": c.indicator.name,
                "old_value": c.old_value,
                "new_value": c.new_value,
                "reason": c.reason,
                "by": str(c.created_by or ""),
                "at": c.created_at,
            }
            for c in corrections
        ],
    }


@router.get("/forms", response=list[FormOut], url_name="outbreak_forms", summary="日报表")
def list_forms(request: HttpRequest) -> list[dict]:
    return [_form_out(form) for form in queries.forms_for(request.user).prefetch_related("indicators")]


@router.get("/board", response=BoardOut, url_name="outbreak_board", summary="上报情况")
def board(request: HttpRequest, form: Id | None = None, day: Day | None = None, unit: Id | None = None) -> dict:
    forms = queries.forms_for(request.user)
    chosen = get_object_or_404(forms, pk=form) if form is not None else forms.filter(is_active=True).first()
    if chosen is None:
        raise HttpError(404, "没有可见的日报表")
    scope = visible_or_404(Unit, request.user, unit) if unit is not None else None
    status = queries.board(chosen, day or services.report_today(), request.user)
    rows = [row for row in status.rows if scope is None or row.unit.path.startswith(scope.path)]
    return {
        "form_id": chosen.pk,
        "day": status.day,
        "required": len(rows),
        "reported": sum(1 for row in rows if row.report),
        "on_time": sum(1 for row in rows if row.report and not row.report.is_late),
        "late": sum(1 for row in rows if row.report and row.report.is_late),
        "approved": status.approval is not None,
        "rows": [
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "status": row.status,
                "state": row.state,
                "report_id": row.report.pk if row.report else None,
                "submitted_at": row.report.submitted_at if row.report else None,
                "is_late": row.report.is_late if row.report else None,
                "reminded": row.reminded,
            }
            for row in rows
        ],
    }


@router.get("/reports/{report_id}", response=ReportOut, url_name="outbreak_report", summary="日报详情（含更正记录）")
def get_report(request: HttpRequest, report_id: Id) -> dict:
    reports = DailyReport.objects.visible_to(request.user).select_related("unit")
    return _report_out(request, get_object_or_404(reports, pk=report_id))


@router.post(
    "/reports", response={201: ReportOut, 200: ReportOut}, url_name="outbreak_submit", summary="上报或更正日报"
)
def submit(request: HttpRequest, payload: ReportIn) -> Status:
    form = get_object_or_404(queries.forms_for(request.user), pk=payload.form_id)
    unit = visible_or_404(Unit, request.user, payload.unit_id)
    try:
        filing = services.submit_report(
            form=form, unit=unit, day=payload.day, values=payload.values, by=request.user, reason=payload.reason
        )
    except PermissionDenied as exc:
        raise HttpError(403, refusal_text(exc)) from exc
    except ValidationError as exc:
        raise HttpError(422, refusal_text(exc)) from exc
    report = DailyReport.objects.visible_to(request.user).select_related("unit").get(pk=filing.report.pk)
    return Status(201 if filing.created else 200, _report_out(request, report))
