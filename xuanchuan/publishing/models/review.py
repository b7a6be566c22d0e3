"""The three-step review as a state machine in the database, after Wagtail's ``WorkflowState``
and ``TaskState``: a ``ReviewRound`` is one submission of a publication (at most one in
progress per publication), a ``ReviewTask`` one step of it (at most one in progress per round).

What Wagtail users asked for and did not get is here too: a return always has a reason and
reaches the author and the earlier reviewers (``ReviewNotice``), every step has a due time by
urgency and a holder ("who is reviewing, since when"), and overriding a high-severity
proofreading finding needs a written reason that is kept with the decision.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import User
from xuanchuan.org.scoping import ScopedManager
from xuanchuan.publishing.models.publications import Publication, PublicationVersion, ReviewStep


class RoundStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("审核中")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class ReviewRound(models.Model):
    """One submission of a publication for review, from 初审 to 终审 or to its return."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="review_rounds"
    )
    version = models.ForeignKey(
        PublicationVersion, verbose_name=_("送审版本"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.IN_PROGRESS, db_index=True
    )
    submitted_by = models.ForeignKey(
        User, verbose_name=_("送审人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("送审时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_unit_path = "publication__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("送审记录")
        verbose_name_plural = _("送审记录")
        ordering = ["publication", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication"],
                condition=models.Q(status="in_progress"),
                name="publishing_one_active_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} · {self.submitted_at:%Y-%m-%d %H:%M}"


class TaskStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("待审")
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回")
    CANCELLED = "cancelled", _("已取消")


class ReviewTask(models.Model):
    """One step of a round. ``holder`` is the reviewer who took it up (``claimed_at``); an
    unclaimed step sits in the queue of everyone holding that step's role. ``findings`` is the
    proofreading result the decision was taken on; ``override_reason`` the written reason for
    approving despite a high-severity finding."""

    round = models.ForeignKey(ReviewRound, verbose_name=_("送审记录"), on_delete=models.CASCADE, related_name="tasks")
    step = models.CharField(_("审核环节"), max_length=10, choices=ReviewStep.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.IN_PROGRESS, db_index=True
    )
    version = models.ForeignKey(
        PublicationVersion, verbose_name=_("审核版本"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("到达时间"), default=timezone.now)
    due_at = models.DateTimeField(_("应完成时间"), db_index=True)
    holder = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    finished_by = models.ForeignKey(
        User, verbose_name=_("办理人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("审核意见或退回理由"), blank=True)
    findings = models.JSONField(_("校对结果"), default=list, blank=True)
    override_reason = models.TextField(_("放行高风险校对问题的理由"), blank=True)
    reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)

    scope_unit_path = "round__publication__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")
        ordering = ["round", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=models.Q(status="in_progress"), name="publishing_one_active_task"
            ),
            models.UniqueConstraint(fields=["round", "step"], name="publishing_one_task_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.round.publication} · {self.get_step_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.IN_PROGRESS and self.due_at < timezone.now()


class ReviewNotice(models.Model):
    """A message to one person about a publication: returned (to the author and the earlier
    reviewers), arrived at their step, overdue, published, taken down."""

    recipient = models.ForeignKey(User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(
        Publication, verbose_name=_("稿件"), on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    scope_unit_path = "publication__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("审核消息")
        verbose_name_plural = _("审核消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="publishing_notice_unread")]

    def __str__(self) -> str:
        return self.text
