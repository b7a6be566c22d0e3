"""Staff pages of residents' lecture requests: the list (requester masked), assign a team (SMS to
the requester), decline with a note, schedule the lecture. Thin: forms check the input,
``services.lectures`` decides; every page checks the role (403) and reads through ``visible_to``
(404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.pii import masked
from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import style_form, visible_or_404
from xuanchuan.theory.forms import lectures as forms
from xuanchuan.theory.models import LectureRequest, RequestStatus
from xuanchuan.theory.permissions import may_manage_lectures, may_view
from xuanchuan.theory.queries import lectures as queries
from xuanchuan.theory.services import lectures as services
from xuanchuan.theory.views.lectures_common import StaffListView, confirm_then_run, form_page


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
