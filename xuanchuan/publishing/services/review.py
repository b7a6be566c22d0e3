"""The three-step review (三审): submit, claim ("我来审"), approve, return with a reason,
withdraw, take down, and the background jobs (publish what is due, remind overdue steps).

Separation of duties is enforced here, whatever the pages show: no one reviews a text they wrote,
edited or submitted, and no one takes two different steps of one publication (all its rounds'
decided steps count). A high-severity proofreading finding blocks an approval unless the reviewer
writes why it may pass; the findings and the reason are kept on the task.

Every transition checks the permission first, then the acting user's scope, then locks the
publication row (and so serialises every transition of one publication) and re-checks the status.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User
from xuanchuan.publishing.models import (
    STEP_HOURS,
    STEP_ORDER,
    Publication,
    PublicationStatus,
    ReviewNotice,
    ReviewRound,
    ReviewStep,
    ReviewTask,
    RoundStatus,
    TaskStatus,
    Urgency,
    step_due,
)
from xuanchuan.publishing.permissions import STEP_ROLES, may_review, may_take_down, may_write
from xuanchuan.publishing.services.publications import EDITABLE, current_version, may_edit_scope
from xuanchuan.publishing.signals import publication_published, publication_taken_down

# --- Proofreading (the ``publishing.proofreading`` module; nothing found while it is absent) -------

FINDING_FIELDS = ("start", "end", "kind", "severity", "text", "suggestion", "reason")


def proofread(text: str, publication: Publication | None = None) -> list[Any]:
    """The proofreading findings of ``text``."""
    try:
        from xuanchuan.publishing.proofreading import check_text
    except ImportError:
        return []
    return list(check_text(text, publication=publication))


def review_text(version: Any) -> str:
    """The text a reviewer's proofreading reads: the title, then the body's plain text."""
    return f"{version.title}\n{version.body_text}"


def blocking_findings(findings: Iterable[Any]) -> list[Any]:
    """The findings that block an approval (high severity)."""
    findings = list(findings)
    try:
        from xuanchuan.publishing.proofreading import blocking
    except ImportError:
        return [finding for finding in findings if str(_field(finding, "severity")) == "high"]
    return list(blocking(findings))


def _field(finding: Any, name: str) -> Any:
    if isinstance(finding, dict):
        return finding.get(name)
    return getattr(finding, name, None)


def finding_dict(finding: Any) -> dict[str, Any]:
    """A finding as JSON-ready data (kept on the task with its decision)."""
    data = {}
    for name in FINDING_FIELDS:
        value = _field(finding, name)
        data[name] = value if value is None or isinstance(value, int | float | bool) else str(value)
    return data


# --- Helpers --------------------------------------------------------------------------------------


def _require_visible(by: User, publication: Publication) -> None:
    require(Publication.objects.visible_to(by).filter(pk=publication.pk).exists())


def _locked(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


def _locked_task(task: ReviewTask) -> ReviewTask:
    return ReviewTask.objects.select_for_update().select_related("round").get(pk=task.pk)


def notify(recipients: Iterable[User | int | None], publication: Publication, text: str) -> int:
    """One notice per distinct recipient."""
    ids = {getattr(person, "pk", person) for person in recipients} - {None}
    ReviewNotice.objects.bulk_create(
        [ReviewNotice(recipient_id=pk, publication=publication, text=text[:300]) for pk in sorted(ids)]
    )
    return len(ids)


def own_text_people(publication: Publication) -> set[int]:
    """Who wrote, edited or submitted the text (they may not review it)."""
    people = {publication.created_by_id}
    people |= set(publication.versions.values_list("created_by_id", flat=True))
    people |= set(publication.review_rounds.values_list("submitted_by_id", flat=True))
    return people - {None}


def steps_taken(publication: Publication) -> dict[int, set[str]]:
    """Who decided which steps of the publication, over all its rounds."""
    taken: dict[int, set[str]] = {}
    decided = ReviewTask.objects.filter(  # scoping: allowed (the caller has checked the publication)
        round__publication=publication, status__in=(TaskStatus.APPROVED, TaskStatus.RETURNED)
    ).values_list("finished_by_id", "step")
    for person, step in decided:
        if person is not None:
            taken.setdefault(person, set()).add(step)
    return taken


def separation_refusal(publication: Publication, user: User, step: str) -> str:
    """Why ``user`` may not take ``step`` of ``publication`` ("" when they may)."""
    if user.pk in own_text_people(publication):
        return _("不能审核自己撰写、修改或送审的稿件。")
    other_steps = steps_taken(publication).get(user.pk, set()) - {step}
    if other_steps:
        names = "、".join(str(ReviewStep(name).label) for name in STEP_ORDER if name in other_steps)
        return _("您已办理过这篇稿件的%(steps)s，同一稿件的三审须由不同的人完成。") % {"steps": names}
    return ""


def _check_reviewer(task: ReviewTask, by: User) -> None:
    refusal = separation_refusal(task.round.publication, by, task.step)
    if refusal:
        raise ServiceError(refusal)


def _announce(signal: Any, publication: Publication, **extra: Any) -> None:
    transaction.on_commit(lambda: signal.send(sender=Publication, publication=publication, **extra))


# --- Submit, claim, approve, return ----------------------------------------------------------------


def submit(publication: Publication, *, by: User) -> ReviewRound:
    """Send a draft (or a returned or withdrawn item) to 初审: a new round with its first step."""
    require(may_write(by))
    _require_visible(by, publication)
    require(may_edit_scope(by, publication))
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status not in EDITABLE:
            raise ServiceError(_("只有草稿、已退回或已撤回的稿件可以送审。"))
        if not publication.outlets.exists():
            raise ServiceError(_("请先选择发布平台。"))
        if not publication.body_text.strip():
            raise ServiceError(_("正文是空的，不能送审。"))
        now = timezone.now()
        version = current_version(publication)
        review_round = ReviewRound.objects.create(
            publication=publication, version=version, submitted_by=by, submitted_at=now
        )
        ReviewTask.objects.create(
            round=review_round,
            step=ReviewStep.FIRST,
            version=version,
            started_at=now,
            due_at=step_due(publication.urgency, now),
        )
        publication.status, publication.current_step, publication.status_since = (
            PublicationStatus.IN_REVIEW,
            ReviewStep.FIRST,
            now,
        )
        publication.save(update_fields=["status", "current_step", "status_since", "updated_at"])
    return review_round


def active_task(publication: Publication) -> ReviewTask | None:
    return (
        ReviewTask.objects.filter(  # scoping: allowed (the caller has the publication)
            round__publication=publication, status=TaskStatus.IN_PROGRESS
        )
        .select_related("round", "holder")
        .first()
    )


def _task_for_decision(task: ReviewTask, by: User) -> tuple[Publication, ReviewTask]:
    """Lock the publication, then its task; check both are where the decision expects them."""
    publication = _locked(task.round.publication)
    task = _locked_task(task)
    if task.status != TaskStatus.IN_PROGRESS or publication.status != PublicationStatus.IN_REVIEW:
        raise ServiceError(_("这一审核环节已经办理，请刷新页面。"))
    if task.holder_id not in (None, by.pk):
        raise ServiceError(_("这一环节已由%(name)s领取审核。") % {"name": task.holder.full_name or task.holder})
    task.round.publication = publication
    _check_reviewer(task, by)
    return publication, task


def claim(task: ReviewTask, *, by: User) -> ReviewTask:
    """Take up a step ("我来审"): it is held by ``by`` from now, and shown so to everyone."""
    require(may_review(by, task.step))
    _require_visible(by, task.round.publication)
    with transaction.atomic():
        _publication, task = _task_for_decision(task, by)
        if task.holder_id != by.pk:
            task.holder, task.claimed_at = by, timezone.now()
            task.save(update_fields=["holder", "claimed_at"])
    return task


def release(task: ReviewTask, *, by: User) -> ReviewTask:
    """Give a claimed step back to the queue (only its holder)."""
    require(may_review(by, task.step))
    _require_visible(by, task.round.publication)
    with transaction.atomic():
        task = _locked_task(task)
        if task.status != TaskStatus.IN_PROGRESS or task.holder_id != by.pk:
            raise ServiceError(_("只有正在审核这一环节的人可以放回。"))
        task.holder, task.claimed_at = None, None
        task.save(update_fields=["holder", "claimed_at"])
    return task


def approve(task: ReviewTask, *, by: User, comment: str = "", override_reason: str = "") -> ReviewTask:
    """Pass a step: on to the next step, or (after 终审) published now or at its planned time.

    A high-severity proofreading finding refuses the approval unless ``override_reason`` says
    why it may pass; the findings and the reason are kept with the decision."""
    require(may_review(by, task.step))
    _require_visible(by, task.round.publication)
    with transaction.atomic():
        publication, task = _task_for_decision(task, by)
        findings = proofread(review_text(task.version), publication)
        high = blocking_findings(findings)
        override_reason = (override_reason or "").strip()
        if high and not override_reason:
            words = "、".join(dict.fromkeys(str(_field(finding, "text")) for finding in high))
            raise ServiceError(
                _("校对发现%(count)d处高风险问题（%(words)s），请修改后再审，或填写放行理由。")
                % {"count": len(high), "words": words[:80]}
            )
        now = timezone.now()
        task.status, task.finished_at, task.finished_by = TaskStatus.APPROVED, now, by
        task.holder = task.holder or by
        task.claimed_at = task.claimed_at or now
        task.comment = (comment or "").strip()
        task.findings = [finding_dict(finding) for finding in findings]
        task.override_reason = override_reason if high else ""
        task.save()
        index = STEP_ORDER.index(ReviewStep(task.step))
        if index + 1 < len(STEP_ORDER):
            next_step = STEP_ORDER[index + 1]
            ReviewTask.objects.create(
                round=task.round,
                step=next_step,
                version=task.version,
                started_at=now,
                due_at=step_due(publication.urgency, now),
            )
            publication.current_step, publication.status_since = next_step, now
            publication.save(update_fields=["current_step", "status_since", "updated_at"])
            return task
        review_round = task.round
        review_round.status, review_round.finished_at = RoundStatus.APPROVED, now
        review_round.save(update_fields=["status", "finished_at"])
        publication.current_step = ""
        if publication.planned_at and publication.planned_at > now:
            publication.status, publication.status_since = PublicationStatus.SCHEDULED, now
            publication.save(update_fields=["status", "current_step", "status_since", "updated_at"])
            notify(
                own_text_people(publication),
                publication,
                _("《%(title)s》已通过三审，将于%(at)s发布。")
                % {
                    "title": publication.title,
                    "at": timezone.localtime(publication.planned_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
        else:
            _publish(publication, by=by, now=now)
    return task


def _publish(publication: Publication, *, by: User | None, now: datetime) -> None:
    publication.status, publication.status_since = PublicationStatus.PUBLISHED, now
    publication.published_at, publication.published_by = now, by
    publication.current_step = ""
    publication.save(
        update_fields=["status", "current_step", "status_since", "published_at", "published_by", "updated_at"]
    )
    notify(own_text_people(publication), publication, _("《%(title)s》已发布。") % {"title": publication.title})
    _announce(publication_published, publication)


def return_to_author(task: ReviewTask, *, by: User, reason: str) -> ReviewTask:
    """Send the item back to its author with a reason; the author and the round's earlier
    reviewers are told."""
    require(may_review(by, task.step))
    _require_visible(by, task.round.publication)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写退回理由。"))
    with transaction.atomic():
        publication, task = _task_for_decision(task, by)
        now = timezone.now()
        task.status, task.finished_at, task.finished_by = TaskStatus.RETURNED, now, by
        task.holder = task.holder or by
        task.claimed_at = task.claimed_at or now
        task.comment = reason
        task.findings = [finding_dict(finding) for finding in proofread(review_text(task.version), publication)]
        task.save()
        review_round = task.round
        review_round.status, review_round.finished_at = RoundStatus.RETURNED, now
        review_round.save(update_fields=["status", "finished_at"])
        publication.status, publication.current_step, publication.status_since = PublicationStatus.RETURNED, "", now
        publication.save(update_fields=["status", "current_step", "status_since", "updated_at"])
        earlier = review_round.tasks.filter(status=TaskStatus.APPROVED).values_list("finished_by_id", flat=True)
        recipients = {publication.created_by_id, review_round.submitted_by_id, *earlier} - {by.pk}
        notify(
            recipients,
            publication,
            _("《%(title)s》在%(step)s被%(name)s退回：%(reason)s")
            % {
                "title": publication.title,
                "step": task.get_step_display(),
                "name": by.full_name or by.username,
                "reason": reason,
            },
        )
    return task


def withdraw(publication: Publication, *, by: User) -> Publication:
    """The author takes an item back from review (or from its scheduled publication)."""
    require(may_write(by))
    _require_visible(by, publication)
    require(may_edit_scope(by, publication))
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status not in (PublicationStatus.IN_REVIEW, PublicationStatus.SCHEDULED):
            raise ServiceError(_("只有审核中或待定时发布的稿件可以撤回。"))
        now = timezone.now()
        holders = list(
            ReviewTask.objects.filter(  # scoping: allowed (the locked publication's own tasks)
                round__publication=publication, status=TaskStatus.IN_PROGRESS
            ).values_list("holder_id", flat=True)
        )
        ReviewTask.objects.filter(  # scoping: allowed (as above)
            round__publication=publication, status=TaskStatus.IN_PROGRESS
        ).update(status=TaskStatus.CANCELLED, finished_at=now, finished_by=by)
        ReviewRound.objects.filter(  # scoping: allowed (as above)
            publication=publication, status=RoundStatus.IN_PROGRESS
        ).update(status=RoundStatus.WITHDRAWN, finished_at=now)
        publication.status, publication.current_step, publication.status_since = PublicationStatus.WITHDRAWN, "", now
        publication.save(update_fields=["status", "current_step", "status_since", "updated_at"])
        notify(holders, publication, _("《%(title)s》已被作者撤回。") % {"title": publication.title})
    return publication


def take_down(publication: Publication, *, by: User, reason: str) -> Publication:
    """Take a published item down (its page then answers 410); the reason is kept."""
    require(may_take_down(by))
    _require_visible(by, publication)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写下架原因。"))
    with transaction.atomic():
        publication = _locked(publication)
        if publication.status != PublicationStatus.PUBLISHED:
            raise ServiceError(_("只有已发布的稿件可以下架。"))
        now = timezone.now()
        publication.status, publication.status_since = PublicationStatus.TAKEN_DOWN, now
        publication.taken_down_at, publication.taken_down_by, publication.takedown_reason = now, by, reason
        publication.save(
            update_fields=["status", "status_since", "taken_down_at", "taken_down_by", "takedown_reason", "updated_at"]
        )
        notify(
            own_text_people(publication) - {by.pk},
            publication,
            _("《%(title)s》已下架：%(reason)s") % {"title": publication.title, "reason": reason},
        )
        _announce(publication_taken_down, publication, reason=reason)
    return publication


# --- Background jobs ------------------------------------------------------------------------------


def publish_due(now: datetime | None = None) -> int:
    """Publish the scheduled items whose planned time has come (the beat task)."""
    now = now or timezone.now()
    done = 0
    due = Publication.objects.filter(  # scoping: allowed (a background job of the whole platform)
        status=PublicationStatus.SCHEDULED, planned_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            publication = Publication.objects.select_for_update().get(pk=pk)  # scoping: allowed (as above)
            if publication.status != PublicationStatus.SCHEDULED:
                continue
            _publish(publication, by=None, now=now)
            done += 1
    return done


def reviewers_for(task: ReviewTask) -> list[User]:
    """Who should hear about a step: its holder, or every active holder of the step's role who
    may see the publication."""
    if task.holder_id:
        return [task.holder]
    publication = task.round.publication
    candidates = User.objects.filter(  # scoping: allowed (whose queue the step is in)
        is_active=True, roles__code=STEP_ROLES[ReviewStep(task.step)]
    ).distinct()
    return [
        person
        for person in candidates
        if Publication.objects.visible_to(person).filter(pk=publication.pk).exists()
        and not separation_refusal(publication, person, task.step)
    ]


def remind_overdue(now: datetime | None = None) -> int:
    """A notice to the holder (or the step's reviewers) of every overdue step, at most once per
    the step's own period (``STEP_HOURS`` of its urgency). Returns the number of notices."""
    from datetime import timedelta

    now = now or timezone.now()
    sent = 0
    overdue = ReviewTask.objects.filter(  # scoping: allowed (a background job of the whole platform)
        status=TaskStatus.IN_PROGRESS, due_at__lt=now
    ).select_related("round__publication", "holder")
    for task in overdue:
        publication = task.round.publication
        period = timedelta(hours=STEP_HOURS[Urgency(publication.urgency)])
        if task.reminded_at and task.reminded_at > now - period:
            continue
        with transaction.atomic():
            updated = ReviewTask.objects.filter(  # scoping: allowed (as above)
                Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - period),
                pk=task.pk,
                status=TaskStatus.IN_PROGRESS,
            ).update(reminded_at=now)
            if not updated:
                continue
            people = reviewers_for(task)
            text = _("《%(title)s》的%(step)s已超过办理时限（应于%(due)s前完成），请尽快审核。") % {
                "title": publication.title,
                "step": task.get_step_display(),
                "due": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M"),
            }
            sent += notify(people, publication, text)
            _text_reviewers(people, text)
    return sent


def _text_reviewers(people: list[User], text: str) -> None:
    """The reminder by SMS too, where ``PUBLISHING_REVIEW_SMS_BACKEND`` names a gateway (after the
    commit: a slow gateway holds no lock, a rolled-back reminder sends nothing)."""
    from django.conf import settings

    backend = settings.PUBLISHING_REVIEW_SMS_BACKEND
    numbers = [person.mobile for person in people if person.mobile]
    if not backend or not numbers:
        return
    from xuanchuan.core.sms import send_sms

    message = _("【%(district)s】%(text)s") % {"district": settings.XUANCHUAN_DISTRICT_NAME, "text": text}
    transaction.on_commit(lambda: [send_sms(backend, number, message[:300]) for number in numbers])


def mark_notices_read(*, by: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notices (all, or those of ``ids``) as read."""
    notices = ReviewNotice.objects.filter(  # scoping: allowed (only the user's own notices)
        recipient=by, read_at__isnull=True
    )
    if ids is not None:
        notices = notices.filter(pk__in=list(ids))
    return notices.update(read_at=timezone.now())
