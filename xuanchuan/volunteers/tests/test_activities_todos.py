"""The activities part's to-dos, its daily reminder job, and hostile input to its pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.sms import SmsGateway
from xuanchuan.volunteers import tasks_activities, todos_activities
from xuanchuan.volunteers.models import Activity, ProjectStatus, SignUp
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

pytestmark = pytest.mark.django_db
SENT: list[str] = []


class RecordingGateway(SmsGateway):
    def deliver(self, number: str, text: str) -> None:
        SENT.append(number)


def later(hours: float):
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def test_todos_count_soon_activities_with_places_and_draft_projects(bob, charlie, district):
    team = make_team(district.east_community)
    project = make_project(team)
    make_project(team, title="草稿项目", status=ProjectStatus.DRAFT, published_at=None)
    make_project(
        team, title="去年的草稿", status=ProjectStatus.DRAFT, published_at=None, year=timezone.localdate().year - 1
    )
    free = make_activity(project, starts_at=later(30), capacity=2, title="有空位")
    full = make_activity(project, starts_at=later(40), capacity=1, title="已满")
    make_activity(project, starts_at=later(24 * 5), capacity=5, title="五天后")
    services.sign_up(full, volunteer=make_volunteer(district.east_community, 1))
    services.sign_up(free, volunteer=make_volunteer(district.east_community, 2))
    todos = {todo.label: todo for todo in todos_activities.todos(bob)}
    soon, drafts = todos.values()
    assert soon.count == 1 and drafts.count == 1
    assert soon.url.startswith(reverse("volunteers:activity_list")) and "status=open" in soon.url
    assert [todo.count for todo in todos_activities.todos(charlie)] == [0, 0]
    from xuanchuan.conftest import make_person

    clerk = make_person("clerk", district.east, "points_clerk")
    assert list(todos_activities.todos(clerk)) == []


def test_the_reminder_task_sends_once(settings, district, django_capture_on_commit_callbacks):
    settings.VOLUNTEERS_SMS_BACKEND = f"{__name__}.RecordingGateway"
    SENT.clear()
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    activity = make_activity(make_project(make_team(district.east_community)), starts_at=start)
    volunteer = make_volunteer(district.east_community, 1)
    services.sign_up(activity, volunteer=volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_activities.remind_tomorrow.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_activities.remind_tomorrow() == 0
    assert [volunteer.phone] == SENT
    assert SignUp.objects.get(volunteer=volunteer).reminded_at is not None


def test_a_cancelled_activity_is_not_reminded(bob, district):
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    activity = make_activity(make_project(make_team(district.east_community)), starts_at=start)
    services.sign_up(activity, volunteer=make_volunteer(district.east_community, 1))
    services.cancel_activity(activity, reason="场地维修", by=bob)
    assert services.remind_tomorrow() == 0


def test_an_activity_longer_than_a_week_is_refused(bob, district):
    project = make_project(make_team(district.east_community))
    data = services.ActivityData(
        title="长期活动", place="社区", starts_at=later(24), ends_at=later(24 + 24 * 8), capacity=3
    )
    with pytest.raises(services.ServiceError, match="一次活动不能超过7天"):
        services.save_activity(None, data, by=bob, project=project)


def test_hostile_input_gets_no_server_error_and_is_escaped(client, bob, district):
    team = make_team(district.east_community)
    project = make_project(team)
    client.force_login(bob)
    start = timezone.localtime(later(48))
    response = client.post(
        reverse("volunteers:activity_create", args=[project.pk]),
        {
            "title": "<script>alert(1)</script>",
            "place": "广场",
            "capacity": 3,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    activity = Activity.objects.get(project=project)
    assert response.status_code == 302
    body = client.get(reverse("volunteers:activity_detail", args=[activity.pk])).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    for values in ({"capacity": 0}, {"capacity": 10**12}, {"starts_at": "明天"}, {"title": "x" * 500}):
        fields = {
            "title": "t",
            "place": "p",
            "capacity": 3,
            "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-01-01T10:00",
        }
        refused = client.post(reverse("volunteers:activity_create", args=[project.pk]), {**fields, **values})
        assert refused.status_code == 200, values
    assert Activity.objects.filter(project=project).count() == 1
    for query in (
        {"start_from": "not-a-date", "unit": "abc", "project": "-1", "status": "x"},
        {"page": "999999", "q": "\u0000"},
        {"year": "1900", "team": "99999999999999999999999"},
    ):
        assert client.get(reverse("volunteers:activity_list"), query).status_code in (200, 400, 404), query
        assert client.get(reverse("volunteers:project_list"), query).status_code in (200, 400, 404), query
    assert (
        client.get(
            reverse("volunteers:m_activity_list"), {"unit": "1 or 1=1", "brand": "-5", "page": "abc", "q": "x" * 5000}
        ).status_code
        == 200
    )
    # A NUL anywhere in a query string is refused before any view (core.middleware.NulQueryMiddleware).
    assert client.get(reverse("volunteers:m_activity_list"), {"q": "东\u0000城"}).status_code == 400
    assert client.get("/volunteers/activities/99999999999999999999/").status_code == 404
