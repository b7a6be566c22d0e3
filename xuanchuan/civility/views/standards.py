"""Pages of the civility app's standards part: the versions of the category standard and their
categories, places (点位), and responsibilities (包街、包帮、包点) with the gap list. Thin: reads
through ``visible_to`` and ``queries.standards``, writes through ``services.standards``; another
unit's place or responsibility answers 404 like a missing one. The standard itself is the
district's (not a unit's): every member of staff may read it."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanchuan.civility.forms.standards import (
    AssignmentForm,
    CategoryForm,
    EndAssignmentForm,
    ImportForm,
    PlaceFilterSet,
    PlaceForm,
    PlaceImportForm,
    VersionForm,
)
from xuanchuan.civility.models import Assignment, Category, Place, Standard
from xuanchuan.civility.permissions import may_manage_standards, may_view
from xuanchuan.civility.queries import standards as queries
from xuanchuan.civility.services import standards as services
from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_standards(request.user):
        raise PermissionDenied


def _key(pk: Any) -> int:
    if not str(pk).isdigit() or len(str(pk)) > 18:
        raise Http404
    return int(pk)


def _standard(request: HttpRequest, pk: Any) -> Standard:
    _require_view(request)
    return get_object_or_404(Standard, pk=_key(pk))  # scoping: allowed (the district's standard)


def _category(request: HttpRequest, pk: Any) -> Category:
    _require_view(request)
    return get_object_or_404(Category.objects.select_related("standard"), pk=_key(pk))  # scoping: allowed (same)


def _place(request: HttpRequest, pk: Any) -> Place:
    return visible_or_404(Place.objects.select_related("area", "unit"), request.user, pk)  # scoping: allowed


def _assignment(request: HttpRequest, pk: Any) -> Assignment:
    assignments = Assignment.objects.select_related("place", "unit")  # scoping: allowed (visible_or_404)
    return visible_or_404(assignments, request.user, pk)


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _day(request: HttpRequest) -> datetime.date:
    raw = request.GET.get("day", "")
    try:
        day = parse_date(raw) if raw else None
    except ValueError:
        day = None
    if day is None or not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        return timezone.localdate()
    return day


# ---------------------------------------------------------------- standards


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    """测评标准: the versions, the current one first, with their category counts."""
    _require_view(request)
    standards = Standard.objects.annotate(  # scoping: allowed (the district's standard)
        total=Count("categories"), active=Count("categories", filter=Q(categories__is_active=True))
    ).order_by("-is_current", "-effective_from", "-pk")
    context = {"title": _("测评标准"), "standards": standards, "may_manage": may_manage_standards(request.user)}
    return render(request, "civility/standards/standard_list.html", context)


@login_required
def standard_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One version: its categories by group, with their severity and deadline; ``?export=xlsx``
    gives the import's columns (the file reads back in unchanged)."""
    standard = _standard(request, pk)
    if request.GET.get("export") == "xlsx":
        headers = list(services.IMPORT_COLUMNS)
        return xlsx_response(
            f"standard-{standard.pk}", str(standard.version), headers, services.standard_rows(standard)
        )
    context = {
        "title": str(standard),
        "standard": standard,
        "categories": standard.categories.order_by("position", "code"),
        "may_manage": may_manage_standards(request.user),
    }
    return render(request, "civility/standards/standard_detail.html", context)


@login_required
def standard_copy(request: HttpRequest, pk: Any) -> HttpResponse:
    """复制为新版本: a new version with this one's categories, to edit before making it current."""
    source = _standard(request, pk)
    _require_manager(request)
    form = VersionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        made = run_service(
            request,
            lambda: services.copy_standard(source, by=request.user, **form.cleaned_data),
            _("已复制为新版本。"),
        )
        if made is not None:
            return HttpResponseRedirect(reverse("civility:standard_detail", args=[made.pk]))
    context = {"title": _("复制为新版本"), "form": form, "back": reverse("civility:standard_detail", args=[source.pk])}
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def standard_import(request: HttpRequest) -> HttpResponse:
    """从 Excel 导入: a version's categories from a workbook, all or nothing."""
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            request,
            lambda: services.import_standard(
                data["file"].read(), version=data["version"], name=data["name"], by=request.user
            ),
        )
        if result is not None:
            message = _("导入完成：新增 %(created)d 个类别，更新 %(updated)d 个，%(unchanged)d 个无变化。") % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
            messages.success(request, message)
            return HttpResponseRedirect(reverse("civility:standard_detail", args=[result.standard.pk]))
    context = {
        "title": _("从 Excel 导入测评标准"),
        "form": form,
        "back": reverse("civility:standard_list"),
        "upload": True,
    }
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def standard_make_current(request: HttpRequest, pk: Any) -> HttpResponse:
    """设为当前版本, after a confirmation page."""
    standard = _standard(request, pk)
    _require_manager(request)
    back = reverse("civility:standard_detail", args=[standard.pk])
    if request.method == "POST":
        done = run_service(request, lambda: services.make_current(standard, by=request.user), _("已设为当前版本。"))
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("设为当前版本"),
        "question": _("确认将“%(name)s”设为当前版本？") % {"name": standard},
        "explain": _("新发现的问题将使用该版本的问题类别；已记录的问题保留原类别。"),
        "button": _("确认设为当前版本"),
        "back": back,
    }
    return _render_form(request, "civility/standards/confirm.html", context)


@login_required
def category_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改类别: name, group, default severity, deadline, description, order."""
    category = _category(request, pk)
    _require_manager(request)
    form = CategoryForm(request.POST if request.method == "POST" else None, instance=category)
    back = reverse("civility:standard_detail", args=[category.standard_id])
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.update_category(category, by=request.user, **form.cleaned_data),
            _("已保存类别“%(name)s”。") % {"name": form.cleaned_data["name"]},
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {"title": _("修改问题类别"), "form": form, "back": back}
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def category_toggle(request: HttpRequest, pk: Any) -> HttpResponse:
    """停用 / 启用 a category, after a confirmation page (its problems keep it)."""
    category = _category(request, pk)
    _require_manager(request)
    back = reverse("civility:standard_detail", args=[category.standard_id])
    active = not category.is_active
    if request.method == "POST":
        done = run_service(
            request,
            lambda: services.set_category_active(category, active=active, by=request.user),
            _("已启用“%(name)s”。") % {"name": category.name}
            if active
            else _("已停用“%(name)s”。") % {"name": category.name},
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("启用类别") if active else _("停用类别"),
        "question": (_("确认启用“%(name)s”？") if active else _("确认停用“%(name)s”？")) % {"name": category.name},
        "explain": _("停用后发现问题时不再提供该类别；已记录的问题保留原类别。"),
        "button": _("确认启用") if active else _("确认停用"),
        "danger": not active,
        "back": back,
    }
    return _render_form(request, "civility/standards/confirm.html", context)


# ---------------------------------------------------------------- places


class PlaceListView(ScopedListView):
    """点位: the places the user sees, with search, filters (kind, area, in use, no responsible
    unit) and the Excel export."""

    model = Place
    title = gettext_lazy("点位")
    template_name = "civility/standards/place_list.html"
    filterset_class = PlaceFilterSet
    search_fields = ("name", "address", "area__name")
    columns = (
        ("name", gettext_lazy("名称")),
        ("get_kind_display", gettext_lazy("点位类型")),
        ("area__name", gettext_lazy("所在街道（乡镇）")),
        ("address", gettext_lazy("地址或范围")),
        ("responsible_units", gettext_lazy("责任单位")),
        ("state_label", gettext_lazy("状态")),
    )
    export_name = "civility-places"

    def base_queryset(self) -> QuerySet:
        return Place.objects.select_related("area", "unit").order_by("area__path", "kind", "name")  # scoping: allowed

    def _decorate(self, places: list[Place]) -> list[Place]:
        """Each place's responsible units today (two queries for any number of places)."""
        visible_ids = [place.pk for place in places]
        found = Place.objects.filter(pk__in=visible_ids)  # scoping: allowed (ids of visible places)
        rows = {row.place.pk: row for row in queries.responsibility_rows(found, timezone.localdate())}
        for place in places:
            row = rows.get(place.pk)
            units = [assignment.unit.name for assignment in row.assignments] if row else []
            place.responsible_units = "、".join(dict.fromkeys(units)) or _("无")
            place.is_gap = place.is_active and not units
            place.state_label = _("启用") if place.is_active else _("停用")
        return places

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            columns = self.export_columns()
            places = self._decorate(list(self.get_queryset()[: settings.EXPORT_MAX_ROWS + 1]))
            rows = (self.row_values(place, columns) for place in places)
            headers = [str(heading) for _path, heading in columns]
            return xlsx_response(self.export_name, str(self.title), headers, rows)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset: QuerySet, page_size: int) -> Any:
        paginator, page, objects, more = super().paginate_queryset(queryset, page_size)
        return paginator, page, self._decorate(list(objects)), more

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage_standards(self.request.user)
        return context


@login_required
def place_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One place with its responsibilities (in force, future and ended)."""
    place = _place(request, pk)
    today = timezone.localdate()
    assignments = list(
        Assignment.objects.visible_to(request.user)
        .filter(place=place)
        .select_related("unit", "leader")
        .prefetch_related("categories")
        .order_by("-starts_on", "-pk")
    )
    for assignment in assignments:
        assignment.in_force = assignment.starts_on <= today and (
            assignment.ends_on is None or assignment.ends_on >= today
        )
    context = {
        "title": place.name,
        "place": place,
        "assignments": assignments,
        "is_gap": place.is_active and not any(a.in_force for a in assignments),
        "may_manage": may_manage_standards(request.user),
    }
    return render(request, "civility/standards/place_detail.html", context)


def _place_form(request: HttpRequest, place: Place | None) -> HttpResponse:
    _require_manager(request)
    form = PlaceForm(request.POST if request.method == "POST" else None, instance=place)
    if request.method == "POST" and form.is_valid():
        if place is None:
            saved = run_service(
                request,
                lambda: services.create_place(by=request.user, **form.cleaned_data),
                _("已添加点位“%(name)s”。") % {"name": form.cleaned_data["name"]},
            )
        else:
            saved = run_service(
                request,
                lambda: services.update_place(place, by=request.user, **form.cleaned_data),
                _("已保存点位“%(name)s”。") % {"name": form.cleaned_data["name"]},
            )
        if saved is not None:
            return HttpResponseRedirect(reverse("civility:place_detail", args=[saved.pk]))
    back = reverse("civility:place_detail", args=[place.pk]) if place else reverse("civility:place_list")
    context = {"title": _("修改点位") if place else _("添加点位"), "form": form, "back": back}
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def place_create(request: HttpRequest) -> HttpResponse:
    """添加点位: kept by the user's unit, lying in a street or town."""
    return _place_form(request, None)


@login_required
def place_import(request: HttpRequest) -> HttpResponse:
    """从 Excel 导入点位: all or nothing; the same file again changes nothing."""
    _require_manager(request)
    form = PlaceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = run_service(request, lambda: services.import_places(upload.read(), by=request.user))
        if result is not None:
            messages.success(
                request,
                _("导入完成：新增 %(created)d 个点位，更新 %(updated)d 个，%(unchanged)d 个无变化。")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return HttpResponseRedirect(reverse("civility:place_list"))
    context = {"title": _("从 Excel 导入点位"), "form": form, "back": reverse("civility:place_list"), "upload": True}
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def place_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改点位."""
    return _place_form(request, _place(request, pk))


@login_required
def place_toggle(request: HttpRequest, pk: Any) -> HttpResponse:
    """停用 / 启用 a place, after a confirmation page."""
    place = _place(request, pk)
    _require_manager(request)
    back = reverse("civility:place_detail", args=[place.pk])
    active = not place.is_active
    if request.method == "POST":
        done = run_service(
            request,
            lambda: services.set_place_active(place, active=active, by=request.user),
            _("已启用点位。") if active else _("已停用点位。"),
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("启用点位") if active else _("停用点位"),
        "question": (_("确认启用点位“%(name)s”？") if active else _("确认停用点位“%(name)s”？")) % {"name": place.name},
        "explain": _("停用的点位不再列为空白点位，发现问题时也不再提供；已有的问题和责任保留。"),
        "button": _("确认启用") if active else _("确认停用"),
        "danger": not active,
        "back": back,
    }
    return _render_form(request, "civility/standards/confirm.html", context)


# ---------------------------------------------------------------- responsibilities


@login_required
def responsibility_list(request: HttpRequest) -> HttpResponse:
    """点位与责任: every place the user sees with its responsible units on a day (today by
    default); a place nobody answers for is a gap, shown in red; ``?gap=yes`` shows the gaps only;
    ``?export=xlsx`` gives the whole list."""
    _require_view(request)
    day = _day(request)
    places = Place.objects.visible_to(request.user).filter(is_active=True).order_by("area__path", "kind", "name")
    query = request.GET.get("q", "").strip()[:50]
    if query:
        places = places.filter(Q(name__icontains=query) | Q(area__name__icontains=query) | Q(address__icontains=query))
    gaps = queries.places_without_responsibility(request.user, day)
    gap_count = gaps.count()
    only_gaps = request.GET.get("gap") == "yes"
    if only_gaps:
        places = places.filter(pk__in=gaps.values("pk"))
    if request.GET.get("export") == "xlsx":
        headers = [
            _("点位"),
            _("点位类型"),
            _("所在街道（乡镇）"),
            _("责任单位"),
            _("责任形式"),
            _("责任领导"),
            _("负责的问题类别"),
        ]
        rows = []
        for row in queries.responsibility_rows(places, day):
            if row.is_gap:
                rows.append(
                    [row.place.name, row.place.get_kind_display(), row.place.area.name, _("无责任单位"), "", "", ""]
                )
            for a in row.assignments:
                names = "、".join(c.name for c in a.categories.all()) or _("全部")
                leader = a.leader.get_full_name() if a.leader else ""
                rows.append(
                    [
                        row.place.name,
                        row.place.get_kind_display(),
                        row.place.area.name,
                        a.unit.name,
                        a.get_kind_display(),
                        leader,
                        names,
                    ]
                )
        return xlsx_response("civility-responsibilities", str(_("点位与责任")), headers, rows)
    page = Paginator(places, 50).get_page(request.GET.get("page"))
    shown = Place.objects.filter(pk__in=[p.pk for p in page.object_list])  # scoping: allowed (visible page's ids)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "title": _("点位与责任"),
        "day": day,
        "rows": queries.responsibility_rows(shown.order_by("area__path", "kind", "name"), day),
        "page_obj": page,
        "paginator": page.paginator,
        "query_string": params.urlencode(),
        "gap_count": gap_count,
        "only_gaps": only_gaps,
        "may_manage": may_manage_standards(request.user),
    }
    return render(request, "civility/standards/responsibility_list.html", context)


@login_required
def assignment_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """添加责任: a unit answers for this place (包街、包帮或包点) for a period."""
    place = _place(request, pk)
    _require_manager(request)
    form = AssignmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories = data.pop("categories")
        saved = run_service(
            request,
            lambda: services.create_assignment(place, categories=categories, by=request.user, **data),
            _("已为“%(place)s”落实责任单位“%(unit)s”。") % {"place": place.name, "unit": data["unit"]},
        )
        if saved is not None:
            return HttpResponseRedirect(
                request.POST.get("next_gap")
                and reverse("civility:responsibility_list") + "?gap=yes"
                or reverse("civility:place_detail", args=[place.pk])
            )
    context = {
        "title": _("为“%(name)s”落实责任") % {"name": place.name},
        "form": form,
        "back": reverse("civility:place_detail", args=[place.pk]),
        "next_gap": request.GET.get("from") == "gaps" or request.POST.get("next_gap"),
    }
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def assignment_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改责任: unit, form, period, leader, categories."""
    assignment = _assignment(request, pk)
    _require_manager(request)
    form = AssignmentForm(request.POST if request.method == "POST" else None, instance=assignment)
    back = reverse("civility:place_detail", args=[assignment.place_id])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories = data.pop("categories")
        saved = run_service(
            request,
            lambda: services.update_assignment(assignment, categories=categories, by=request.user, **data),
            _("已保存。"),
        )
        if saved is not None:
            return HttpResponseRedirect(back)
    context = {"title": _("修改责任"), "form": form, "back": back}
    return _render_form(request, "civility/standards/form.html", context)


@login_required
def assignment_end(request: HttpRequest, pk: Any) -> HttpResponse:
    """结束责任, after a confirmation page with the last day."""
    assignment = _assignment(request, pk)
    _require_manager(request)
    back = reverse("civility:place_detail", args=[assignment.place_id])
    form = EndAssignmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.end_assignment(assignment, ends_on=form.cleaned_data["ends_on"], by=request.user),
            _("已结束该责任。"),
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("结束责任"),
        "question": _("确认结束“%(unit)s”对“%(place)s”的责任？") % {"unit": assignment.unit, "place": assignment.place},
        "explain": _("结束后，如该点位没有其他责任单位，将列为空白点位。结束日期留空即为今天。"),
        "button": _("确认结束"),
        "danger": True,
        "form": style_form(form, ""),
        "back": back,
    }
    return _render_form(request, "civility/standards/confirm.html", context)
