"""Reads of the review's pages: each function takes the user and reads through ``visible_to``.

Review tasks, versions and attachments are seen exactly when their publication is (whose rule
includes the units owning a targeted outlet: the department's reviewers see what is sent to the
news site), so they are read through ``Publication.objects.visible_to``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from xuanchuan.publishing.models import (
    STEP_ORDER,
    Attachment,
    Publication,
    PublicationStatus,
    PublicationVersion,
    ReviewNotice,
    ReviewTask,
    TaskStatus,
)
from xuanchuan.publishing.permissions import may_review, may_take_down, may_write
from xuanchuan.publishing.services import review
from xuanchuan.publishing.services.publications import EDITABLE, may_edit_scope


def visible_publications(user: Any) -> QuerySet[Publication]:
    return Publication.objects.visible_to(user)


def visible_tasks(user: Any) -> QuerySet[ReviewTask]:
    return ReviewTask.objects.filter(round__publication__in=visible_publications(user).values("pk"))


def visible_versions(user: Any) -> QuerySet[PublicationVersion]:
    return PublicationVersion.objects.filter(publication__in=visible_publications(user).values("pk"))


def visible_attachments(user: Any) -> QuerySet[Attachment]:
    return Attachment.objects.filter(publication__in=visible_publications(user).values("pk"))


def reviewable_steps(user: Any) -> list[str]:
    return [step for step in STEP_ORDER if may_review(user, step)]


def queue(user: Any) -> QuerySet[ReviewTask]:
    """The open steps the user may review: theirs first, then unclaimed, then held by others;
    each by due time. Items they wrote are left out (they may not review them)."""
    steps = reviewable_steps(user)
    if not steps:
        return ReviewTask.objects.none()
    return (
        visible_tasks(user)
        .filter(status=TaskStatus.IN_PROGRESS, step__in=steps)
        .exclude(round__publication__created_by=user)
        .exclude(round__submitted_by=user)
        .annotate(
            rank=Case(
                When(holder=user, then=Value(0)),
                When(holder__isnull=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("round__publication__unit", "holder")
        .order_by("rank", "due_at")
    )


def queue_counts(user: Any) -> tuple[int, int]:
    """(open steps in the user's queue not held by others, of them overdue)."""
    tasks = queue(user).filter(Q(holder__isnull=True) | Q(holder=user))
    return tasks.count(), tasks.filter(due_at__lt=timezone.now()).count()


def unread_notices(user: Any) -> QuerySet[ReviewNotice]:
    return notices(user).filter(read_at__isnull=True)


def notices(user: Any) -> QuerySet[ReviewNotice]:
    if not getattr(user, "is_authenticated", False):
        return ReviewNotice.objects.none()
    return ReviewNotice.objects.filter(recipient=user).select_related("publication")


def my_returned(user: Any) -> QuerySet[Publication]:
    return visible_publications(user).filter(status=PublicationStatus.RETURNED, created_by=user)


@dataclass
class Detail:
    """What a publication's page shows to this user."""

    publication: Publication
    versions: list[PublicationVersion]
    tasks: list[ReviewTask]
    active: ReviewTask | None
    attachments: list[Attachment]
    findings: list[Any] = field(default_factory=list)
    blocking: list[Any] = field(default_factory=list)
    highlighted: str = ""
    finding_rows: list[Any] | None = None
    can_edit: bool = False
    can_submit: bool = False
    can_withdraw: bool = False
    can_take_down: bool = False
    can_claim: bool = False
    can_decide: bool = False
    review_refusal: str = ""


def detail(user: Any, publication: Publication) -> Detail:
    versions = list(publication.versions.select_related("created_by").order_by("-number"))
    tasks = list(
        ReviewTask.objects.filter(round__publication=publication)
        .select_related("round__submitted_by", "holder", "finished_by", "version")
        .order_by("round__submitted_at", "started_at")
    )
    active = next((task for task in tasks if task.status == TaskStatus.IN_PROGRESS), None)
    own = may_edit_scope(user, publication)
    info = Detail(
        publication=publication,
        versions=versions,
        tasks=tasks,
        active=active,
        attachments=list(publication.attachments.all()),
        can_edit=may_write(user) and own and publication.status in EDITABLE,
        can_withdraw=may_write(user)
        and own
        and publication.status in (PublicationStatus.IN_REVIEW, PublicationStatus.SCHEDULED),
        can_take_down=may_take_down(user) and publication.status == PublicationStatus.PUBLISHED,
    )
    info.can_submit = info.can_edit
    if active is not None and may_review(user, active.step):
        info.review_refusal = review.separation_refusal(publication, user, active.step)
        free = active.holder_id in (None, user.pk)
        info.can_claim = not info.review_refusal and active.holder_id is None
        info.can_decide = not info.review_refusal and free
    if active is not None and (may_review(user) or own):
        text = review.review_text(active.version)
        info.findings = review.proofread(text, publication)
        info.blocking = review.blocking_findings(info.findings)
        info.highlighted = highlight(text, info.findings)
        info.finding_rows = rows(text, info.findings)
    return info


def rows(text: str, findings: list[Any]) -> list[Any]:
    """The findings as the proofreading part's list rows (line and column, labels)."""
    try:
        from xuanchuan.publishing.proofreading import finding_rows
    except ImportError:
        return [{"finding": finding} for finding in findings]
    return finding_rows(text, findings)


def highlight(text: str, findings: list[Any]) -> str:
    """The text with its findings marked (the proofreading module's ``highlight``; escaped text
    while that module is absent)."""
    try:
        from xuanchuan.publishing.proofreading import highlight as mark
    except ImportError:
        from django.utils.html import linebreaks

        return linebreaks(text)
    return mark(text, findings)
