"""The theory app's figures against hand-made records: the period's edges, the unit filter (a record
counts for its unit and the units above it, not for a sibling street; the central study group's
figures count the unit's OWN groups only), what is left out (scheduled and cancelled sessions and
lectures, refused or pending leave, drafts, withdrawn items, pending or unanswered questions), the
fixed attendance rule (members current on the session's day, minus approved leave), and plays,
viewers, watch time and the hours of the day across midnight in UTC+8."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.reports.defaults import contributions, default_body
from xuanchuan.reports.registry import Period, all_figures, get_figure
from xuanchuan.theory.models import (
    Attendance,
    AttendanceSource,
    ClassItem,
    ItemStatus,
    Leave,
    LeaveStatus,
    Lecture,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    PlannedSession,
    Play,
    Question,
    QuestionStatus,
    RequestStatus,
    SessionKind,
    SessionStatus,
    StudyMember,
    StudyPlan,
)
from xuanchuan.theory.tests.factories import (
    make_category,
    make_group,
    make_item,
    make_lecture,
    make_lecturer,
    make_session,
    make_team,
)

pytestmark = pytest.mark.django_db

YEAR = 2025
PERIOD = Period.year(YEAR)
HELD = SessionStatus.HELD


def value(key: str, unit=None, period: Period = PERIOD):
    return get_figure(key).compute(period, unit).value


def moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def test_every_figure_of_the_app_is_in_section_one_with_chinese_words() -> None:
    keys = {item.key for item in all_figures() if item.key.startswith("theory.")}
    assert len(keys) == 18
    body = default_body()
    section_one = body.split("## 一、", 1)[1].split("## 二、", 1)[0]
    for key in keys:
        assert f"{{{{ {key} }}}}" in section_one, key
        item = get_figure(key)
        assert item.label and item.synonyms and item.unit and item.description
    assert [item.key for item in contributions(1)][:3] == ["theory.study", "theory.lectures", "theory.classroom"]
    assert "举办区委理论学习中心组学习会议{{ theory.center_group_sessions }}场次" in section_one
    assert "打造{{ theory.classroom_open_hours }}小时不打烊的理论宣讲“云课堂”" in section_one


# --- central study groups ------------------------------------------------------------------------


def test_the_central_group_counts_the_units_own_groups_held_sessions_only(district) -> None:
    root_group = make_group(district.root, "区委理论学习中心组")
    east_group = make_group(district.east, "东城街道党工委理论学习中心组")
    west_group = make_group(district.west, "西城街道党工委理论学习中心组")
    first = timezone.make_aware(datetime(YEAR, 1, 1, 0, 0))
    make_session(root_group, starts_at=first, status=HELD)  # the first instant: counts
    make_session(root_group, kind=SessionKind.DISCUSSION, starts_at=moment(date(YEAR, 3, 5)), status=HELD)
    make_session(root_group, kind=SessionKind.DISCUSSION, starts_at=moment(date(YEAR, 6, 5)), status=HELD)
    make_session(root_group, kind=SessionKind.TUTORIAL, starts_at=moment(date(YEAR, 9, 5)), status=HELD)
    make_session(root_group, kind=SessionKind.DISCUSSION, starts_at=moment(date(YEAR, 10, 5)))  # scheduled
    make_session(root_group, starts_at=moment(date(YEAR, 11, 5)), status=SessionStatus.CANCELLED)
    make_session(root_group, starts_at=PERIOD.end_datetime, status=HELD)  # next year
    make_session(root_group, starts_at=first - timedelta(seconds=1), status=HELD)  # last year
    make_session(east_group, kind=SessionKind.DISCUSSION, starts_at=moment(date(YEAR, 4, 1)), status=HELD)
    make_session(east_group, starts_at=moment(date(YEAR, 5, 1)), status=HELD)
    make_session(west_group, starts_at=moment(date(YEAR, 5, 1)), status=HELD)
    # The district's figures are the 区委's group alone, not the streets'.
    assert value("theory.center_group_sessions") == 4
    assert value("theory.center_group_discussions") == 2
    assert value("theory.center_group_tutorials") == 1
    # A street's report: its own group, not the district's and not the other street's.
    assert value("theory.center_group_sessions", district.east) == 2
    assert value("theory.center_group_discussions", district.east) == 1
    assert value("theory.center_group_tutorials", district.east) == 0
    assert value("theory.center_group_sessions", district.east_community) == 0
    assert value("theory.center_group_sessions", period=Period.year(YEAR + 1)) == 1
    assert value("theory.center_group_sessions", period=Period.month(YEAR, 3)) == 1
    # Every group within the unit: the study sessions of all levels.
    assert value("theory.study_sessions") == 7
    assert value("theory.study_sessions", district.east) == 2
    assert value("theory.study_sessions", district.west) == 1
    records = get_figure("theory.center_group_sessions").compute(PERIOD, None).records
    assert set(records.values_list("group_id", flat=True)) == {root_group.pk}


def _member(group, username: str, joined: date, left: date | None = None) -> StudyMember:
    user = make_person(username, group.unit)
    return StudyMember.objects.create(group=group, user=user, joined_on=joined, left_on=left)


def _attend(session, member) -> None:
    Attendance.objects.create(session=session, member=member, at=session.starts_at, source=AttendanceSource.SCAN)


def _leave(session, member, status: str, made_up_at: datetime | None = None) -> Leave:
    return Leave.objects.create(
        session=session, member=member, reason="出差", status=status, made_up_at=made_up_at,
        makeup_due=timezone.localdate(session.starts_at) + timedelta(days=14), created_at=session.starts_at,
    )  # fmt: skip


def test_attendance_rate_follows_the_fixed_rule(district) -> None:
    """Session on 10 June: expected are the members current that day minus approved leave; the
    attendance of a member on refused or pending leave counts, of one who had left does not."""
    group = make_group(district.east, "东城街道党工委理论学习中心组")
    day = date(YEAR, 6, 10)
    session = make_session(group, starts_at=moment(day, 9), status=HELD)
    present = _member(group, "m_present", date(YEAR, 1, 1))
    _member(group, "m_absent", date(YEAR, 1, 1))  # expected, did not come
    on_leave = _member(group, "m_leave", date(YEAR, 1, 1))
    refused = _member(group, "m_refused", date(YEAR, 1, 1))  # leave refused, came anyway: expected, attended
    pending = _member(group, "m_pending", date(YEAR, 1, 1))  # leave pending, did not come: expected, absent
    joined_that_day = _member(group, "m_joined", day)  # current on the day: expected
    left_that_day = _member(group, "m_left_day", date(YEAR, 1, 1), left=day)  # still current that day
    left_before = _member(group, "m_left", date(YEAR, 1, 1), left=day - timedelta(days=1))  # not expected
    joined_after = _member(group, "m_late", day + timedelta(days=1))  # not expected
    for member in (present, refused, joined_that_day, left_that_day, left_before, joined_after):
        _attend(session, member)
    _leave(session, on_leave, LeaveStatus.APPROVED)
    _leave(session, refused, LeaveStatus.REFUSED)
    _leave(session, pending, LeaveStatus.PENDING)
    # expected: present, absent, refused, pending, joined_that_day, left_that_day = 6; attended 4.
    assert value("theory.attendance_rate") == round(100 * 4 / 6, 1) == 66.7
    assert value("theory.attendance_rate", district.east) == 66.7
    # A scheduled session and another street's do not count; a sibling sees no data (None, flagged).
    make_session(group, starts_at=moment(date(YEAR, 7, 1)))
    assert value("theory.attendance_rate", district.west) is None
    # A second held session where all three current members came: (4 + 3) / (6 + 3).
    other = make_group(district.west, "西城街道党工委理论学习中心组")
    second = make_session(other, starts_at=moment(date(YEAR, 8, 1)), status=HELD)
    for name in ("w1", "w2", "w3"):
        _attend(second, _member(other, name, date(YEAR, 1, 1)))
    assert value("theory.attendance_rate") == round(100 * 7 / 9, 1)
    assert value("theory.attendance_rate", district.west) == 100.0
    assert value("theory.attendance_rate", period=Period.year(YEAR + 1)) is None
    measure = get_figure("theory.attendance_rate").compute(PERIOD, district.east)
    assert list(measure.records) == [session]


def test_makeups_count_approved_leave_made_up_in_the_period(district) -> None:
    group = make_group(district.east_community, "幸福社区党委理论学习中心组")
    session = make_session(group, starts_at=moment(date(YEAR, 11, 20)), status=HELD)
    members = [_member(group, f"mk{number}", date(YEAR, 1, 1)) for number in range(5)]
    _leave(session, members[0], LeaveStatus.APPROVED, made_up_at=moment(date(YEAR, 12, 31), 23, 59))
    _leave(session, members[1], LeaveStatus.APPROVED, made_up_at=PERIOD.end_datetime)  # next year
    _leave(session, members[2], LeaveStatus.APPROVED)  # not made up (overdue or still due)
    _leave(session, members[3], LeaveStatus.REFUSED, made_up_at=moment(date(YEAR, 12, 1)))  # refused: no
    west = make_session(make_group(district.west, "西城"), starts_at=moment(date(YEAR, 3, 1)), status=HELD)
    _leave(
        west, _member(west.group, "mkw", date(YEAR, 1, 1)), LeaveStatus.APPROVED, made_up_at=moment(date(YEAR, 3, 9))
    )
    assert value("theory.makeups") == 2
    assert value("theory.makeups", district.east) == 1
    assert value("theory.makeups", district.west) == 1
    assert value("theory.makeups", period=Period.year(YEAR + 1)) == 1


def test_plan_completion_counts_planned_items_with_a_held_session(district) -> None:
    group = make_group(district.east, "东城街道党工委理论学习中心组")
    plan = StudyPlan.objects.create(unit=district.east, group=group, year=YEAR, title=f"{YEAR}年学习计划")
    items = [
        PlannedSession.objects.create(plan=plan, topic=f"专题{month}", kind=SessionKind.STUDY, month=month)
        for month in (1, 3, 5, 7, 9)
    ]
    make_session(group, planned=items[0], starts_at=moment(date(YEAR, 1, 20)), status=HELD)
    make_session(group, planned=items[1], starts_at=moment(date(YEAR, 3, 20)), status=HELD)
    make_session(group, planned=items[1], starts_at=moment(date(YEAR, 4, 20)), status=HELD)  # twice: once
    make_session(group, planned=items[2], starts_at=moment(date(YEAR, 5, 20)))  # scheduled: not done
    make_session(group, planned=items[3], starts_at=moment(date(YEAR, 7, 20)), status=SessionStatus.CANCELLED)
    make_session(group, planned=items[4], starts_at=moment(date(YEAR + 1, 1, 5)), status=HELD)  # after the period
    west = make_group(district.west, "西城街道党工委理论学习中心组")
    west_plan = StudyPlan.objects.create(unit=district.west, group=west, year=YEAR, title="西城计划")
    PlannedSession.objects.create(plan=west_plan, topic="未举行", kind=SessionKind.TUTORIAL, month=2)
    last_plan = StudyPlan.objects.create(unit=district.east, group=group, year=YEAR - 1, title="上年计划")
    PlannedSession.objects.create(plan=last_plan, topic="上年专题", kind=SessionKind.STUDY, month=2)
    assert value("theory.plan_completion", district.east) == 40.0  # 2 of 5
    assert value("theory.plan_completion") == round(100 * 2 / 6, 1)
    assert value("theory.plan_completion", district.west) == 0.0
    assert value("theory.plan_completion", district.east, Period.year(YEAR - 1)) == 0.0
    assert value("theory.plan_completion", district.east, Period.year(YEAR + 1)) is None  # no plan that year
    assert value("theory.plan_completion", district.east, Period.month(YEAR, 2)) == 20.0  # as of February's end


# --- lectures ------------------------------------------------------------------------------------


def test_teams_and_lecturers_existing_and_active_at_the_end(district) -> None:
    experts = make_team(district.root, "区委宣讲团", level="experts")
    east = make_team(district.east, "东城干部宣讲队", level="cadres")
    make_team(district.east_community, "幸福社区故事会", level="people", active=False)  # stood down
    west = make_team(district.west, "西城轻骑兵")
    for team, created in ((experts, date(YEAR - 1, 5, 1)), (east, date(YEAR, 12, 31)), (west, date(YEAR + 1, 1, 1))):
        LectureTeam.objects.filter(pk=team.pk).update(created_at=moment(created, 23))
    make_lecturer(experts, "甲")
    make_lecturer(east, "乙")
    make_lecturer(east, "丙", active=False)
    make_lecturer(west, "丁")
    stood_down = make_team(district.east, "东城旧宣讲队", level="people", active=False)
    make_lecturer(stood_down, "戊")  # in the team's list still, but the team no longer lectures
    assert value("theory.lecture_teams") == 2  # west's was founded after the year
    assert value("theory.lecture_teams", district.east) == 1
    assert value("theory.lecture_teams", district.west) == 0
    assert value("theory.lecture_teams", period=Period.year(YEAR - 1)) == 1
    assert value("theory.lecture_teams", district.west, Period.year(YEAR + 1)) == 1
    # Lecturers are registered now (created_at today): counted for the running year.
    this_year = Period.year(timezone.localdate().year)
    assert value("theory.lecturers", period=this_year) == 3
    assert value("theory.lecturers", district.east, this_year) == 1
    assert value("theory.lecturers", period=Period.year(YEAR - 1)) == 0


def test_lectures_and_audiences_count_held_lectures_in_the_period(district) -> None:
    east = make_team(district.east, "东城干部宣讲队", level="cadres")
    west = make_team(district.west, "西城轻骑兵")
    first = timezone.make_aware(datetime(YEAR, 1, 1, 0, 0))
    make_lecture(east, held=True, starts_at=first, audience=80)
    make_lecture(
        east, held=True, starts_at=PERIOD.end_datetime - timedelta(minutes=1), audience=20, unit=district.east_community
    )
    make_lecture(east, held=True, starts_at=PERIOD.end_datetime, audience=500)  # next year
    make_lecture(east, starts_at=moment(date(YEAR, 5, 1)))  # planned, never held
    cancelled = make_lecture(east, starts_at=moment(date(YEAR, 5, 2)))
    Lecture.objects.filter(pk=cancelled.pk).update(status=LectureStatus.CANCELLED)
    make_lecture(west, held=True, starts_at=moment(date(YEAR, 7, 1)), audience=45)
    assert (value("theory.lectures"), value("theory.lecture_audience")) == (3, 145)
    assert (value("theory.lectures", district.east), value("theory.lecture_audience", district.east)) == (2, 100)
    assert value("theory.lecture_audience", district.east_community) == 20
    assert (value("theory.lectures", district.west), value("theory.lecture_audience", district.west)) == (1, 45)
    assert value("theory.lecture_audience", period=Period.year(YEAR + 1)) == 500
    assert value("theory.lecture_audience", period=Period.year(YEAR - 1)) == 0


def _request(unit, status: str, lecture=None, team=None) -> LectureRequest:
    return LectureRequest.objects.create(
        unit=unit, requester_name="张三", requester_phone="13800000001", topic="垃圾分类政策",
        place="社区活动室", status=status, lecture=lecture, team=team,
    )  # fmt: skip


def test_requests_done_by_the_date_of_their_lecture(district) -> None:
    team = make_team(district.east, "东城干部宣讲队", level="cadres")
    _request(
        district.east_community, RequestStatus.DONE, make_lecture(team, held=True, starts_at=moment(date(YEAR, 4, 1)))
    )
    _request(district.east, RequestStatus.DONE, make_lecture(team, held=True, starts_at=moment(date(YEAR + 1, 1, 2))))
    _request(district.east, RequestStatus.ASSIGNED, make_lecture(team, starts_at=moment(date(YEAR, 6, 1))), team)
    _request(district.east, RequestStatus.NEW)
    _request(district.west, RequestStatus.DECLINED)
    west_team = make_team(district.west, "西城轻骑兵")
    _request(
        district.west_community,
        RequestStatus.DONE,
        make_lecture(west_team, held=True, starts_at=moment(date(YEAR, 8, 8))),
    )
    assert value("theory.lecture_requests_done") == 2
    assert value("theory.lecture_requests_done", district.east_community) == 1
    assert value("theory.lecture_requests_done", district.west) == 1
    assert value("theory.lecture_requests_done", period=Period.year(YEAR + 1)) == 1


# --- the cloud classroom -------------------------------------------------------------------------


def _item(category, title: str, published: date | None, status: str = ItemStatus.PUBLISHED, **fields) -> ClassItem:
    """An item published on ``published`` (None: a draft) in ``status`` (a withdrawn item's
    ``withdrawn_at`` is set by the caller)."""
    item = make_item(category, title=title, published=published is not None, **fields)
    ClassItem.objects.filter(pk=item.pk).update(status=status, published_at=moment(published) if published else None)
    return item


def test_classroom_items_online_in_the_period(district) -> None:
    east = make_category(district.east)
    west = make_category(district.west)
    _item(east, "去年上线", date(YEAR - 1, 3, 1))
    _item(east, "年末上线", date(YEAR, 12, 31))
    _item(east, "次年上线", date(YEAR + 1, 1, 1))
    _item(east, "草稿", None, ItemStatus.DRAFT)
    withdrawn_during = _item(east, "年中撤下", date(YEAR - 1, 5, 1), ItemStatus.WITHDRAWN)
    ClassItem.objects.filter(pk=withdrawn_during.pk).update(withdrawn_at=moment(date(YEAR, 6, 1)))
    withdrawn_before = _item(east, "去年撤下", date(YEAR - 1, 5, 1), ItemStatus.WITHDRAWN)
    ClassItem.objects.filter(pk=withdrawn_before.pk).update(withdrawn_at=moment(date(YEAR - 1, 12, 31), 23))
    _item(west, "西城课程", date(YEAR, 2, 1), unit=district.west_community)
    assert value("theory.classroom_items") == 4  # 去年上线, 年末上线, 年中撤下, 西城课程
    assert value("theory.classroom_items", district.east) == 3
    assert value("theory.classroom_items", district.west) == 1
    assert value("theory.classroom_items", district.west_community) == 1
    assert value("theory.classroom_items", period=Period.year(YEAR - 1)) == 3  # 去年上线 and both withdrawn ones
    assert value("theory.classroom_items", period=Period.year(YEAR + 1)) == 4  # the three online + 次年上线


def _play(item, viewer: str, at: datetime, seconds: int = 0) -> Play:
    return Play.objects.create(item=item, viewer=viewer, day=timezone.localdate(at), at=at, watched_seconds=seconds)


def test_plays_viewers_and_watch_hours(district) -> None:
    east_item = make_item(make_category(district.east))
    west_item = make_item(make_category(district.west), unit=district.west_community)
    # Viewer a: two days on the east item and one on the west one; b: one day; the year's edges.
    _play(east_item, "a" * 32, moment(date(YEAR, 3, 1), 8), 1800)
    _play(east_item, "a" * 32, moment(date(YEAR, 3, 2), 8), 1800)  # another day: another play
    _play(west_item, "a" * 32, moment(date(YEAR, 3, 2), 9), 900)
    _play(east_item, "b" * 32, moment(date(YEAR, 12, 31), 23, 59), 3000)
    _play(east_item, "c" * 32, moment(date(YEAR, 1, 1), 0, 0), 0)  # pressed play, watched nothing new
    _play(east_item, "d" * 32, moment(date(YEAR + 1, 1, 1), 0, 0), 7200)  # next year
    _play(east_item, "e" * 32, moment(date(YEAR - 1, 12, 31), 23, 59), 7200)  # last year
    assert value("theory.plays") == 5
    assert value("theory.viewers") == 3  # a, b, c
    assert value("theory.watch_hours") == 2.1  # (1800 + 1800 + 900 + 3000) / 3600 = 2.08
    assert (value("theory.plays", district.east), value("theory.viewers", district.east)) == (4, 3)
    assert value("theory.watch_hours", district.east) == 1.8  # 6600 s
    assert (value("theory.plays", district.west), value("theory.viewers", district.west)) == (1, 1)
    assert value("theory.watch_hours", district.west) == 0.3  # 900 s = 0.25 h, half up as the report rounds
    assert value("theory.watch_hours", period=Period.year(YEAR + 1)) == 2.0
    assert value("theory.plays", period=Period.month(YEAR, 3)) == 3
    assert value("theory.viewers", period=Period.month(YEAR, 3)) == 1
    # The records behind the viewers and the hours are the plays of the period.
    assert get_figure("theory.viewers").compute(PERIOD, None).records.count() == 5


def test_questions_answered_shown_with_an_answer_in_the_period(district) -> None:
    item = make_item(make_category(district.east))
    west = make_item(make_category(district.west))

    def ask(on, status: str, answer: str = "已解答", answered: datetime | None = None) -> Question:
        return Question.objects.create(
            item=on, viewer="v" * 32, text="怎么理解？", status=status, answer=answer, answered_at=answered,
            created_at=moment(date(YEAR, 1, 1)),
        )  # fmt: skip

    ask(item, QuestionStatus.SHOWN, answered=moment(date(YEAR, 2, 1)))
    ask(item, QuestionStatus.SHOWN, answered=PERIOD.end_datetime)  # next year
    ask(item, QuestionStatus.SHOWN, answer="", answered=None)  # shown, not answered yet
    ask(item, QuestionStatus.PENDING, answered=moment(date(YEAR, 2, 1)))  # answered, not yet shown
    ask(item, QuestionStatus.REJECTED, answered=moment(date(YEAR, 2, 1)))
    ask(west, QuestionStatus.SHOWN, answered=moment(date(YEAR, 5, 1)))
    assert value("theory.questions_answered") == 2
    assert value("theory.questions_answered", district.east) == 1
    assert value("theory.questions_answered", district.west) == 1
    assert value("theory.questions_answered", period=Period.year(YEAR + 1)) == 1


def test_open_hours_are_local_hours_across_midnight_utc_plus_8(district) -> None:
    """A play at 07:30 local time on 1 January is 23:30 UTC of 31 December: it counts for hour 7
    of the new year, not hour 23 of the old one; 23:30 local on 31 December is 15:30 UTC."""
    item = make_item(make_category(district.east))
    west = make_item(make_category(district.west))
    new_year_morning = datetime(YEAR, 12, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 January local
    _play(item, "a" * 32, new_year_morning)
    _play(item, "b" * 32, datetime(YEAR, 12, 31, 15, 30, tzinfo=UTC))  # 23:30 local, 31 December
    _play(item, "c" * 32, datetime(YEAR, 6, 1, 16, 5, tzinfo=UTC))  # 00:05 local, 2 June
    _play(item, "d" * 32, datetime(YEAR, 6, 2, 15, 55, tzinfo=UTC))  # 23:55 local: hour 23 again
    _play(west, "e" * 32, datetime(YEAR, 6, 2, 4, 0, tzinfo=UTC))  # 12:00 local, west
    assert value("theory.classroom_open_hours") == 3  # hours 23, 0 and 12
    assert value("theory.classroom_open_hours", district.east) == 2  # 23 and 0
    assert value("theory.classroom_open_hours", district.west) == 1
    assert value("theory.classroom_open_hours", period=Period.year(YEAR + 1)) == 1  # hour 7
    assert value("theory.classroom_open_hours", period=Period.days(date(YEAR, 6, 2), date(YEAR, 6, 2))) == 3


def test_open_hours_reach_24_when_every_hour_is_used(district) -> None:
    item = make_item(make_category(district.east))
    for hour in range(24):
        for viewer in ("x", "y"):  # two plays in the same hour: one hour
            _play(item, viewer * 31 + f"{hour % 10}", moment(date(YEAR, 4, 1 + hour), hour, 30))
    assert value("theory.classroom_open_hours") == 24
    assert value("theory.classroom_open_hours", period=Period.month(YEAR, 5)) == 0


def test_the_figures_take_a_bounded_number_of_queries(district) -> None:
    """Each figure is a few aggregate queries whatever the number of records (the attendance rate
    three reads for the rule), so a report of the district stays fast."""
    group = make_group(district.root, "区委理论学习中心组")
    for month in range(1, 13):
        session = make_session(group, starts_at=moment(date(YEAR, month, 3)), status=HELD)
        _attend(session, _member(group, f"q{month}", date(YEAR, 1, 1)))
    item = make_item(make_category(district.east))
    for day in range(1, 29):
        _play(item, f"{day:032d}", moment(date(YEAR, 2, day), day % 24), 60)
    for item_figure in all_figures():
        if not item_figure.key.startswith("theory."):
            continue
        with CaptureQueriesContext(connection) as queries:
            item_figure.compute(PERIOD, None)
        assert len(queries) <= 4, (item_figure.key, len(queries))


def test_the_records_page_of_every_theory_figure_and_its_scope(verified_client, district, alice, bob) -> None:
    """The figure catalogue drills down to each theory figure's records (a Measure's too): 200 for
    the district's administrator; a street's reporter sees their street's records, not the other's."""
    this_year = timezone.localdate().year
    root_group = make_group(district.root, "区委理论学习中心组")
    east_group = make_group(district.east, "东城街道党工委理论学习中心组")
    make_session(root_group, topic="区委专题学习", starts_at=timezone.now() - timedelta(days=1), status=HELD)
    make_session(east_group, topic="东城专题学习", starts_at=timezone.now() - timedelta(days=1), status=HELD)
    make_lecture(make_team(district.east, "东城宣讲队"), topic="东城宣讲", held=True)
    make_lecture(make_team(district.west, "西城宣讲队"), topic="西城宣讲", held=True)
    item = make_item(make_category(district.east), title="东城微视频")
    _play(item, "a" * 32, timezone.now() - timedelta(hours=1), 20)
    client = verified_client(alice)
    keys = [figure.key for figure in all_figures() if figure.key.startswith("theory.")]
    for key in keys:
        response = client.get(reverse("reports:figure_detail", args=[key]), {"period": str(this_year)})
        assert response.status_code == 200, key
    page = client.get(reverse("reports:figure_detail", args=["theory.center_group_sessions"]), {"period": this_year})
    assert "区委专题学习" in page.content.decode() and "东城专题学习" not in page.content.decode()
    client.force_login(bob)
    own = client.get(reverse("reports:figure_detail", args=["theory.lectures"]), {"period": str(this_year)})
    assert "东城宣讲" in own.content.decode() and "西城宣讲" not in own.content.decode()
    central = client.get(reverse("reports:figure_detail", args=["theory.center_group_sessions"]), {"period": this_year})
    assert "东城专题学习" in central.content.decode() and "区委专题学习" not in central.content.decode()
    assert client.get(reverse("reports:figure_list"), {"unit": district.west.pk}).status_code == 404
