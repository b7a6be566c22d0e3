"""The three-step review's rules, enforced in the service layer (not only hidden in the pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.core.sms import SmsGateway
from xuanchuan.org.models import RoleCode
from xuanchuan.publishing.models import (
    Publication,
    PublicationStatus,
    ReviewNotice,
    ReviewStep,
    ReviewTask,
    RoundStatus,
    TaskStatus,
    Urgency,
)
from xuanchuan.publishing.services import review
from xuanchuan.publishing.services.publications import update_publication
from xuanchuan.publishing.signals import publication_published, publication_taken_down
from xuanchuan.publishing.tests.scoping_review import news_site, publication, reviewers

pytestmark = pytest.mark.django_db


@dataclass
class Finding:
    start: int
    end: int
    kind: str
    severity: str
    text: str
    suggestion: str = ""
    reason: str = ""


@pytest.fixture
def people(district, bob):
    return {"bob": bob, **reviewers(district)}


@pytest.fixture
def no_findings(monkeypatch):
    monkeypatch.setattr(review, "proofread", lambda text, publication=None: [])


@pytest.fixture
def high_finding(monkeypatch):
    def check(text, publication=None):
        at = text.find("两岸三地")
        return [Finding(at, at + 4, "sensitive", "high", "两岸三地", "内地与港澳台")] if at >= 0 else []

    monkeypatch.setattr(review, "proofread", check)
    monkeypatch.setattr(review, "blocking_findings", lambda found: [f for f in found if f.severity == "high"])


def task_of(item: Publication) -> ReviewTask:
    return review.active_task(item)


def through_all(item, people, **approve):
    for name in ("shen1", "shen2", "shen3"):
        task = task_of(item)
        review.claim(task, by=people[name])
        review.approve(task, by=people[name], **approve)
    item.refresh_from_db()
    return item


def test_a_publication_passes_three_steps_by_three_people_and_is_published(
    district, people, no_findings, django_capture_on_commit_callbacks
):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    item.refresh_from_db()
    assert (item.status, item.current_step) == (PublicationStatus.IN_REVIEW, ReviewStep.FIRST)
    heard = []

    def listen(sender, publication, **kwargs):
        heard.append(publication.pk)

    publication_published.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            item = through_all(item, people)
    finally:
        publication_published.disconnect(listen)
    assert item.status == PublicationStatus.PUBLISHED and item.published_by == people["shen3"]
    assert heard == [item.pk]
    steps = list(ReviewTask.objects.filter(round__publication=item).values_list("step", "finished_by__username"))
    assert steps == [("first", "shen1"), ("second", "shen2"), ("final", "shen3")]
    assert item.review_rounds.get().status == RoundStatus.APPROVED
    assert ReviewNotice.objects.filter(recipient=people["bob"], publication=item).exists()


def test_claim_records_who_holds_it_and_since_when_and_others_cannot_take_it(district, people, no_findings):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    other = make_person("shen1b", district.publicity, RoleCode.REVIEWER_FIRST)
    task = review.claim(task_of(item), by=people["shen1"])
    assert task.holder == people["shen1"] and task.claimed_at is not None
    with pytest.raises(ServiceError, match="初审员"):
        review.approve(task_of(item), by=other)


def test_no_one_reviews_their_own_text(district, people, no_findings):
    # A department admin who also holds the 初审 role writes a piece: she may not review it.
    writer = make_person("writer", district.publicity, RoleCode.UNIT_REPORTER, RoleCode.REVIEWER_FIRST)
    item = publication(writer, district)
    review.submit(item, by=writer)
    with pytest.raises(ServiceError, match="自己"):
        review.claim(task_of(item), by=writer)
    with pytest.raises(ServiceError, match="自己"):
        review.approve(task_of(item), by=writer)
    assert task_of(item).status == TaskStatus.IN_PROGRESS


def test_no_one_takes_two_steps_of_one_item_even_in_a_later_round(district, people, no_findings):
    both = make_person("both", district.publicity, RoleCode.REVIEWER_FIRST, RoleCode.REVIEWER_SECOND)
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    review.approve(task_of(item), by=both)
    with pytest.raises(ServiceError, match="不同的人"):
        review.approve(task_of(item), by=both)
    # Returned at 复审 by someone else, resubmitted: "both" still cannot take 复审 of this item.
    review.return_to_author(task_of(item), by=people["shen2"], reason="数据来源不明")
    review.submit(item, by=people["bob"])
    review.approve(task_of(item), by=people["shen1"])
    with pytest.raises(ServiceError, match="初审"):
        review.claim(task_of(item), by=both)


def test_a_step_needs_its_role(district, people, no_findings):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    with pytest.raises(PermissionDenied):
        review.approve(task_of(item), by=people["shen2"])


def test_an_outsider_cannot_review_what_they_cannot_see(district, people, charlie, no_findings):
    outsider = make_person("westreviewer", district.west, RoleCode.REVIEWER_FIRST)
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    with pytest.raises(PermissionDenied):
        review.claim(task_of(item), by=outsider)


def test_a_high_finding_blocks_approval_unless_overridden_with_a_reason(district, people, high_finding):
    item = publication(people["bob"], district, body="<p>推动两岸三地文化交流。</p>")
    review.submit(item, by=people["bob"])
    review.approve(task_of(item), by=people["shen1"], override_reason="引用原文，经核实可用")
    with pytest.raises(ServiceError, match="两岸三地"):
        review.approve(task_of(item), by=people["shen2"])
    with pytest.raises(ServiceError):
        review.approve(task_of(item), by=people["shen2"], override_reason="   ")
    assert task_of(item).step == ReviewStep.SECOND
    first = ReviewTask.objects.get(round__publication=item, step=ReviewStep.FIRST)
    assert first.override_reason == "引用原文，经核实可用"
    assert first.findings[0]["text"] == "两岸三地" and first.findings[0]["severity"] == "high"


def test_a_return_needs_a_reason_and_reaches_the_author_and_earlier_reviewers(district, people, no_findings):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    review.approve(task_of(item), by=people["shen1"])
    with pytest.raises(ServiceError, match="退回理由"):
        review.return_to_author(task_of(item), by=people["shen2"], reason=" ")
    review.return_to_author(task_of(item), by=people["shen2"], reason="第二段数据需核实来源")
    item.refresh_from_db()
    assert item.status == PublicationStatus.RETURNED and item.current_step == ""
    told = set(ReviewNotice.objects.filter(publication=item).values_list("recipient__username", flat=True))
    assert told == {"bob", "shen1"}
    assert "第二段数据需核实来源" in ReviewNotice.objects.filter(recipient=people["bob"]).first().text
    # The author edits (a new version) and resubmits: a new round from 初审.
    update_publication(item, by=people["bob"], title=item.title, body="<p>改过的正文，数据来自区统计局。</p>",
                       outlets=[news_site(district)])  # fmt: skip
    review.submit(item, by=people["bob"])
    assert item.review_rounds.count() == 2 and task_of(item).step == ReviewStep.FIRST
    assert item.versions.count() == 2


def test_withdraw_by_the_author_while_in_review(district, people, charlie, no_findings):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    review.claim(task_of(item), by=people["shen1"])
    with pytest.raises(PermissionDenied):
        review.withdraw(item, by=charlie)
    review.withdraw(item, by=people["bob"])
    item.refresh_from_db()
    assert item.status == PublicationStatus.WITHDRAWN
    assert not ReviewTask.objects.filter(round__publication=item, status=TaskStatus.IN_PROGRESS).exists()
    assert ReviewNotice.objects.filter(recipient=people["shen1"], publication=item).exists()
    with pytest.raises(ServiceError):
        review.withdraw(item, by=people["bob"])


def test_a_planned_item_is_scheduled_and_published_when_due(district, people, no_findings):
    planned = timezone.now() + timedelta(hours=3)
    item = publication(people["bob"], district, planned_at=planned)
    review.submit(item, by=people["bob"])
    item = through_all(item, people)
    assert item.status == PublicationStatus.SCHEDULED and item.published_at is None
    assert review.publish_due() == 0
    assert review.publish_due(now=planned + timedelta(minutes=1)) == 1
    item.refresh_from_db()
    assert item.status == PublicationStatus.PUBLISHED


def test_take_down_needs_the_role_and_a_reason(
    district, people, alice, no_findings, django_capture_on_commit_callbacks
):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    item = through_all(item, people)
    with pytest.raises(PermissionDenied):
        review.take_down(item, by=people["bob"], reason="x")
    with pytest.raises(ServiceError, match="下架原因"):
        review.take_down(item, by=alice, reason="")
    heard = []

    def listen(sender, publication, reason, **kwargs):
        heard.append(reason)

    publication_taken_down.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            review.take_down(item, by=alice, reason="信息已过时")
    finally:
        publication_taken_down.disconnect(listen)
    item.refresh_from_db()
    assert item.status == PublicationStatus.TAKEN_DOWN and item.takedown_reason == "信息已过时"
    assert heard == ["信息已过时"]


def test_overdue_steps_are_reminded_once_per_period(district, people, no_findings):
    item = publication(people["bob"], district, urgency=Urgency.URGENT)
    review.submit(item, by=people["bob"])
    task = task_of(item)
    later = task.due_at + timedelta(minutes=5)
    assert review.remind_overdue(now=task.due_at - timedelta(minutes=5)) == 0
    assert review.remind_overdue(now=later) == 1  # shen1 is the only 初审 reviewer who can see it
    assert review.remind_overdue(now=later + timedelta(hours=1)) == 0
    assert review.remind_overdue(now=later + timedelta(hours=9)) == 1
    assert ReviewNotice.objects.filter(recipient=people["shen1"], text__contains="超过办理时限").count() == 2


def test_a_draft_cannot_be_approved_twice(district, people, no_findings):
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    task = task_of(item)
    review.approve(task, by=people["shen1"])
    with pytest.raises(ServiceError, match="已经办理"):
        review.approve(task, by=people["shen1"])


def test_todos_show_the_queue_overdue_returned_and_unread(district, people, no_findings):
    from xuanchuan.publishing.todos_review import todos

    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    ReviewTask.objects.filter(round__publication=item).update(due_at=timezone.now() - timedelta(hours=1))
    found = {todo.label: todo.count for todo in todos(people["shen1"])}
    assert found["待审稿件"] == 1 and found["超时未审的稿件"] == 1
    assert {todo.label: todo.count for todo in todos(people["shen2"])}["待审稿件"] == 0
    review.return_to_author(review.active_task(item), by=people["shen1"], reason="请补充图片说明")
    found = {todo.label: todo.count for todo in todos(people["bob"])}
    assert found["被退回待修改的稿件"] == 1 and found["未读审核消息"] == 1
    review.mark_notices_read(by=people["bob"])
    assert "未读审核消息" not in {todo.label for todo in todos(people["bob"])}


SENT: list[tuple[str, str]] = []


class RecordingGateway(SmsGateway):
    """A test SMS gateway that keeps what it was given."""

    def deliver(self, number: str, text: str) -> None:
        SENT.append((number, text))


def test_overdue_reminders_go_by_sms_where_configured(
    district, people, settings, no_findings, django_capture_on_commit_callbacks
):
    SENT.clear()
    people["shen1"].mobile = "13700137000"
    people["shen1"].save()
    item = publication(people["bob"], district)
    review.submit(item, by=people["bob"])
    late = review.active_task(item).due_at + timedelta(minutes=1)
    settings.PUBLISHING_REVIEW_SMS_BACKEND = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert review.remind_overdue(now=late) == 1
    assert SENT == []
    settings.PUBLISHING_REVIEW_SMS_BACKEND = f"{__name__}.RecordingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        assert review.remind_overdue(now=late + timedelta(days=3)) == 1
    assert len(SENT) == 1 and SENT[0][0] == "13700137000" and "超过办理时限" in SENT[0][1]
