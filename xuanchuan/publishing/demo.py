"""Demo data of the publishing app (``seed_demo``), by part: outlets and columns first, then
publications in every state over the current year and the two before it."""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext

ORDER = 70


def seed(ctx: DemoContext) -> None:
    from xuanchuan.publishing import demo_outlets, demo_review

    demo_outlets.seed(ctx)
    demo_review.seed(ctx)
