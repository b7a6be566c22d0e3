"""The theory part of the small demo: every figure of last year non-zero and equal to what its
records say, the classroom's progress and plays consistent as the classroom counts them (each
day's new seconds adding up to the progress, the bitmap a prefix, never beyond the item), plays at
every hour of each year, the states of sessions, leave, lectures, requests and questions present,
the media files copies of the project's own, and the report of last year with numbers in section
一 and nothing flagged. The part is deterministic: the same seed gives the same records."""

from __future__ import annotations

import importlib
import io
import json
import re
from collections import defaultdict
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoPart
from xuanchuan.org import demo as org_demo
from xuanchuan.reports.registry import Period, all_figures, get_figure
from xuanchuan.theory import demo as theory_demo
from xuanchuan.theory.demo_classroom import DEMO_MEDIA, _prefix_bits
from xuanchuan.theory.models import (
    Attendance,
    AttendanceSource,
    ClassItem,
    ItemStatus,
    Leave,
    LeaveStatus,
    Lecture,
    Lecturer,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    Play,
    Question,
    QuestionStatus,
    RequestStatus,
    SessionStatus,
    StudyGroup,
    StudyMember,
    StudySession,
    TeamLevel,
    ViewerProgress,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db) -> None:
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())


def _figures_of_last_year_are_their_records() -> None:
    last_year = Period.year(timezone.localdate().year - 1)
    before = Period.year(last_year.start.year - 1)
    theory = [item for item in all_figures() if item.key.startswith("theory.")]
    assert len(theory) == 18
    for item in theory:
        measure = item.compute(last_year)
        assert measure.value, item.key
        assert measure.records is not None and measure.records.exists(), item.key
        assert item.compute(before).value, item.key  # the change on the year before can be written
    value = lambda key: get_figure(key).compute(last_year).value  # noqa: E731
    records = lambda key: get_figure(key).compute(last_year).records  # noqa: E731
    district_group = StudyGroup.objects.get(name="区委理论学习中心组")
    assert district_group.unit.depth == 1
    assert set(records("theory.center_group_sessions").values_list("group", flat=True)) == {district_group.pk}
    assert value("theory.center_group_sessions") < value("theory.study_sessions")
    assert value("theory.center_group_discussions") + value("theory.center_group_tutorials") < value(
        "theory.center_group_sessions"
    )
    assert value("theory.lecture_audience") == records("theory.lecture_audience").aggregate(n=Sum("audience"))["n"]
    plays = records("theory.plays")
    assert value("theory.plays") == plays.count() > 100
    assert value("theory.viewers") == plays.values("viewer").distinct().count() < value("theory.plays")
    seconds = plays.aggregate(n=Sum("watched_seconds"))["n"]
    assert abs(value("theory.watch_hours") - seconds / 3600) <= 0.05
    assert 80 <= value("theory.attendance_rate") < 100
    assert 50 <= value("theory.plan_completion") <= 100
    # Every hour of the day in each of the three years: the report's 24小时不打烊 is honest.
    for year in (last_year.start.year - 1, last_year.start.year, timezone.localdate().year):
        assert get_figure("theory.classroom_open_hours").compute(Period.year(year)).value == 24, year
    # Growth: more lectures and plays than the year before.
    assert value("theory.lectures") > get_figure("theory.lectures").compute(before).value
    assert value("theory.plays") > get_figure("theory.plays").compute(before).value


def _progress_and_plays_agree() -> None:
    """As the classroom counts: a pair's daily new seconds add up to its progress, the bitmap is
    the watched prefix, nothing beyond the item's length, nothing in the future."""
    per_pair: dict[tuple[int, str], int] = defaultdict(int)
    for item_id, viewer, seconds in Play.objects.values_list("item_id", "viewer", "watched_seconds"):
        per_pair[(item_id, viewer)] += seconds
    progress = list(ViewerProgress.objects.select_related("item"))
    assert len(progress) == len(per_pair) > 500
    bucket = 5
    for row in progress:
        assert per_pair[(row.item_id, row.viewer)] == row.watched_seconds <= row.item.duration_seconds
        buckets = -(-row.watched_seconds // bucket)
        assert bytes(row.watched) == _prefix_bits(buckets)
        assert row.first_at <= row.last_at
    assert not Play.objects.filter(at__gt=timezone.now()).exists()
    assert not Play.objects.filter(item__status=ItemStatus.DRAFT).exists()
    for play in Play.objects.all()[:300]:
        assert timezone.localdate(play.at) == play.day
    withdrawn = ClassItem.objects.get(status=ItemStatus.WITHDRAWN)
    assert not Play.objects.filter(item=withdrawn, day__gt=timezone.localdate(withdrawn.updated_at)).exists()


def _every_state_is_there() -> None:
    today = timezone.localdate()
    for year in (today.year - 2, today.year - 1, today.year):
        sessions = StudySession.objects.filter(starts_at__year=year)
        assert sessions.filter(status=SessionStatus.HELD, planned__isnull=False).exists(), year
        assert sessions.filter(status=SessionStatus.HELD, planned__isnull=True).exists(), year
    assert StudySession.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()).exists()
    assert StudySession.objects.filter(status=SessionStatus.CANCELLED).exists()
    assert Attendance.objects.filter(source=AttendanceSource.MANUAL, recorded_by__isnull=False).exists()
    assert Attendance.objects.filter(source=AttendanceSource.SCAN).count() > 500
    approved = Leave.objects.filter(status=LeaveStatus.APPROVED)
    assert approved.filter(made_up_at__isnull=False).exists()
    assert approved.filter(made_up_at__isnull=True, makeup_due__lt=today).exists()  # overdue
    assert Leave.objects.filter(status=LeaveStatus.REFUSED).exists()
    assert StudyMember.objects.filter(left_on__isnull=False).exists()
    assert set(LectureTeam.objects.values_list("level", flat=True)) == set(TeamLevel.values)
    assert Lecture.objects.filter(event="孝善宴").exists() and Lecture.objects.filter(event="德润生日会").exists()
    assert Lecture.objects.filter(status=LectureStatus.PLANNED, starts_at__gt=timezone.now()).exists()
    assert not Lecture.objects.filter(status=LectureStatus.HELD, starts_at__gt=timezone.now()).exists()
    assert {RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.DONE} <= set(
        LectureRequest.objects.values_list("status", flat=True)
    )
    for request in LectureRequest.objects.filter(status=RequestStatus.DONE).select_related("lecture"):
        assert request.lecture.status == LectureStatus.HELD and request.lecture.unit_id == request.unit_id
    for lecturer in Lecturer.objects.all():
        assert lecturer.phone.startswith("1380000") and len(lecturer.phone) == 11
    statuses = set(Question.objects.values_list("status", flat=True))
    assert statuses == {QuestionStatus.PENDING, QuestionStatus.SHOWN, QuestionStatus.REJECTED}
    assert not Question.objects.filter(status=QuestionStatus.SHOWN, answer="").exists()
    assert not Question.objects.filter(created_at__gt=timezone.now() + timedelta(seconds=1)).exists()


def _media_are_copies_of_the_projects_files() -> None:
    items = list(ClassItem.objects.all())
    assert len(items) >= 8
    for item in items:
        with item.media.open("rb") as handle:
            data = handle.read()
        assert len(data) == item.size
        assert any(
            data == path.read_bytes() for path in DEMO_MEDIA.iterdir() if path.suffix in (".mp4", ".m4a", ".mp3")
        )
        if item.kind == "video":
            assert item.poster
        assert (item.status == ItemStatus.DRAFT) == (item.published_at is None)


def _the_report_of_last_year_has_section_one(tmp_path) -> None:
    last_year = timezone.localdate().year - 1
    out = io.StringIO()
    call_command("report_generate", "--period", str(last_year), "--json", "--out", str(tmp_path / "r.docx"), stdout=out)
    report = json.loads(out.getvalue())
    blocks = [
        block.get("text") or "".join(segment.get("text", "") for segment in block.get("segments", []))
        for block in report["blocks"]
    ]
    start = next(index for index, text in enumerate(blocks) if text.startswith("一、"))
    end = next(index for index, text in enumerate(blocks) if text.startswith("二、"))
    section = "".join(blocks[start:end])
    assert "举办区委理论学习中心组学习会议" in section and "小时不打烊" in section
    assert "【" not in section  # nothing left blank or flagged in the text
    theory_flags = [flag for flag in report["flags"] if "theory." in json.dumps(flag, ensure_ascii=False)]
    assert not theory_flags, theory_flags
    assert re.search(r"学习会议\d+场次，集中研讨交流\d+次", section)
    assert re.search(r"打造24小时不打烊", section)


def test_the_small_demo_of_the_theory_part(demo, tmp_path) -> None:
    """One seeding for every check (seeding is what takes the time)."""
    _figures_of_last_year_are_their_records()
    _progress_and_plays_agree()
    _every_state_is_there()
    _media_are_copies_of_the_projects_files()
    _the_report_of_last_year_has_section_one(tmp_path)


def _fingerprint() -> list[tuple]:
    """What must come out the same for the same seed (not ids, not moments derived from now)."""
    return [
        *StudySession.objects.order_by("group__name", "starts_at").values_list(
            "group__name", "topic", "kind", "starts_at", "status"
        ),
        *Attendance.objects.order_by("session__starts_at", "member__user__username").values_list(
            "session__topic", "member__user__username", "source"
        ),
        *Lecture.objects.order_by("starts_at", "topic", "unit__code").values_list(
            "team__name", "unit__code", "topic", "starts_at", "audience", "status"
        ),
        *Lecturer.objects.order_by("team__name", "name").values_list("team__name", "name", "title"),
        *Play.objects.order_by("viewer", "item__title", "day").values_list(
            "viewer", "item__title", "day", "at", "watched_seconds"
        ),
        *Question.objects.order_by("viewer").values_list("viewer", "text", "status"),
    ]


def test_the_part_is_deterministic(settings) -> None:
    """Seeded twice with the same seed on the same day (org's part beneath it, then reset): the
    same sessions, attendance, lectures, lecturers, plays and questions."""
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    part = DemoPart(django_apps.get_app_config("theory"), theory_demo)
    now = timezone.now()

    def once(seed: int) -> list[tuple]:
        ctx = DemoContext(seed=seed, now=now, write=lambda line: None)
        org_demo.seed(ctx.for_part("org"))
        theory_demo.seed(ctx.for_part("theory"))
        fingerprint = _fingerprint()
        part.reset(ctx)
        org_demo.reset(ctx)
        return fingerprint

    first = once(11)
    assert len(first) > 2000
    assert once(11) == first
    assert once(12) != first
