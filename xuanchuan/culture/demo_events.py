"""Demo data of the culture app: series, events (photos, video links), the calendar."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
