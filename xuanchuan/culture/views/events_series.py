"""Staff pages of the events part's series (系列活动/专项活动): the list, create and edit, and a
series with its events and totals. Thin: forms check the input, ``services.events`` decides."""

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

from xuanchuan.core.services import run_service
from xuanchuan.core.views import require_role as require
from xuanchuan.core.views import visible_or_404
from xuanchuan.culture.forms import events as forms
from xuanchuan.culture.models import Series
from xuanchuan.culture.permissions import may_manage_events, may_view
from xuanchuan.culture.queries import events as queries
from xuanchuan.culture.services import events as services
from xuanchuan.culture.views.events_common import StaffListView, form_page


class SeriesListView(StaffListView):
    """Series in scope: filters year, unit, active; search by name; Excel."""

    model = Series
    filterset_class = forms.SeriesFilterSet
    search_fields = ("name", "description")
    title = gettext_lazy("系列活动")
    export_name = "culture-series"
    detail_url_name = "culture:series_detail"
    tab = "series"
    create_url_name = "culture:series_create"
    create_label = gettext_lazy("新建系列活动")
    columns = (
        ("name", gettext_lazy("名称")),
        ("year", gettext_lazy("年度")),
        ("unit__name", gettext_lazy("所属单位")),
        ("event_count", gettext_lazy("活动场次（不含取消）")),
        ("held_count", gettext_lazy("已举办场次")),
        ("audience_total", gettext_lazy("参与群众人次")),
        ("active_label", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.series(self.request.user).order_by("-year", "unit__path", "name")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.active_label = _("启用") if row.active else _("已停用")
        return super().row_values(row, columns)


def _series(request: HttpRequest, pk: Any) -> Series:
    require(may_view(request.user))
    return visible_or_404(queries.series(request.user), request.user, pk)


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A series: its unit and year, its events the user sees with the totals (held, audience)."""
    item = _series(request, pk)
    rows = queries.series_events(item, request.user)
    context = {
        "series": item,
        "title": item.name,
        "events": list(rows),
        "totals": queries.series_totals(rows),
        "may_manage": may_manage_events(request.user),
    }
    return render(request, "culture/events/series_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest) -> HttpResponse:
    require(may_manage_events(request.user))
    form = forms.SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = run_service(
            request,
            lambda: services.create_series(
                unit=data["unit"], name=data["name"], year=data["year"], description=data["description"],
                by=request.user,
            ),
            success=_("已新建系列活动。"),
        )  # fmt: skip
        if item is not None:
            return redirect("culture:series_detail", pk=item.pk)
    return form_page(request, form, title=_("新建系列活动"), back=reverse("culture:series_list"))


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _series(request, pk)
    require(may_manage_events(request.user))
    back = reverse("culture:series_detail", kwargs={"pk": item.pk})
    form = forms.SeriesForm(
        request.POST or None, user=request.user, editing=True, initial=forms.SeriesForm.initial_for(item)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.update_series(
                item, name=data["name"], year=data["year"], description=data["description"],
                active=data["active"], by=request.user,
            ),
            success=_("已保存。"),
        )  # fmt: skip
        if done is not None:
            return redirect(back)
    return form_page(request, form, title=_("修改系列活动：%(name)s") % {"name": item.name}, back=back)
