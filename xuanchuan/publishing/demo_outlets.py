"""Demo data of the publishing app's outlets part (see ``demo.py``)."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
