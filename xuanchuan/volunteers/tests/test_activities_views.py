"""The staff pages of projects and activities, the residents' phone pages and the API, with Django's
test client: the main paths, refusals shown in Chinese, the outsider's 404, query ceilings."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import verified_login
from xuanchuan.volunteers.models import Activity, ActivityStatus, Project, ProjectStatus, SignUp, SignUpStatus
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.tests.factories import (
    make_activity,
    make_project,
    make_team,
    make_volunteer,
    sign_in_phone,
)

pytestmark = pytest.mark.django_db
# Query budgets (session, user, roles included); they must not grow with the rows listed.
LIST_QUERIES = 16
DETAIL_QUERIES = 20
PHONE_QUERIES = 10


def later(hours: float = 24):
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def team(district):
    return make_team(district.east_community)


@pytest.fixture
def project(team):
    return make_project(team, title="邻里守望")


@pytest.fixture
def activity(project):
    return make_activity(project, starts_at=later(), capacity=2, title="清洁家园")


# --- Projects -------------------------------------------------------------------------------------


def test_bob_creates_publishes_and_closes_a_project(client, bob, team):
    client.force_login(bob)
    page = client.get(reverse("volunteers:project_create"))
    assert page.status_code == 200
    assert page.context["form"]["year"].value() == timezone.localdate().year
    response = client.post(
        reverse("volunteers:project_create"),
        {"team": team.pk, "year": timezone.localdate().year, "title": "关爱空巢老人", "summary": "每周探访"},
    )
    project = Project.objects.get(title="关爱空巢老人")
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert project.status == ProjectStatus.DRAFT
    confirm = client.get(reverse("volunteers:project_publish", args=[project.pk]))
    assert "确认发布" in confirm.content.decode()
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.DRAFT
    client.post(reverse("volunteers:project_publish", args=[project.pk]))
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.PUBLISHED
    client.post(reverse("volunteers:project_close", args=[project.pk]))
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.CLOSED


def test_project_form_offers_only_teams_in_scope(client, bob, charlie, team, district):
    foreign = make_team(district.west_community, name="西城队")
    client.force_login(bob)
    teams = list(client.get(reverse("volunteers:project_create")).context["form"].fields["team"].queryset)
    assert team in teams and foreign not in teams
    response = client.post(
        reverse("volunteers:project_create"),
        {"team": foreign.pk, "year": timezone.localdate().year, "title": "越权", "summary": "x"},
    )
    assert response.status_code == 200 and not Project.objects.filter(title="越权").exists()


def test_project_list_filters_searches_exports(client, bob, team, project, district):
    make_project(team, title="往年项目", year=timezone.localdate().year - 1)
    make_project(make_team(district.west_community, name="西城队"), title="西城项目")
    client.force_login(bob)
    url = reverse("volunteers:project_list")
    titles = [row.title for row in client.get(url).context["object_list"]]
    assert sorted(titles) == ["往年项目", "邻里守望"]
    assert [row.title for row in client.get(url, {"year": timezone.localdate().year}).context["object_list"]] == [
        "邻里守望"
    ]
    assert [row.title for row in client.get(url, {"q": "往年"}).context["object_list"]] == ["往年项目"]
    export = client.get(url, {"export": "xlsx"})
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    cells = [cell for row in book.active.iter_rows(values_only=True) for cell in row if cell]
    assert "邻里守望" in cells and "西城项目" not in cells


def test_project_detail_counts_signups_and_the_outsider_gets_404(client, bob, charlie, project, activity, district):
    services.sign_up(activity, volunteer=make_volunteer(district.east_community, 1))
    client.force_login(bob)
    page = client.get(reverse("volunteers:project_detail", args=[project.pk]))
    assert page.status_code == 200 and page.context["page"].confirmed == 1
    client.force_login(charlie)
    for name in ("project_detail", "project_edit", "project_publish", "project_close", "activity_create"):
        assert client.get(reverse(f"volunteers:{name}", args=[project.pk])).status_code == 404, name
        assert client.post(reverse(f"volunteers:{name}", args=[project.pk])).status_code == 404, name


# --- Activities -----------------------------------------------------------------------------------


def test_an_activity_is_created_refused_in_chinese_when_it_ends_first_then_opened(client, bob, project):
    client.force_login(bob)
    url = reverse("volunteers:activity_create", args=[project.pk])
    start = later(48)
    fields = {"title": "义诊", "place": "社区卫生站", "capacity": 3, "starts_at": local(start)}
    refused = client.post(url, {**fields, "ends_at": local(start - timedelta(hours=1))})
    assert refused.status_code == 200 and "结束时间须晚于开始时间" in refused.content.decode()
    response = client.post(url, {**fields, "ends_at": local(start + timedelta(hours=2))})
    activity = Activity.objects.get(title="义诊")
    assert response.status_code == 302 and activity.status == ActivityStatus.DRAFT and activity.organiser == bob
    client.post(reverse("volunteers:activity_open", args=[activity.pk]))
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.OPEN


def test_opening_under_a_draft_project_is_refused_on_the_page(client, bob, team):
    draft = make_project(team, status=ProjectStatus.DRAFT, published_at=None)
    activity = make_activity(draft, starts_at=later(), status=ActivityStatus.DRAFT)
    client.force_login(bob)
    response = client.post(reverse("volunteers:activity_open", args=[activity.pk]), follow=True)
    assert "项目发布后才能开放活动报名" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.DRAFT


def test_lowering_capacity_below_confirmed_shows_the_refusal(client, bob, activity, district):
    for n in (1, 2):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n))
    client.force_login(bob)
    data = {
        "title": activity.title,
        "place": activity.place,
        "starts_at": local(activity.starts_at),
        "ends_at": local(activity.ends_at),
        "capacity": 1,
    }
    response = client.post(reverse("volunteers:activity_edit", args=[activity.pk]), data)
    assert "招募人数不能少于已确认报名的人数（2人）" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).capacity == 2


def test_activity_detail_lists_signups_masked_and_exports(client, bob, activity, district):
    volunteers = [make_volunteer(district.east_community, n, name=f"张三{n}") for n in (1, 2, 3)]
    for volunteer in volunteers:
        services.sign_up(activity, volunteer=volunteer)
    client.force_login(bob)
    url = reverse("volunteers:activity_detail", args=[activity.pk])
    page = client.get(url)
    body = page.content.decode()
    assert len(page.context["confirmed"]) == 2 and len(page.context["waiting"]) == 1
    assert "张三1" not in body and volunteers[0].phone not in body
    assert volunteers[0].number in body
    export = client.get(url, {"export": "xlsx"})
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    cells = [str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell]
    assert volunteers[2].number in cells and "候补" in cells
    assert not any("张三1" in cell or volunteers[0].phone in cell for cell in cells)


def test_activity_detail_links_to_the_checkin_screen(client, bob, activity):
    client.force_login(bob)
    body = client.get(reverse("volunteers:activity_detail", args=[activity.pk])).content.decode()
    assert reverse("volunteers:checkin_screen", args=[activity.pk]) in body


def test_cancelling_an_activity_asks_first_and_needs_a_reason(client, bob, activity, district):
    services.sign_up(activity, volunteer=make_volunteer(district.east_community, 1))
    client.force_login(bob)
    url = reverse("volunteers:activity_cancel", args=[activity.pk])
    assert "确认取消活动" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and Activity.objects.get(pk=activity.pk).status == ActivityStatus.OPEN
    client.post(url, {"reason": "暴雨预警"})
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.CANCELLED
    assert not SignUp.objects.filter(activity=activity).exclude(status=SignUpStatus.CANCELLED).exists()


def test_staff_cancel_one_signup_and_the_first_waiting_moves_up(client, bob, activity, district):
    signups = [services.sign_up(activity, volunteer=make_volunteer(district.east_community, n)) for n in (1, 2, 3)]
    client.force_login(bob)
    url = reverse("volunteers:signup_cancel", args=[signups[0].pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "本人电话告知不能参加"})
    assert SignUp.objects.get(pk=signups[0].pk).status == SignUpStatus.CANCELLED
    assert SignUp.objects.get(pk=signups[2].pk).status == SignUpStatus.CONFIRMED


def test_the_outsider_gets_404_for_activities_and_signups(client, charlie, activity, district):
    signup = services.sign_up(activity, volunteer=make_volunteer(district.east_community, 1))
    client.force_login(charlie)
    for name in ("activity_detail", "activity_edit", "activity_open", "activity_cancel"):
        assert client.get(reverse(f"volunteers:{name}", args=[activity.pk])).status_code == 404, name
        assert client.post(reverse(f"volunteers:{name}", args=[activity.pk])).status_code == 404, name
    assert client.post(reverse("volunteers:signup_cancel", args=[signup.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("volunteers:activity_list")).context["object_list"].count() == 0
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.OPEN


def test_activity_list_filters_by_dates_status_and_unit(client, alice, project, district):
    soon = make_activity(project, starts_at=later(24), title="明天的活动")
    make_activity(project, starts_at=later(24 * 10), title="下旬的活动", status=ActivityStatus.DRAFT)
    west = make_activity(make_project(make_team(district.west_community, name="西城队")), starts_at=later(24 * 20))
    verified_login(client, alice)
    url = reverse("volunteers:activity_list")
    day = timezone.localtime(soon.starts_at).date()
    rows = client.get(url, {"start_from": day.isoformat(), "start_to": day.isoformat(), "status": "open"})
    assert [row.title for row in rows.context["object_list"]] == ["明天的活动"]
    by_unit = client.get(url, {"unit": district.east.pk}).context["object_list"]
    assert west not in list(by_unit) and soon in list(by_unit)


def test_list_pages_keep_their_query_count(client, bob, team, district):
    for n in range(12):
        project = make_project(team, title=f"项目{n}")
        activity = make_activity(project, starts_at=later(24 + n * 5), title=f"活动{n}")
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n + 1))
    client.force_login(bob)
    for name in ("project_list", "activity_list"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"volunteers:{name}")).status_code == 200
        assert len(queries) <= LIST_QUERIES, (name, len(queries))
    activity = Activity.objects.filter(title="活动0").get()
    for n in range(20, 30):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("volunteers:activity_detail", args=[activity.pk])).status_code == 200
    assert len(queries) <= DETAIL_QUERIES, len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("volunteers:m_activity_list")).status_code == 200
    assert len(queries) <= PHONE_QUERIES, len(queries)


# --- Phone pages ----------------------------------------------------------------------------------


def test_the_public_list_shows_open_activities_of_published_projects_only(client, team, activity, district):
    make_activity(make_project(team, status=ProjectStatus.DRAFT, published_at=None), starts_at=later(), title="未发布")
    make_activity(activity.project, starts_at=later(), title="草稿活动", status=ActivityStatus.DRAFT)
    make_activity(activity.project, starts_at=later(-30), hours=2, title="已结束的活动")
    body = client.get(reverse("volunteers:m_activity_list")).content.decode()
    assert "清洁家园" in body
    assert "未发布" not in body and "草稿活动" not in body and "已结束的活动" not in body


def test_the_public_list_filters_by_community_brand_and_words(client, project, activity, district):
    from xuanchuan.volunteers.models import Brand

    brand = Brand.objects.create(unit=district.root, name="孝善")
    west = make_project(make_team(district.west_community, name="西城队"), title="西城项目", brand=brand)
    make_activity(west, starts_at=later(30), title="西城读书会")
    url = reverse("volunteers:m_activity_list")
    listed = client.get(url)
    assert {unit.name for unit in listed.context["units"]} == {"东城街道", "幸福社区", "西城街道", "和平社区"}
    titles = lambda response: [row.title for row in response.context["page_obj"]]  # noqa: E731
    assert titles(client.get(url, {"unit": district.east.pk})) == ["清洁家园"]
    assert titles(client.get(url, {"brand": brand.pk})) == ["西城读书会"]
    assert titles(client.get(url, {"q": "读书"})) == ["西城读书会"]
    assert sorted(titles(client.get(url, {"unit": "x' or 1=1", "brand": "99999999999999999999"}))) == [
        "清洁家园",
        "西城读书会",
    ]


def test_a_volunteer_signs_up_sees_it_and_cancels_on_the_phone(client, activity, district):
    volunteer = make_volunteer(district.east_community, 1)
    sign_in_phone(client, volunteer)
    detail = reverse("volunteers:m_activity_detail", args=[activity.pk])
    assert "我要报名" in client.get(detail).content.decode()
    response = client.post(reverse("volunteers:m_signup", args=[activity.pk]), follow=True)
    assert "报名成功" in response.content.decode() and "您已报名，请准时到场扫码签到" in response.content.decode()
    again = client.post(reverse("volunteers:m_signup", args=[activity.pk]), follow=True)
    assert "您已报名该活动" in again.content.decode()
    mine = client.get(reverse("volunteers:m_my_signups"))
    assert [signup.activity for signup in mine.context["upcoming"]] == [activity]
    response = client.post(reverse("volunteers:m_cancel", args=[activity.pk]), follow=True)
    assert "已取消报名" in response.content.decode()
    assert SignUp.objects.get(volunteer=volunteer).status == SignUpStatus.CANCELLED
    assert [signup.activity for signup in client.get(reverse("volunteers:m_my_signups")).context["past"]] == [activity]


def test_a_full_activity_puts_the_phone_on_the_waiting_list_with_its_place(client, activity, district):
    for n in (1, 2):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n))
    sign_in_phone(client, make_volunteer(district.east_community, 3))
    response = client.post(reverse("volunteers:m_signup", args=[activity.pk]), follow=True)
    body = response.content.decode()
    assert "您已进入候补" in body and "候补名单第 1 位" in body


def test_signing_up_without_a_volunteer_goes_to_sign_in(client, activity):
    response = client.post(reverse("volunteers:m_signup", args=[activity.pk]))
    assert response.status_code == 302 and reverse("volunteers:signin") in response.url
    assert not SignUp.objects.exists()
    assert client.get(reverse("volunteers:m_my_signups")).status_code == 302


def test_a_draft_activity_is_not_there_for_anyone(client, project, district):
    draft = make_activity(project, starts_at=later(), status=ActivityStatus.DRAFT)
    sign_in_phone(client, make_volunteer(district.east_community, 1))
    assert client.get(reverse("volunteers:m_activity_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("volunteers:m_signup", args=[draft.pk])).status_code == 404
    assert client.post(reverse("volunteers:m_cancel", args=[draft.pk])).status_code == 404
    assert client.get("/volunteers/m/activities/99999999999999999999/").status_code == 404
    assert client.get(reverse("volunteers:m_signup", args=[draft.pk])).status_code == 405


def test_a_cancelled_activity_shows_its_reason_to_the_phone(client, activity, bob, district):
    volunteer = make_volunteer(district.east_community, 1)
    services.sign_up(activity, volunteer=volunteer)
    services.cancel_activity(activity, reason="暴雨预警", by=bob)
    sign_in_phone(client, volunteer)
    body = client.get(reverse("volunteers:m_activity_detail", args=[activity.pk])).content.decode()
    assert "该活动已取消" in body and "暴雨预警" in body and "我要报名" not in body


# --- API ------------------------------------------------------------------------------------------


def test_api_lists_projects_and_activities_in_scope_with_counts(client, bob, charlie, project, activity, district):
    services.sign_up(activity, volunteer=make_volunteer(district.east_community, 1))
    client.force_login(bob)
    projects = client.get(reverse("api:volunteers_project_list")).json()
    assert [(row["title"], row["confirmed"], row["activity_count"]) for row in projects["items"]] == [
        ("邻里守望", 1, 1)
    ]
    one = client.get(reverse("api:volunteers_activity_detail", kwargs={"activity_id": activity.pk})).json()
    assert (one["confirmed"], one["waiting"], one["places_left"]) == (1, 0, 1)
    assert client.get(reverse("api:volunteers_activity_list"), {"status": "open"}).json()["count"] == 1
    assert client.get(reverse("api:volunteers_project_list"), {"year": 1900}).status_code in (400, 422)
    client.force_login(charlie)
    assert client.get(reverse("api:volunteers_project_list")).json()["count"] == 0
    assert client.get(reverse("api:volunteers_activity_detail", kwargs={"activity_id": activity.pk})).status_code == 404
    assert client.get(reverse("api:volunteers_project_detail", kwargs={"project_id": project.pk})).status_code == 404
