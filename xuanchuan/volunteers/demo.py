"""Demo data of the volunteers app (``seed_demo``): practice sites, brands, teams, volunteers,
projects and activities with their check-ins, and good-deed points, over the current year and the
two before it. (The points clerk's account, ``duihuan``, is one of org's people.)"""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext

ORDER = 100


def seed(ctx: DemoContext) -> None:
    ctx.log("新时代文明实践：尚无演示数据")
