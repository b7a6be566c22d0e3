"""Keep the per-process copies of ``core/memo.py`` honest: saving or deleting a risk area or a unit
marks the copies of every process stale (connected in ``ArrivalsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save


def risk_areas_changed(sender: Any, **kwargs: Any) -> None:
    from xuanchuan.arrivals.services import RISK_AREAS

    RISK_AREAS.bump()


def units_changed(sender: Any, **kwargs: Any) -> None:
    from xuanchuan.arrivals.forms import COMMUNITIES

    COMMUNITIES.bump()


def connect() -> None:
    from xuanchuan.arrivals.models import RiskArea
    from xuanchuan.org.models import Unit

    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(risk_areas_changed, sender=RiskArea, dispatch_uid=f"arrivals.risk_area_{name}")
        signal.connect(units_changed, sender=Unit, dispatch_uid=f"arrivals.unit_{name}")
