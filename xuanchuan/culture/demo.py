"""Demo data of the culture app (``seed_demo``) over the current year and the two before it, by
part: series and events with photos (``demo_events``); venues, associations and members
(``demo_venues``); competitions and product campaigns (``demo_contests``); calls for works with
submissions and an exhibition (``demo_works``); holiday dates and tourism figures
(``demo_tourism``). Each year grows a little on the one before, so the report's changes say
something; one holiday is a day longer than the year before, so its comparable change differs from
the raw one.

Left in ``ctx.shared`` for later parts:

``"culture_venues"``: ``list[Venue]``
``"culture_series"``: ``list[Series]``
``"culture_associations"``: ``list[Association]``
"""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext

# After theory (110); it uses only org's units and people (``ctx.shared``).
ORDER = 120


def seed(ctx: DemoContext) -> None:
    from xuanchuan.culture import demo_contests, demo_events, demo_tourism, demo_venues, demo_works

    demo_venues.seed(ctx)  # venues and associations first: events are held at them
    demo_events.seed(ctx)
    demo_contests.seed(ctx)
    demo_works.seed(ctx)
    demo_tourism.seed(ctx)
