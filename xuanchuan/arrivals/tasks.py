"""Background jobs of 来返人员登记 (a Celery worker with Redis, inline without it)."""

from __future__ import annotations

from datetime import date

from celery import shared_task


@shared_task(name="xuanchuan.arrivals.tasks.reclassify_after_area_change")
def reclassify_after_area_change(codes: list[str], first: str, last: str | None) -> int:
    """Classify again the registrations a change of the risk-area list may touch."""
    from xuanchuan.arrivals.services import candidates, reclassify

    return reclassify(candidates(codes, date.fromisoformat(first), date.fromisoformat(last) if last else None))
