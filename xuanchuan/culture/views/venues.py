"""Staff pages of the venues part's venues: the list (counts by kind, search, filters, Excel), a
venue with the activities held there by year, create and edit, close and reopen, delete an unused
one. Associations and their members are ``venues_associations``.

Views are thin: forms check the input, ``services.venues`` decides, ``run_service`` shows a refusal
as a message. Every page checks the role (403) and reads through ``visible_to`` (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import confirm_page, style_form, visible_or_404
from xuanchuan.core.views import confirm_then_run as core_confirm_then_run
from xuanchuan.core.views import require_role as require
from xuanchuan.culture.forms import venues as forms
from xuanchuan.culture.models import Venue
from xuanchuan.culture.permissions import may_manage_events, may_view
from xuanchuan.culture.queries import venues as queries
from xuanchuan.culture.services import venues as services
from xuanchuan.culture.views.common import PartListView

FORM_TEMPLATE = "culture/venues/_form.html"
EVENTS_PER_PAGE = 20


class StaffListView(PartListView):
    """A staff list of the venues part (``may_view``), with the part's tabs and a "new" button for
    those who may keep venues and associations."""

    template_name = "culture/venues/list.html"


def form_page(request: HttpRequest, form: Form, *, title: str, back: str, **extra: Any) -> HttpResponse:
    """A form of the part; a POST that comes back to it was refused (by the form or the service)."""
    style_form(form)
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, FORM_TEMPLATE, context, status=400 if form.errors or request.method == "POST" else 200)


def confirm_then_run(request: HttpRequest, action: Callable[..., Any], **kwargs: Any) -> HttpResponse:
    """``core.views.confirm_then_run``; a date refused by its form or by the service answers 400."""
    return core_confirm_then_run(request, action, invalid_status=400, refused_status=400, **kwargs)


class VenueListView(StaffListView):
    """Venues in scope: counts of open venues by kind, filters kind, unit, open; search; Excel."""

    model = Venue
    template_name = "culture/venues/venue_list.html"
    filterset_class = forms.VenueFilterSet
    search_fields = ("name", "address", "opening_hours")
    title = gettext_lazy("文化场馆")
    export_name = "culture-venues"
    detail_url_name = "culture:venue_detail"
    tab = "venues"
    create_url_name = "culture:venue_create"
    create_label = gettext_lazy("新增场馆")
    columns = (
        ("name", gettext_lazy("场馆名称")),
        ("get_kind_display", gettext_lazy("类型")),
        ("unit__name", gettext_lazy("所属单位")),
        ("address", gettext_lazy("地址")),
        ("opening_hours", gettext_lazy("开放时间")),
        ("capacity", gettext_lazy("容纳人数")),
        ("phone", gettext_lazy("联系电话")),
        ("held_count", gettext_lazy("已举办活动")),
        ("active_label", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        return queries.venues(self.request.user).order_by("kind", "unit__path", "name", "pk")

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.active_label = _("开放中") if row.active else _("已关闭")
        return super().row_values(row, columns)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["kinds"] = queries.kind_counts(self.request.user)
        context["kind"] = self.request.GET.get("kind", "")
        return context


def _venue(request: HttpRequest, pk: Any) -> Venue:
    require(may_view(request.user))
    return visible_or_404(queries.venues(request.user), request.user, pk)


def _year(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@login_required
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A venue and the activities held there: a summary by year (events, study trips, reading
    promotion, audience), then the events newest first (``?year=``, paginated) and what is planned."""
    venue = _venue(request, pk)
    year = _year(request.GET.get("year"))
    events = queries.venue_events(venue, request.user)
    if year is not None:
        events = events.filter(starts_at__year=year)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "venue": venue,
        "title": venue.name,
        "years": queries.venue_years(venue, request.user),
        "year": year,
        "page_obj": page,
        "events": page.object_list,
        "query_string": f"year={year}" if year else "",
        "upcoming": list(queries.upcoming_events(venue, request.user)[:10]),
        "highlighted": queries.HIGHLIGHTED_KINDS,
        "may_manage": may_manage_events(request.user),
        "deletable": not queries.venue_in_use(venue),
        "kind_style": queries.KIND_STYLE.get(venue.kind, "secondary"),
    }
    return render(request, "culture/venues/venue_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def venue_create(request: HttpRequest) -> HttpResponse:
    """A new venue of a unit in the user's scope."""
    require(may_manage_events(request.user))
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") in forms.VenueKind.values else {}
    form = forms.VenueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        venue = run_service(
            request,
            lambda: services.create_venue(form.venue_input(), unit=form.cleaned_data["unit"], by=request.user),
            success=_("已新增场馆。"),
        )
        if venue is not None:
            return redirect("culture:venue_detail", pk=venue.pk)
    return form_page(request, form, title=_("新增文化场馆"), back=reverse("culture:venue_list"))


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = _venue(request, pk)
    require(may_manage_events(request.user))
    form = forms.VenueForm(
        request.POST or None, user=request.user, editing=True, initial=forms.VenueForm.initial_for(venue)
    )
    back = reverse("culture:venue_detail", kwargs={"pk": venue.pk})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request, lambda: services.update_venue(venue, form.venue_input(), by=request.user), success=_("已保存。")
        )
        if done is not None:
            return redirect(back)
    return form_page(request, form, title=_("修改场馆：%(name)s") % {"name": venue.name}, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def venue_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a venue (asks first); its events stay."""
    venue = _venue(request, pk)
    require(may_manage_events(request.user))
    return confirm_then_run(
        request,
        lambda: services.close_venue(venue, by=request.user),
        success=_("已关闭该场馆。"),
        done_url=reverse("culture:venue_detail", kwargs={"pk": venue.pk}),
        title=_("关闭场馆"),
        question=_("关闭“%(name)s”？") % {"name": venue.name},
        explain=_("关闭后不再计入开放的文化场馆，也不能再选作新活动的场馆；已有的活动记录保留，可以重新开放。"),
        button=_("关闭场馆"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a closed venue again (asks first)."""
    venue = _venue(request, pk)
    require(may_manage_events(request.user))
    return confirm_then_run(
        request,
        lambda: services.reopen_venue(venue, by=request.user),
        success=_("已重新开放该场馆。"),
        done_url=reverse("culture:venue_detail", kwargs={"pk": venue.pk}),
        title=_("重新开放场馆"),
        question=_("重新开放“%(name)s”？") % {"name": venue.name},
        explain=_("重新开放后计入开放的文化场馆，可以选作新活动的场馆。"),
        button=_("重新开放"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a venue recorded by mistake (asks first); refused once any event is recorded there."""
    venue = _venue(request, pk)
    require(may_manage_events(request.user))
    back = reverse("culture:venue_detail", kwargs={"pk": venue.pk})
    if request.method == "POST":
        if run_service(request, lambda: services.delete_venue(venue, by=request.user) or True, success=_("已删除。")):
            return redirect("culture:venue_list")
        return redirect(back)
    return confirm_page(
        request,
        back=back,
        title=_("删除场馆"),
        question=_("删除“%(name)s”？") % {"name": venue.name},
        explain=_("只能删除误录、没有任何活动记录的场馆，删除后不能恢复；不再使用的场馆请关闭。"),
        button=_("删除"),
        danger=True,
    )
