"""Staff pages of the study part's sessions: list, create from a planned item, edit, cancel.
Thin: reads through ``visible_to`` and ``queries.study``, writes through ``services.study``;
another unit's record answers 404 like a missing one."""

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

from xuanchuan.core.services import run_service
from xuanchuan.core.views import visible_or_404
from xuanchuan.theory.forms.study import (
    SessionFilterSet,
    SessionForm,
)
from xuanchuan.theory.models import PlannedSession, StudySession
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


def session_or_404(request: HttpRequest, pk: Any) -> StudySession:
    require_view(request)
    sessions = StudySession.objects.select_related("group", "unit", "planned")  # scoping: allowed (below)
    return visible_or_404(sessions, request.user, pk)


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
