"""The activities part's share of the URL walk (see ``tests/scoping.py``): projects and activities of
幸福社区 (东城街道) — a draft project, a draft activity under a published project, an open one with
sign-ups (one waiting), a cancelled one with its reason. Nothing unpublished may reach charlie
(西城街道), and every object URL given one of them answers 404.

The residents' list of open activities is public on purpose: it names the street or community of
each published activity (and offers them as a filter), so unit names are no leak there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

DRAFT_PROJECT = "东城秘密草稿项目"
DRAFT_ACTIVITY = "东城秘密草稿活动"
CANCELLED_ACTIVITY = "东城秘密取消的活动"
CANCEL_REASON = "东城秘密取消原因"
OPEN_ACTIVITY = "东城开放报名活动"

PUBLIC_UNIT_LISTS = {
    "volunteers:m_activity_list": "居民手机端公开的活动列表：每个已发布活动写明所在街道（社区），并可按街道、社区筛选",
}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.utils import timezone

    from xuanchuan.volunteers.models import ActivityStatus, ProjectStatus
    from xuanchuan.volunteers.services import activities as services
    from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

    bob = people["bob"]
    team = make_team(district.east_community, name="东城秘密报名队")
    make_project(team, title=DRAFT_PROJECT, status=ProjectStatus.DRAFT, published_at=None)
    project = make_project(team, title="东城已发布项目")
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    make_activity(project, starts_at=start, title=DRAFT_ACTIVITY, status=ActivityStatus.DRAFT)
    opened = make_activity(project, starts_at=start + timedelta(days=1), title=OPEN_ACTIVITY, capacity=1)
    cancelled = make_activity(project, starts_at=start + timedelta(days=2), title=CANCELLED_ACTIVITY)
    volunteers = [make_volunteer(district.east_community, 800 + n, name=f"东城秘密报名人{n}") for n in range(3)]
    services.sign_up(opened, volunteer=volunteers[0])
    services.sign_up(opened, volunteer=volunteers[1])
    services.sign_up(cancelled, volunteer=volunteers[2])
    services.cancel_activity(cancelled, reason=CANCEL_REASON, by=bob)
    return [DRAFT_PROJECT, DRAFT_ACTIVITY, CANCELLED_ACTIVITY, CANCEL_REASON, "东城秘密报名人"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.volunteers.models import Activity, Project, SignUp

    draft_project = Project.objects.filter(title=DRAFT_PROJECT).order_by("pk").first()
    draft = Activity.objects.filter(title=DRAFT_ACTIVITY).order_by("pk").first()
    opened = Activity.objects.filter(title=OPEN_ACTIVITY).order_by("pk").first()
    if draft_project is None or draft is None or opened is None:
        return None
    published = opened.project
    if route_name in ("volunteers:project_detail", "volunteers:project_edit", "volunteers:activity_create"):
        return [{"pk": draft_project.pk}, {"pk": published.pk}, {"pk": published.pk, "_method": "post"}]
    if route_name in ("volunteers:project_publish", "volunteers:project_close"):
        return [{"pk": draft_project.pk}, {"pk": draft_project.pk, "_method": "post"}, {"pk": published.pk}]
    if route_name in (
        "volunteers:activity_detail",
        "volunteers:activity_edit",
        "volunteers:activity_open",
        "volunteers:activity_cancel",
    ):
        return [
            {"pk": draft.pk},
            {"pk": opened.pk},
            {"pk": opened.pk, "_query": {"export": "xlsx"}},
            {"pk": draft.pk, "_method": "post"},
            {"pk": opened.pk, "_method": "post"},
        ]
    if route_name == "volunteers:signup_cancel":
        signup = SignUp.objects.filter(activity=opened).order_by("pk").first()
        return [{"pk": signup.pk}, {"pk": signup.pk, "_method": "post"}]
    if route_name in ("volunteers:m_activity_detail", "volunteers:m_signup", "volunteers:m_cancel"):
        # The residents' pages answer for published activities only: a draft is not there.
        return [{"pk": draft.pk}, {"pk": draft.pk, "_method": "post"}]
    if route_name == "api:volunteers_project_detail":
        return [{"project_id": draft_project.pk}, {"project_id": published.pk}]
    if route_name == "api:volunteers_activity_detail":
        return [{"activity_id": draft.pk}, {"activity_id": opened.pk}]
    return None
