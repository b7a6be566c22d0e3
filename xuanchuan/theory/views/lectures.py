"""Staff pages of the lectures part: lecture teams on four levels and their lecturers, lectures
(planned, recorded as held with audience and photos, cancelled with a reason), the month calendar,
and residents' requests (assign a team, decline, schedule the lecture).

Views are thin: forms check the input, ``services.lectures`` decides, ``run_service`` shows a
refusal as a message. Every page checks the role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.pii import masked, may_reveal, reveal
from xuanchuan.core.services import run_service
from xuanchuan.core.views import StaffListView as CoreStaffListView
from xuanchuan.core.views import confirm_then_run as core_confirm_then_run
from xuanchuan.core.views import style_form, visible_or_404
from xuanchuan.org.scoping import requested_unit
from xuanchuan.theory.forms import lectures as forms
from xuanchuan.theory.models import Lecture, Lecturer, LectureRequest, LectureStatus, LectureTeam, RequestStatus
from xuanchuan.theory.permissions import may_manage_lectures, may_view
from xuanchuan.theory.queries import lectures as queries
from xuanchuan.theory.services import lectures as services

FORM_TEMPLATE = "theory/lectures/_form.html"


def require(allowed: bool) -> None:
    """403 where the role does not allow it; the unit scope is ``visible_or_404``'s (404)."""
    if not allowed:
        raise PermissionDenied


class StaffListView(CoreStaffListView):
    """A staff list of the lectures part (``may_view``); anonymous visitors go to the login page.
    The first column links to the row's page (``detail_url_name``)."""

    permission = staticmethod(may_view)
    template_name = "theory/lectures/list.html"
    tab = ""
    create_url_name = ""
    create_label: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage_lectures(self.request.user)
        context["tab"] = self.tab
        context["create_url"] = reverse(self.create_url_name) if self.create_url_name else ""
        context["create_label"] = self.create_label
        return context


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    style_form(form)
    for field in form:
        if field.widget_type == "checkbox":
            field.field.widget.attrs["class"] = "form-check-input"
    template = extra.pop("template", FORM_TEMPLATE)
    context = {"form": form, "title": title, "back": back, **extra}
    # A POST that comes back to the form was refused (by the form or by the service's message).
    return render(request, template, context, status=400 if form.errors or request.method == "POST" else 200)


def confirm_then_run(request: HttpRequest, action: Callable[..., Any], **kwargs: Any) -> HttpResponse:
    """``core.views.confirm_then_run``; a reason refused by its form answers 400."""
    return core_confirm_then_run(request, action, invalid_status=400, **kwargs)


# --- Teams -----------------------------------------------------------------------------------------


class TeamListView(StaffListView):
    """Lecture teams in scope, by level, with active lecturers and this year's lectures."""

    model = LectureTeam
    template_name = "theory/lectures/team_list.html"
    filterset_class = forms.TeamFilterSet
    search_fields = ("name", "description")
    title = gettext_lazy("宣讲队伍")
    export_name = "lecture-teams"
    detail_url_name = "theory:team_detail"
    tab = "teams"
    create_url_name = "theory:team_create"
    create_label = gettext_lazy("新建队伍")
    columns = (
        ("name", gettext_lazy("队伍名称")),
        ("get_level_display", gettext_lazy("层级")),
        ("unit__name", gettext_lazy("所属单位")),
        ("lecturer_count", gettext_lazy("在队宣讲员")),
        ("lecture_count", gettext_lazy("今年宣讲场次")),
        ("active_label", gettext_lazy("状态")),
    )

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("level", "unit__path", "name")

    def base_queryset(self) -> QuerySet:
        # Already scoped with its counts (queries.teams); ScopedQuerysetMixin applies visible_to again.
        return queries.teams(self.request.user)

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.active_label = _("启用") if row.active else _("已停用")
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["levels"] = queries.level_counts(self.request.user)
        return context


def _team(request: HttpRequest, pk: Any) -> LectureTeam:
    require(may_view(request.user))
    return visible_or_404(queries.teams(request.user), request.user, pk)


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team: its lecturers (phone masked, reveal logged) and its latest lectures."""
    team = _team(request, pk)
    context = {
        "team": team,
        "title": team.name,
        "lecturers": queries.lecturers(request.user).filter(team=team).order_by("-active", "name"),
        "lectures": queries.lectures(request.user).filter(team=team).order_by("-starts_at")[:20],
        "may_manage": may_manage_lectures(request.user),
    }
    return render(request, "theory/lectures/team_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    """A new lecture team on one of the four levels."""
    require(may_manage_lectures(request.user))
    form = forms.TeamForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = run_service(
            request,
            lambda: services.create_team(
                unit=data["unit"],
                name=data["name"],
                level=data["level"],
                description=data["description"],
                by=request.user,
            ),
            success=_("已新建宣讲队伍。"),
        )
        if team is not None:
            return redirect("theory:team_detail", pk=team.pk)
    return form_page(request, form, title=_("新建宣讲队伍"), back=reverse("theory:team_list"))


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    require(may_manage_lectures(request.user))
    initial = {"name": team.name, "level": team.level, "description": team.description}
    form = forms.TeamForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.update_team(
                team, name=data["name"], level=data["level"], description=data["description"], by=request.user
            ),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect("theory:team_detail", pk=team.pk)
    back = reverse("theory:team_detail", kwargs={"pk": team.pk})
    return form_page(request, form, title=_("修改宣讲队伍"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def team_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a team (asks first); its lectures stay."""
    team = _team(request, pk)
    require(may_manage_lectures(request.user))
    return confirm_then_run(
        request,
        lambda: services.deactivate_team(team, by=request.user),
        success=_("已停用该宣讲队伍。"),
        done_url=reverse("theory:team_detail", kwargs={"pk": team.pk}),
        title=_("停用队伍"),
        question=_("停用“%(name)s”？") % {"name": team.name},
        explain=_("停用后不能再为该队伍安排宣讲或点单，已有的宣讲记录保留。"),
        button=_("停用"),
        danger=True,
    )


# --- Lecturers -------------------------------------------------------------------------------------


class LecturerListView(StaffListView):
    """Lecturers in scope; the phone masked on the page and in the export (in full, logged, only
    for those who may reveal personal data)."""

    model = Lecturer
    filterset_class = forms.LecturerFilterSet
    search_fields = ("name", "title", "topics", "team__name")
    title = gettext_lazy("宣讲员")
    export_name = "lecturers"
    detail_url_name = "theory:lecturer_detail"
    tab = "lecturers"
    create_url_name = "theory:lecturer_create"
    create_label = gettext_lazy("添加宣讲员")
    columns = (
        ("name", gettext_lazy("姓名")),
        ("title", gettext_lazy("职务或职称")),
        ("team__name", gettext_lazy("宣讲队伍")),
        ("team__get_level_display", gettext_lazy("层级")),
        ("masked_phone", gettext_lazy("联系电话")),
        ("topics", gettext_lazy("擅长宣讲内容")),
        ("active_label", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.lecturers(self.request.user).order_by("team__level", "team__name", "name")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.masked_phone = masked(row, "phone")
        row.active_label = _("在队") if row.active else _("已离队")
        return super().row_values(row, columns)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx" and may_reveal(request.user):
            return self.export_unmasked(request)
        return super().get(request, *args, **kwargs)

    def export_unmasked(self, request: HttpRequest) -> HttpResponse:
        """Phones in full for a user who may reveal personal data: each one logged as a reveal."""
        columns: Sequence[tuple[str, str]] = self.columns

        def rows() -> Any:
            for row in self.get_queryset().iterator(chunk_size=500):
                values = self.row_values(row, columns)
                if row.phone:
                    values[4] = reveal(request.user, row, "phone", reason=_("导出宣讲员名单"), request=request)
                yield values

        return xlsx_response(self.export_name, str(self.title), [str(h) for _p, h in columns], rows())


def _lecturer(request: HttpRequest, pk: Any) -> Lecturer:
    require(may_view(request.user))
    return visible_or_404(queries.lecturers(request.user), request.user, pk)


@login_required
def lecturer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lecturer = _lecturer(request, pk)
    context = {
        "lecturer": lecturer,
        "title": lecturer.name,
        "lectures": queries.lectures(request.user).filter(lecturers=lecturer).order_by("-starts_at")[:20],
        "may_manage": may_manage_lectures(request.user),
    }
    return render(request, "theory/lectures/lecturer_detail.html", context)


def _save_lecturer(request: HttpRequest, lecturer: Lecturer | None, form: forms.LecturerForm) -> Lecturer | None:
    data = form.cleaned_data
    return run_service(
        request,
        lambda: services.save_lecturer(
            lecturer,
            team=data["team"],
            name=data["name"],
            title=data["title"],
            phone=data["phone"],
            topics=data["topics"],
            active=data["active"],
            by=request.user,
        ),
        success=_("已保存宣讲员。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def lecturer_create(request: HttpRequest) -> HttpResponse:
    require(may_manage_lectures(request.user))
    initial = {"team": request.GET.get("team")} if str(request.GET.get("team", "")).isdigit() else {}
    form = forms.LecturerForm(request.POST or None, user=request.user, initial={"active": True, **initial})
    if request.method == "POST" and form.is_valid():
        lecturer = _save_lecturer(request, None, form)
        if lecturer is not None:
            return redirect("theory:team_detail", pk=lecturer.team_id)
    return form_page(request, form, title=_("添加宣讲员"), back=reverse("theory:lecturer_list"))


@login_required
@require_http_methods(["GET", "POST"])
def lecturer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lecturer = _lecturer(request, pk)
    require(may_manage_lectures(request.user))
    initial = {
        "team": lecturer.team_id,
        "name": lecturer.name,
        "title": lecturer.title,
        "topics": lecturer.topics,
        "active": lecturer.active,
    }
    form = forms.LecturerForm(request.POST or None, user=request.user, initial=initial)
    form.fields["phone"].help_text = _("留空则不修改（当前 %(phone)s）") % {"phone": masked(lecturer, "phone") or "—"}
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["phone"]:
            form.cleaned_data["phone"] = lecturer.phone
        if _save_lecturer(request, lecturer, form) is not None:
            return redirect("theory:lecturer_detail", pk=lecturer.pk)
    back = reverse("theory:lecturer_detail", kwargs={"pk": lecturer.pk})
    return form_page(request, form, title=_("修改宣讲员"), back=back)


# --- Lectures --------------------------------------------------------------------------------------


class LectureListView(StaffListView):
    """Lectures in scope: filters team, level, status, year, unit; search; Excel."""

    model = Lecture
    filterset_class = forms.LectureFilterSet
    search_fields = ("topic", "place", "event", "team__name")
    title = gettext_lazy("宣讲活动")
    export_name = "lectures"
    detail_url_name = "theory:lecture_detail"
    tab = "lectures"
    create_url_name = "theory:lecture_create"
    create_label = gettext_lazy("安排宣讲")
    columns = (
        ("topic", gettext_lazy("宣讲主题")),
        ("when", gettext_lazy("时间")),
        ("team__name", gettext_lazy("宣讲队伍")),
        ("team__get_level_display", gettext_lazy("层级")),
        ("unit__name", gettext_lazy("单位")),
        ("place", gettext_lazy("地点")),
        ("event", gettext_lazy("依托活动")),
        ("audience", gettext_lazy("受众人数")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.lectures(self.request.user).order_by("-starts_at", "-pk")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        from django.utils import timezone

        row.when = timezone.localtime(row.starts_at).strftime("%Y-%m-%d %H:%M")
        return super().row_values(row, columns)


def _lecture(request: HttpRequest, pk: Any) -> Lecture:
    require(may_view(request.user))
    return visible_or_404(queries.lectures(request.user), request.user, pk)


@login_required
def lecture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lecture: who, when, where, the event; once held the audience, summary and photos."""
    lecture = _lecture(request, pk)
    from django.utils import timezone

    context = {
        "lecture": lecture,
        "title": lecture.topic,
        "lecturers": list(lecture.lecturers.all()),
        "photos": list(queries.lecture_photos(lecture, request.user)),
        "origin": queries.requests(request.user).filter(lecture=lecture).first(),
        "may_manage": may_manage_lectures(request.user),
        "recordable": lecture.status == LectureStatus.PLANNED and lecture.starts_at <= timezone.now(),
        "planned": lecture.status == LectureStatus.PLANNED,
    }
    return render(request, "theory/lectures/lecture_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lecture_create(request: HttpRequest) -> HttpResponse:
    require(may_manage_lectures(request.user))
    form = forms.LectureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        lecture = run_service(
            request, lambda: services.create_lecture(form.lecture_input(), by=request.user), success=_("已安排宣讲。")
        )
        if lecture is not None:
            return redirect("theory:lecture_detail", pk=lecture.pk)
    return form_page(request, form, title=_("安排宣讲"), back=reverse("theory:lecture_list"))


@login_required
@require_http_methods(["GET", "POST"])
def lecture_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = _lecture(request, pk)
    require(may_manage_lectures(request.user))
    back = reverse("theory:lecture_detail", kwargs={"pk": lecture.pk})
    if lecture.status != LectureStatus.PLANNED:
        from django.contrib import messages

        messages.error(request, _("只能修改尚未开展的宣讲。"))
        return redirect(back)
    form = forms.LectureForm(request.POST or None, user=request.user, initial=forms.LectureForm.initial_for(lecture))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.update_lecture(lecture, form.lecture_input(), by=request.user),
            success=_("已保存。"),
        )
        if done is not None:
            return redirect(back)
    return form_page(request, form, title=_("修改宣讲"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def lecture_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a lecture as held: audience (required), summary, photos."""
    lecture = _lecture(request, pk)
    require(may_manage_lectures(request.user))
    form = forms.RecordForm(request.POST or None, request.FILES or None, initial={"summary": lecture.summary})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.record_held(
                lecture, audience=data["audience"], summary=data["summary"], photos=data["photos"], by=request.user
            ),
            success=_("已登记为已开展。"),
        )
        if done is not None:
            return redirect("theory:lecture_detail", pk=lecture.pk)
        form.add_error(None, _("未保存，请按提示修改后重新提交（照片需重新选择）。"))
    back = reverse("theory:lecture_detail", kwargs={"pk": lecture.pk})
    return form_page(
        request, form, title=_("登记宣讲开展情况：%(topic)s") % {"topic": lecture.topic}, back=back, multipart=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def lecture_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    lecture = _lecture(request, pk)
    require(may_manage_lectures(request.user))
    return confirm_then_run(
        request,
        lambda data: services.cancel_lecture(lecture, reason=data["reason"], by=request.user),
        success=_("已取消该宣讲。"),
        done_url=reverse("theory:lecture_detail", kwargs={"pk": lecture.pk}),
        form=forms.ReasonForm(request.POST or None),
        title=_("取消宣讲"),
        question=_("取消“%(topic)s”？") % {"topic": lecture.topic},
        explain=_("取消后不能恢复；由点单安排的宣讲，点单回到“已安排队伍”，可重新排期。"),
        button=_("取消宣讲"),
        danger=True,
    )


@login_required
def lecture_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A lecture photo, for those who see the lecture (404 otherwise)."""
    require(may_view(request.user))
    from xuanchuan.theory.models import LecturePhoto

    photo = visible_or_404(LecturePhoto.objects.visible_to(request.user), request.user, pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def lecture_calendar(request: HttpRequest) -> HttpResponse:
    """The month's lectures in scope by day (a list on phones); ``?month=YYYY-MM``, ``?level=``,
    ``?unit=``."""
    require(may_view(request.user))
    first = queries.month_of(request.GET.get("month"))
    unit = requested_unit(request.user, request.GET.get("unit")) if request.GET.get("unit") else None
    level = request.GET.get("level", "")
    if level not in dict(queries.TeamLevel.choices):
        level = ""
    month = queries.calendar_month(request.user, first, unit=unit, level=level)
    context = {
        "title": _("宣讲日历"),
        "month": month,
        "levels": queries.level_counts(request.user),
        "level": level,
        "unit": unit,
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
        "may_manage": may_manage_lectures(request.user),
    }
    return render(request, "theory/lectures/calendar.html", context)


# --- Requests --------------------------------------------------------------------------------------


class RequestListView(StaffListView):
    """Requests for the units in scope; requester masked; Excel without personal data in full."""

    model = LectureRequest
    filterset_class = forms.RequestFilterSet
    search_fields = ("topic", "place", "requester_org")
    title = gettext_lazy("宣讲点单")
    export_name = "lecture-requests"
    detail_url_name = "theory:request_detail"
    tab = "requests"
    columns = (
        ("topic", gettext_lazy("希望宣讲的内容")),
        ("ref", gettext_lazy("点单编号")),
        ("unit__name", gettext_lazy("社区或街道")),
        ("requester_org", gettext_lazy("单位或群体")),
        ("masked_name", gettext_lazy("联系人")),
        ("masked_phone", gettext_lazy("联系电话")),
        ("preferred_on", gettext_lazy("希望日期")),
        ("team__name", gettext_lazy("安排的队伍")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.requests(self.request.user).order_by("-created_at", "-pk")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.ref = services.reference(row)
        row.masked_name = masked(row, "requester_name")
        row.masked_phone = masked(row, "requester_phone")
        return super().row_values(row, columns)


def _request(request: HttpRequest, pk: Any) -> LectureRequest:
    require(may_view(request.user))
    return visible_or_404(queries.requests(request.user), request.user, pk)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request(request, pk)
    may_manage = may_manage_lectures(request.user)
    open_ = item.status in (RequestStatus.NEW, RequestStatus.ASSIGNED) and not item.lecture_id
    context = {
        "item": item,
        "title": item.topic,
        "ref": services.reference(item),
        "may_manage": may_manage,
        "can_assign": may_manage and open_,
        "can_schedule": may_manage and item.status == RequestStatus.ASSIGNED and not item.lecture_id,
        "assign_form": style_form(forms.AssignForm(item=item)) if may_manage and open_ else None,
    }
    return render(request, "theory/lectures/request_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the request to a team serving its unit; the requester gets an SMS."""
    item = _request(request, pk)
    require(may_manage_lectures(request.user))
    form = forms.AssignForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.assign_request(item, team=data["team"], note=data["note"], by=request.user),
            success=_("已安排宣讲队伍，并短信告知点单人。"),
        )
        if done is not None:
            return redirect("theory:request_detail", pk=item.pk)
    back = reverse("theory:request_detail", kwargs={"pk": item.pk})
    return form_page(request, form, title=_("安排宣讲队伍"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request(request, pk)
    require(may_manage_lectures(request.user))
    return confirm_then_run(
        request,
        lambda data: services.decline_request(item, note=data["note"], by=request.user),
        success=_("已标记为未能安排。"),
        done_url=reverse("theory:request_detail", kwargs={"pk": item.pk}),
        form=forms.DeclineForm(request.POST or None),
        title=_("未能安排"),
        question=_("将点单“%(topic)s”标记为未能安排？") % {"topic": item.topic},
        explain=_("请写明原因，便于回复点单人。"),
        button=_("确认"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the lecture of an assigned request (its team, for its unit), linked to it."""
    item = _request(request, pk)
    require(may_manage_lectures(request.user))
    back = reverse("theory:request_detail", kwargs={"pk": item.pk})
    if item.status != RequestStatus.ASSIGNED or item.lecture_id or item.team is None:
        from django.contrib import messages

        messages.error(request, _("只能为已安排队伍、尚未排期的点单安排宣讲。"))
        return redirect(back)
    form = forms.LectureForm(
        request.POST or None,
        user=request.user,
        team=item.team,
        unit=item.unit,
        initial=forms.schedule_initial(item),
    )
    if request.method == "POST" and form.is_valid():
        lecture = run_service(
            request,
            lambda: services.schedule_request(item, form.lecture_input(), by=request.user),
            success=_("已按点单安排宣讲。"),
        )
        if lecture is not None:
            return redirect("theory:lecture_detail", pk=lecture.pk)
    title = _("按点单安排宣讲（%(team)s · %(unit)s）") % {"team": item.team.name, "unit": item.unit.name}
    return form_page(request, form, title=title, back=back)
