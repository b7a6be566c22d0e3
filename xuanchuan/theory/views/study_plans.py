"""Staff pages of the study part's plans: study plans and their planned items (completion at a
glance, Excel). Thin: reads through ``visible_to`` and ``queries.study``, writes through
``services.study``; another unit's record answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import run_service
from xuanchuan.core.views import visible_or_404
from xuanchuan.theory.forms.study import (
    PlanFilterSet,
    PlanForm,
    PlannedItemForm,
)
from xuanchuan.theory.models import PlannedSession, StudyPlan
from xuanchuan.theory.permissions import may_manage_study
from xuanchuan.theory.queries import study as queries
from xuanchuan.theory.services import study as services
from xuanchuan.theory.views.study_common import (
    StudyListView,
    confirm_then_run,
    form_page,
    require_manager,
    require_view,
)


def _plan(request: HttpRequest, pk: Any) -> StudyPlan:
    require_view(request)
    return visible_or_404(StudyPlan.objects.select_related("group", "unit"), request.user, pk)  # scoping: allowed


def _item(request: HttpRequest, pk: Any) -> PlannedSession:
    require_view(request)
    items = PlannedSession.objects.select_related("plan", "plan__unit")  # scoping: allowed (below)
    return visible_or_404(items, request.user, pk)


# ---------------------------------------------------------------- plans


class PlanListView(StudyListView):
    """学习计划: every plan in scope (year and group filters), with its planned items' count."""

    model = StudyPlan
    title = gettext_lazy("年度学习计划")
    filterset_class = PlanFilterSet
    search_fields = ("title", "group__name")
    detail_url_name = "theory:plan_detail"
    export_name = "theory-study-plans"
    columns = (
        ("title", gettext_lazy("标题")),
        ("year", gettext_lazy("年度")),
        ("group__name", gettext_lazy("中心组")),
        ("unit__name", gettext_lazy("所属单位")),
        ("item_count", gettext_lazy("计划专题数")),
    )
    create_url = "theory:plan_create"

    def base_queryset(self) -> QuerySet:
        plans = StudyPlan.objects.select_related("group", "unit")  # scoping: allowed (visible_to in get_queryset)
        return plans.annotate(item_count=Count("items")).order_by("-year", "unit__path")


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with its completion at a glance; ``?export=xlsx`` downloads the items and their state."""
    plan = _plan(request, pk)
    completion = queries.plan_completion(plan)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("月份"),
            _("学习专题"),
            _("形式"),
            _("主讲或重点发言人"),
            _("学习材料"),
            _("完成情况"),
            _("举行日期"),
        ]
        rows = (
            [
                row.item.month,
                row.item.topic,
                row.item.get_kind_display(),
                row.item.speakers,
                row.item.materials,
                _("已完成") if row.done else (_("逾期未学") if row.overdue else _("未开展")),
                "、".join(timezone.localtime(s.starts_at).strftime("%Y-%m-%d") for s in row.sessions),
            ]
            for row in completion.rows
        )
        return xlsx_response(f"theory-plan-{plan.year}", plan.title, [str(h) for h in headers], rows)
    context = {
        "plan": plan,
        "completion": completion,
        "title": plan.title,
        "may_manage": may_manage_study(request.user),
    }
    return render(request, "theory/study/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    initial = {}
    if str(request.GET.get("group", "")).isdigit():
        initial["group"] = request.GET["group"]
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = run_service(
            request,
            lambda: services.save_plan(
                None, group=data["group"], year=data["year"], title=data["title"], note=data["note"], by=request.user
            ),
            _("已建立学习计划。"),
        )
        if plan is not None:
            return redirect("theory:plan_detail", pk=plan.pk)
    return form_page(request, form, title=_("新建年度学习计划"), back=reverse("theory:plan_list"))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    require_manager(request)
    form = PlanForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial={"year": plan.year, "title": plan.title, "note": plan.note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_plan(
                plan, group=plan.group, year=data["year"], title=data["title"], note=data["note"], by=request.user
            ),
            _("已保存。"),
        )
        if saved is not None:
            return redirect("theory:plan_detail", pk=plan.pk)
    return form_page(request, form, title=_("编辑学习计划"), back=reverse("theory:plan_detail", args=[plan.pk]))


def _item_form(request: HttpRequest, plan: StudyPlan, item: PlannedSession | None) -> HttpResponse:
    require_manager(request)
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in ("topic", "kind", "month", "speakers", "materials")}
    form = PlannedItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request, lambda: services.save_planned_item(item, plan=plan, by=request.user, **data), _("已保存计划专题。")
        )
        if saved is not None:
            return redirect("theory:plan_detail", pk=plan.pk)
    title = _("编辑计划专题") if item else _("添加计划专题")
    return form_page(request, form, title=title, back=reverse("theory:plan_detail", args=[plan.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_form(request, _plan(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _item_form(request, item.plan, item)


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    require_manager(request)
    return confirm_then_run(
        request,
        lambda: services.delete_planned_item(item, by=request.user),
        success=_("已删除计划专题。"),
        done_url=reverse("theory:plan_detail", args=[item.plan_id]),
        title=_("删除计划专题"),
        question=_("删除计划专题“%(topic)s”？") % {"topic": item.topic},
        explain=_("为它举行的会议保留，但不再计入计划完成情况。"),
        button=_("确认删除"),
        danger=True,
    )
