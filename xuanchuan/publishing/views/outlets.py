"""Pages of the outlet registry (发布平台): the list with its filters and export, an outlet with
its columns and latest items, and the forms that register, change and close outlets and columns.
Thin: reads through ``queries.outlets`` (scoped), writes through ``services.outlets``; another
unit's outlet answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404
from xuanchuan.publishing.forms.outlets import (
    CloseColumnForm,
    CloseOutletForm,
    ColumnForm,
    OutletFilterSet,
    OutletForm,
)
from xuanchuan.publishing.models import Column, Outlet, OutletStatus
from xuanchuan.publishing.permissions import may_manage_outlets
from xuanchuan.publishing.queries import outlets as queries
from xuanchuan.publishing.services import outlets as services


def _outlet(request: HttpRequest, pk: Any) -> Outlet:
    outlets = Outlet.objects.select_related("unit")  # scoping: allowed (visible_or_404 applies visible_to)
    return visible_or_404(outlets, request.user, pk)


def _column(request: HttpRequest, pk: Any) -> Column:
    columns = Column.objects.select_related("outlet", "unit")  # scoping: allowed (visible_or_404 applies visible_to)
    return visible_or_404(columns, request.user, pk)


def _detail_url(outlet: Outlet) -> str:
    return reverse("publishing:outlet_detail", args=[outlet.pk])


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_outlets(request.user):
        raise PermissionDenied


class OutletListView(ScopedListView):
    """发布平台: the websites and new-media accounts the user may see; stale ones badged."""

    model = Outlet
    title = gettext_lazy("网站和政务新媒体")
    template_name = "publishing/outlets/outlet_list.html"
    filterset_class = OutletFilterSet
    search_fields = ("name", "account", "unit__name", "operator", "responsible_name", "registration_no")
    columns = (
        ("name", gettext_lazy("名称")),
        ("get_kind_display", gettext_lazy("类型")),
        ("unit__name", gettext_lazy("主管（主办）单位")),
        ("keeper_name", gettext_lazy("负责人")),
        ("state_label", gettext_lazy("状态")),
        ("last_published_on", gettext_lazy("最近更新")),
        ("column_count", gettext_lazy("栏目数")),
    )
    export_name = "publishing-outlets"

    def base_queryset(self) -> QuerySet:
        return queries.with_list_fields(super().base_queryset()).order_by("unit__path", "kind", "name")

    def export_columns(self) -> list[tuple[str, str]]:
        return [
            ("name", _("名称")),
            ("get_kind_display", _("类型")),
            ("account", _("账号或网址")),
            ("url", _("链接")),
            ("unit__name", _("主管（主办）单位")),
            ("keeper_name", _("负责人")),
            ("operator", _("运营单位或运营人")),
            ("registration_no", _("备案或登记编号")),
            ("registered_on", _("开设日期")),
            ("filed_on", _("备案日期")),
            ("state_label", _("状态")),
            ("closed_on", _("关停日期")),
            ("update_period_days", _("更新周期（天）")),
            ("last_published_on", _("最近更新日期")),
            ("column_count", _("开设栏目数")),
            ("note", _("备注")),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [(row, values, row.stale_since(today)) for row, values in context["rows"]]
        context["may_manage"] = may_manage_outlets(self.request.user)
        return context


@login_required
def outlet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One outlet: its registration details, columns and topic columns, and its latest items."""
    outlet = _outlet(request, pk)
    page = queries.outlet_page(request.user, outlet)
    context = {
        "title": outlet.name,
        "outlet": outlet,
        "page": page,
        "may_manage": may_manage_outlets(request.user),
    }
    return render(request, "publishing/outlets/outlet_detail.html", context)


def _outlet_form(request: HttpRequest, outlet: Outlet | None) -> HttpResponse:
    _require_manager(request)
    form = OutletForm(request.POST if request.method == "POST" else None, instance=outlet, user=request.user)
    if request.method == "POST" and form.is_valid():
        if outlet is None:
            saved = run_service(
                request,
                lambda: services.create_outlet(by=request.user, **form.cleaned_data),
                _("已登记“%(name)s”。") % {"name": form.cleaned_data["name"]},
            )
        else:
            saved = run_service(
                request,
                lambda: services.update_outlet(outlet, by=request.user, **form.cleaned_data),
                _("已保存“%(name)s”。") % {"name": form.cleaned_data["name"]},
            )
        if saved is not None:
            return HttpResponseRedirect(_detail_url(saved))
    context = {
        "title": _("修改发布平台") if outlet else _("登记网站或政务新媒体"),
        "form": form,
        "outlet": outlet,
    }
    return render(
        request, "publishing/outlets/outlet_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def outlet_create(request: HttpRequest) -> HttpResponse:
    """登记: a new website or new-media account of a unit in the user's scope."""
    return _outlet_form(request, None)


@login_required
def outlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改: an outlet's details (not a closed one: the service refuses)."""
    return _outlet_form(request, _outlet(request, pk))


@login_required
def outlet_close(request: HttpRequest, pk: int) -> HttpResponse:
    """关停, after a confirmation page: the outlet and its open columns stop."""
    outlet = _outlet(request, pk)
    _require_manager(request)
    form = CloseOutletForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.close_outlet(outlet, by=request.user, closed_on=data["closed_on"], reason=data["reason"]),
            _("“%(name)s”已关停。") % {"name": outlet.name},
        )
        if done is not None:
            return HttpResponseRedirect(_detail_url(outlet))
    context = {
        "title": _("关停发布平台"),
        "outlet": outlet,
        "form": style_form(form),
        "open_columns": outlet.columns.filter(is_active=True).count(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "publishing/outlets/outlet_close.html", context, status=status)


def _column_form(request: HttpRequest, outlet: Outlet, column: Column | None) -> HttpResponse:
    _require_manager(request)
    form = ColumnForm(request.POST if request.method == "POST" else None, instance=column)
    if request.method == "POST" and form.is_valid():
        if column is None:
            saved = run_service(
                request,
                lambda: services.create_column(outlet, by=request.user, **form.cleaned_data),
                _("已开设栏目“%(name)s”。") % {"name": form.cleaned_data["name"]},
            )
        else:
            saved = run_service(
                request,
                lambda: services.update_column(column, by=request.user, **form.cleaned_data),
                _("已保存栏目“%(name)s”。") % {"name": form.cleaned_data["name"]},
            )
        if saved is not None:
            return HttpResponseRedirect(_detail_url(outlet))
    context = {
        "title": _("修改栏目") if column else _("开设栏目"),
        "form": form,
        "outlet": outlet,
        "column": column,
    }
    return render(
        request, "publishing/outlets/column_form.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def column_create(request: HttpRequest, pk: int) -> HttpResponse:
    """开设栏目 or 专题专栏 on outlet ``pk``."""
    outlet = _outlet(request, pk)
    if outlet.status == OutletStatus.CLOSED:
        return HttpResponseRedirect(_detail_url(outlet))
    return _column_form(request, outlet, None)


@login_required
def column_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改栏目: name, address, order, opening day, description."""
    column = _column(request, pk)
    return _column_form(request, column.outlet, column)


@login_required
def column_close(request: HttpRequest, pk: int) -> HttpResponse:
    """关闭栏目, after a confirmation page."""
    column = _column(request, pk)
    _require_manager(request)
    form = CloseColumnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.close_column(column, by=request.user, closed_on=form.cleaned_data["closed_on"]),
            _("栏目“%(name)s”已关闭。") % {"name": column.name},
        )
        if done is not None:
            return HttpResponseRedirect(_detail_url(column.outlet))
    context = {"title": _("关闭栏目"), "column": column, "outlet": column.outlet, "form": style_form(form)}
    status = 400 if request.method == "POST" else 200
    return render(request, "publishing/outlets/column_close.html", context, status=status)


@login_required
@require_POST
def column_move(request: HttpRequest, pk: int) -> HttpResponse:
    """调整顺序: one place up (``direction=up``) or down among the outlet's open columns of its kind."""
    column = _column(request, pk)
    _require_manager(request)
    run_service(
        request, lambda: services.move_column(column, by=request.user, up=request.POST.get("direction") == "up")
    )
    return HttpResponseRedirect(_detail_url(column.outlet))
