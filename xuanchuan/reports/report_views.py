"""Pages of the report: templates (default, copies, imports), generation with progress, outputs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanchuan.core.exports import XLSX_TYPE
from xuanchuan.core.services import run_service
from xuanchuan.org.scoping import user_sees_all_units
from xuanchuan.org.services import district_root
from xuanchuan.reports import defaults, placeholders, services, templating
from xuanchuan.reports.forms import GenerateForm, ImportForm, TemplateForm, parse_variables
from xuanchuan.reports.generation import render as render_template
from xuanchuan.reports.models import GeneratedReport, ImportStatus, JobStatus, ReportTemplate, TemplateImport
from xuanchuan.reports.registry import FigureError, Period, PeriodError, get_figure
from xuanchuan.reports.scope import unit_choices

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _own_unit(request: HttpRequest) -> Any:
    """The unit new templates and imports belong to: the user's own (the district's for an account
    that sees the whole district without belonging to a unit, such as an administrator)."""
    user = request.user
    if user.unit is not None:
        return user.unit
    if user_sees_all_units(user):
        return district_root()
    raise Http404


def _templates(request: HttpRequest) -> Any:
    return ReportTemplate.objects.visible_to(request.user).select_related("unit")


def _figure_url(key: str, period: str, unit_id: int | None) -> str:
    url = reverse("reports:figure_detail", args=[key]) + f"?period={quote(period)}"
    return url + (f"&unit={unit_id}" if unit_id else "")


def _preview_blocks(report: Any) -> list[dict[str, Any]]:
    """Blocks of a rendered report with each number's link to its records, for the templates."""
    periods = {False: report.period, True: Period.parse(report.period).previous_year().key}
    blocks = []
    for block in report.blocks:
        segments = []
        for segment in block.segments:
            item = report.figures.get(segment.figure) if segment.figure else None
            url = _figure_url(item.key, periods[segment.previous], report.unit_id) if item else ""
            label = item.label if item else ""
            segments.append({"text": segment.text, "url": url, "flag": segment.flag, "label": label})
        blocks.append({"kind": block.kind, "segments": segments})
    return blocks


# --- the report home: templates and generated reports ----------------------------------------------------


@login_required
def report_home(request: HttpRequest) -> HttpResponse:
    reports = GeneratedReport.objects.visible_to(request.user).select_related("unit", "created_by")
    query = request.GET.get("q", "").strip()
    if query:
        reports = reports.filter(template_name__icontains=query)
    status = request.GET.get("status", "")
    if status in JobStatus.values:
        reports = reports.filter(status=status)
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    imports = TemplateImport.objects.visible_to(request.user).filter(status=ImportStatus.REVIEW)[:10]
    context = {
        "title": _("工作报告"),
        "templates": _templates(request)[:50],
        "default_name": defaults.DEFAULT_NAME,
        "page_obj": page,
        "query_string": params.urlencode(),
        "imports": imports,
        "statuses": JobStatus.choices,
    }
    return render(request, "reports/report_home.html", context)


# --- templates -------------------------------------------------------------------------------------------


def _template_or_default(request: HttpRequest, pk: str) -> ReportTemplate | None:
    if pk == defaults.DEFAULT_KEY:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(_templates(request), pk=int(pk))


@login_required
def template_detail(request: HttpRequest, pk: str) -> HttpResponse:
    """A template's text, its figures, and a preview for a period and unit."""
    template = _template_or_default(request, pk)
    text = services.template_text(template)
    used = []
    for key in templating.figure_keys(text.body):
        try:
            used.append(get_figure(key))
        except FigureError:
            continue  # listed under problems
    context = {
        "title": text.name,
        "template": template,
        "text": text,
        "pk": pk,
        "used": used,
        "problems": templating.problems(text.body, services.known_figures()),
    }
    return render(request, "reports/template_detail.html", context)


@login_required
@require_POST
def template_copy(request: HttpRequest, pk: str) -> HttpResponse:
    source = _template_or_default(request, pk)
    unit = _own_unit(request)
    copy = run_service(request, lambda: services.copy_template(source, by=request.user, unit=unit))
    if copy is None:
        return redirect("reports:template_detail", pk=pk)
    messages.success(request, _("已复制为“%(name)s”，可以修改了。") % {"name": copy.name})
    return redirect("reports:template_edit", pk=copy.pk)


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request), pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("模板已保存。"))
        return redirect("reports:template_detail", pk=str(template.pk))
    return render(
        request,
        "reports/template_edit.html",
        {
            "title": _("编辑模板"),
            "template": template,
            "form": form,
            "figures": services.figure_catalogue(template.unit),
            "settings": templating.SETTINGS,
            "options": templating.OPTIONS,
            "period_default": str(timezone.localdate().year),
        },
    )


@login_required
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(_templates(request), pk=pk)
    if request.method == "POST":
        success = _("已删除模板“%(name)s”。已生成的报告不受影响。") % {"name": template.name}
        run_service(request, lambda: services.delete_template(template, by=request.user), success)
        return redirect("reports:home")
    return render(request, "reports/template_delete.html", {"title": _("删除模板"), "template": template})


@login_required
@require_POST
def template_preview(request: HttpRequest) -> HttpResponse:
    """The text being edited, rendered for a period and unit (htmx fragment)."""
    body = request.POST.get("body", "").replace("\r\n", "\n")
    context: dict[str, Any] = {}
    try:
        period = Period.parse(request.POST.get("preview_period", "") or str(timezone.localdate().year))
    except PeriodError as exc:
        return render(request, "reports/_preview.html", {"error": str(exc)})
    unit = None if user_sees_all_units(request.user) else request.user.unit
    try:
        variables = parse_variables(request.POST.get("variables_text", ""))
    except ValidationError as exc:
        variables = {}
        context["error"] = " ".join(exc.messages)
    report = render_template(body, period, unit, variables)
    context.update({"report": report, "blocks": _preview_blocks(report)})
    return render(request, "reports/_preview.html", context)


# --- import of a blanked document ---------------------------------------------------------------------


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unit = _own_unit(request)
        document = form.cleaned_data["document"]
        record = run_service(request, lambda: services.start_import(document, by=request.user, unit=unit))
        if record is not None:
            return redirect("reports:import_review", pk=record.pk)
    return render(request, "reports/import_start.html", {"title": _("导入文档为模板"), "form": form})


@login_required
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Each blank with its sentence and the proposed binding; staff confirm or change each one."""
    record = get_object_or_404(TemplateImport.objects.visible_to(request.user), pk=pk)
    if record.status == ImportStatus.DONE and record.template_id:
        return redirect("reports:template_detail", pk=str(record.template_id))
    if request.method == "POST":
        choices = {
            item["index"]: (
                request.POST.get(f"binding-{item['index']}", "").strip(),
                request.POST.getlist(f"style-{item['index']}"),
            )
            for item in record.placeholders
        }
        saved = run_service(request, lambda: services.save_bindings(record, choices, by=request.user))
        if saved is not None:
            return _after_saving_bindings(request, saved)
    catalogue = services.figure_catalogue(record.unit)
    figures = {item.key: item for item in catalogue}
    rows = []
    for item in record.placeholders:
        before, mark, after = services.sentence_around(record.text, item["start"], item["end"])
        candidates = []
        for key in [item.get("figure"), *item.get("alternatives", [])]:
            if key in figures:
                candidates.append(figures[key])
            elif key:  # a figure that takes an argument the paragraph did not name: each choice
                candidates += [found for found in catalogue if found.argument is not None and found.base_key == key]
        bound = item.get("binding", "")
        if bound and bound not in figures and "(" in bound:  # an argument no record names yet
            try:
                figures[bound] = get_figure(bound)
                catalogue.append(figures[bound])
            except FigureError:
                pass
        rows.append(
            {
                "item": item,
                "before": before,
                "mark": mark,
                "after": after,
                "class_label": placeholders.CLASS_LABELS.get(item["class"], item["class"]),
                "candidates": candidates[:12],
                "bound_figure": figures.get(bound),
            }
        )
    context = {
        "title": _("确认空白的绑定"),
        "record": record,
        "rows": rows,
        "figures": catalogue,
        "settings": templating.SETTINGS,
        "options": templating.OPTIONS,
        "counts": {
            "total": len(rows),
            "bound": sum(1 for row in rows if row["item"].get("binding")),
        },
    }
    return render(request, "reports/import_review.html", context)


def _after_saving_bindings(request: HttpRequest, record: TemplateImport) -> HttpResponse:
    """Back to the review, or (``finish``) on to the template made from the bindings."""
    if "finish" not in request.POST:
        messages.success(request, _("绑定已保存。"))
        return redirect("reports:import_review", pk=record.pk)
    name = request.POST.get("name", "")
    template = run_service(request, lambda: services.finish_import(record, by=request.user, name=name))
    if template is None:
        return redirect("reports:import_review", pk=record.pk)
    unbound = sum(1 for item in record.placeholders if not item.get("binding"))
    still = _("还有 %(n)s 处未绑定，生成报告时会标出。") % {"n": unbound} if unbound else ""
    messages.success(request, _("已生成模板“%(name)s”。%(unbound)s") % {"name": template.name, "unbound": still})
    return redirect("reports:template_detail", pk=str(template.pk))


# --- generation -------------------------------------------------------------------------------------------


@login_required
def generate(request: HttpRequest) -> HttpResponse:
    templates = list(_templates(request))
    units = unit_choices(request.user)
    initial = {"period": str(timezone.localdate().year), "template": request.GET.get("template", "default")}
    form = GenerateForm(request.POST or None, user=request.user, templates=templates, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = run_service(
            request, lambda: services.request_report(data["template"], data["period"], data["unit"], by=request.user)
        )
        if report is not None:
            return redirect("reports:report_detail", pk=report.pk)
    return render(request, "reports/generate.html", {"title": _("生成报告"), "form": form})


def _report(request: HttpRequest, pk: int) -> GeneratedReport:
    return get_object_or_404(GeneratedReport.objects.visible_to(request.user).select_related("unit"), pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress while the job runs; then the report with every number linked to its records."""
    report = _report(request, pk)
    context: dict[str, Any] = {"title": report.template_name, "report": report}
    if report.status == JobStatus.DONE:
        content = services.rendered(report)
        context.update({"content": content, "blocks": _preview_blocks(content)})
    return render(request, "reports/report_detail.html", context)


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return JsonResponse(
        {"status": report.status, "progress": report.progress, "message": report.message, "finished": report.finished}
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    content = services.rendered(report) if report.status == JobStatus.DONE else None
    if content is None:
        raise Http404
    return _download(services.docx_bytes(content), DOCX_TYPE, f"{content.unit_name}{content.period_label}工作报告.docx")


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    content = services.rendered(report) if report.status == JobStatus.DONE else None
    if content is None:
        raise Http404
    return _download(
        services.appendix_bytes(content), XLSX_TYPE, f"{content.unit_name}{content.period_label}指标附表.xlsx"
    )


@login_required
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if request.method == "POST":
        run_service(request, lambda: services.delete_report(report, by=request.user), _("已删除生成的报告。"))
        return redirect("reports:home")
    return render(request, "reports/report_delete.html", {"title": _("删除报告"), "report": report})
