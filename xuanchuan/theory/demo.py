"""Demo data of the theory app (``seed_demo``) over the current year and the two before it, in
three parts: the central study groups with their members, yearly plans, sessions, attendance,
leave with make-up study and speeches (``demo_study``); the four levels of lecture teams, their
lecturers, lectures and residents' requests (``demo_lectures``); the cloud classroom's categories,
items made from the project's own generated media, viewers' progress, plays at every hour of the
day and residents' questions (``demo_classroom``).

The 区委理论学习中心组 belongs to the district's root unit (the report's "区委" group: its figures
count the root's own groups); its members are the department accounts of the org demo (the
publicity department's ``xcb_admin`` leads it). Every year grows a little on the one before, so
the report's ``change`` has something to say. ``--size large`` adds many more lectures and more
than a hundred thousand plays (``bulk_insert``).

Left in ``ctx.shared`` for later parts:

``"theory_district_group"``: ``StudyGroup``
    The 区委理论学习中心组.
``"theory_teams"``: ``list[LectureTeam]``
``"theory_items"``: ``list[ClassItem]``
    The classroom's items (published, withdrawn and draft).
"""

from __future__ import annotations

from xuanchuan.core.demo import DemoContext

# After volunteers (100), the last part before it; it uses only org's units and people (``ctx.shared``).
ORDER = 110


def seed(ctx: DemoContext) -> None:
    from xuanchuan.theory import demo_classroom, demo_lectures, demo_study

    ctx.shared["theory_district_group"] = demo_study.seed(ctx)
    ctx.shared["theory_teams"] = demo_lectures.seed(ctx)
    ctx.shared["theory_items"] = demo_classroom.seed(ctx)
