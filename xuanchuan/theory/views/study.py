"""Staff pages of the study part's groups: central study groups and their members, and a member's
archive; plans are ``study_plans``, sessions ``study_sessions``. Thin: reads through ``visible_to``
and ``queries.study``, writes through ``services.study``; another unit's record answers 404 like a
missing one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.services import run_service
from xuanchuan.core.views import visible_or_404
from xuanchuan.theory.forms.study import (
    GroupFilterSet,
    GroupForm,
    MemberAddForm,
    MemberEditForm,
    MemberLeaveForm,
)
from xuanchuan.theory.models import StudyGroup, StudyMember, StudySession
from xuanchuan.theory.permissions import may_manage_study
from xuanchuan.theory.queries import study as queries
from xuanchuan.theory.services import study as services
from xuanchuan.theory.views.study_common import (
    StudyListView,
    confirm_then_run,
    form_page,
    require_manager,
    require_view,
)


def _group(request: HttpRequest, pk: Any) -> StudyGroup:
    require_view(request)
    return visible_or_404(StudyGroup.objects.select_related("unit"), request.user, pk)  # scoping: allowed


def _member(request: HttpRequest, pk: Any) -> StudyMember:
    require_view(request)
    members = StudyMember.objects.select_related("group", "group__unit", "user")  # scoping: allowed (below)
    return visible_or_404(members, request.user, pk)


# ---------------------------------------------------------------- groups and members


class GroupListView(StudyListView):
    """理论学习中心组: the groups the user sees, with their current members' count."""

    model = StudyGroup
    title = gettext_lazy("理论学习中心组")
    filterset_class = GroupFilterSet
    search_fields = ("name", "unit__name")
    detail_url_name = "theory:group_detail"
    export_name = "theory-study-groups"
    columns = (
        ("name", gettext_lazy("名称")),
        ("unit__name", gettext_lazy("所属单位")),
        ("current_members", gettext_lazy("现有成员")),
        ("active", gettext_lazy("启用")),
    )
    create_url = "theory:group_create"

    def base_queryset(self) -> QuerySet:
        return StudyGroup.objects.select_related("unit").annotate(  # scoping: allowed (visible_to below)
            current_members=Count("members", filter=Q(members__left_on__isnull=True))
        )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A group: current members (and former, kept), its plans, this year's sessions and their rate."""
    group = _group(request, pk)
    year = timezone.localdate().year
    members = list(group.members.select_related("user", "user__unit").order_by("left_on", "role", "user__full_name"))
    year_sessions = StudySession.objects.visible_to(request.user).filter(group=group, starts_at__year=year)
    attended, expected, rate = queries.rate_of(year_sessions)
    context = {
        "group": group,
        "title": group.name,
        "current": [m for m in members if m.left_on is None],
        "former": [m for m in members if m.left_on is not None],
        "plans": list(group.plans.order_by("-year")),
        "sessions": list(year_sessions.order_by("-starts_at")[:50]),
        "year": year,
        "attended": attended,
        "expected": expected,
        "rate": rate,
        "may_manage": may_manage_study(request.user),
    }
    return render(request, "theory/study/group_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    require_manager(request)
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = run_service(
            request,
            lambda: services.save_group(
                None,
                unit=data["unit"],
                name=data["name"],
                description=data["description"],
                active=data["active"],
                by=request.user,
            ),
            _("已建立中心组。"),
        )
        if group is not None:
            return redirect("theory:group_detail", pk=group.pk)
    return form_page(request, form, title=_("新建理论学习中心组"), back=reverse("theory:group_list"))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    require_manager(request)
    initial = {"name": group.name, "description": group.description, "active": group.active}
    form = GroupForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.save_group(
                group,
                unit=group.unit,
                name=data["name"],
                description=data["description"],
                active=data["active"],
                by=request.user,
            ),
            _("已保存。"),
        )
        if saved is not None:
            return redirect("theory:group_detail", pk=group.pk)
    back = reverse("theory:group_detail", args=[group.pk])
    return form_page(request, form, title=_("编辑中心组"), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person with an account (search by name or username among the units the user sees)."""
    group = _group(request, pk)
    require_manager(request)
    search = str(request.GET.get("q", ""))[:50].strip()
    form = MemberAddForm(request.POST or None, by=request.user, unit=group.unit, search=search)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = run_service(
            request,
            lambda: services.add_member(
                group, user=data["user"], role=data["role"], joined_on=data["joined_on"], by=request.user
            ),
            _("已添加成员。"),
        )
        if member is not None:
            return redirect("theory:group_detail", pk=group.pk)
    back = reverse("theory:group_detail", args=[group.pk])
    return form_page(
        request,
        form,
        title=_("添加成员：%(group)s") % {"group": group.name},
        back=back,
        search=search,
        search_enabled=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    require_manager(request)
    form = MemberEditForm(request.POST or None, initial={"role": member.role, "joined_on": member.joined_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            run_service(
                request,
                lambda: services.edit_member(member, role=data["role"], joined_on=data["joined_on"], by=request.user),
                _("已保存。"),
            )
            is not None
        ):
            return redirect("theory:group_detail", pk=member.group_id)
    back = reverse("theory:group_detail", args=[member.group_id])
    return form_page(request, form, title=_("编辑成员：%(name)s") % {"name": member.user.full_name}, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """A member leaves the group (confirmation with the date); the archive keeps them."""
    member = _member(request, pk)
    require_manager(request)
    form = MemberLeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    return confirm_then_run(
        request,
        lambda data: services.member_leave(member, left_on=data["left_on"], by=request.user),
        success=_("已办理退出。"),
        done_url=reverse("theory:group_detail", args=[member.group_id]),
        form=form,
        title=_("退出中心组"),
        question=_("%(name)s 退出“%(group)s”？") % {"name": member.user.full_name, "group": member.group.name},
        explain=_("退出后不再计入应出席人数；以往的出席、请假和发言记录保留在档案中。"),
        button=_("确认退出"),
        danger=True,
    )


@login_required
def member_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's archive in a group: sessions attended, absences, leave and make-ups, speeches."""
    member = _member(request, pk)
    archive = queries.member_archive(member)
    context = {
        "member": member,
        "archive": archive,
        "rate": queries.attendance_rate(*archive.counts),
        "today": timezone.localdate(),
        "title": _("学习档案：%(name)s") % {"name": member.user.full_name or member.user.username},
    }
    return render(request, "theory/study/member_archive.html", context)
