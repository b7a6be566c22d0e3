"""Pages of attendance and hours.

Staff: the organiser's check-in screen (QR code changing every ``VOLUNTEERS_CHECKIN_CODE_SECONDS``,
the code in text, live counts and who is in; refreshed by ``static/volunteers/checkin.js`` from a
JSON state), closing attendance, the records with filters and export, the queue of hours entered
by hand, a record's page with its correction history, correcting, entering, approving and
refusing hours, volunteers' reports of wrong hours (纠错) and resolving them.

Phone (the volunteer's signed cookie, no staff account): the scan page the QR code leads to (GET
shows what will happen, POST does it), typing the code instead of scanning, the volunteer's hours,
asking for hours by hand (补录), reporting wrong hours of a confirmed record (纠错).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from xuanchuan.core.public import too_many_requests
from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import style_form, visible_or_404
from xuanchuan.volunteers import checkin_codes
from xuanchuan.volunteers.forms.attendance import (
    CodeForm,
    CorrectForm,
    DecisionForm,
    DisputeFilterSet,
    DisputeForm,
    HoursEnterForm,
    HoursRequestForm,
    RecordFilterSet,
    RefuseForm,
    ResolveForm,
)
from xuanchuan.volunteers.models import DisputeStatus, HoursDispute, RecordStatus, ServiceRecord
from xuanchuan.volunteers.permissions import may_approve_hours, may_manage, may_view
from xuanchuan.volunteers.queries import attendance as queries
from xuanchuan.volunteers.services import attendance as services
from xuanchuan.volunteers.session import volunteer_required
from xuanchuan.volunteers.views._common import StaffListView

# A phone scans twice at most per activity; 30 a minute leaves room for retries on a bad
# connection. Counted per volunteer, not per address: everybody at a site may share its Wi-Fi.
PHONE_RATE = "30/m"


def _per_volunteer_limit(group: str) -> Callable:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_ratelimited(
                request,
                group=group,
                key=lambda _group, req: f"volunteer:{req.volunteer.pk}",
                rate=PHONE_RATE,
                method=["POST"],
                increment=True,
            ):
                return too_many_requests(request, PHONE_RATE)
            return view(request, *args, **kwargs)

        return guarded

    return decorate


# --- The organiser's screen ---------------------------------------------------------------


def _managed_activity(request: HttpRequest, pk: int) -> Any:
    activity = visible_or_404(queries.activities(request.user), request.user, pk)
    require(may_manage(request.user))
    return activity


@login_required
def checkin_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's screen at the site: a big QR code changing every minute, the code in text
    for typing, the countdown to the next change, live counts and who is in."""
    activity = _managed_activity(request, pk)
    context = {
        "activity": activity,
        "screen": checkin_codes.screen_code(activity, request),
        "counts": queries.screen_counts(activity),
        "present": queries.present(activity),
        "title": _("现场签到"),
        "period": settings.VOLUNTEERS_CHECKIN_CODE_SECONDS,
    }
    return render(request, "volunteers/attendance/screen.html", context)


@login_required
@never_cache
def checkin_screen_state(request: HttpRequest, pk: int) -> JsonResponse:
    """What the screen's script refreshes: the QR (SVG), the code, seconds left, counts, who is in."""
    activity = _managed_activity(request, pk)
    screen = checkin_codes.screen_code(activity, request)
    counts = queries.screen_counts(activity)
    present = [
        {
            "number": record.volunteer.number,
            "name": _masked_name(record.volunteer.name),
            "at": _hhmm(record.checked_in_at),
        }
        for record in queries.present(activity)
    ]
    response = JsonResponse(
        {
            "svg": screen.svg,
            "code": screen.code,
            "url": screen.url,
            "seconds_left": screen.seconds_left,
            "closed": activity.closed_at is not None,
            "counts": {
                "signed_up": counts.signed_up,
                "checked_in": counts.checked_in,
                "checked_out": counts.checked_out,
            },
            "present": present,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _masked_name(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def _hhmm(value: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%H:%M") if value else ""


@login_required
@require_http_methods(["GET", "POST"])
def checkin_close(request: HttpRequest, pk: int) -> HttpResponse:
    """End the check-in and check-out of an activity (a confirmation page): those still checked
    in get no hours (VOID) and may ask for 补录."""
    activity = _managed_activity(request, pk)
    if request.method == "POST":
        voided = run_service(request, lambda: services.close_activity(activity, by=request.user))
        if voided is not None:
            messages.success(request, _("已结束签到签退；%(n)s 人未签退，记录作废。") % {"n": voided})
        return redirect("volunteers:checkin_screen", pk=activity.pk)
    counts = queries.screen_counts(activity)
    context = {
        "activity": activity,
        "title": _("结束签到签退"),
        "open_count": counts.checked_in - counts.checked_out,
    }
    return render(request, "volunteers/attendance/close.html", context)


# --- Records and hours (staff) --------------------------------------------------------------


class RecordListView(StaffListView):
    """Service records the user sees: filters by activity, status, source, unit and date; export."""

    model = ServiceRecord
    template_name = "volunteers/attendance/record_list.html"
    filterset_class = RecordFilterSet
    search_fields = ("activity__title", "volunteer__number")
    title = gettext_lazy("志愿服务记录")
    export_name = "service_records"
    columns = (
        ("served_on", gettext_lazy("服务日期")),
        ("activity__title", gettext_lazy("活动")),
        ("volunteer__number", gettext_lazy("志愿者编号")),
        ("get_source_display", gettext_lazy("记录方式")),
        ("get_status_display", gettext_lazy("状态")),
        ("minutes", gettext_lazy("服务时长（分钟）")),
        ("unit__name", gettext_lazy("所属单位")),
    )

    def base_queryset(self) -> Any:
        return ServiceRecord.objects.select_related("activity", "volunteer", "unit")  # scoping: allowed (below)

    def export_columns(self) -> Any:
        return (
            *self.columns,
            ("checked_in_at", gettext_lazy("签到时间")),
            ("checked_out_at", gettext_lazy("签退时间")),
            ("reason", gettext_lazy("补录原因")),
            ("decision_note", gettext_lazy("审核意见")),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["pending_count"] = queries.pending_count(self.request.user)
        return context


@login_required
def hours_queue(request: HttpRequest) -> HttpResponse:
    """Hours entered by hand waiting for approval, with who asked (a volunteer or a member of staff)."""
    require(may_approve_hours(request.user))
    rows = list(queries.pending(request.user)[:200])
    context = {"rows": rows, "title": _("补录时长待审核")}
    return render(request, "volunteers/attendance/queue.html", context)


def _record(request: HttpRequest, pk: int) -> ServiceRecord:
    require(may_view(request.user))
    return visible_or_404(queries.records(request.user), request.user, pk)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A record: times, minutes, 补录 mark, the decision, the history of corrections."""
    record = _record(request, pk)
    page = queries.record_page(request.user, record)
    context = {"page": page, "record": record, "title": _("服务记录")}
    return render(request, "volunteers/attendance/record_detail.html", context)


def _action_page(request: HttpRequest, record: ServiceRecord, form: Any, **extra: Any) -> HttpResponse:
    context = {"record": record, "form": style_form(form), **extra}
    return render(request, "volunteers/attendance/action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the certified minutes of a record, with a reason (the history is kept)."""
    record = _record(request, pk)
    require(may_approve_hours(request.user))
    form = CorrectForm(request.POST or None, initial={"new_minutes": record.minutes})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.correct_hours(
                record, new_minutes=data["new_minutes"], reason=data["reason"], by=request.user
            ),
            success=_("已更正服务时长，原时长记入更正记录。"),
        )
        if done is not None:
            return redirect("volunteers:record_detail", pk=record.pk)
    return _action_page(request, record, form, title=_("更正服务时长"), submit=_("确认更正"))


@login_required
@require_http_methods(["GET", "POST"])
def record_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve hours entered by hand (a confirmation page)."""
    record = _record(request, pk)
    require(may_approve_hours(request.user))
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.approve_hours(record, by=request.user, note=form.cleaned_data["note"]),
            success=_("已通过补录，时长计入服务记录。"),
        )
        if done is not None:
            return redirect("volunteers:hours_queue")
    return _action_page(request, record, form, title=_("通过补录"), submit=_("确认通过"))


@login_required
@require_http_methods(["GET", "POST"])
def record_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse hours entered by hand, with the reason (a confirmation page)."""
    record = _record(request, pk)
    require(may_approve_hours(request.user))
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.refuse_hours(record, by=request.user, note=form.cleaned_data["note"]),
            success=_("已不予通过。"),
        )
        if done is not None:
            return redirect("volunteers:hours_queue")
    return _action_page(request, record, form, title=_("不予通过补录"), submit=_("确认不予通过"), danger=True)


@login_required
@require_http_methods(["GET", "POST"])
def hours_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter hours (补录) for a volunteer signed up to the activity; someone else approves them."""
    activity = _managed_activity(request, pk)
    form = HoursEnterForm(request.POST or None, volunteers=queries.signed_up_volunteers(request.user, activity))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = run_service(
            request,
            lambda: services.enter_hours(
                activity, data["volunteer"], minutes=data["minutes"], reason=data["reason"], by=request.user
            ),
            success=_("已录入补录时长，待其他工作人员审核。"),
        )
        if record is not None:
            return redirect("volunteers:record_detail", pk=record.pk)
    context = {"activity": activity, "form": style_form(form), "title": _("补录服务时长")}
    return render(request, "volunteers/attendance/hours_enter.html", context)


# --- Volunteers' reports of wrong hours (staff) ---------------------------------------------


class DisputeListView(StaffListView):
    """Volunteers' reports of wrong hours the user sees, open ones first; filters by status and
    unit; export."""

    model = HoursDispute
    template_name = "volunteers/attendance/dispute_list.html"
    filterset_class = DisputeFilterSet
    search_fields = ("record__activity__title", "record__volunteer__number")
    title = gettext_lazy("时长纠错")
    export_name = "hours_disputes"
    columns = (
        ("created_at", gettext_lazy("反映时间")),
        ("record__activity__title", gettext_lazy("活动")),
        ("record__volunteer__number", gettext_lazy("志愿者编号")),
        ("record__minutes", gettext_lazy("记录时长（分钟）")),
        ("minutes_claimed", gettext_lazy("志愿者认为（分钟）")),
        ("get_status_display", gettext_lazy("状态")),
        ("record__unit__name", gettext_lazy("所属单位")),
    )

    def base_queryset(self) -> Any:
        # scoping: allowed — ScopedListView applies visible_to to it.
        return queries.disputes_unscoped()

    def export_columns(self) -> Any:
        return (
            *self.columns,
            ("text", gettext_lazy("志愿者反映的情况")),
            ("answer", gettext_lazy("处理答复")),
            ("decided_at", gettext_lazy("处理时间")),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["open_count"] = queries.open_dispute_count(self.request.user)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def dispute_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve a volunteer's report (a confirmation page): a corrected value (the correction and
    its history as for any correction) or none (the record stands), with the answer the volunteer
    reads."""
    require(may_view(request.user))
    dispute = visible_or_404(queries.disputes(request.user), request.user, pk)
    require(may_approve_hours(request.user))
    record = dispute.record
    form = ResolveForm(request.POST or None, initial={"new_minutes": dispute.minutes_claimed})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.resolve_dispute(
                dispute, by=request.user, new_minutes=data["new_minutes"], answer=data["answer"]
            ),
        )
        if done is not None:
            if done.status == DisputeStatus.CORRECTED:
                messages.success(request, _("已更正服务时长，原时长记入更正记录，并答复志愿者。"))
            else:
                messages.success(request, _("已答复志愿者：经核实时长无误。"))
            return redirect("volunteers:record_detail", pk=record.pk)
    return _action_page(request, record, form, dispute=dispute, title=_("处理时长纠错"), submit=_("确认处理"))


# --- The volunteer's phone ----------------------------------------------------------------------


def _phone_activity(pk: int) -> Any:
    activity = queries.activity_for_volunteer(pk)
    if activity is None:
        raise Http404
    return activity


def _do_step(activity: Any, volunteer: Any, step: str, code: str) -> ServiceRecord:
    if step == "checkout":
        return services.check_out(activity, volunteer=volunteer, code=code)
    return services.check_in(activity, volunteer=volunteer, code=code)


def _stale(request: HttpRequest, activity: Any) -> HttpResponse:
    context = {"activity": activity, "error": _(services.STALE_CODE), "title": _("签到")}
    return render(request, "volunteers/m/attendance/scan.html", context, status=400)


@volunteer_required
@_per_volunteer_limit("volunteers-scan")
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Where the QR code of the screen leads: GET shows what will happen (签到 or 签退) with one big
    button, POST does it. A stale or wrong code is refused (400) and never checks anybody in."""
    if len(code) > 64 or not 0 < pk < 2**63:
        raise Http404
    activity = _phone_activity(pk)
    volunteer = request.volunteer  # type: ignore[attr-defined]
    if not checkin_codes.is_valid(activity, code):
        return _stale(request, activity)
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in ("checkin", "checkout"):
            step = services.next_step(activity, volunteer)
        try:
            record = _do_step(activity, volunteer, step, code)
        except (PermissionDenied, ValidationError) as exc:
            message = refusal_text(exc)
            status = 400
            context = {"activity": activity, "error": message, "title": _("签到")}
            return render(request, "volunteers/m/attendance/scan.html", context, status=status)
        return render(
            request,
            "volunteers/m/attendance/scan_done.html",
            {"activity": activity, "record": record, "title": _("签到")},
        )
    step = services.next_step(activity, volunteer)
    context = {"activity": activity, "code": code, "step": step, "title": _("签到")}
    return render(request, "volunteers/m/attendance/scan.html", context)


@volunteer_required
@_per_volunteer_limit("volunteers-scan")
@require_http_methods(["GET", "POST"])
def m_checkin_code(request: HttpRequest) -> HttpResponse:
    """Type the 8-character code of the screen (for phones that cannot scan), choosing the activity
    among today's sign-ups; then the same page as after a scan."""
    volunteer = request.volunteer  # type: ignore[attr-defined]
    form = CodeForm(request.POST or None, activities=queries.todays_signups(volunteer))
    if request.method == "POST" and form.is_valid():
        activity = form.cleaned_data["activity"]
        code = form.cleaned_data["code"].strip()
        if not checkin_codes.is_valid(activity, code):
            form.add_error("code", _(services.STALE_CODE))
        else:
            return redirect("volunteers:scan", pk=activity.pk, code=code)
    style_form(form, size="lg")
    return render(request, "volunteers/m/attendance/code.html", {"form": form, "title": _("输入签到码")})


@volunteer_required
def m_hours(request: HttpRequest) -> HttpResponse:
    """The volunteer's records and totals (补录 marked) and the activities they may ask 补录 for."""
    mine = queries.my_hours(request.volunteer)  # type: ignore[attr-defined]
    return render(request, "volunteers/m/attendance/hours.html", {"mine": mine, "title": _("我的服务时长")})


@volunteer_required
@_per_volunteer_limit("volunteers-hours-request")
@require_http_methods(["GET", "POST"])
def m_hours_request(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """Ask for hours of an ended activity the volunteer signed up for (补录), with the reason; staff
    approve them."""
    if not 0 < activity_pk < 2**63:
        raise Http404
    activity = _phone_activity(activity_pk)
    volunteer = request.volunteer  # type: ignore[attr-defined]
    if not queries.signed_up(volunteer, activity):
        raise Http404
    form = HoursRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_hours(activity, volunteer=volunteer, minutes=data["minutes"], reason=data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("已提交补录申请，工作人员审核后计入服务时长。"))
            return redirect(reverse("volunteers:m_hours"))
    style_form(form, size="lg")
    context = {
        "activity": activity,
        "form": form,
        "longest": services.activity_minutes(activity),
        "title": _("申请补录时长"),
        "void": RecordStatus.VOID,
    }
    return render(request, "volunteers/m/attendance/hours_request.html", context)


@volunteer_required
@_per_volunteer_limit("volunteers-hours-dispute")
@require_http_methods(["GET", "POST"])
def m_hours_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """Report that the certified minutes of one's own confirmed record are wrong (时长有误？), saying
    what happened and, if known, the right minutes; staff verify and answer."""
    if not 0 < pk < 2**63:
        raise Http404
    volunteer = request.volunteer  # type: ignore[attr-defined]
    record = queries.own_record(volunteer, pk)
    if record is None:
        raise Http404
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_hours(
                record, volunteer=volunteer, text=data["text"], minutes_claimed=data["minutes_claimed"]
            )
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("已提交，工作人员核实后会答复您。"))
            return redirect(reverse("volunteers:m_hours"))
    style_form(form, size="lg")
    context = {"record": record, "form": form, "title": _("时长有误？")}
    return render(request, "volunteers/m/attendance/hours_dispute.html", context)
