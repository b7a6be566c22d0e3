"""A volunteer's report of wrong hours (纠错, 67号 §4) and its resolution: only their own CONFIRMED
record, one open report per record, resolved by an approver in scope either with a correction
(through ``correct_hours``: history kept, points adjusted by the real receivers) or with an answer
only; the phone's link and form, the staff list, the record's page, the to-do, scope and query
ceilings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers import checkin_codes
from xuanchuan.volunteers.models import (
    DisputeStatus,
    HoursCorrection,
    HoursDispute,
    PointEntry,
    PointsAccount,
    RecordStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
)
from xuanchuan.volunteers.services import attendance as services
from xuanchuan.volunteers.tests.factories import (
    make_activity,
    make_project,
    make_team,
    make_volunteer,
    sign_in_phone,
)
from xuanchuan.volunteers.tests.races import postgresql_only, race

pytestmark = pytest.mark.django_db


def sign_up(activity, volunteer):
    return SignUp.objects.create(
        activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED, created_at=timezone.now()
    )


@pytest.fixture
def activity(district):
    """A four-hour activity of 幸福社区 that started five hours ago (ended, not closed)."""
    team = make_team(district.east_community)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=5)
    return make_activity(make_project(team), starts_at=start, hours=4, title="敬老院探访")


def served(activity, volunteer, minutes):
    """A CONFIRMED scanned record of ``minutes`` (check-in at the start, check-out after)."""
    sign_up(activity, volunteer)
    start = activity.starts_at
    services.check_in(
        activity, volunteer=volunteer, code=checkin_codes.current_code(activity, start.timestamp()), at=start
    )
    out = start + timedelta(minutes=minutes)
    return services.check_out(
        activity, volunteer=volunteer, code=checkin_codes.current_code(activity, out.timestamp()), at=out
    )


@pytest.fixture
def volunteer(district):
    return make_volunteer(district.east_community, 1, name="张小明")


@pytest.fixture
def record(activity, volunteer):
    return served(activity, volunteer, 60)


def balance(volunteer):
    # scoping: allowed — a test reads the volunteer's own account.
    account = PointsAccount.objects.filter(volunteer=volunteer).first()
    return account.balance if account else 0


# --- dispute_hours -------------------------------------------------------------------------------


def test_volunteer_reports_wrong_hours(record, volunteer):
    dispute = services.dispute_hours(
        record, volunteer=volunteer, text="  九点就到了，签到晚了  ", minutes_claimed="180"
    )
    assert dispute.status == DisputeStatus.OPEN
    assert dispute.text == "九点就到了，签到晚了"
    assert dispute.minutes_claimed == 180
    assert dispute.created_at is not None
    record.refresh_from_db()
    assert record.minutes == 60  # a report changes nothing until staff verify it


def test_minutes_claimed_is_optional(record, volunteer):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="签退时间不对", minutes_claimed="")
    assert dispute.minutes_claimed is None


def test_only_own_record(record, district):
    other = make_volunteer(district.east_community, 2)
    with pytest.raises(ServiceError, match="只能对本人的服务记录反映时长有误。"):
        services.dispute_hours(record, volunteer=other, text="不是我的")
    assert not HoursDispute.objects.exists()


@pytest.mark.parametrize("status", [RecordStatus.PENDING, RecordStatus.REFUSED, RecordStatus.VOID, RecordStatus.OPEN])
def test_only_confirmed_record(record, volunteer, status):
    ServiceRecord.objects.filter(pk=record.pk).update(status=status)
    with pytest.raises(ServiceError, match="只能对已确认的服务时长反映有误（补录请走补录申请）。"):
        services.dispute_hours(record, volunteer=volunteer, text="时长不对")


def test_one_open_report_per_record(record, volunteer):
    services.dispute_hours(record, volunteer=volunteer, text="第一次")
    with pytest.raises(ServiceError, match="该记录已有待核实的反映，请等待工作人员处理后再反映。"):
        services.dispute_hours(record, volunteer=volunteer, text="第二次")
    assert HoursDispute.objects.count() == 1


def test_database_keeps_one_open_report(record):
    HoursDispute.objects.create(record=record, text="一", created_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursDispute.objects.create(record=record, text="二", created_at=timezone.now())
    # A resolved one does not count: the volunteer may report again with new facts.
    HoursDispute.objects.filter(record=record).update(status=DisputeStatus.REJECTED)
    HoursDispute.objects.create(record=record, text="三", created_at=timezone.now())


@pytest.mark.parametrize(
    ("text", "claimed", "message"),
    [
        ("", None, "请说明时长哪里有误。"),
        ("   ", None, "请说明时长哪里有误。"),
        ("长" * 301, None, "说明不能超过 300 个字。"),
        ("不对", "abc", "您认为的时长须为分钟数。"),
        ("不对", -5, "时长不能为负数。"),
        ("不对", 241, r"您认为的时长不能超过活动时长（240 分钟）。"),
        ("不对", 60, "您认为的时长与记录的时长相同。"),
    ],
)
def test_report_refusals(record, volunteer, text, claimed, message):
    with pytest.raises(ServiceError, match=message):
        services.dispute_hours(record, volunteer=volunteer, text=text, minutes_claimed=claimed)
    assert not HoursDispute.objects.exists()


# --- resolve_dispute -----------------------------------------------------------------------------


def test_resolve_with_correction_keeps_history_and_adjusts_points(record, volunteer, bob):
    assert balance(volunteer) == 1  # one hour at the default rate of one point an hour
    dispute = services.dispute_hours(record, volunteer=volunteer, text="签到晚了两小时", minutes_claimed=180)
    done = services.resolve_dispute(dispute, by=bob, new_minutes=180, answer="经核实签到表，更正为三小时")
    assert done.status == DisputeStatus.CORRECTED
    assert done.decided_by == bob and done.decided_at is not None
    assert done.answer == "经核实签到表，更正为三小时"
    record.refresh_from_db()
    assert record.minutes == 180
    correction = HoursCorrection.objects.get(record=record)
    assert (correction.old_minutes, correction.new_minutes) == (60, 180)
    assert correction.reason == "经核实签到表，更正为三小时" and correction.by == bob
    assert balance(volunteer) == 3
    # The ledger holds the credit and the difference: the balance is their sum.
    amounts = sorted(PointEntry.objects.filter(record=record).values_list("amount", flat=True))
    assert amounts == [1, 2]


def test_resolve_without_correction_rejects_with_answer(record, volunteer, bob):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="应该更长")
    done = services.resolve_dispute(dispute, by=bob, answer="签到签退记录无误")
    assert done.status == DisputeStatus.REJECTED and done.answer == "签到签退记录无误"
    record.refresh_from_db()
    assert record.minutes == 60
    assert not HoursCorrection.objects.exists()
    assert balance(volunteer) == 1


def test_answer_is_required(record, volunteer, bob):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="应该更长")
    with pytest.raises(ServiceError, match="请填写处理答复（志愿者会在手机上看到）。"):
        services.resolve_dispute(dispute, by=bob, answer="  ")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN


def test_resolved_once_only(record, volunteer, bob):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="应该更长")
    stale = HoursDispute.objects.get(pk=dispute.pk)
    services.resolve_dispute(dispute, by=bob, answer="无误")
    with pytest.raises(ServiceError, match="该反映已处理（经核实无误）。"):
        services.resolve_dispute(stale, by=bob, new_minutes=120, answer="再改")
    record.refresh_from_db()
    assert record.minutes == 60


def test_a_refused_correction_leaves_the_report_open(record, volunteer, bob):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="应该更长")
    with pytest.raises(ServiceError, match="更正后的时长与原时长相同。"):
        services.resolve_dispute(dispute, by=bob, new_minutes=60, answer="同")
    with pytest.raises(ServiceError, match=r"更正后的时长不能超过活动时长（240 分钟）。"):
        services.resolve_dispute(dispute, by=bob, new_minutes=999, answer="太长")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN and not HoursCorrection.objects.exists()


def test_after_resolution_a_new_report_is_allowed(record, volunteer, bob):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="应该更长")
    services.resolve_dispute(dispute, by=bob, answer="无误")
    again = services.dispute_hours(record, volunteer=volunteer, text="补充：有照片为证", minutes_claimed=120)
    assert again.status == DisputeStatus.OPEN


def test_resolve_needs_role_and_scope(record, volunteer, charlie, district):
    dispute = services.dispute_hours(record, volunteer=volunteer, text="应该更长")
    with pytest.raises(PermissionDenied):
        services.resolve_dispute(dispute, by=charlie, answer="越权")
    worker = make_person("dispute_inspector", district.east_community, RoleCode.CIVILITY_INSPECTOR)
    with pytest.raises(PermissionDenied):
        services.resolve_dispute(dispute, by=worker, answer="无权")
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN


# --- The phone ------------------------------------------------------------------------------------


def test_phone_link_form_and_answer(client, record, volunteer, bob):
    phone = sign_in_phone(client, volunteer)
    hours = phone.get(reverse("volunteers:m_hours")).content.decode()
    url = reverse("volunteers:m_hours_dispute", args=[record.pk])
    assert "时长有误？" in hours and url in hours
    page = phone.get(url)
    assert page.status_code == 200 and "敬老院探访" in page.content.decode()
    response = phone.post(url, {"text": "九点到的", "minutes_claimed": "120"})
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:m_hours")
    dispute = HoursDispute.objects.get()
    assert (dispute.text, dispute.minutes_claimed) == ("九点到的", 120)
    hours = phone.get(reverse("volunteers:m_hours")).content.decode()
    assert "九点到的" in hours and "待核实" in hours and url not in hours  # no second report while open
    services.resolve_dispute(dispute, by=bob, new_minutes=120, answer="已按签到表更正")
    hours = phone.get(reverse("volunteers:m_hours")).content.decode()
    assert "已更正" in hours and "已按签到表更正" in hours and url in hours


def test_phone_refusal_shown_in_the_form(client, record, volunteer):
    phone = sign_in_phone(client, volunteer)
    url = reverse("volunteers:m_hours_dispute", args=[record.pk])
    response = phone.post(url, {"text": "不对", "minutes_claimed": "60"})
    assert response.status_code == 200 and "您认为的时长与记录的时长相同。" in response.content.decode()
    response = phone.post(url, {"text": "", "minutes_claimed": ""})
    assert response.status_code == 200
    assert not HoursDispute.objects.exists()


def test_phone_no_link_for_unconfirmed(client, activity, volunteer, record):
    ServiceRecord.objects.filter(pk=record.pk).update(status=RecordStatus.VOID)
    phone = sign_in_phone(client, volunteer)
    assert (
        reverse("volunteers:m_hours_dispute", args=[record.pk])
        not in phone.get(reverse("volunteers:m_hours")).content.decode()
    )
    response = phone.post(reverse("volunteers:m_hours_dispute", args=[record.pk]), {"text": "不对"})
    assert "只能对已确认的服务时长反映有误" in response.content.decode()


def test_phone_another_volunteers_record_is_404(client, record, district):
    other = make_volunteer(district.east_community, 2)
    phone = sign_in_phone(client, other)
    url = reverse("volunteers:m_hours_dispute", args=[record.pk])
    assert phone.get(url).status_code == 404
    assert phone.post(url, {"text": "冒充"}).status_code == 404
    assert phone.get(f"/volunteers/m/hours/records/{2**70}/dispute/").status_code == 404
    assert not HoursDispute.objects.exists()


def test_phone_needs_the_volunteer_cookie(client, record):
    response = client.get(reverse("volunteers:m_hours_dispute", args=[record.pk]))
    assert response.status_code == 302 and str(record.pk) not in response["Location"].split("?")[0]


def test_phone_posts_are_rate_limited(client, record, volunteer):
    from django.core.cache import cache

    cache.clear()
    phone = sign_in_phone(client, volunteer)
    url = reverse("volunteers:m_hours_dispute", args=[record.pk])
    codes = [phone.post(url, {"text": "", "minutes_claimed": ""}).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429
    cache.clear()


def test_phone_query_ceiling(client, district, volunteer, bob):
    team = make_team(district.east_community, name="另一队")
    project = make_project(team)
    phone = sign_in_phone(client, volunteer)

    def add(first, n):
        for i in range(first, first + n):
            start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=30 + 5 * i)
            one = make_activity(project, starts_at=start, hours=4, title=f"活动{i}")
            rec = served(one, volunteer, 60)
            dispute = services.dispute_hours(rec, volunteer=volunteer, text=f"反映{i}")
            services.resolve_dispute(dispute, by=bob, answer=f"答复{i}")

    add(0, 1)
    phone.get(reverse("volunteers:m_hours"))  # the session's first reads are not the page's
    with CaptureQueriesContext(connection) as few:
        assert phone.get(reverse("volunteers:m_hours")).status_code == 200
    add(1, 5)
    with CaptureQueriesContext(connection) as many:
        page = phone.get(reverse("volunteers:m_hours"))
    assert "答复5" in page.content.decode()
    assert len(many) == len(few)


# --- Staff ----------------------------------------------------------------------------------------


@pytest.fixture
def dispute(record, volunteer):
    return services.dispute_hours(record, volunteer=volunteer, text="东城秘密纠错说明", minutes_claimed=150)


def test_record_page_shows_the_report_and_resolve_form(client, bob, dispute, record):
    client.force_login(bob)
    page = client.get(reverse("volunteers:record_detail", args=[record.pk])).content.decode()
    resolve = reverse("volunteers:dispute_resolve", args=[dispute.pk])
    assert "东城秘密纠错说明" in page and resolve in page
    form = client.get(resolve)
    assert form.status_code == 200 and "东城秘密纠错说明" in form.content.decode()
    assert 'value="150"' in form.content.decode()  # what the volunteer claims, to accept or change
    response = client.post(resolve, {"new_minutes": "150", "answer": "核实后更正"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    record.refresh_from_db()
    assert dispute.status == DisputeStatus.CORRECTED and record.minutes == 150
    page = client.get(reverse("volunteers:record_detail", args=[record.pk])).content.decode()
    assert "核实后更正" in page and resolve not in page


def test_resolve_page_rejects_without_minutes(client, bob, dispute, record):
    client.force_login(bob)
    resolve = reverse("volunteers:dispute_resolve", args=[dispute.pk])
    response = client.post(resolve, {"new_minutes": "", "answer": "记录无误"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REJECTED and dispute.answer == "记录无误"
    # A second POST of the same form is refused with the reason, nothing changes.
    response = client.post(resolve, {"new_minutes": "100", "answer": "再改"}, follow=True)
    assert "该反映已处理（经核实无误）。" in response.content.decode()
    record.refresh_from_db()
    assert record.minutes == 60


def test_resolve_page_needs_an_approver(client, district, dispute):
    worker = make_person("dispute_viewer", district.east_community, RoleCode.CIVILITY_INSPECTOR)
    client.force_login(worker)
    response = client.get(reverse("volunteers:dispute_resolve", args=[dispute.pk]))
    assert response.status_code == 403
    # A viewer sees the report on the record's page but not the resolve button.
    page = client.get(reverse("volunteers:record_detail", args=[dispute.record_id])).content.decode()
    assert "东城秘密纠错说明" in page and reverse("volunteers:dispute_resolve", args=[dispute.pk]) not in page


def test_outsider_gets_404(client, charlie, dispute, record):
    client.force_login(charlie)
    assert client.get(reverse("volunteers:dispute_resolve", args=[dispute.pk])).status_code == 404
    assert client.post(reverse("volunteers:dispute_resolve", args=[dispute.pk]), {"answer": "越权"}).status_code == 404
    listing = client.get(reverse("volunteers:dispute_list"))
    assert listing.status_code == 200 and "敬老院探访" not in listing.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN


def test_list_open_first_filter_and_export(client, bob, district, activity, dispute):
    second = served(activity, make_volunteer(district.east_community, 3), 90)
    later = services.dispute_hours(second, volunteer=second.volunteer, text="后来的反映")
    services.resolve_dispute(later, by=bob, answer="无误")
    client.force_login(bob)
    page = client.get(reverse("volunteers:dispute_list"))
    assert page.status_code == 200
    rows = [row for row, _values in page.context["rows"]]
    assert [r.pk for r in rows] == [dispute.pk, later.pk]  # the open one first although older
    only_open = client.get(reverse("volunteers:dispute_list"), {"status": "open"})
    assert [r.pk for r, _v in only_open.context["rows"]] == [dispute.pk]
    assert client.get(reverse("volunteers:dispute_list"), {"status": "nonsense"}).status_code == 200
    export = client.get(reverse("volunteers:dispute_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "张小明" not in export.content.decode("latin-1")


def test_list_query_ceiling(client, bob, district, activity):
    client.force_login(bob)

    def add(start, n):
        for i in range(start, start + n):
            person = make_volunteer(district.east_community, 100 + i)
            rec = served(activity, person, 60)
            services.dispute_hours(rec, volunteer=person, text=f"反映{i}")

    add(0, 1)
    client.get(reverse("volunteers:dispute_list"))  # the session's first reads are not the page's
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("volunteers:dispute_list")).status_code == 200
    add(1, 8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("volunteers:dispute_list")).status_code == 200
    assert len(many) == len(few)


def test_todo_counts_open_in_scope(bob, charlie, district, dispute):
    from xuanchuan.volunteers.todos_attendance import todos

    mine = {t.label: t for t in todos(bob)}
    assert mine["志愿者反映时长有误"].count == 1
    assert mine["志愿者反映时长有误"].url == reverse("volunteers:dispute_list") + "?status=open"
    theirs = {t.label: t for t in todos(charlie)}
    assert theirs.get("志愿者反映时长有误") is None or theirs["志愿者反映时长有误"].count == 0
    services.resolve_dispute(dispute, by=bob, answer="无误")
    assert {t.label: t for t in todos(bob)}["志愿者反映时长有误"].count == 0


def test_staff_list_without_role_is_refused(district, dispute):
    clerk = make_person("dispute_clerk", district.east_community, RoleCode.POINTS_CLERK)
    other = Client()
    other.force_login(clerk)
    assert other.get(reverse("volunteers:dispute_list")).status_code == 403


# --- At the same moment (PostgreSQL) -------------------------------------------------------------

# Decided before any database set-up: the races need real concurrent transactions. Transactional
# without serialized_rollback; the roles the flush removes are made again by ``make_person``.
on_postgresql = postgresql_only("concurrent reports")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_reports_at_once_make_one(activity, volunteer):
    record = served(activity, volunteer, 60)

    def report():
        return services.dispute_hours(record, volunteer=volunteer, text="同时提交")

    for _ in range(3):
        HoursDispute.objects.all().delete()
        results = race(report, report, report)
        assert sum(isinstance(r, HoursDispute) for r in results) == 1, results
        refused = [r for r in results if isinstance(r, ServiceError)]
        assert len(refused) == 2 and all("已有待核实的反映" in str(r) for r in refused), results
        assert HoursDispute.objects.filter(record=record).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_resolutions_at_once_correct_once(activity, volunteer, district):
    record = served(activity, volunteer, 60)
    first = make_person("dispute_race_a", district.east, RoleCode.UNIT_REPORTER)
    second = make_person("dispute_race_b", district.east, RoleCode.UNIT_REPORTER)
    dispute = services.dispute_hours(record, volunteer=volunteer, text="同时处理")
    results = race(
        lambda: services.resolve_dispute(dispute, by=first, new_minutes=120, answer="甲更正"),
        lambda: services.resolve_dispute(dispute, by=second, new_minutes=180, answer="乙更正"),
    )
    assert sum(isinstance(r, HoursDispute) for r in results) == 1, results
    assert any(isinstance(r, ServiceError) and "该反映已处理" in str(r) for r in results), results
    assert HoursCorrection.objects.filter(record=record).count() == 1
    record.refresh_from_db()
    dispute.refresh_from_db()
    assert record.minutes == HoursCorrection.objects.get(record=record).new_minutes
    assert dispute.answer in ("甲更正", "乙更正") and dispute.status == DisputeStatus.CORRECTED
    assert balance(volunteer) == record.minutes // 60
