"""The study part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): records of
东城街道 and its communities, none of which may reach charlie (西城街道): a group with bob and dora
as members, a plan with an item, a held session with attendance, a speech with a file, a pending and
an approved leave."""

from __future__ import annotations

from typing import Any

GROUP = "东城秘密理论学习中心组"
PLAN = "东城秘密年度学习计划"
ITEM = "东城秘密计划专题"
TOPIC = "东城秘密学习会议"
UPCOMING = "东城秘密下次会议"
REASON = "东城秘密请假事由"
SPEECH = "东城秘密交流发言"
MINUTES = "东城秘密会议纪要"

# Routes that list unit names on purpose, with the reason.
PUBLIC_UNIT_LISTS: dict[str, str] = {}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from xuanchuan.theory.models import (
        Attendance,
        AttendanceSource,
        Leave,
        LeaveStatus,
        PlannedSession,
        SessionKind,
        SessionStatus,
        Speech,
        StudyPlan,
    )
    from xuanchuan.theory.tests.factories import add_member, make_group, make_session

    bob, dora = people["bob"], people["dora"]
    group = make_group(district.east, GROUP)
    member_bob = add_member(group, bob, "leader")
    member_dora = add_member(group, dora)
    year = timezone.localdate().year
    plan = StudyPlan.objects.create(unit=district.east, group=group, year=year, title=PLAN)
    item = PlannedSession.objects.create(plan=plan, topic=ITEM, kind=SessionKind.STUDY, month=1)
    held = make_session(
        group,
        topic=TOPIC,
        planned=item,
        status=SessionStatus.HELD,
        minutes=MINUTES,
        starts_at=timezone.now() - timedelta(days=2),
        closed_at=timezone.now() - timedelta(days=2),
    )
    upcoming = make_session(group, topic=UPCOMING, starts_at=timezone.now() + timedelta(days=2))
    Attendance.objects.create(session=held, member=member_bob, at=held.starts_at, source=AttendanceSource.SCAN)
    Leave.objects.create(
        session=held,
        member=member_dora,
        reason=REASON,
        status=LeaveStatus.APPROVED,
        decided_by=bob,
        makeup_due=timezone.localdate(),
        created_at=timezone.now(),
    )
    Leave.objects.create(session=upcoming, member=member_dora, reason=REASON, created_at=timezone.now())
    speech = Speech(session=held, member=member_bob, title=SPEECH, text=SPEECH, submitted_at=timezone.now())
    speech.file.save("speech.pdf", ContentFile(b"%PDF-1.4 " + SPEECH.encode()), save=False)
    speech.save()
    return [GROUP, PLAN, ITEM, TOPIC, UPCOMING, REASON, SPEECH, MINUTES]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.theory.models import (
        Leave,
        LeaveStatus,
        PlannedSession,
        Speech,
        StudyGroup,
        StudyMember,
        StudySession,
    )

    group = StudyGroup.objects.filter(name=GROUP).first()
    if group is None:
        return None
    held = StudySession.objects.get(topic=TOPIC)
    upcoming = StudySession.objects.get(topic=UPCOMING)
    sessions = [held.pk, upcoming.pk]
    both = "_method"
    if route_name in ("theory:group_detail", "theory:group_edit", "theory:member_add"):
        return [{"pk": group.pk}, {"pk": group.pk, both: "post"}]
    if route_name in ("theory:member_edit", "theory:member_leave", "theory:member_archive"):
        return [{"pk": m.pk} for m in StudyMember.objects.filter(group=group)] + [
            {"pk": m.pk, both: "post"} for m in StudyMember.objects.filter(group=group)
        ]
    plan = group.plans.get()
    if route_name in ("theory:plan_detail", "theory:plan_edit", "theory:plan_item_add"):
        return [{"pk": plan.pk}, {"pk": plan.pk, "_query": {"export": "xlsx"}}, {"pk": plan.pk, both: "post"}]
    item = PlannedSession.objects.get(plan=plan)
    if route_name in ("theory:plan_item_edit", "theory:plan_item_delete"):
        return [{"pk": item.pk}, {"pk": item.pk, both: "post"}]
    session_routes = (
        "theory:session_detail",
        "theory:session_edit",
        "theory:session_cancel",
        "theory:session_screen",
        "theory:session_screen_state",
        "theory:session_record",
        "theory:session_close",
        "theory:session_minutes",
        "theory:leave_request",
        "theory:speech_submit",
    )
    if route_name in session_routes:
        return [{"pk": pk} for pk in sessions] + [{"pk": pk, both: "post"} for pk in sessions]
    if route_name == "theory:session_checkin":
        from xuanchuan.theory.services import study_codes

        return [
            {"pk": pk, "code": study_codes.current_code(StudySession.objects.get(pk=pk)), **extra}
            for pk in sessions
            for extra in ({}, {both: "post"})
        ]
    leaves = list(Leave.objects.filter(session__group=group))
    if route_name in ("theory:leave_approve", "theory:leave_refuse", "theory:makeup_submit"):
        pending = [lv for lv in leaves if lv.status == LeaveStatus.PENDING]
        return [{"pk": lv.pk} for lv in leaves] + [{"pk": lv.pk, both: "post"} for lv in pending or leaves]
    if route_name == "theory:speech_file":
        return [{"pk": s.pk} for s in Speech.objects.filter(session__group=group)]
    if route_name == "api:theory_study_session_detail":
        return [{"session_id": pk} for pk in sessions]
    return None
