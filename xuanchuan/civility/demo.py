"""Demo data of the civility app (``seed_demo``), by part: the standard, places and
responsibilities first, then problems and tickets in every state over the current year and the
two before it."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext

ORDER = 90
# The standard and its categories come from a data migration (0003), not from ``seed``.
KEEP_ON_RESET = ("civility.Standard", "civility.Category")


def seed(ctx: DemoContext) -> None:
    from xuanchuan.civility import demo_cases, demo_standards

    demo_standards.seed(ctx)
    demo_cases.seed(ctx)
