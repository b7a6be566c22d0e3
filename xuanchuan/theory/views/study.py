"""Staff pages of the study part: central study groups and their members, study plans and their
planned items (completion at a glance, Excel), sessions (list, create from a planned item, edit,
cancel) and a member's archive. Thin: reads through ``visible_to`` and ``queries.study``, writes
through ``services.study``; another unit's record answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
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
    GroupFilterSet,
    GroupForm,
    MemberAddForm,
    MemberEditForm,
    MemberLeaveForm,
    PlanFilterSet,
    PlanForm,
    PlannedItemForm,
    SessionFilterSet,
    SessionForm,
)
from xuanchuan.theory.models import PlannedSession, StudyGroup, StudyMember, StudyPlan, StudySession
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


def _group(request: HttpRequest, pk: Any) -> StudyGroup:
    require_view(request)
    return visible_or_404(StudyGroup.objects.select_related("unit"), request.user, pk)  # scoping: allowed


def _member(request: HttpRequest, pk: Any) -> StudyMember:
    require_view(request)
    members = StudyMember.objects.select_related("group", "group__unit", "user")  # scoping: allowed (below)
    return visible_or_404(members, request.user, pk)


def _plan(request: HttpRequest, pk: Any) -> StudyPlan:
    require_view(request)
    return visible_or_404(StudyPlan.objects.select_related("group", "unit"), request.user, pk)  # scoping: allowed


def _item(request: HttpRequest, pk: Any) -> PlannedSession:
    require_view(request)
    items = PlannedSession.objects.select_related("plan", "plan__unit")  # scoping: allowed (below)
    return visible_or_404(items, request.user, pk)


def session_or_404(request: HttpRequest, pk: Any) -> StudySession:
    require_view(request)
    sessions = StudySession.objects.select_related("group", "unit", "planned")  # scoping: allowed (below)
    return visible_or_404(sessions, request.user, pk)


# ---------------------------------------------------------------- groups and members


class GroupListView(StudyListView):
    """理论学习中心组: the groups the user sees, with their current members' count."""

    model = StudyGroup
    title = gettext_lazy("理论学习中心组")
    filterset_class = GroupFilterSet
    search_fields = ("name", "unit__name")
    detail_url_name = "theory:group_detail"
    export_name = "theory-study-groups"
    columns = (
        ("name", gettext_lazy("名称")),
        ("unit__name", gettext_lazy("所属单位")),
        ("current_members", gettext_lazy("现有成员")),
        ("active", gettext_lazy("启用")),
    )
    create_url = "theory:group_create"

    def base_queryset(self) -> QuerySet:
        return StudyGroup.objects.select_related("unit").annotate(  # scoping: allowed (visible_to below)
            current_members=Count("members", filter=Q(members__left_on__isnull=True))
        )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A group: current members (and former, kept), its plans, this year's sessions and their rate."""
    group = _group(request, pk)
    year = timezone.localdate().year
    members = list(group.members.select_related("user", "user__unit").order_by("left_on", "role", "user__full_name"))
    year_sessions = StudySession.objects.visible_to(request.user).filter(group=group, starts_at__year=year)
    attended, expected, rate = queries.rate_of(year_sessions)
    context = {
        "group": group,
        "title": group.name,
        "current": [m for m in members if m.left_on is None],
        "former": [m for m in members if m.left_on is not None],
        "plans": list(group.plans.order_by("-year")),
        "sessions": list(year_sessions.order_by("-starts_at")[:50]),
        "year": year,
        "attended": attended,
        "expected": expected,
        "rate": rate,
        "may_manage": may_manage_study(request.user),
    }
    return render(request, "theory/study/group_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = run_service(
            request,
            lambda: services.save_group(
                None,
                unit=data["unit"],
                name=data["name"],
                description=data["description"],
                active=data["active"],
                by=request.user,
            ),
            _("已建立中心组。"),
        )
        if group is not None:
            return redirect("theory:group_detail", pk=group.pk)
    return form_page(request, form, title=_("新建理论学习中心组"), back=reverse("theory:group_list"))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_manager(request)
    initial = {"name": group.name, "description": group.description, "active": group.active}
    form = GroupForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_group(
                group,
                unit=group.unit,
                name=data["name"],
                description=data["description"],
                active=data["active"],
                by=request.user,
            ),
            _("已保存。"),
        )
        if saved is not None:
            return redirect("theory:group_detail", pk=group.pk)
    back = reverse("theory:group_detail", args=[group.pk])
    return form_page(request, form, title=_("编辑中心组"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person with an account (search by name or username among the units the user sees)."""
    group = _group(request, pk)
    require_manager(request)
    search = str(request.GET.get("q", ""))[:50].strip()
    form = MemberAddForm(request.POST or None, by=request.user, unit=group.unit, search=search)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = run_service(
            request,
            lambda: services.add_member(
                group, user=data["user"], role=data["role"], joined_on=data["joined_on"], by=request.user
            ),
            _("已添加成员。"),
        )
        if member is not None:
            return redirect("theory:group_detail", pk=group.pk)
    back = reverse("theory:group_detail", args=[group.pk])
    return form_page(
        request,
        form,
        title=_("添加成员：%(group)s") % {"group": group.name},
        back=back,
        search=search,
        search_enabled=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    require_manager(request)
    form = MemberEditForm(request.POST or None, initial={"role": member.role, "joined_on": member.joined_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            run_service(
                request,
                lambda: services.edit_member(member, role=data["role"], joined_on=data["joined_on"], by=request.user),
                _("已保存。"),
            )
            is not None
        ):
            return redirect("theory:group_detail", pk=member.group_id)
    back = reverse("theory:group_detail", args=[member.group_id])
    return form_page(request, form, title=_("编辑成员：%(name)s") % {"name": member.user.full_name}, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """A member leaves the group (confirmation with the date); the archive keeps them."""
    member = _member(request, pk)
    require_manager(request)
    form = MemberLeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    return confirm_then_run(
        request,
        lambda data: services.member_leave(member, left_on=data["left_on"], by=request.user),
        success=_("已办理退出。"),
        done_url=reverse("theory:group_detail", args=[member.group_id]),
        form=form,
        title=_("退出中心组"),
        question=_("%(name)s 退出“%(group)s”？") % {"name": member.user.full_name, "group": member.group.name},
        explain=_("退出后不再计入应出席人数；以往的出席、请假和发言记录保留在档案中。"),
        button=_("确认退出"),
        danger=True,
    )


@login_required
def member_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's archive in a group: sessions attended, absences, leave and make-ups, speeches."""
    member = _member(request, pk)
    archive = queries.member_archive(member)
    context = {
        "member": member,
        "archive": archive,
        "rate": queries.attendance_rate(*archive.counts),
        "today": timezone.localdate(),
        "title": _("学习档案：%(name)s") % {"name": member.user.full_name or member.user.username},
    }
    return render(request, "theory/study/member_archive.html", context)


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


# ---------------------------------------------------------------- sessions


class SessionListView(StudyListView):
    """学习会议: filters by group, kind, status and year; search; Excel with attendance figures."""

    model = StudySession
    title = gettext_lazy("中心组学习会议")
    filterset_class = SessionFilterSet
    search_fields = ("topic", "group__name", "place", "speakers")
    detail_url_name = "theory:session_detail"
    export_name = "theory-study-sessions"
    columns = (
        ("topic", gettext_lazy("学习专题")),
        ("group__name", gettext_lazy("中心组")),
        ("get_kind_display", gettext_lazy("形式")),
        ("starts_at_text", gettext_lazy("开始时间")),
        ("place", gettext_lazy("地点")),
        ("get_status_display", gettext_lazy("状态")),
        ("present_count", gettext_lazy("签到人数")),
    )
    create_url = "theory:session_create"

    def base_queryset(self) -> QuerySet:
        return StudySession.objects.select_related("group", "unit").annotate(  # scoping: allowed (visible_to below)
            present_count=Count("attendances")
        )

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.starts_at_text = timezone.localtime(row.starts_at).strftime("%Y-%m-%d %H:%M")
        return super().row_values(row, columns)

    def export_columns(self) -> Any:
        return (*self.columns, ("speakers", gettext_lazy("主讲或重点发言人")), ("unit__name", gettext_lazy("所属单位")))


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session: details, attendance (present, missing, on leave) and its rate, leave, minutes, speeches."""
    session = session_or_404(request, pk)
    state = queries.screen_state(session)
    attended, expected = queries.attendance_counts([session])
    context = {
        "session": session,
        "state": state,
        "attended": attended,
        "expected": expected,
        "rate": queries.attendance_rate(attended, expected),
        "leaves": list(session.leaves.select_related("member__user", "decided_by").order_by("created_at")),
        "speeches": list(session.speeches.select_related("member__user")),
        "title": session.topic,
        "may_manage": may_manage_study(request.user),
        "now": timezone.now(),
    }
    return render(request, "theory/study/session_detail.html", context)


def _session_initial(request: HttpRequest) -> dict[str, Any]:
    """Prefill from a planned item (``?planned=``) or a group (``?group=``) the user sees."""
    initial: dict[str, Any] = {}
    raw = str(request.GET.get("planned", ""))
    if raw.isdigit() and len(raw) < 18:
        item = PlannedSession.objects.visible_to(request.user).select_related("plan").filter(pk=raw).first()
        if item is not None:
            initial = {
                "planned": item.pk,
                "group": item.plan.group_id,
                "topic": item.topic,
                "kind": item.kind,
                "speakers": item.speakers,
                "materials": item.materials,
            }
    raw = str(request.GET.get("group", ""))
    if raw.isdigit() and len(raw) < 18:
        initial.setdefault("group", raw)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = SessionForm(request.POST or None, user=request.user, initial=_session_initial(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group = data.pop("group")
        session = run_service(
            request, lambda: services.save_session(None, group=group, by=request.user, **data), _("已安排学习会议。")
        )
        if session is not None:
            return redirect("theory:session_detail", pk=session.pk)
    return form_page(request, form, title=_("安排学习会议"), back=reverse("theory:session_list"))


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_or_404(request, pk)
    require_manager(request)
    fields = ("planned", "topic", "kind", "starts_at", "ends_at", "place", "speakers", "materials")
    initial = {f: getattr(session, f) for f in fields}
    initial["starts_at"] = timezone.localtime(session.starts_at)
    initial["ends_at"] = timezone.localtime(session.ends_at)
    form = SessionForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request, lambda: services.save_session(session, group=session.group, by=request.user, **data), _("已保存。")
        )
        if saved is not None:
            return redirect("theory:session_detail", pk=session.pk)
    return form_page(request, form, title=_("编辑学习会议"), back=reverse("theory:session_detail", args=[session.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_or_404(request, pk)
    require_manager(request)
    return confirm_then_run(
        request,
        lambda: services.cancel_session(session, by=request.user),
        success=_("已取消会议。"),
        done_url=reverse("theory:session_detail", args=[session.pk]),
        title=_("取消学习会议"),
        question=_("取消“%(topic)s”？") % {"topic": session.topic},
        explain=_("取消后不能再签到，也不计入学习次数。"),
        button=_("确认取消会议"),
        danger=True,
    )
