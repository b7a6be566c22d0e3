"""The viewers part's counting rules (services/viewers.py): one play per viewer, item and day;
watch time counted once per stretch, bounded by the item's length and by the wall clock, skipped
parts not counted; the resume position; residents' questions and staff's review and answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.theory.models import ItemStatus, Play, Question, QuestionStatus, ViewerProgress
from xuanchuan.theory.queries import viewers as queries
from xuanchuan.theory.services import viewers as services
from xuanchuan.theory.tests.factories import VIDEO_A, VIDEO_B, make_category, make_item, viewer_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(district):
    return make_item(make_category(district.east), media=VIDEO_A)  # 20 s: four buckets of 5 s


def progress(item, viewer, position, start=None, end=None, *, at):
    return services.record_progress(item, viewer, position=position, watched_from=start, watched_to=end, at=at)


# --- Plays ----------------------------------------------------------------------------------------


def test_ten_presses_the_same_day_are_one_play_the_next_day_another(item):
    viewer = viewer_id()
    first = timezone.now().replace(hour=9, minute=0)
    for minute in range(10):
        services.record_play(item, viewer, first + timedelta(minutes=minute))
    assert Play.objects.count() == 1
    assert Play.objects.get().at == first  # the first press
    services.record_play(item, viewer, first + timedelta(days=1))
    assert Play.objects.count() == 2


def test_another_viewer_is_another_play(item):
    services.record_play(item, viewer_id())
    services.record_play(item, viewer_id())
    assert Play.objects.count() == 2
    assert queries.plays_between(timezone.localdate(), timezone.localdate()).count() == 2


def test_no_play_of_an_unpublished_item_or_a_malformed_viewer(district, item):
    draft = make_item(make_category(district.east, name="草稿"), published=False)
    with pytest.raises(ServiceError):
        services.record_play(draft, viewer_id())
    with pytest.raises(ServiceError):
        services.record_play(item, "not-a-viewer-id")
    item.status = ItemStatus.WITHDRAWN
    with pytest.raises(ServiceError):
        services.record_progress(item, viewer_id(), position=3)
    assert not Play.objects.exists() and not ViewerProgress.objects.exists()


# --- Watch time -----------------------------------------------------------------------------------


def test_replaying_a_stretch_counts_it_once(item):
    viewer, start = viewer_id(), timezone.now() - timedelta(minutes=5)
    services.record_play(item, viewer, start)
    progress(item, viewer, 10, 0, 10, at=start + timedelta(seconds=10))
    again = progress(item, viewer, 10, 0, 10, at=start + timedelta(seconds=25))
    assert again.new_seconds == 0
    row = ViewerProgress.objects.get()
    assert row.watched_seconds == 10
    assert Play.objects.get().watched_seconds == 10


def test_watch_time_is_capped_at_the_items_length(item):
    viewer, start = viewer_id(), timezone.now() - timedelta(hours=11)
    services.record_play(item, viewer, start)
    counted = progress(item, viewer, 36000, 0, 36000, at=start + timedelta(hours=10))  # "ten hours"
    assert ViewerProgress.objects.get().watched_seconds == 20 == counted.new_seconds
    assert ViewerProgress.objects.get().position == 0  # clamped to the end: next time from the start
    assert queries.watch_seconds_between(start.date(), timezone.localdate()) == 20


def test_a_stretch_longer_than_the_wall_clock_allows_is_cut(district):
    long_item = make_item(make_category(district.east), media=VIDEO_A)
    long_item.duration_seconds = 3600  # an hour-long lecture
    long_item.save()
    viewer, start = viewer_id(), timezone.now()
    services.record_play(long_item, viewer, start)
    counted = progress(long_item, viewer, 1200, 0, 1200, at=start + timedelta(seconds=10))  # 20 minutes in 10 s
    assert counted.clipped
    # 10 s of wall clock at the fastest speed (2×) plus 2 s of slack: 22 s, i.e. buckets 0–3 (the
    # fifth bucket, 20–25 s, is covered by less than half).
    assert counted.new_seconds == 20
    # Many beacons at once cannot add up either: the clock has been spent.
    burst = [
        progress(long_item, viewer, 1200, 30 + 10 * i, 40 + 10 * i, at=start + timedelta(seconds=10)) for i in range(5)
    ]
    assert sum(beacon.new_seconds for beacon in burst) <= 5
    assert ViewerProgress.objects.get().watched_seconds <= 25


def test_seeking_forward_does_not_count_the_skipped_part(item):
    viewer, start = viewer_id(), timezone.now() - timedelta(minutes=1)
    services.record_play(item, viewer, start)
    progress(item, viewer, 12, 0, 4, at=start + timedelta(seconds=4))  # played 0–4, then sought to 12
    progress(item, viewer, 15, 12, 15, at=start + timedelta(seconds=8))  # played 12–15
    row = ViewerProgress.objects.get()
    assert row.watched_seconds == 10  # buckets 0–5 and 10–15; 5–10 and 15–20 were never played
    assert services.is_set(row.watched, 0) and services.is_set(row.watched, 2)
    assert not services.is_set(row.watched, 1) and not services.is_set(row.watched, 3)


def test_a_stretch_cut_by_a_beacon_still_counts(item):
    viewer, start = viewer_id(), timezone.now() - timedelta(minutes=1)
    services.record_play(item, viewer, start)
    progress(item, viewer, 7.4, 0, 7.4, at=start + timedelta(seconds=8))
    progress(item, viewer, 20, 7.4, 20, at=start + timedelta(seconds=21))
    assert ViewerProgress.objects.get().watched_seconds == 20


def test_forged_and_negative_numbers(item):
    viewer, start = viewer_id(), timezone.now() - timedelta(minutes=1)
    with pytest.raises(ServiceError):
        progress(item, viewer, float("nan"), at=start)
    counted = progress(item, viewer, -50, -100, -10, at=start)
    assert counted.new_seconds == 0 and counted.progress.position == 0


def test_the_last_shorter_bucket_counts_its_own_length(district):
    short = make_item(make_category(district.east), media=VIDEO_B)  # 12 s: 5 + 5 + 2
    viewer, start = viewer_id(), timezone.now() - timedelta(minutes=1)
    services.record_play(short, viewer, start)
    counted = progress(short, viewer, 0, 10, 12, at=start + timedelta(seconds=5))
    assert counted.new_seconds == 2
    assert ViewerProgress.objects.get().watched_seconds == 2


def test_resume_position_is_saved_and_clamped(item):
    viewer, start = viewer_id(), timezone.now() - timedelta(minutes=1)
    services.record_play(item, viewer, start)
    assert progress(item, viewer, 12.7, 0, 5, at=start + timedelta(seconds=6)).progress.position == 12
    assert progress(item, viewer, 19.5, at=start + timedelta(seconds=7)).progress.position == 0  # near the end
    assert services.resume_position(5000, 3600) == 0
    assert services.resume_position(1800, 3600) == 1800


def test_new_seconds_go_to_the_day_they_were_watched(item):
    viewer = viewer_id()
    yesterday = timezone.now() - timedelta(days=1)
    services.record_play(item, viewer, yesterday)
    progress(item, viewer, 10, 0, 10, at=yesterday + timedelta(seconds=10))
    today = timezone.now()
    progress(item, viewer, 20, 0, 20, at=today)  # 0–10 again, and 10–20 new
    by_day = dict(Play.objects.values_list("day", "watched_seconds"))
    assert by_day == {timezone.localdate(yesterday): 10, timezone.localdate(today): 10}
    assert ViewerProgress.objects.get().watched_seconds == 20
    assert queries.watch_seconds_between(timezone.localdate(today), timezone.localdate(today)) == 10


def test_figures_within_a_unit(district, item):
    west_item = make_item(make_category(district.west, name="西城"), media=VIDEO_B)
    services.record_play(item, viewer_id())
    services.record_play(west_item, viewer_id())
    today = timezone.localdate()
    assert queries.plays_between(today, today, district.east).count() == 1
    assert queries.plays_between(today, today, None).count() == 2


# --- Questions ------------------------------------------------------------------------------------


def test_a_question_is_pending_and_flagged_by_the_proofreading_engine(item):
    question = services.ask_question(item, viewer_id(), text="讲座里说的残废人补贴怎么申请？", nickname="老王")
    assert question.status == QuestionStatus.PENDING
    assert [flag["text"] for flag in question.flags] == ["残废人"]
    assert question.flags[0]["kind"] == "sensitive"
    clean = services.ask_question(item, viewer_id(), text="社区什么时候再办这样的宣讲？")
    assert clean.flags == []


def test_question_length_rules(item):
    with pytest.raises(ServiceError):
        services.ask_question(item, viewer_id(), text="太短")
    with pytest.raises(ServiceError):
        services.ask_question(item, viewer_id(), text="问" * 501)
    with pytest.raises(ServiceError):
        services.ask_question(item, viewer_id(), text="这是一个正常的问题", nickname="名" * 21)
    assert not Question.objects.exists()


def test_only_shown_questions_and_ones_own_are_listed(item, bob):
    asker, other = viewer_id(), viewer_id()
    question = services.ask_question(item, asker, text="这是一个待审核的问题")
    assert queries.item_questions(item, asker) == [question]
    assert queries.item_questions(item, other) == []
    services.approve_question(question, by=bob)
    assert [q.pk for q in queries.item_questions(item, other)] == [question.pk]
    services.reject_question(question, by=bob)
    assert queries.item_questions(item, other) == []
    assert queries.item_questions(item, asker)[0].status == QuestionStatus.REJECTED


def test_review_and_answer_need_the_role_and_the_scope(item, bob, charlie, dora):
    question = services.ask_question(item, viewer_id(), text="这是一个待审核的问题")
    with pytest.raises(PermissionDenied):
        services.approve_question(question, by=charlie)  # 西城街道: not his item
    with pytest.raises(PermissionDenied):
        services.approve_question(question, by=dora)  # a community worker does not manage the classroom
    with pytest.raises(PermissionDenied):
        services.answer_question(question, answer="答复", by=charlie)
    question.refresh_from_db()
    assert question.status == QuestionStatus.PENDING and question.answer == ""
    done = services.answer_question(question, answer="可以到社区服务中心咨询。", by=bob)
    assert done.answered_by == bob and done.answered_at is not None
    services.approve_question(question, by=bob)
    question.refresh_from_db()
    assert question.decided_by == bob and question.status == QuestionStatus.SHOWN
    with pytest.raises(ServiceError):
        services.approve_question(question, by=bob)
    with pytest.raises(ServiceError):
        services.answer_question(question, answer="  ", by=bob)


def test_a_rejected_question_is_not_answered(item, alice):
    question = services.ask_question(item, viewer_id(), text="这是一个待审核的问题")
    services.reject_question(question, by=alice)
    with pytest.raises(ServiceError):
        services.answer_question(question, answer="答复", by=alice)
    with pytest.raises(ServiceError):
        services.reject_question(question, by=alice)


def test_the_district_admin_reviews_everywhere(item, district):
    admin = make_person("admin2", district.publicity, RoleCode.DEPARTMENT_ADMIN)
    question = services.ask_question(item, viewer_id(), text="这是一个待审核的问题")
    assert services.approve_question(question, by=admin).status == QuestionStatus.SHOWN


def test_questions_answered_figure(district, item, bob):
    west_item = make_item(make_category(district.west, name="西城"), media=VIDEO_B)
    today = timezone.localdate()
    answered = services.ask_question(item, viewer_id(), text="这是一个会被解答的问题")
    services.answer_question(answered, answer="解答", by=bob)
    assert queries.questions_answered_between(today, today).count() == 0  # not shown yet
    services.approve_question(answered, by=bob)
    services.ask_question(item, viewer_id(), text="这是一个还没解答的问题")
    assert queries.questions_answered_between(today, today, district.east).count() == 1
    assert queries.questions_answered_between(today, today, district.west).count() == 0
    assert queries.questions_answered_between(today - timedelta(days=3), today - timedelta(days=1)).count() == 0
    assert west_item.pk
