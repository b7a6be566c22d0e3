"""Staff pages of the events part's events: the list, create and edit, record as held (audience,
summary, photos), cancel with a reason, delete a planned one, photos and video or report links,
and the month calendar. Series are ``events_series``, the shared pieces ``events_common``.

Views are thin: forms check the input, ``services.events`` decides, ``run_service`` shows a
refusal as a message. Every page checks the role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import confirm_page, visible_or_404
from xuanchuan.core.views import require_role as require
from xuanchuan.culture.forms import events as forms
from xuanchuan.culture.models import Event, EventKind, EventLink, EventPhoto, EventStatus
from xuanchuan.culture.permissions import may_manage_events, may_view
from xuanchuan.culture.queries import events as queries
from xuanchuan.culture.services import events as services
from xuanchuan.culture.views.common import confirm_then_run
from xuanchuan.culture.views.events_common import StaffListView, form_page
from xuanchuan.org.scoping import requested_unit


class EventListView(StaffListView):
    """Events in scope: filters year, month, kind, series, status, unit, overdue; search; Excel."""

    model = Event
    filterset_class = forms.EventFilterSet
    search_fields = ("title", "address", "venue__name", "performers", "series__name")
    title = gettext_lazy("文化活动")
    export_name = "culture-events"
    detail_url_name = "culture:event_detail"
    tab = "events"
    create_url_name = "culture:event_create"
    create_label = gettext_lazy("登记活动")
    columns = (
        ("title", gettext_lazy("活动名称")),
        ("when", gettext_lazy("时间")),
        ("get_kind_display", gettext_lazy("类型")),
        ("series__name", gettext_lazy("所属系列")),
        ("unit__name", gettext_lazy("主办单位")),
        ("place", gettext_lazy("地点")),
        ("audience", gettext_lazy("参与群众人数")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.events(self.request.user).order_by("-starts_at", "-pk")

    def export_columns(self) -> Any:
        return (
            *self.columns,
            ("ends", gettext_lazy("结束时间")),
            ("performers", gettext_lazy("演职人员或主讲")),
            ("association__name", gettext_lazy("承办协会")),
            ("summary", gettext_lazy("活动情况")),
            ("cancel_reason", gettext_lazy("取消原因")),
        )

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.when = timezone.localtime(row.starts_at).strftime("%Y-%m-%d %H:%M")
        row.ends = timezone.localtime(row.ends_at).strftime("%Y-%m-%d %H:%M")
        row.place = row.venue.name if row.venue_id else row.address
        return super().row_values(row, columns)


def _event(request: HttpRequest, pk: Any) -> Event:
    require(may_view(request.user))
    return visible_or_404(queries.events(request.user), request.user, pk)


def _managed_event(request: HttpRequest, pk: Any) -> Event:
    event = _event(request, pk)
    require(may_manage_events(request.user))
    return event


def _detail(event: Event) -> str:
    return reverse("culture:event_detail", kwargs={"pk": event.pk})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An event: what, when, where, who; once held the audience and summary; photos and links."""
    event = _event(request, pk)
    planned = event.status == EventStatus.PLANNED
    context = {
        "event": event,
        "title": event.title,
        "photos": list(queries.event_photos(event, request.user)),
        "links": list(queries.event_links(event, request.user)),
        "series_visible": event.series_id is not None
        and queries.series(request.user).filter(pk=event.series_id).exists(),
        "may_manage": may_manage_events(request.user),
        "planned": planned,
        "recordable": planned and event.starts_at <= timezone.now(),
        "max_photos": services.MAX_PHOTOS,
    }
    return render(request, "culture/events/event_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    require(may_manage_events(request.user))
    initial = {}
    if (series := request.GET.get("series", "")).isdigit():
        initial["series"] = series
    form = forms.EventForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = run_service(
            request, lambda: services.create_event(form.event_input(), by=request.user), success=_("已登记活动。")
        )
        if event is not None:
            return redirect("culture:event_detail", pk=event.pk)
    return form_page(request, form, title=_("登记文化活动"), back=reverse("culture:event_list"))


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    if event.status == EventStatus.CANCELLED:
        messages.error(request, _("已取消的活动不能再修改。"))
        return redirect(_detail(event))
    form = forms.EventForm(
        request.POST or None, user=request.user, event=event, initial=forms.EventForm.initial_for(event)
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.update_event(event, form.event_input(), by=request.user), success=_("已保存。")
        )
        if done is not None:
            return redirect(_detail(event))
    return form_page(request, form, title=_("修改活动：%(title)s") % {"title": event.title}, back=_detail(event))


@login_required
@require_http_methods(["GET", "POST"])
def event_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an event as held: audience and summary (required), photos."""
    event = _managed_event(request, pk)
    form = forms.HeldForm(request.POST or None, request.FILES or None, initial={"summary": event.summary})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.record_held(
                event, audience=data["audience"], summary=data["summary"], photos=data["photos"], by=request.user
            ),
            success=_("已登记为已举办。"),
        )
        if done is not None:
            return redirect(_detail(event))
        form.add_error(None, _("未保存，请按提示修改后重新提交（照片需重新选择）。"))
    title = _("登记活动举办情况：%(title)s") % {"title": event.title}
    return form_page(request, form, title=title, back=_detail(event), multipart=True)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    return confirm_then_run(
        request,
        lambda data: services.cancel_event(event, reason=data["reason"], by=request.user),
        success=_("已取消该活动。"),
        done_url=_detail(event),
        form=forms.ReasonForm(request.POST or None),
        title=_("取消活动"),
        question=_("取消“%(title)s”？") % {"title": event.title},
        explain=_("取消后不能恢复，活动保留在列表中，不计入统计。"),
        button=_("取消活动"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a planned event behind a confirmation; on to the list once done, back otherwise."""
    event = _managed_event(request, pk)
    if request.method == "POST":
        deleted = run_service(request, lambda: services.delete_event(event, by=request.user), success=_("已删除。"))
        return redirect("culture:event_list" if deleted is not None else _detail(event))
    return confirm_page(
        request,
        back=_detail(event),
        title=_("删除活动"),
        question=_("删除“%(title)s”？") % {"title": event.title},
        explain=_("只有尚未举办的活动可以删除，其照片和链接一并删除，不能恢复。"),
        button=_("删除"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.add_photos(event, photos=data["photos"], caption=data["caption"], by=request.user),
            success=_("已上传照片。"),
        )
        if done is not None:
            return redirect(_detail(event))
        form.add_error(None, _("未保存，请按提示修改后重新选择照片。"))
    title = _("上传活动照片：%(title)s") % {"title": event.title}
    return form_page(request, form, title=title, back=_detail(event), multipart=True)


def _photo(request: HttpRequest, pk: Any, photo_pk: Any) -> tuple[Event, EventPhoto]:
    event = _event(request, pk)
    photo = visible_or_404(EventPhoto.objects.visible_to(request.user), request.user, photo_pk, event=event)
    return event, photo


@login_required
@require_http_methods(["GET", "POST"])
def event_photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    event, photo = _photo(request, pk, photo_pk)
    require(may_manage_events(request.user))
    return confirm_then_run(
        request,
        lambda: services.delete_photo(photo, by=request.user),
        success=_("已删除照片。"),
        done_url=_detail(event),
        title=_("删除照片"),
        question=_("删除这张照片？"),
        quote=photo.caption,
        explain=_("删除后不能恢复。"),
        button=_("删除照片"),
        danger=True,
    )


@login_required
def event_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """An event photo, for those who see the event (404 otherwise)."""
    _event, photo = _photo(request, pk, photo_pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def event_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = forms.LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.add_link(
                event, url=data["url"], title=data["title"], platform=data["platform"], by=request.user
            ),
            success=_("已添加链接。"),
        )
        if done is not None:
            return redirect(_detail(event))
    title = _("添加视频或报道链接：%(title)s") % {"title": event.title}
    return form_page(request, form, title=title, back=_detail(event), platforms=forms.PLATFORMS)


@login_required
@require_http_methods(["GET", "POST"])
def event_link_delete(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    event = _event(request, pk)
    link = visible_or_404(EventLink.objects.visible_to(request.user), request.user, link_pk, event=event)
    require(may_manage_events(request.user))
    return confirm_then_run(
        request,
        lambda: services.delete_link(link, by=request.user),
        success=_("已删除链接。"),
        done_url=_detail(event),
        title=_("删除链接"),
        question=_("删除这个链接？"),
        quote=link.title or link.url,
        button=_("删除链接"),
        danger=True,
    )


@login_required
def event_calendar(request: HttpRequest) -> HttpResponse:
    """The month's events in scope by day (a list on phones); ``?month=YYYY-MM``, ``?kind=``,
    ``?unit=``."""
    require(may_view(request.user))
    first = queries.month_of(request.GET.get("month"))
    unit = requested_unit(request.user, request.GET.get("unit")) if request.GET.get("unit") else None
    kind = request.GET.get("kind", "")
    if kind not in EventKind.values:
        kind = ""
    context = {
        "title": _("活动日历"),
        "month": queries.calendar_month(request.user, first, unit=unit, kind=kind),
        "kinds": queries.kind_legend(),
        "kind": kind,
        "unit": unit,
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
        "may_manage": may_manage_events(request.user),
    }
    return render(request, "culture/events/calendar.html", context)
