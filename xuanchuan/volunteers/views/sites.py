"""Pages of the volunteers app's sites part: practice sites (centre → institutes → stations),
service brands, volunteer teams and their members, a team's Excel import, and the public phone
list of sites. Thin: reads through ``visible_to`` and ``queries.sites``, writes through
``services.sites``; another unit's record answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.public import rate_limit
from xuanchuan.core.services import refusal_text, run_service
from xuanchuan.core.views import CONFIRM_TEMPLATE, ScopedListView, visible_or_404
from xuanchuan.volunteers.forms.sites import (
    BrandFilterSet,
    BrandForm,
    DissolveForm,
    ImportForm,
    LeaveForm,
    MemberSearchForm,
    SiteFilterSet,
    SiteForm,
    TeamFilterSet,
    TeamForm,
)
from xuanchuan.volunteers.models import Brand, Membership, PracticeSite, Team, Volunteer
from xuanchuan.volunteers.permissions import may_manage, may_view
from xuanchuan.volunteers.queries import sites as queries
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.views._common import FORM_TEMPLATE

PUBLIC_RATE = "120/m"
MISSING_SHOWN = 30


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied


def _require_manager(request: HttpRequest) -> None:
    if not may_manage(request.user):
        raise PermissionDenied


def _site(request: HttpRequest, pk: Any) -> PracticeSite:
    _require_view(request)
    return visible_or_404(PracticeSite.objects.select_related("unit"), request.user, pk)  # scoping: allowed


def _brand(request: HttpRequest, pk: Any) -> Brand:
    _require_view(request)
    return visible_or_404(Brand.objects.select_related("unit"), request.user, pk)  # scoping: allowed


def _team(request: HttpRequest, pk: Any) -> Team:
    _require_view(request)
    return visible_or_404(Team.objects.select_related("unit", "brand", "site"), request.user, pk)  # scoping: allowed


def _membership(request: HttpRequest, pk: Any) -> Membership:
    _require_view(request)
    memberships = Membership.objects.select_related("team", "team__unit", "volunteer")  # scoping: allowed
    return visible_or_404(memberships, request.user, pk)


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _confirm(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return _render_form(request, CONFIRM_TEMPLATE, context)


# ---------------------------------------------------------------- practice sites


class SiteListView(ScopedListView):
    """文明实践阵地: the sites the user sees (filter by level and state, search, Excel export),
    and below the table the tree centre → institutes → stations."""

    model = PracticeSite
    title = gettext_lazy("文明实践阵地")
    template_name = "volunteers/sites/site_list.html"
    filterset_class = SiteFilterSet
    search_fields = ("name", "address", "unit__name")
    columns = (
        ("name", gettext_lazy("名称")),
        ("get_level_display", gettext_lazy("层级")),
        ("unit__name", gettext_lazy("所在单位")),
        ("address", gettext_lazy("地址")),
        ("opening_hours", gettext_lazy("开放时间")),
        ("phone", gettext_lazy("联系电话")),
        ("state_label", gettext_lazy("状态")),
    )
    export_name = "volunteers-sites"

    def base_queryset(self) -> QuerySet:
        return PracticeSite.objects.select_related("unit").order_by("unit__path")  # scoping: allowed

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_view(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["tree"] = queries.site_tree(user)
        context["may_manage"] = may_manage(user)
        if context["may_manage"]:
            missing = queries.stations_without_site(user).order_by("path")
            context["missing_stations"] = list(missing[:MISSING_SHOWN])
            context["missing_count"] = (
                missing.count()
                if len(context["missing_stations"]) == MISSING_SHOWN
                else len(context["missing_stations"])
            )
        return context


def _site_form(request: HttpRequest, site: PracticeSite | None) -> HttpResponse:
    _require_manager(request)
    initial = {}
    if site is None and str(request.GET.get("unit", "")).isdigit():
        initial["unit"] = request.GET["unit"]
    form = SiteForm(
        request.POST if request.method == "POST" else None, instance=site, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, level = data.pop("unit"), data.pop("level")
        saved = run_service(
            request,
            lambda: services.save_site(site, unit=unit, level=level, by=request.user, **data),
            _("已保存“%(name)s”。") % {"name": data["name"]},
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("volunteers:site_detail", args=[saved.pk]))
    back = reverse("volunteers:site_detail", args=[site.pk]) if site else reverse("volunteers:site_list")
    title = _("修改文明实践阵地") if site else _("新建文明实践阵地")
    return _render_form(request, FORM_TEMPLATE, {"title": title, "form": form, "back": back})


@login_required
def site_create(request: HttpRequest) -> HttpResponse:
    """新建阵地: the level follows the unit (centre, institute or station); one per unit."""
    return _site_form(request, None)


@login_required
def site_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改阵地."""
    return _site_form(request, _site(request, pk))


@login_required
def site_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One site: its details, the teams based there, and the sites below it on the unit tree."""
    site = _site(request, pk)
    context = {
        "title": site.name,
        "site": site,
        "teams": queries.teams(request.user).filter(site=site).order_by("dissolved_on", "name"),
        "below": queries.sites_below(request.user, site),
        "may_manage": may_manage(request.user),
    }
    return render(request, "volunteers/sites/site_detail.html", context)


# ---------------------------------------------------------------- brands


class BrandListView(ScopedListView):
    """文明实践品牌: the brands the user sees, with the number of teams under each."""

    model = Brand
    title = gettext_lazy("文明实践品牌")
    template_name = "volunteers/sites/brand_list.html"
    filterset_class = BrandFilterSet
    search_fields = ("name", "description")
    columns = (
        ("name", gettext_lazy("品牌名称")),
        ("unit__name", gettext_lazy("所属单位")),
        ("team_count", gettext_lazy("队伍数")),
        ("description", gettext_lazy("简介")),
        ("state_label", gettext_lazy("状态")),
    )
    export_name = "volunteers-brands"

    def base_queryset(self) -> QuerySet:
        from django.db.models import Count

        brands = Brand.objects.select_related("unit")  # scoping: allowed (ScopedListView adds visible_to)
        return brands.annotate(team_count=Count("teams")).order_by("unit__path", "name")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_view(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage(self.request.user)
        return context


def _brand_form(request: HttpRequest, brand: Brand | None) -> HttpResponse:
    _require_manager(request)
    form = BrandForm(request.POST if request.method == "POST" else None, instance=brand, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_brand(brand, by=request.user, **data),
            _("已保存品牌“%(name)s”。") % {"name": data["name"]},
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("volunteers:brand_list"))
    context = {
        "title": _("修改品牌") if brand else _("新建品牌"),
        "form": form,
        "back": reverse("volunteers:brand_list"),
        "delete_url": reverse("volunteers:brand_delete", args=[brand.pk]) if brand else "",
    }
    return _render_form(request, FORM_TEMPLATE, context)


@login_required
def brand_create(request: HttpRequest) -> HttpResponse:
    """新建品牌: name unique within the unit."""
    return _brand_form(request, None)


@login_required
def brand_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改品牌 (or deactivate it: a brand in use is never deleted)."""
    return _brand_form(request, _brand(request, pk))


@login_required
def brand_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    """删除品牌, after a confirmation page; refused for a brand any team uses (deactivate instead)."""
    brand = _brand(request, pk)
    _require_manager(request)
    back = reverse("volunteers:brand_edit", args=[brand.pk])
    if request.method == "POST":
        name = brand.name
        done = run_service(request, lambda: services.delete_brand(brand, by=request.user) or True)
        if done:
            messages.success(request, _("已删除品牌“%(name)s”。") % {"name": name})
            return HttpResponseRedirect(reverse("volunteers:brand_list"))
    context = {
        "title": _("删除品牌"),
        "question": _("确认删除品牌“%(name)s”？") % {"name": brand.name},
        "explain": _("只有从未被队伍使用的品牌可以删除；已使用的品牌请改为停用。"),
        "button": _("确认删除"),
        "danger": True,
        "back": back,
    }
    return _confirm(request, context)


# ---------------------------------------------------------------- teams


class TeamListView(ScopedListView):
    """志愿服务队伍: the teams the user sees, by brand, site, unit (and those below it) and state,
    with the number of current members; search by name; Excel export."""

    model = Team
    title = gettext_lazy("志愿服务队伍")
    template_name = "volunteers/sites/team_list.html"
    filterset_class = TeamFilterSet
    search_fields = ("name", "description")
    columns = (
        ("name", gettext_lazy("队伍名称")),
        ("brand__name", gettext_lazy("品牌")),
        ("site__name", gettext_lazy("依托阵地")),
        ("unit__name", gettext_lazy("所属单位")),
        ("founded_on", gettext_lazy("成立日期")),
        ("member_count", gettext_lazy("在队人数")),
        ("state_label", gettext_lazy("状态")),
    )
    export_name = "volunteers-teams"

    def base_queryset(self) -> QuerySet:
        from django.db.models import Count, Q

        return (
            Team.objects.select_related("unit", "brand", "site")  # scoping: allowed
            .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
            .order_by("dissolved_on", "unit__path", "name")
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_view(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage(self.request.user)
        return context


def _team_form(request: HttpRequest, team: Team | None) -> HttpResponse:
    _require_manager(request)
    form = TeamForm(request.POST if request.method == "POST" else None, instance=team, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        saved = run_service(
            request,
            lambda: services.save_team(team, unit=unit, by=request.user, **data),
            _("已保存队伍“%(name)s”。") % {"name": data["name"]},
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("volunteers:team_detail", args=[saved.pk]))
    back = reverse("volunteers:team_detail", args=[team.pk]) if team else reverse("volunteers:team_list")
    title = _("修改队伍") if team else _("新建志愿服务队伍")
    return _render_form(request, FORM_TEMPLATE, {"title": title, "form": form, "back": back})


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    """新建队伍: of a unit in scope, optionally under a brand and based at a site."""
    return _team_form(request, None)


@login_required
def team_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    """修改队伍 (not once dissolved)."""
    return _team_form(request, _team(request, pk))


@login_required
def team_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One team: its details and members (current, leader first; and those who left), names and
    phones masked."""
    team = _team(request, pk)
    context = {
        "title": team.name,
        "team": team,
        "roster": queries.roster(request.user, team),
        "may_manage": may_manage(request.user) and team.dissolved_on is None,
    }
    return render(request, "volunteers/sites/team_detail.html", context)


@login_required
def team_dissolve(request: HttpRequest, pk: Any) -> HttpResponse:
    """撤销队伍, after a confirmation page with the date and the reason; the team and its members'
    history stay on record."""
    team = _team(request, pk)
    _require_manager(request)
    back = reverse("volunteers:team_detail", args=[team.pk])
    form = DissolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request,
            lambda: services.dissolve_team(team, on=data["dissolved_on"], reason=data["reason"], by=request.user),
            _("已撤销队伍“%(name)s”。") % {"name": team.name},
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("撤销队伍"),
        "question": _("确认撤销队伍“%(name)s”？") % {"name": team.name},
        "explain": _("撤销后队员全部记为退出，队伍不能再修改或开展新项目；队伍、队员和服务记录均保留。"),
        "button": _("确认撤销"),
        "danger": True,
        "form": form,
        "back": back,
    }
    return _confirm(request, context)


@login_required
def team_member_add(request: HttpRequest, pk: Any) -> HttpResponse:
    """添加队员: find a volunteer of the user's scope by the volunteer number or the full ID or
    mobile number (through the blind index, never by part of a number), then add them."""
    team = _team(request, pk)
    _require_manager(request)
    back = reverse("volunteers:team_detail", args=[team.pk])
    if request.method == "POST":
        volunteer = visible_or_404(Volunteer, request.user, request.POST.get("volunteer", ""))
        added = run_service(
            request,
            lambda: services.add_member(team, volunteer, by=request.user),
            _("已将志愿者 %(number)s 加入本队。") % {"number": volunteer.number},
        )
        if added is not None:
            return HttpResponseRedirect(back)
    form = MemberSearchForm(request.GET if "q" in request.GET else None)
    found = queries.find_volunteers(request.user, form.cleaned_data["q"]) if form.is_valid() else None
    current = set(
        team.memberships.filter(left_on__isnull=True, volunteer__in=found or []).values_list("volunteer_id", flat=True)
    )
    context = {"title": _("添加队员"), "team": team, "form": form, "found": found, "current": current, "back": back}
    return render(request, "volunteers/sites/member_add.html", context, status=400 if request.method == "POST" else 200)


@login_required
def team_member_remove(request: HttpRequest, pk: Any) -> HttpResponse:
    """队员退出, after a confirmation page with the day they left (the membership is kept)."""
    membership = _membership(request, pk)
    _require_manager(request)
    back = reverse("volunteers:team_detail", args=[membership.team_id])
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.remove_member(membership, on=form.cleaned_data["left_on"], by=request.user),
            _("志愿者 %(number)s 已退出本队。") % {"number": membership.volunteer.number},
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("队员退出"),
        "question": _("确认志愿者 %(number)s 退出“%(team)s”？")
        % {"number": membership.volunteer.number, "team": membership.team.name},
        "explain": _("退出后仍保留其在本队期间的记录；如是队长，同时不再担任队长。"),
        "button": _("确认退出"),
        "danger": True,
        "form": form,
        "back": back,
    }
    return _confirm(request, context)


@login_required
def team_leader_set(request: HttpRequest, pk: Any) -> HttpResponse:
    """设为队长, after a confirmation page: one leader at a time (the previous one becomes a member)."""
    membership = _membership(request, pk)
    _require_manager(request)
    back = reverse("volunteers:team_detail", args=[membership.team_id])
    if request.method == "POST":
        done = run_service(
            request,
            lambda: services.set_leader(membership, by=request.user),
            _("已将志愿者 %(number)s 设为队长。") % {"number": membership.volunteer.number},
        )
        if done is not None:
            return HttpResponseRedirect(back)
    context = {
        "title": _("设为队长"),
        "question": _("确认将志愿者 %(number)s 设为“%(team)s”的队长？")
        % {"number": membership.volunteer.number, "team": membership.team.name},
        "explain": _("每支队伍只有一名队长，原队长改为队员。"),
        "button": _("确认设为队长"),
        "back": back,
    }
    return _confirm(request, context)


@login_required
def team_import(request: HttpRequest, pk: Any) -> HttpResponse:
    """从 Excel 导入队员: all or nothing, each person through the one enrolment (one person one
    volunteer); the uploader confirms the team has their consent. The same file again adds nothing."""
    team = _team(request, pk)
    _require_manager(request)
    back = reverse("volunteers:team_detail", args=[team.pk])
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_members(
                team, upload.read(), consented=form.cleaned_data["consented"], by=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            # Not run_service: each bad cell is listed on its own line under the form.
            errors = exc.messages if isinstance(exc, ValidationError) else [refusal_text(exc)]
        else:
            messages.success(
                request,
                _("导入完成：新登记志愿者 %(created)d 人，匹配已有志愿者 %(matched)d 人，新加入本队 %(joined)d 人。")
                % {"created": result.created, "matched": result.matched, "joined": result.joined},
            )
            return HttpResponseRedirect(back)
    context = {"title": _("从 Excel 导入队员"), "team": team, "form": form, "errors": errors, "back": back}
    return _render_form(request, "volunteers/sites/import.html", context)


@login_required
def team_import_template(request: HttpRequest) -> HttpResponse:
    """The import's template: an .xlsx with the columns the import reads."""
    _require_manager(request)
    return xlsx_response("volunteers-team-import", str(_("队员名单")), list(services.IMPORT_COLUMNS), [])


# ---------------------------------------------------------------- public phone page


@require_GET
@rate_limit("volunteers-sites", PUBLIC_RATE, methods=("GET",))
def m_site_list(request: HttpRequest) -> HttpResponse:
    """新时代文明实践阵地 for residents on a phone: every active site with its address, opening
    hours and phone, grouped by street or town. No sign-in; public information only."""
    context = {"title": _("文明实践阵地"), "groups": queries.public_sites()}
    return render(request, "volunteers/sites/m_site_list.html", context)
