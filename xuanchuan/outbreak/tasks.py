"""Background jobs of the daily reports (run by Celery beat, or inline without Redis)."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from xuanchuan.outbreak import services


@shared_task(name="xuanchuan.outbreak.tasks.send_deadline_reminders")
def send_deadline_reminders(at: str | None = None) -> int:
    """Remind the units that have not filed today's report as the deadline nears (in-app and by
    text message); once per unit and day however often it runs. ``at`` (ISO 8601, aware) is for
    tests and replays. Returns how many units were reminded."""
    moment = datetime.fromisoformat(at) if at else None
    return services.send_deadline_reminders(moment)
