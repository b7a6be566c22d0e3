"""Demo data of the culture app: venues and what is held there; arts associations and their members."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
