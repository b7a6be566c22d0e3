"""Demo data of the volunteers app (``seed_demo``) over the current year and the two before it,
in three parts: practice sites, brands, teams, households, volunteers and memberships
(``demo_people``); projects, activities, sign-ups, check-ins and the volunteer's record
(``demo_activities``); good-deed points, the shop and the merchants (``demo_points``).

Small: about forty teams and six hundred volunteers; large: about two hundred teams, thirty
thousand volunteers and more than a hundred thousand scanned check-ins. The points clerk's
account (``duihuan``, one of org's people) is the staff of the first community's points shop,
where an activity is running now.

Left in ``ctx.shared`` for later parts:

``"volunteers_sites"``: ``dict[int, PracticeSite]``
    The practice centre, institutes and stations by the pk of the unit they serve.
``"volunteers_teams"``: ``list[Team]``
``"volunteers_volunteers"``: ``list[Volunteer]``
``"volunteers_activities"``: ``list[Activity]``
    Past, cancelled, coming and running activities (``volunteers_running_activity``: the one now).
``"volunteers_merchants"``: ``list[Merchant]``
    The points shops and partner merchants.
"""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext

ORDER = 100


def seed(ctx: DemoContext) -> None:
    from xuanchuan.volunteers import demo_activities, demo_people, demo_points

    people = demo_people.seed(ctx)
    service = demo_activities.seed(ctx, people)
    demo_points.seed(ctx, people, service)
    ctx.shared["volunteers_sites"] = people.sites_by_unit
    ctx.shared["volunteers_teams"] = people.teams
    ctx.shared["volunteers_volunteers"] = people.volunteers
    ctx.shared["volunteers_activities"] = service.activities
    ctx.shared["volunteers_running_activity"] = service.running
