"""Background jobs of the publishing app's review part (see ``tasks.py``): publish the approved
items whose planned time has come, and remind the reviewers of overdue steps (each step at most
once per its own period). Scheduled by ``CELERY_BEAT_SCHEDULE`` (every minute and every 15 minutes)."""

from __future__ import annotations

from celery import shared_task

__all__ = ["publish_due_publications", "remind_overdue_reviews"]


@shared_task(name="xuanchuan.publishing.tasks.publish_due_publications")
def publish_due_publications() -> int:
    from xuanchuan.publishing.services.review import publish_due

    return publish_due()


@shared_task(name="xuanchuan.publishing.tasks.remind_overdue_reviews")
def remind_overdue_reviews() -> int:
    from xuanchuan.publishing.services.review import remind_overdue

    return remind_overdue()
