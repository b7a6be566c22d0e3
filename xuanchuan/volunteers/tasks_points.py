"""Background jobs of the points part (scheduled by ``CELERY_BEAT_SCHEDULE``): expired points are
written off once a day, and reserved redemptions nobody collected are given back every 15 minutes."""

from __future__ import annotations

from celery import shared_task

__all__ = ["expire_points_daily", "expire_redemptions"]


@shared_task(name="xuanchuan.volunteers.tasks_points.expire_points_daily")
def expire_points_daily() -> int:
    from xuanchuan.volunteers.services.points import expire_points

    return expire_points()


@shared_task(name="xuanchuan.volunteers.tasks_points.expire_redemptions")
def expire_redemptions() -> int:
    from xuanchuan.volunteers.services import shop

    return shop.expire_redemptions()
