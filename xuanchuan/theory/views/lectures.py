"""Staff pages of the lectures part's lectures: planned, recorded as held with audience and photos,
cancelled with a reason, and the month calendar. Teams and lecturers are ``lectures_teams``,
requests ``lectures_requests``, the shared pieces ``lectures_common``.

Views are thin: forms check the input, ``services.lectures`` decides, ``run_service`` shows a
refusal as a message. Every page checks the role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import visible_or_404
from xuanchuan.org.scoping import requested_unit
from xuanchuan.theory.forms import lectures as forms
from xuanchuan.theory.models import Lecture, LectureStatus
from xuanchuan.theory.permissions import may_manage_lectures, may_view
from xuanchuan.theory.queries import lectures as queries
from xuanchuan.theory.services import lectures as services
from xuanchuan.theory.views.lectures_common import StaffListView, confirm_then_run, form_page


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
