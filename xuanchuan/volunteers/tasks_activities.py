"""Background job of the volunteers app's activities part: the day-before reminder SMS to every
volunteer confirmed for an activity starting tomorrow. Each sign-up is reminded once
(``SignUp.reminded_at``), so the job may run more than once a day. Imported by ``tasks.py`` (Celery
autodiscovery reads that module) and scheduled by ``CELERY_BEAT_SCHEDULE``."""

from __future__ import annotations

from celery import shared_task

__all__ = ["remind_tomorrow"]


@shared_task(name="xuanchuan.volunteers.tasks_activities.remind_tomorrow")
def remind_tomorrow() -> int:
    from xuanchuan.volunteers.services.activities import remind_tomorrow as remind

    return remind()
