"""Demo data of the culture app:
public calls for works, submissions from the phone page, review, the online exhibition."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
