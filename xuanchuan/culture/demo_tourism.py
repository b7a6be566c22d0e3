"""Demo data of the culture app:
holiday dates, holiday tourism figures entered or imported from Excel, year-on-year change."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
