"""Staff pages of the activities part: the year's projects of the teams in scope and their
activities, with the sign-up list (confirmed, waiting in order, cancelled) of each activity.
Thin views over ``services.activities`` and ``queries.activities``; every action that cannot be
undone (publishing, closing, opening, cancelling) asks for confirmation on a page of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.pii import masked
from xuanchuan.core.services import run_service
from xuanchuan.core.views import confirm_then_run, style_form, visible_or_404
from xuanchuan.core.views import require_role as require
from xuanchuan.volunteers.filters_activities import ActivityFilterSet, ProjectFilterSet
from xuanchuan.volunteers.forms.activities import ActivityForm, ProjectForm, ReasonForm
from xuanchuan.volunteers.models import Activity, ActivityStatus, Project, ProjectStatus, SignUp, SignUpStatus
from xuanchuan.volunteers.permissions import may_manage, may_view
from xuanchuan.volunteers.queries import activities as queries
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.views._common import FORM_TEMPLATE, StaffListView


def _project(request: HttpRequest, pk: Any) -> Project:
    require(may_view(request.user))
    return visible_or_404(queries.projects(request.user), request.user, pk)


def _activity(request: HttpRequest, pk: Any) -> Activity:
    require(may_view(request.user))
    return visible_or_404(queries.activities(request.user), request.user, pk)


# --- Projects -----------------------------------------------------------------------------------


class ProjectListView(StaffListView):
    """志愿服务项目: search, filters (year, team, brand, status), pagination, Excel export."""

    model = Project
    template_name = "volunteers/activities/project_list.html"
    filterset_class = ProjectFilterSet
    search_fields = ("title", "summary", "team__name")
    title = gettext_lazy("志愿服务项目")
    export_name = "volunteer_projects"
    columns = (
        ("title", gettext_lazy("项目名称")),
        ("year", gettext_lazy("年度")),
        ("team__name", gettext_lazy("发布队伍")),
        ("brand__name", gettext_lazy("品牌")),
        ("unit__name", gettext_lazy("所属单位")),
        ("activity_count", gettext_lazy("活动数")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        from django.db.models import Count

        rows = Project.objects.select_related("team", "brand", "unit")  # scoping: allowed (visible_to in get_queryset)
        return rows.annotate(activity_count=Count("activities")).order_by("-year", "title", "pk")

    def export_columns(self) -> Any:
        return (*self.columns, ("published_at", gettext_lazy("发布时间")), ("summary", gettext_lazy("项目简介")))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage(self.request.user)
        return context


def _project_data(form: ProjectForm) -> services.ProjectData:
    data = form.cleaned_data
    return services.ProjectData(
        team=data["team"], title=data["title"], summary=data["summary"], year=data["year"], brand=data["brand"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    """A new project (a draft) of a team in scope; the year defaults to this year."""
    require(may_manage(request.user))
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = run_service(
            request,
            lambda: services.save_project(None, _project_data(form), by=request.user),
            success=_("项目已保存为草稿，发布后居民即可看到。"),
        )
        if project is not None:
            return redirect(project)
    context = {"form": style_form(form), "title": _("新建志愿服务项目"), "back": reverse("volunteers:project_list")}
    return render(request, FORM_TEMPLATE, context)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A project: what it is, its activities with their sign-up counts, and the actions."""
    project = _project(request, pk)
    page = queries.project_page(request.user, project)
    context = {"title": project.title, "project": project, "page": page, "may_manage": may_manage(request.user)}
    return render(request, "volunteers/activities/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a project not yet closed."""
    project = _project(request, pk)
    require(may_manage(request.user))
    initial = {
        "team": project.team_id,
        "year": project.year,
        "title": project.title,
        "brand": project.brand_id,
        "summary": project.summary,
    }
    form = ProjectForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request, lambda: services.save_project(project, _project_data(form), by=request.user), success=_("已保存。")
        )
        if saved is not None:
            return redirect(saved)
    context = {
        "form": style_form(form),
        "title": _("修改项目：%(title)s") % {"title": project.title},
        "back": project.get_absolute_url(),
    }
    return render(request, FORM_TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def project_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft project (a confirmation page): residents see it and its open activities."""
    project = _project(request, pk)
    require(may_manage(request.user))
    return confirm_then_run(
        request,
        lambda: services.publish_project(project, by=request.user),
        success=_("项目已发布。"),
        done_url=project.get_absolute_url(),
        title=_("发布项目"),
        question=_("发布项目“%(title)s”？") % {"title": project.title},
        explain=_("发布后居民在手机上可以看到该项目，其下开放报名的活动可以报名。"),
        button=_("确认发布"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a published project whose activities are over (a confirmation page)."""
    project = _project(request, pk)
    require(may_manage(request.user))
    return confirm_then_run(
        request,
        lambda: services.close_project(project, by=request.user),
        success=_("项目已结束。"),
        done_url=project.get_absolute_url(),
        title=_("结束项目"),
        question=_("结束项目“%(title)s”？") % {"title": project.title},
        explain=_("结束后项目不能再修改，也不能再添加活动。"),
        button=_("确认结束"),
        danger=True,
    )


# --- Activities ---------------------------------------------------------------------------------


class ActivityListView(StaffListView):
    """志愿服务活动: search, filters (start dates, project, team, status, unit), Excel export."""

    model = Activity
    template_name = "volunteers/activities/activity_list.html"
    filterset_class = ActivityFilterSet
    search_fields = ("title", "place", "project__title")
    title = gettext_lazy("志愿服务活动")
    export_name = "volunteer_activities"
    columns = (
        ("title", gettext_lazy("活动名称")),
        ("starts_at", gettext_lazy("开始时间")),
        ("place", gettext_lazy("活动地点")),
        ("project__title", gettext_lazy("所属项目")),
        ("project__team__name", gettext_lazy("队伍")),
        ("unit__name", gettext_lazy("所属单位")),
        ("capacity", gettext_lazy("招募人数")),
        ("confirmed", gettext_lazy("已报名")),
        ("waiting", gettext_lazy("候补")),
        ("get_status_display", gettext_lazy("状态")),
    )

    def base_queryset(self) -> QuerySet:
        rows = Activity.objects.select_related("project__team", "unit")  # scoping: allowed (visible_to in get_queryset)
        return queries.with_counts(rows).order_by("-starts_at", "-pk")

    def export_columns(self) -> Any:
        return (*self.columns, ("ends_at", gettext_lazy("结束时间")), ("requirements", gettext_lazy("参加要求")))

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        from django.utils import timezone

        values = super().row_values(row, columns)
        return [
            timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if hasattr(v, "tzinfo") and v.tzinfo else v for v in values
        ]


def _activity_data(form: ActivityForm) -> services.ActivityData:
    data = form.cleaned_data
    return services.ActivityData(
        title=data["title"],
        place=data["place"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        capacity=data["capacity"],
        description=data["description"],
        requirements=data["requirements"],
        site=data["site"],
        organiser=data["organiser"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new activity (a draft) under the project ``pk``."""
    project = _project(request, pk)
    require(may_manage(request.user))
    form = ActivityForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        activity = run_service(
            request,
            lambda: services.save_activity(None, _activity_data(form), by=request.user, project=project),
            success=_("活动已保存为草稿；开放报名后志愿者即可报名。"),
        )
        if activity is not None:
            return redirect(activity)
    context = {
        "form": style_form(form),
        "title": _("新建活动：%(project)s") % {"project": project.title},
        "back": project.get_absolute_url(),
    }
    return render(request, FORM_TEMPLATE, context)


def _signup_rows(signups: list[SignUp]) -> list[dict[str, Any]]:
    return [
        {
            "signup": signup,
            "name": masked(signup.volunteer, "name"),
            "phone": masked(signup.volunteer, "phone"),
            "number": signup.volunteer.number,
        }
        for signup in signups
    ]


def _export_signups(activity: Activity, page: queries.ActivityPage) -> HttpResponse:
    from django.utils import timezone

    headers = [
        _("序号"),
        _("志愿者编号"),
        _("姓名"),
        _("手机号码"),
        _("所在社区"),
        _("状态"),
        _("报名时间"),
        _("取消时间"),
    ]
    rows = []
    for number, signup in enumerate([*page.confirmed, *page.waiting, *page.cancelled], 1):
        volunteer = signup.volunteer
        rows.append(
            [
                number,
                volunteer.number,
                masked(volunteer, "name"),
                masked(volunteer, "phone"),
                volunteer.unit.name,
                signup.get_status_display(),
                timezone.localtime(signup.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(signup.cancelled_at).strftime("%Y-%m-%d %H:%M") if signup.cancelled_at else "",
            ]
        )
    title = _("%(title)s 报名名单") % {"title": activity.title}
    return xlsx_response("volunteer_signups", title[:31], [str(h) for h in headers], rows)


def _checkin_url(activity: Activity) -> str:
    try:
        return reverse("volunteers:checkin_screen", args=[activity.pk])
    except NoReverseMatch:
        return ""


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: time, place, places, and its sign-ups (confirmed, waiting in order, cancelled)
    with masked names; ``?export=xlsx`` gives the list as a workbook (masked)."""
    activity = _activity(request, pk)
    page = queries.activity_page(request.user, activity)
    if request.GET.get("export") == "xlsx":
        return _export_signups(activity, page)
    manage = may_manage(request.user)
    context = {
        "title": activity.title,
        "activity": activity,
        "page": page,
        "confirmed": _signup_rows(page.confirmed),
        "waiting": _signup_rows(page.waiting),
        "cancelled": _signup_rows(page.cancelled),
        "may_manage": manage,
        "live": activity.status in (ActivityStatus.DRAFT, ActivityStatus.OPEN),
        "may_open": manage and activity.status == ActivityStatus.DRAFT,
        "project_published": activity.project.status == ProjectStatus.PUBLISHED,
        "checkin_url": _checkin_url(activity) if manage else "",
    }
    return render(request, "volunteers/activities/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity: raising the places confirms the first ones waiting; fewer places than
    the confirmed sign-ups is refused."""
    activity = _activity(request, pk)
    require(may_manage(request.user))
    form = ActivityForm(request.POST or None, user=request.user, project=activity.project, activity=activity)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.save_activity(activity, _activity_data(form), by=request.user),
            success=_("已保存。"),
        )
        if saved is not None:
            return redirect(saved)
    context = {
        "form": style_form(form),
        "title": _("修改活动：%(title)s") % {"title": activity.title},
        "back": activity.get_absolute_url(),
    }
    return render(request, FORM_TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a draft activity for sign-up (a confirmation page); its project must be published."""
    activity = _activity(request, pk)
    require(may_manage(request.user))
    return confirm_then_run(
        request,
        lambda: services.open_activity(activity, by=request.user),
        success=_("活动已开放报名。"),
        done_url=activity.get_absolute_url(),
        title=_("开放报名"),
        question=_("开放活动“%(title)s”的报名？") % {"title": activity.title},
        explain=_("开放后志愿者可以在手机上报名，满员后进入候补。"),
        button=_("确认开放报名"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an activity with the reason (a confirmation page); everyone signed up gets an SMS."""
    activity = _activity(request, pk)
    require(may_manage(request.user))
    return confirm_then_run(
        request,
        lambda data: services.cancel_activity(activity, reason=data["reason"], by=request.user),
        success=_("活动已取消，已短信通知报名的志愿者。"),
        done_url=activity.get_absolute_url(),
        form=ReasonForm(request.POST or None),
        title=_("取消活动"),
        question=_("取消活动“%(title)s”？") % {"title": activity.title},
        explain=_("取消后不能恢复；所有报名和候补的志愿者都会收到短信，短信中写明原因。"),
        button=_("确认取消活动"),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one volunteer's sign-up with the reason (a confirmation page); the volunteer gets an
    SMS and a freed place goes to the first one waiting."""
    require(may_view(request.user))
    signup = visible_or_404(
        SignUp.objects.visible_to(request.user)
        .select_related("activity", "volunteer")
        .filter(status__in=(SignUpStatus.CONFIRMED, SignUpStatus.WAITING)),
        request.user,
        pk,
    )
    require(may_manage(request.user))
    activity = signup.activity
    return confirm_then_run(
        request,
        lambda data: services.cancel_by_staff(signup, reason=data["reason"], by=request.user),
        success=_("已取消该报名，并短信通知本人。"),
        done_url=activity.get_absolute_url(),
        form=ReasonForm(request.POST or None),
        title=_("取消报名"),
        question=_("取消志愿者 %(name)s 对“%(title)s”的报名？")
        % {"name": masked(signup.volunteer, "name"), "title": activity.title},
        explain=_("本人会收到短信；空出的名额自动给排在最前的候补志愿者。"),
        button=_("确认取消报名"),
        danger=True,
    )
