"""Demo data of the civility app's standards part (see ``demo.py``)."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
