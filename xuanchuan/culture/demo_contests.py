"""Demo data of the culture app:
competitions (rounds, contestants, scores, recommendation) and local-product campaigns with their videos."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
