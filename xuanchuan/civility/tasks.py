"""Background jobs of the civility app (Celery autodiscovery): the tickets part escalates overdue
tickets (督办) — scheduled by ``CELERY_BEAT_SCHEDULE`` every hour; each ticket is escalated once."""

from __future__ import annotations

from celery import shared_task

__all__ = ["escalate_overdue_tickets"]


@shared_task(name="xuanchuan.civility.tasks.escalate_overdue_tickets")
def escalate_overdue_tickets() -> int:
    from xuanchuan.civility.services.tickets import escalate_overdue

    return escalate_overdue()
