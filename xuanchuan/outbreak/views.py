"""Pages of the epidemic daily reports. Thin: they read through ``queries`` (scoped) and change
state only through ``services``; another unit's record answers 404 like a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedDetailView, ScopedListView, visible_or_404
from xuanchuan.org.models import Unit
from xuanchuan.outbreak import queries, services
from xuanchuan.outbreak.exports import daily_tables_response, rates_response
from xuanchuan.outbreak.filters import DailyReportFilterSet
from xuanchuan.outbreak.forms import (
    ApprovalForm,
    IndicatorFormSet,
    PickerForm,
    ReasonForm,
    ReportEntryForm,
    ReportFormDefinitionForm,
    within_years,
)
from xuanchuan.outbreak.models import DailyReport, EntryState, ReportForm, ValueCorrection
from xuanchuan.outbreak.permissions import may_fill, may_supervise

# Days the roll-up and the rates show when no span is chosen.
DEFAULT_SPAN_DAYS = 14


@dataclass(frozen=True)
class Selection:
    """What the picker chose: a form (or none exists), a span and a unit."""

    picker: PickerForm
    form: ReportForm | None
    start: date
    end: date
    unit: Unit | None


def _select(request: HttpRequest, *, span: bool = True) -> Selection:
    """Read ``?form=&start=&end=&unit=``; a unit or form the user may not see is a 404."""
    today = services.report_today()
    query = request.GET.copy()
    query.pop("export", None)
    picker = PickerForm(query or None, user=request.user, today=today, span=span)
    if picker.is_bound and not picker.is_valid():
        if "unit" in picker.errors or "form" in picker.errors:
            raise Http404
        return Selection(picker, picker.fields["form"].queryset.first(), today, today, None)
    data = picker.cleaned_data if picker.is_bound else {}
    form = data.get("form") or picker.fields["form"].queryset.filter(is_active=True).first()
    end = data.get("end") or today
    start = (data.get("start") or end - timedelta(days=DEFAULT_SPAN_DAYS - 1)) if span else end
    if not picker.is_bound:
        picker = PickerForm(
            initial={"form": form, "start": start, "end": end}, user=request.user, today=today, span=span
        )
    return Selection(picker, form, start, end, data.get("unit"))


def _back(form: ReportForm, day: date, name: str = "outbreak:board", **extra: Any) -> HttpResponseRedirect:
    query = urlencode({"form": form.pk, "end": day.isoformat(), **extra})
    return HttpResponseRedirect(f"{reverse(name)}?{query}")


def _form(request: HttpRequest, raw: Any) -> ReportForm:
    """The report form ``?form=`` names if the user sees it; anything else is 404."""
    text = str(raw or "")
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return get_object_or_404(queries.forms_for(request.user), pk=int(text))


def _form_and_day(request: HttpRequest, source: Any) -> tuple[ReportForm, date]:
    form = _form(request, source.get("form"))
    try:
        day = date.fromisoformat(source.get("day") or "")
    except ValueError:
        day = services.report_today()
    if not within_years(day):
        raise Http404
    return form, day


# --- Status board ------------------------------------------------------------------------------------


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """上报情况: who has and has not filed today's (or a chosen day's) report."""
    selection = _select(request, span=False)
    context: dict[str, Any] = {"title": _("疫情日报上报情况"), "picker": selection.picker, "form": selection.form}
    if selection.form is not None:
        status = queries.board(selection.form, selection.end, request.user)
        if selection.unit is not None:
            status.rows = [row for row in status.rows if row.unit.path.startswith(selection.unit.path)]
        context.update(
            board=status,
            is_supervisor=may_supervise(request.user),
            approval_form=ApprovalForm(initial={"day": selection.end}),
            can_approve=status.approval is None and services.now() > status.deadline,
        )
    return render(request, "outbreak/board.html", context)


# --- Filing ----------------------------------------------------------------------------------------------


@login_required
def report_entry(request: HttpRequest, unit_id: int) -> HttpResponse:
    """填报: one unit's report of one day; a filed report is corrected here with a reason."""
    unit = visible_or_404(Unit, request.user, unit_id)
    form, day = _form_and_day(request, request.GET if request.method == "GET" else request.POST)
    if not services.is_required(form, unit):
        raise Http404
    report = DailyReport.objects.visible_to(request.user).filter(form=form, unit=unit, day=day).first()
    indicators = list(form.indicators.all())
    state = services.entry_state(form, unit, day)
    known = services.prefill(form, unit, day) if report is None else {}
    if request.method == "POST":
        entry = ReportEntryForm(request.POST, indicators=indicators, correcting=report is not None)
        if entry.is_valid():
            filing = run_service(
                request,
                lambda: services.submit_report(
                    form=form, unit=unit, day=day, values=entry.values(), by=request.user,
                    reason=entry.cleaned_data.get("reason", ""),
                ),
            )  # fmt: skip
            if filing is not None:
                messages.success(request, _filing_message(filing))
                return HttpResponseRedirect(filing.report.get_absolute_url())
    else:
        entry = ReportEntryForm(initial=_initial(report, known), indicators=indicators, correcting=report is not None)
    context = {
        "title": _("填报疫情日报"),
        "form_def": form,
        "unit": unit,
        "day": day,
        "report": report,
        "entry": entry,
        "state": state,
        "writable": state in EntryState.writable() and may_fill(request.user),
        "prefilled": known,
        "is_supervisor": may_supervise(request.user),
        "reason_form": ReasonForm(),
    }
    return render(request, "outbreak/entry.html", context, status=400 if request.method == "POST" else 200)


def _initial(report: DailyReport | None, known: dict[int, int]) -> dict[str, int]:
    """The filed values of a report being corrected, or the pre-filled ones of a new report."""
    values = dict(report.values.values_list("indicator_id", "value")) if report else known
    return {f"indicator_{pk}": value for pk, value in values.items()}


def _filing_message(filing: services.Filing) -> str:
    report = filing.report
    if filing.created:
        late = _("（迟报）") if report.is_late else ""
        return _("%(unit)s %(day)s 的日报已上报%(late)s。") % {"unit": report.unit, "day": report.day, "late": late}
    if filing.corrections:
        return _("已更正 %(count)s 项数值，原值已记入更正记录。") % {"count": filing.corrections}
    return _("数值没有变化。")


@require_POST
@login_required
def report_unchanged(request: HttpRequest, unit_id: int) -> HttpResponse:
    """较昨日无变化: file today's report with yesterday's values."""
    unit = visible_or_404(Unit, request.user, unit_id)
    form, day = _form_and_day(request, request.POST)
    success = _("已按“较昨日无变化”上报 %(unit)s %(day)s 的日报。") % {"unit": unit, "day": day}
    report = run_service(
        request, lambda: services.submit_unchanged(form=form, unit=unit, day=day, by=request.user), success
    )
    return _back(form, day) if report is None else HttpResponseRedirect(report.get_absolute_url())


@require_POST
@login_required
def reopen(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A supervisor reopens a locked unit-day, with the reason."""
    unit = visible_or_404(Unit, request.user, unit_id)
    form, day = _form_and_day(request, request.POST)
    reason = request.POST.get("reason", "")  # the service refuses a missing or overlong reason
    run_service(
        request,
        lambda: services.reopen_entry(form=form, unit=unit, day=day, by=request.user, reason=reason),
        _("已重新开放 %(unit)s %(day)s 的填报。") % {"unit": unit, "day": day},
    )
    return _back(form, day)


@require_POST
@login_required
def approve(request: HttpRequest) -> HttpResponse:
    """The district approves a day's figures (locks them)."""
    form = _form(request, request.POST.get("form"))
    approval = ApprovalForm(request.POST)
    if not approval.is_valid():
        messages.error(request, _("请选择要审核的日期。"))
        return _back(form, services.report_today())
    day = approval.cleaned_data["day"]
    run_service(
        request,
        lambda: services.approve_day(form=form, day=day, by=request.user, note=approval.cleaned_data["note"]),
        _("已审核 %(day)s 的数据，该日填报已锁定。") % {"day": day},
    )
    return _back(form, day)


# --- The district's definition of the report ------------------------------------------------------


class ReportFormListView(ScopedListView):
    """日报表设置: the daily reports the district has defined."""

    model = ReportForm
    title = gettext_lazy("日报表")
    template_name = "outbreak/form_list.html"
    search_fields = ("name",)
    columns = (
        ("name", gettext_lazy("名称")),
        ("deadline", gettext_lazy("截止时间")),
        ("lock_time", gettext_lazy("锁定时间")),
        ("reminder_minutes", gettext_lazy("提前提醒（分钟）")),
        ("unit_count", gettext_lazy("应报单位数")),
        ("indicator_count", gettext_lazy("指标数")),
        ("starts_on", gettext_lazy("启用日期")),
        ("ends_on", gettext_lazy("停用日期")),
        ("is_active", gettext_lazy("启用")),
    )
    export_name = "outbreak-forms"

    def base_queryset(self) -> QuerySet:
        return (
            super()
            .base_queryset()
            .annotate(
                unit_count=Count("required_units", distinct=True), indicator_count=Count("indicators", distinct=True)
            )
            .order_by("-is_active", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["is_supervisor"] = may_supervise(self.request.user)
        return context


@login_required
def form_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Define or change a daily report: times, required units and indicators (部管理员 only)."""
    instance = get_object_or_404(queries.forms_for(request.user), pk=pk) if pk is not None else None
    if not may_supervise(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {} if instance else {"starts_on": services.report_today()}
    definition = ReportFormDefinitionForm(data, instance=instance, initial=initial, user=request.user)
    indicators = IndicatorFormSet(data, instance=instance or ReportForm(), prefix="indicators")
    if request.method == "POST" and definition.is_valid() and indicators.is_valid():
        saved = run_service(
            request, lambda: services.save_definition(by=request.user, definition=definition, indicators=indicators)
        )
        if saved is not None:
            messages.success(request, _("日报表“%(name)s”已保存。") % {"name": saved.name})
            return HttpResponseRedirect(reverse("outbreak:form_list"))
    context = {
        "title": _("修改日报表") if instance else _("新建日报表"),
        "definition": definition,
        "indicators": indicators,
        "instance": instance,
    }
    return render(request, "outbreak/form_edit.html", context, status=400 if request.method == "POST" else 200)


# --- Reports and their history ---------------------------------------------------------------------


class DailyReportListView(ScopedListView):
    """日报查询: every filed report the user may see, searchable and exportable."""

    model = DailyReport
    title = gettext_lazy("疫情日报")
    filterset_class = DailyReportFilterSet
    search_fields = ("unit__name",)
    columns = (
        ("unit__name", gettext_lazy("单位")),
        ("day", gettext_lazy("日期")),
        ("form__name", gettext_lazy("日报表")),
        ("submitted_at", gettext_lazy("上报时间")),
        ("timeliness", gettext_lazy("是否按时")),
        ("get_status_display", gettext_lazy("状态")),
        ("created_by__full_name", gettext_lazy("填报人")),
    )
    export_name = "outbreak-reports"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit", "form", "created_by")


class DailyReportDetailView(ScopedDetailView):
    """One report: its values, where they came from, and every correction."""

    model = DailyReport
    template_name = "outbreak/report_detail.html"
    context_object_name = "report"

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().select_related("unit", "form", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = self.object
        values = {row.indicator_id: row for row in report.values.all()}
        context.update(
            title=f"{report.unit} · {report.day:%Y-%m-%d}",
            rows=[(indicator, values.get(indicator.pk)) for indicator in report.form.indicators.all()],
            corrections=ValueCorrection.objects.visible_to(self.request.user)
            .filter(report=report)
            .select_related("indicator", "created_by"),
            state=services.entry_state(report.form, report.unit, report.day),
            approval=queries.day_approval(report.form, report.day),
        )
        return context


# --- Roll-up and rates -----------------------------------------------------------------------------------


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    """汇总: the district's (or a unit's) sums by day with trend charts, and the last day by unit."""
    selection = _select(request)
    if selection.form is not None and request.GET.get("export") == "xlsx":
        return daily_tables_response(selection.form, selection.start, selection.end, request.user, selection.unit)
    context: dict[str, Any] = {"title": _("疫情日报汇总"), "picker": selection.picker, "form": selection.form}
    if selection.form is not None:
        summary = queries.rollup(selection.form, selection.start, selection.end, request.user, selection.unit)
        context.update(rollup=summary, chart=summary.chart(), query_string=request.GET.urlencode())
    return render(request, "outbreak/rollup.html", context)


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    """上报率: reporting and on-time rate of every unit over a span."""
    selection = _select(request)
    context: dict[str, Any] = {"title": _("上报率统计"), "picker": selection.picker, "form": selection.form}
    if selection.form is not None:
        rows = queries.unit_rates(selection.form, selection.start, selection.end, request.user, selection.unit)
        if request.GET.get("export") == "xlsx":
            return rates_response(selection.form, selection.start, selection.end, rows)
        expected = sum(row.expected for row in rows)
        context.update(
            rows=rows,
            total_reporting=queries.rate(sum(row.reported for row in rows), expected),
            total_on_time=queries.rate(sum(row.on_time for row in rows), expected),
            query_string=request.GET.urlencode(),
        )
    return render(request, "outbreak/rates.html", context)
