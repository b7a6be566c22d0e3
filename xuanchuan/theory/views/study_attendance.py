"""Pages of attendance, leave and speeches in the study part.

Staff (``may_manage_study``, in scope): the organiser's screen with the changing QR code and the live
lists (an htmx fragment polled every few seconds), recording a member by hand, closing attendance,
the minutes, the leave queue. Members (anyone signed in, for the groups they belong to): the page the
QR leads to (phone-sized), typing the code, asking for leave, make-up study, speeches, and their own
record (``my_study``). A member's pages find the session through their own membership: somebody who
was never a member of the group gets 404, like for a session that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import style_form, visible_or_404
from xuanchuan.theory.forms.study import (
    CodeForm,
    LeaveDecideForm,
    LeaveFilterSet,
    LeaveRequestForm,
    MakeupForm,
    MinutesForm,
    RecordByHandForm,
    SpeechForm,
)
from xuanchuan.theory.models import Leave, Speech, StudyMember, StudySession
from xuanchuan.theory.queries import study as queries
from xuanchuan.theory.services import study as services
from xuanchuan.theory.services import study_codes
from xuanchuan.theory.views.study_common import StudyListView, confirm_then_run, form_page, require_manager
from xuanchuan.theory.views.study_sessions import session_or_404

POLL_SECONDS = 4


def _managed_session(request: HttpRequest, pk: Any) -> StudySession:
    session = session_or_404(request, pk)
    require_manager(request)
    return session


# ---------------------------------------------------------------- the organiser's screen


def _screen_context(request: HttpRequest, session: StudySession) -> dict[str, Any]:
    return {
        "session": session,
        "screen": study_codes.screen_code(session, request) if session.closed_at is None else None,
        "state": queries.screen_state(session),
        "poll_seconds": POLL_SECONDS,
        "state_url": reverse("theory:session_screen_state", args=[session.pk]),
        "period": settings.THEORY_CHECKIN_CODE_SECONDS,
    }


@login_required
@never_cache
def session_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's screen: a big QR code changing every ``THEORY_CHECKIN_CODE_SECONDS``, the code
    in text, who is present, who is missing, who is on leave; the fragment refreshes itself."""
    session = _managed_session(request, pk)
    context = _screen_context(request, session)
    context["title"] = _("会议签到")
    return render(request, "theory/study/session_screen.html", context)


@login_required
@never_cache
def session_screen_state(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the screen polls (htmx): the current QR and code, the live lists."""
    session = _managed_session(request, pk)
    response = render(request, "theory/study/_screen_state.html", _screen_context(request, session))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a member present by hand (marked 工作人员补记, with who recorded it)."""
    session = _managed_session(request, pk)
    form = RecordByHandForm(request.POST)
    if form.is_valid():
        members = StudyMember.objects.filter(group_id=session.group_id)  # scoping: allowed (the session's group)
        member = get_object_or_404(members, pk=form.cleaned_data["member"])
        run_service(
            request,
            lambda: services.record_by_hand(session, member, by=request.user),
            _("已补记 %(name)s 出席。") % {"name": member.user.full_name},
        )
    back = request.POST.get("back", "")
    if back == "screen":
        return redirect("theory:session_screen", pk=session.pk)
    return redirect("theory:session_detail", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _managed_session(request, pk)
    state = queries.screen_state(session)
    return confirm_then_run(
        request,
        lambda: services.close_attendance(session, by=request.user),
        success=_("已结束签到，请填写会议纪要。"),
        done_url=reverse("theory:session_detail", args=[session.pk]),
        title=_("结束签到"),
        question=_("结束“%(topic)s”的签到？") % {"topic": session.topic},
        explain=_(
            "已签到 %(present)s 人，未到 %(missing)s 人，请假 %(leave)s 人。结束后成员不能再扫码，组织者仍可补记。"
        )
        % {"present": len(state.present), "missing": len(state.missing), "leave": len(state.on_leave)},
        button=_("结束签到"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the minutes (纪要); the session then counts as held."""
    session = _managed_session(request, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": session.minutes})
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.save_minutes(session, minutes=form.cleaned_data["minutes"], by=request.user),
            _("已保存纪要，会议记为已举行。"),
        )
    ):
        return redirect("theory:session_detail", pk=session.pk)
    return form_page(
        request,
        form,
        title=_("会议纪要：%(topic)s") % {"topic": session.topic},
        back=reverse("theory:session_detail", args=[session.pk]),
    )


# ---------------------------------------------------------------- the member's phone


def _member_session(request: HttpRequest, pk: Any) -> StudySession:
    """A session of a group the user has ever been a member of, else 404."""
    if not 0 < int(pk) < 2**63:
        raise Http404
    sessions = StudySession.objects.filter(group__members__user=request.user)  # scoping: allowed (own membership)
    sessions = sessions.select_related("group").distinct()
    return get_object_or_404(sessions, pk=pk)


def _checkin_page(request: HttpRequest, session: StudySession, **context: Any) -> HttpResponse:
    status = 400 if context.get("error") else 200
    context.update({"session": session, "title": _("会议签到")})
    return render(request, "theory/study/checkin.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_checkin(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Where the screen's QR leads (signed in with one's staff account): GET shows the session and
    one confirm button; POST records attendance. Every refusal says why (400)."""
    if len(code) > 64:
        raise Http404
    session = _member_session(request, pk)
    member = services.current_member(session, request.user)
    already = member is not None and session.attendances.filter(member=member).exists()
    if request.method == "POST" and not already:
        try:
            attendance = services.check_in(session, user=request.user, code=code)
        except services.AlreadyCheckedIn:
            already = True
        except (PermissionDenied, ValidationError) as exc:
            return _checkin_page(request, session, code=code, error=refusal_text(exc))
        else:
            return _checkin_page(request, session, done=attendance)
    if already:
        return _checkin_page(request, session, already=True)
    try:
        services.open_for_attendance(session, timezone.now())
    except ValidationError as exc:
        return _checkin_page(request, session, error=refusal_text(exc))
    if member is None:
        return _checkin_page(request, session, error=_("您不是该中心组的成员，无需在此签到。"))
    if not study_codes.is_valid(session, code):
        return _checkin_page(request, session, error=_("签到码已过期或不正确，请扫描屏幕上最新的二维码。"))
    return _checkin_page(request, session, code=code, member=member)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_code(request: HttpRequest) -> HttpResponse:
    """Type the 8-character code shown on the screen (for a phone that cannot scan)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.check_in_by_code(user=request.user, code=form.cleaned_data["code"])
        except services.AlreadyCheckedIn as exc:
            form.add_error("code", refusal_text(exc))
        except (PermissionDenied, ValidationError) as exc:
            form.add_error("code", refusal_text(exc))
        else:
            return _checkin_page(request, attendance.session, done=attendance)
    style_form(form, size="lg")
    status = 400 if request.method == "POST" else 200
    return render(request, "theory/study/checkin_code.html", {"form": form, "title": _("输入签到码")}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A member asks for leave from a session before it starts, with a reason."""
    session = _member_session(request, pk)
    form = LeaveRequestForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.request_leave(session, user=request.user, reason=form.cleaned_data["reason"]),
            _("已提交请假，等待批准。"),
        )
    ):
        return redirect("theory:my_study")
    return form_page(
        request,
        form,
        title=_("请假：%(topic)s") % {"topic": session.topic},
        back=reverse("theory:my_study"),
        session=session,
    )


@login_required
@require_http_methods(["GET", "POST"])
def makeup_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The member reports the make-up study of an approved leave."""
    own = Leave.objects.filter(member__user=request.user)  # scoping: allowed (the member's own leave)
    leave = get_object_or_404(own.select_related("session"), pk=pk)
    form = MakeupForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.submit_makeup(leave, user=request.user, note=form.cleaned_data["note"]),
            _("已提交补学情况。"),
        )
    ):
        return redirect("theory:my_study")
    return form_page(
        request,
        form,
        title=_("补学：%(topic)s") % {"topic": leave.session.topic},
        back=reverse("theory:my_study"),
        session=leave.session,
    )


@login_required
@require_http_methods(["GET", "POST"])
def speech_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A member who attended submits a speech: title, text, an optional PDF or DOCX."""
    session = _member_session(request, pk)
    form = SpeechForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            lambda: services.submit_speech(
                session, user=request.user, title=data["title"], text=data["text"], file=data["file"]
            ),
            _("已提交交流发言。"),
        ):
            return redirect("theory:my_study")
    return form_page(
        request,
        form,
        title=_("提交交流发言：%(topic)s") % {"topic": session.topic},
        back=reverse("theory:my_study"),
        multipart=True,
    )


@login_required
def speech_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A speech's attachment: for staff who see the session, and for the member who wrote it."""
    if not 0 < int(pk) < 2**63:
        raise Http404
    speech = Speech.objects.visible_to(request.user).filter(pk=pk).first()
    if speech is None:
        own = Speech.objects.filter(member__user=request.user)  # scoping: allowed (the member's own speech)
        speech = get_object_or_404(own, pk=pk)
    if not speech.file:
        raise Http404
    name = speech.file.name.rsplit("/", 1)[-1]
    return FileResponse(speech.file.open("rb"), as_attachment=True, filename=name)


@login_required
def my_study(request: HttpRequest) -> HttpResponse:
    """A member's own study record (any signed-in user, also without any management role)."""
    record = queries.my_study(request.user)
    context = {"record": record, "title": _("我的学习"), "today": timezone.localdate(), "now": timezone.now()}
    return render(request, "theory/study/my_study.html", context)


# ---------------------------------------------------------------- leave (staff)


class LeaveQueueView(StudyListView):
    """请假与补学: leave waiting for a decision first; filters by status and overdue make-up; Excel."""

    model = Leave
    title = gettext_lazy("请假与补学")
    template_name = "theory/study/leave_queue.html"
    filterset_class = LeaveFilterSet
    search_fields = ("member__user__full_name", "session__topic", "reason")
    export_name = "theory-study-leave"
    columns = (
        ("member__user__full_name", gettext_lazy("成员")),
        ("session__topic", gettext_lazy("学习会议")),
        ("reason", gettext_lazy("请假事由")),
        ("get_status_display", gettext_lazy("状态")),
        ("makeup_due", gettext_lazy("补学期限")),
        ("made_up_text", gettext_lazy("补学")),
    )

    def base_queryset(self) -> Any:
        leave = Leave.objects.select_related("member__user", "session__group", "decided_by")  # scoping: allowed (below)
        return leave.order_by("status", "-created_at")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.made_up_text = timezone.localtime(row.made_up_at).strftime("%Y-%m-%d") if row.made_up_at else ""
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["overdue_count"] = queries.overdue_makeups(self.request.user).count()
        return context


def _leave(request: HttpRequest, pk: Any) -> Leave:
    require_manager(request)
    return visible_or_404(Leave.objects.select_related("session", "member__user"), request.user, pk)  # scoping: allowed


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    leave = _leave(request, pk)
    name = leave.member.user.full_name or leave.member.user.username
    form = LeaveDecideForm(request.POST or None) if approve else None
    return confirm_then_run(
        request,
        (lambda data: services.decide_leave(leave, approve=True, makeup_due=data["makeup_due"], by=request.user))
        if approve
        else (lambda: services.decide_leave(leave, approve=False, by=request.user)),
        success=_("已准假。") if approve else _("已不准假。"),
        done_url=reverse("theory:leave_queue"),
        form=form,
        title=_("准假") if approve else _("不准假"),
        question=(_("准予 %(name)s 请假？") if approve else _("不准 %(name)s 请假？")) % {"name": name},
        explain=_("会议：%(topic)s；事由：%(reason)s") % {"topic": leave.session.topic, "reason": leave.reason},
        button=_("准假") if approve else _("不准假"),
        danger=not approve,
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, True)


@login_required
@require_http_methods(["GET", "POST"])
def leave_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, False)
