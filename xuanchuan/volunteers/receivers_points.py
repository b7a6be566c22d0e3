"""The points part's receivers of the hours signals (``signals.py``): confirmed hours earn points,
corrected hours post the difference. They run inside the sender's transaction, so the points and
the hours commit or roll back together. ``VolunteersConfig.ready`` imports this module."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from xuanchuan.volunteers.signals import hours_confirmed, hours_corrected


@receiver(hours_confirmed, dispatch_uid="volunteers.points.hours_confirmed")
def credit_confirmed_hours(sender: Any, record: Any, by: Any = None, **kwargs: Any) -> None:
    from xuanchuan.volunteers.services.points import credit_hours

    credit_hours(record, by=by)


@receiver(hours_corrected, dispatch_uid="volunteers.points.hours_corrected")
def post_corrected_hours(sender: Any, record: Any, old_minutes: int, by: Any = None, **kwargs: Any) -> None:
    from xuanchuan.volunteers.services.points import correct_hours

    correct_hours(record, old_minutes=old_minutes, by=by)
