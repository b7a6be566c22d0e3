"""Background jobs of the volunteers app's attendance part: close the attendance of activities that
ended more than ``VOLUNTEERS_CHECKOUT_LATE_MINUTES`` ago and were not closed by their organiser
(records still open become VOID, as when the organiser closes). Scheduled every 15 minutes by
``CELERY_BEAT_SCHEDULE["volunteers-close-finished-activities"]``; closing twice is impossible (an
activity already closed is skipped)."""

from __future__ import annotations

from celery import shared_task

__all__ = ["close_finished_activities"]


@shared_task(name="xuanchuan.volunteers.tasks_attendance.close_finished_activities")
def close_finished_activities() -> int:
    from xuanchuan.volunteers.services.attendance import close_finished

    return close_finished()
