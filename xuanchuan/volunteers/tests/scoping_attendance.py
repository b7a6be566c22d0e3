"""The attendance part's share of the URL walk (see ``tests/scoping.py``): an activity of 幸福社区
(东城街道) with a scanned record, hours entered by hand (pending), a corrected record and a
volunteer's report of wrong hours on it (open) — the reasons, notes and the report must never reach
charlie (西城街道)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

ENTER_REASON = "东城秘密补录原因"
REQUEST_REASON = "东城秘密本人申请补录"
CORRECT_REASON = "东城秘密更正原因"
DISPUTE_TEXT = "东城秘密时长纠错"
ACTIVITY_TITLE = "东城秘密签到活动"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.utils import timezone

    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode
    from xuanchuan.volunteers import checkin_codes
    from xuanchuan.volunteers.models import ActivityStatus, SignUp, SignUpStatus
    from xuanchuan.volunteers.services import attendance as services
    from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

    bob = people["bob"]
    reviewer = make_person("scoping_att_reviewer", district.east, RoleCode.UNIT_REPORTER)
    team = make_team(district.east_community, name="东城秘密签到队")
    project = make_project(team, title="东城秘密签到项目")
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=4)
    activity = make_activity(project, starts_at=start, hours=2, title=ACTIVITY_TITLE, status=ActivityStatus.OPEN)
    people_ = [make_volunteer(district.east_community, 700 + i, name=f"东城秘密志愿者{i}") for i in range(3)]
    for person in people_:
        SignUp.objects.create(
            activity=activity, volunteer=person, status=SignUpStatus.CONFIRMED, created_at=timezone.now()
        )
    at = start + timedelta(minutes=5)
    code = checkin_codes.current_code(activity, at.timestamp())
    services.check_in(activity, volunteer=people_[0], code=code, at=at)
    out = start + timedelta(minutes=65)
    record = services.check_out(
        activity, volunteer=people_[0], code=checkin_codes.current_code(activity, out.timestamp()), at=out
    )
    services.correct_hours(record, new_minutes=70, reason=CORRECT_REASON, by=bob)
    services.dispute_hours(record, volunteer=people_[0], text=DISPUTE_TEXT, minutes_claimed=80)
    services.enter_hours(activity, people_[1], minutes=60, reason=ENTER_REASON, by=bob)
    services.request_hours(activity, volunteer=people_[2], minutes=50, reason=REQUEST_REASON)
    del reviewer
    return [ENTER_REASON, REQUEST_REASON, CORRECT_REASON, DISPUTE_TEXT]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.volunteers.models import Activity, HoursDispute, RecordStatus, ServiceRecord

    activity = Activity.objects.filter(title=ACTIVITY_TITLE).order_by("pk").first()
    if activity is None:
        return None
    confirmed = ServiceRecord.objects.filter(activity=activity, status=RecordStatus.CONFIRMED).first()
    pending = ServiceRecord.objects.filter(activity=activity, status=RecordStatus.PENDING).first()
    if route_name in ("volunteers:checkin_screen", "volunteers:checkin_screen_state"):
        return [{"pk": activity.pk}]
    if route_name in ("volunteers:checkin_close", "volunteers:hours_enter"):
        return [{"pk": activity.pk}, {"pk": activity.pk, "_method": "post"}]
    if route_name == "volunteers:record_detail":
        return [{"pk": confirmed.pk}, {"pk": pending.pk}]
    if route_name == "volunteers:record_correct":
        return [{"pk": confirmed.pk}, {"pk": confirmed.pk, "_method": "post"}]
    if route_name in ("volunteers:record_approve", "volunteers:record_refuse"):
        return [{"pk": pending.pk}, {"pk": pending.pk, "_method": "post"}]
    if route_name == "volunteers:dispute_resolve":
        dispute = HoursDispute.objects.filter(record__activity=activity).first()
        return [{"pk": dispute.pk}, {"pk": dispute.pk, "_method": "post"}]
    if route_name in ("volunteers:scan", "volunteers:m_hours_request", "volunteers:m_hours_dispute"):
        # The volunteer's own phone pages: without the volunteer's cookie (charlie is staff) they
        # send to the phone sign-in whatever the activity, so nothing of it shows; what another
        # volunteer may see there is tested in test_attendance_views (404 without a sign-up, a
        # stale or wrong code refused).
        return []
    return None
