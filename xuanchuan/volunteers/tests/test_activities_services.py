"""The rules of projects, activities, sign-up and the waiting list (``services.activities``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.core.sms import SmsGateway
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    Brand,
    ProjectStatus,
    SignUp,
    SignUpStatus,
    VolunteerStatus,
)
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingGateway(SmsGateway):
    def deliver(self, number: str, text: str) -> None:
        SENT.append((number, text))


@pytest.fixture(autouse=True)
def sms(settings):
    settings.VOLUNTEERS_SMS_BACKEND = f"{__name__}.RecordingGateway"
    SENT.clear()
    return SENT


def committed():
    """Run what the block leaves for after the commit (each test runs inside one transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def later(hours: float = 24) -> timezone.datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)


@pytest.fixture
def team(district):
    return make_team(district.east_community)


@pytest.fixture
def project(team):
    return make_project(team)


@pytest.fixture
def activity(project):
    return make_activity(project, starts_at=later(), capacity=2)


def people(district, *numbers):
    return [make_volunteer(district.east_community, n) for n in numbers]


def data(**fields) -> services.ActivityData:
    values = {
        "title": "敬老院探访",
        "place": "幸福社区敬老院",
        "starts_at": later(48),
        "ends_at": later(50),
        "capacity": 5,
    }
    values.update(fields)
    return services.ActivityData(**values)


# --- Projects -------------------------------------------------------------------------------------


def test_a_project_is_made_a_draft_of_the_teams_unit_then_published(team, bob, district):
    made = services.save_project(
        None,
        services.ProjectData(team=team, title="邻里守望", summary="关爱老人", year=timezone.localdate().year),
        by=bob,
    )
    assert made.status == ProjectStatus.DRAFT and made.unit == district.east_community and made.published_at is None
    published = services.publish_project(made, by=bob)
    assert published.status == ProjectStatus.PUBLISHED and published.published_at is not None
    with pytest.raises(ServiceError, match="只能发布草稿状态的项目"):
        services.publish_project(made, by=bob)


def test_a_project_is_refused_outside_the_scope_and_without_the_role(team, charlie, district):
    entry = services.ProjectData(team=team, title="x", summary="y", year=timezone.localdate().year)
    with pytest.raises(PermissionDenied):
        services.save_project(None, entry, by=charlie)
    from xuanchuan.conftest import make_person

    nobody = make_person("clerk", district.east, "points_clerk")
    with pytest.raises(PermissionDenied):
        services.save_project(None, entry, by=nobody)


def test_project_year_title_and_brand_are_checked(team, bob, district):
    year = timezone.localdate().year
    with pytest.raises(ServiceError, match="项目年度应在"):
        services.save_project(None, services.ProjectData(team=team, title="x", summary="y", year=year - 3), by=bob)
    with pytest.raises(ServiceError, match="请填写项目名称"):
        services.save_project(None, services.ProjectData(team=team, title=" ", summary="y", year=year), by=bob)
    foreign = Brand.objects.create(unit=district.west, name="西城品牌")
    with pytest.raises(ServiceError, match="所选品牌不适用"):
        services.save_project(
            None, services.ProjectData(team=team, title="x", summary="y", year=year, brand=foreign), by=bob
        )
    districts = Brand.objects.create(unit=district.root, name="理论宣讲")
    made = services.save_project(
        None, services.ProjectData(team=team, title="x", summary="y", year=year, brand=districts), by=bob
    )
    assert made.brand == districts


def test_a_project_with_an_open_activity_to_come_cannot_close(project, activity, bob):
    with pytest.raises(ServiceError, match="尚未结束"):
        services.close_project(project, by=bob)
    Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.CANCELLED)
    assert services.close_project(project, by=bob).status == ProjectStatus.CLOSED
    with pytest.raises(ServiceError, match="项目已结束，不能修改"):
        services.save_project(
            project, services.ProjectData(team=project.team, title="x", summary="y", year=project.year), by=bob
        )
    with pytest.raises(ServiceError, match="项目已结束，不能再添加活动"):
        services.save_activity(None, data(), by=bob, project=project)


# --- Activities -----------------------------------------------------------------------------------


def test_an_activity_is_a_draft_until_opened_under_a_published_project(team, bob):
    draft_project = make_project(team, status=ProjectStatus.DRAFT, published_at=None)
    made = services.save_activity(None, data(), by=bob, project=draft_project)
    assert made.status == ActivityStatus.DRAFT and made.organiser == bob and made.unit == draft_project.unit
    with pytest.raises(ServiceError, match="项目发布后才能开放活动报名"):
        services.open_activity(made, by=bob)
    services.publish_project(draft_project, by=bob)
    assert services.open_activity(made, by=bob).status == ActivityStatus.OPEN
    with pytest.raises(ServiceError, match="只能开放草稿状态的活动"):
        services.open_activity(made, by=bob)


def test_an_activity_ending_before_it_starts_is_refused(project, bob):
    start = later(48)
    with pytest.raises(ServiceError, match="结束时间须晚于开始时间"):
        services.save_activity(None, data(starts_at=start, ends_at=start - timedelta(hours=1)), by=bob, project=project)
    with pytest.raises(ServiceError, match="结束时间须晚于开始时间"):
        services.save_activity(None, data(starts_at=start, ends_at=start), by=bob, project=project)
    with pytest.raises(ServiceError, match="招募人数至少为1人"):
        services.save_activity(None, data(capacity=0), by=bob, project=project)
    with pytest.raises(ServiceError, match="开始时间已过"):
        services.save_activity(None, data(starts_at=later(-2), ends_at=later(-1)), by=bob, project=project)


def test_the_organiser_is_staff_of_the_activitys_unit(project, bob, dora, charlie):
    assert services.save_activity(None, data(organiser=dora), by=bob, project=project).organiser == dora
    with pytest.raises(ServiceError, match="现场负责人应是本单位"):
        services.save_activity(None, data(organiser=charlie), by=bob, project=project)


def test_lowering_places_below_the_confirmed_is_refused_raising_confirms_those_waiting(activity, bob, district, sms):
    first, second, third, fourth = people(district, 1, 2, 3, 4)
    for volunteer in (first, second, third, fourth):
        services.sign_up(activity, volunteer=volunteer)
    with pytest.raises(ServiceError, match="招募人数不能少于已确认报名的人数（2人）"):
        services.save_activity(
            activity, data(starts_at=activity.starts_at, ends_at=activity.ends_at, capacity=1), by=bob
        )
    sms.clear()
    with committed():
        services.save_activity(
            activity, data(starts_at=activity.starts_at, ends_at=activity.ends_at, capacity=3), by=bob
        )
    status = dict(SignUp.objects.filter(activity=activity).values_list("volunteer_id", "status"))
    assert status[third.pk] == SignUpStatus.CONFIRMED and status[fourth.pk] == SignUpStatus.WAITING
    assert [number for number, _text in sms] == [third.phone]
    assert "已为您确认报名" in sms[0][1]


def test_cancelling_an_activity_cancels_every_live_signup_and_tells_them(activity, bob, district, sms):
    first, second, third = people(district, 1, 2, 3)
    for volunteer in (first, second, third):
        services.sign_up(activity, volunteer=volunteer)
    with pytest.raises(ServiceError, match="请说明取消活动的原因"):
        services.cancel_activity(activity, reason=" ", by=bob)
    with committed():
        services.cancel_activity(activity, reason="暴雨预警", by=bob)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED and activity.cancel_reason == "暴雨预警"
    assert set(SignUp.objects.filter(activity=activity).values_list("status", flat=True)) == {SignUpStatus.CANCELLED}
    assert sorted(number for number, _ in sms) == sorted(v.phone for v in (first, second, third))
    assert all("暴雨预警" in text for _, text in sms)
    with pytest.raises(ServiceError, match="该活动已取消"):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, 9))
    with pytest.raises(ServiceError, match="活动已取消或已结束"):
        services.cancel_activity(activity, reason="再取消", by=bob)


def test_an_activity_started_cannot_be_cancelled_or_moved(project, bob, monkeypatch):
    activity = make_activity(project, starts_at=later(1), capacity=2)
    monkeypatch.setattr(services, "now", lambda: activity.starts_at + timedelta(minutes=5))
    with pytest.raises(ServiceError, match="活动已经开始，不能取消"):
        services.cancel_activity(activity, reason="临时", by=bob)
    with pytest.raises(ServiceError, match="活动已经开始，不能修改时间"):
        services.save_activity(activity, data(starts_at=later(5), ends_at=later(6), capacity=2), by=bob)


def test_the_sms_waits_for_the_commit(activity, bob, district, sms):
    from django.db import transaction

    (volunteer,) = people(district, 1)
    services.sign_up(activity, volunteer=volunteer)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.cancel_activity(activity, reason="暴雨", by=bob)
        assert sms == []
        raise RuntimeError
    assert sms == []
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.OPEN


# --- Sign-up and the waiting list -----------------------------------------------------------------


def test_confirmed_while_places_last_then_waiting_in_order(activity, district):
    volunteers = people(district, 1, 2, 3, 4)
    signups = [services.sign_up(activity, volunteer=volunteer) for volunteer in volunteers]
    assert [signup.status for signup in signups] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert signups[0].confirmed_at is not None and signups[2].confirmed_at is None


def test_signing_up_twice_is_refused_but_again_after_cancelling(activity, district):
    (volunteer,) = people(district, 1)
    signup = services.sign_up(activity, volunteer=volunteer)
    with pytest.raises(ServiceError, match="您已报名"):
        services.sign_up(activity, volunteer=volunteer)
    services.cancel(signup, volunteer=volunteer)
    assert services.sign_up(activity, volunteer=volunteer).status == SignUpStatus.CONFIRMED


def test_a_cancelled_confirmed_place_goes_to_the_first_waiting(activity, district, sms):
    first, second, third, fourth = people(district, 1, 2, 3, 4)
    signups = {v.pk: services.sign_up(activity, volunteer=v) for v in (first, second, third, fourth)}
    sms.clear()
    with committed():
        services.cancel(signups[second.pk], volunteer=second)
    status = dict(SignUp.objects.filter(activity=activity).values_list("volunteer_id", "status"))
    assert status == {
        first.pk: "confirmed",
        second.pk: "cancelled",
        third.pk: "confirmed",
        fourth.pk: "waiting",
    }
    assert [number for number, _ in sms] == [third.phone]


def test_order_is_by_creation_then_key_when_times_are_equal(activity, district):
    first, second, third, fourth = people(district, 1, 2, 3, 4)
    services.sign_up(activity, volunteer=first)
    services.sign_up(activity, volunteer=second)
    late = services.sign_up(activity, volunteer=third)
    early = services.sign_up(activity, volunteer=fourth)
    # An earlier moment comes first whatever the key; at the same moment the lower key does.
    SignUp.objects.filter(pk=early.pk).update(created_at=late.created_at - timedelta(seconds=1))
    services.cancel(SignUp.objects.get(activity=activity, volunteer=first), volunteer=first)
    assert SignUp.objects.get(pk=early.pk).status == SignUpStatus.CONFIRMED
    assert SignUp.objects.get(pk=late.pk).status == SignUpStatus.WAITING
    fifth = make_volunteer(district.east_community, 5)
    tied = services.sign_up(activity, volunteer=fifth)
    SignUp.objects.filter(pk=tied.pk).update(created_at=late.created_at)
    services.cancel(SignUp.objects.get(activity=activity, volunteer=second), volunteer=second)
    assert SignUp.objects.get(pk=late.pk).status == SignUpStatus.CONFIRMED
    assert SignUp.objects.get(pk=tied.pk).status == SignUpStatus.WAITING


def test_cancelling_a_waiting_signup_promotes_nobody(activity, district, sms):
    first, second, third = people(district, 1, 2, 3)
    for volunteer in (first, second):
        services.sign_up(activity, volunteer=volunteer)
    waiting = services.sign_up(activity, volunteer=third)
    sms.clear()
    with committed():
        services.cancel(waiting, volunteer=third)
    assert sms == []
    with pytest.raises(ServiceError, match="该报名已取消"):
        services.cancel(waiting, volunteer=third)


def test_a_volunteer_cannot_cancel_someone_elses_signup(activity, district):
    first, second = people(district, 1, 2)
    signup = services.sign_up(activity, volunteer=first)
    with pytest.raises(PermissionDenied):
        services.cancel(signup, volunteer=second)


def test_no_sign_up_or_cancel_after_the_start(activity, district, monkeypatch):
    first, second = people(district, 1, 2)
    signup = services.sign_up(activity, volunteer=first)
    monkeypatch.setattr(services, "now", lambda: activity.starts_at)
    with pytest.raises(ServiceError, match="活动已经开始，不能再报名"):
        services.sign_up(activity, volunteer=second)
    with pytest.raises(ServiceError, match="活动已经开始，不能取消报名"):
        services.cancel(signup, volunteer=first)


def test_a_draft_activity_or_unpublished_project_takes_no_sign_up(team, district):
    (volunteer,) = people(district, 1)
    draft = make_activity(make_project(team), starts_at=later(), status=ActivityStatus.DRAFT)
    with pytest.raises(ServiceError, match="该活动未开放报名"):
        services.sign_up(draft, volunteer=volunteer)
    unpublished = make_activity(make_project(team, status=ProjectStatus.DRAFT, published_at=None), starts_at=later(30))
    with pytest.raises(ServiceError, match="该活动未开放报名"):
        services.sign_up(unpublished, volunteer=volunteer)


def test_a_withdrawn_volunteer_cannot_sign_up_nor_be_promoted(activity, district):
    first, second, third, withdrawn = people(district, 1, 2, 3, 4)
    services.sign_up(activity, volunteer=first)
    services.sign_up(activity, volunteer=second)
    services.sign_up(activity, volunteer=withdrawn)  # waiting first
    services.sign_up(activity, volunteer=third)  # waiting second
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(status=VolunteerStatus.WITHDRAWN)
    with pytest.raises(ServiceError, match="您已注销志愿者身份"):
        services.sign_up(make_activity(activity.project, starts_at=later(72)), volunteer=withdrawn)
    services.cancel(SignUp.objects.get(activity=activity, volunteer=first), volunteer=first)
    status = dict(SignUp.objects.filter(activity=activity).values_list("volunteer_id", "status"))
    assert status[third.pk] == SignUpStatus.CONFIRMED and status[withdrawn.pk] == SignUpStatus.WAITING


def test_a_time_clash_with_another_confirmed_signup_is_refused_by_name(project, district):
    (volunteer,) = people(district, 1)
    morning = make_activity(project, starts_at=later(24), hours=3, title="垃圾分类宣传")
    overlapping = make_activity(project, starts_at=later(26), hours=2, title="文明劝导")
    after = make_activity(project, starts_at=later(27), hours=1, title="清洁家园")
    services.sign_up(morning, volunteer=volunteer)
    with pytest.raises(ServiceError, match="与您已报名的活动“垃圾分类宣传”.*时间冲突"):
        services.sign_up(overlapping, volunteer=volunteer)
    assert services.sign_up(after, volunteer=volunteer).status == SignUpStatus.CONFIRMED


def test_someone_waiting_who_took_a_clashing_activity_is_passed_over(project, district):
    first, second, busy, next_one = people(district, 1, 2, 3, 4)
    full = make_activity(project, starts_at=later(24), hours=2, capacity=2, title="满员活动")
    for volunteer in (first, second, busy, next_one):
        services.sign_up(full, volunteer=volunteer)
    other = make_activity(project, starts_at=later(25), hours=2, title="同时段活动")
    services.sign_up(other, volunteer=busy)
    services.cancel(SignUp.objects.get(activity=full, volunteer=first), volunteer=first)
    status = dict(SignUp.objects.filter(activity=full).values_list("volunteer_id", "status"))
    assert status[busy.pk] == SignUpStatus.WAITING and status[next_one.pk] == SignUpStatus.CONFIRMED


def test_staff_cancel_a_signup_with_a_reason_in_scope(activity, bob, charlie, district, sms):
    first, second, third = people(district, 1, 2, 3)
    signup = services.sign_up(activity, volunteer=first)
    services.sign_up(activity, volunteer=second)
    services.sign_up(activity, volunteer=third)
    with pytest.raises(PermissionDenied):
        services.cancel_by_staff(signup, reason="重复报名", by=charlie)
    with pytest.raises(ServiceError, match="请说明取消该报名的原因"):
        services.cancel_by_staff(signup, reason="", by=bob)
    sms.clear()
    with committed():
        services.cancel_by_staff(signup, reason="重复报名", by=bob)
    assert SignUp.objects.get(pk=signup.pk).status == SignUpStatus.CANCELLED
    texts = dict(sms)
    assert "重复报名" in texts[first.phone] and "已为您确认报名" in texts[third.phone]


# --- Reminders ------------------------------------------------------------------------------------


def test_the_day_before_reminder_goes_once_to_the_confirmed(project, district, sms):
    tomorrow = timezone.localtime() + timedelta(days=1)
    start = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)
    activity = make_activity(project, starts_at=start, capacity=1)
    later_one = make_activity(project, starts_at=start + timedelta(days=1), capacity=5, title="后天的活动")
    first, second = people(district, 1, 2)
    services.sign_up(activity, volunteer=first)
    services.sign_up(activity, volunteer=second)  # waiting: no reminder
    services.sign_up(later_one, volunteer=second)
    sms.clear()
    with committed():
        assert services.remind_tomorrow() == 1
    assert [number for number, _ in sms] == [first.phone] and "明天开始" in sms[0][1]
    with committed():
        assert services.remind_tomorrow() == 0
    assert len(sms) == 1
