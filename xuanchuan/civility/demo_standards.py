"""Demo data of the civility app's standards part (see ``demo.py``): places (点位) in every street
and town of several kinds, kept by 区委宣传部 (the civility office), and responsibilities over the
three demo years — each street or town answers for the places in its area (包街), departments
support some of them (包帮, a few for some categories only, some ended) — with a few places left
as gaps. The default standard comes from the data migration.

Left in ``ctx.shared`` for the later parts (problems, tickets):

``"civility_places"``: ``list[Place]``
    Every demo place, active ones first.
``"civility_categories"``: ``list[Category]``
    The active categories of the current standard, in its order.
"""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps as django_apps

from xuanchuan.civility.models import Assignment, AssignmentKind, Place, PlaceKind
from xuanchuan.civility.queries.standards import current_categories
from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.org.models import RoleCode, UnitType

# (kind, name pattern) of the places of an area; ``{area}`` is the street's or town's short name.
PLACE_PLANS: tuple[tuple[str, str], ...] = (
    (PlaceKind.ROAD_MAIN, "{road}"),
    (PlaceKind.ALLEY, "{area}{n}号背街小巷"),
    (PlaceKind.MARKET, "{area}农贸市场"),
    (PlaceKind.PARK, "{area}公园"),
    (PlaceKind.SQUARE, "{area}文化广场"),
    (PlaceKind.ST_COMM, "{area}商业街"),
    (PlaceKind.BUS, "{area}公交首末站"),
    (PlaceKind.SCHOOL, "{area}中心小学周边"),
    (PlaceKind.TOILET, "{area}公厕"),
    (PlaceKind.WINDOW, "{area}便民服务中心"),
)
ROADS = ("人民路", "解放路", "中山路", "建设路", "文化路", "长江路", "黄河路", "和平路", "胜利路", "朝阳路")
GAP_SHARE = 0.12


def _short(name: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def seed(ctx: DemoContext) -> None:
    units_by_type = ctx.shared["units_by_type"]
    keeper = ctx.shared["publicity_department"]
    inspectors = ctx.shared["users_by_role"].get(RoleCode.CIVILITY_INSPECTOR) or []
    if not inspectors:
        raise DemoError("演示数据需要创城督查员账号（ducha）。")
    inspector = inspectors[0]
    staff_by_unit = ctx.shared["staff_by_unit"]
    categories = list(current_categories())
    if not categories:
        # A transactional test may have flushed what the data migration made: make it again.
        migration = importlib.import_module("xuanchuan.civility.migrations.0003_default_standard")
        migration.create(django_apps, None)
        categories = list(current_categories())
    if not categories:
        raise DemoError("没有当前测评标准的问题类别（数据迁移 civility 0003 未执行？）。")
    areas = list(units_by_type.get(UnitType.STREET, []) + units_by_type.get(UnitType.TOWN, []))
    departments = [
        unit
        for unit in units_by_type.get(UnitType.PARTY_DEPARTMENT, [])
        + units_by_type.get(UnitType.GOVERNMENT_DEPARTMENT, [])
        if unit.dissolved_on is None
    ]
    first_day = datetime.date(ctx.years[0], 1, 1)
    per_area = ctx.scaled(6, 24)

    places: list[Place] = []
    for area_index, area in enumerate(areas):
        short = _short(area.short_name or area.name)
        made_here = set()
        for number in range(per_area):
            kind, pattern = PLACE_PLANS[number % len(PLACE_PLANS)]
            name = pattern.format(
                area=short, n=number + 1, road=f"{ROADS[(area_index + number) % len(ROADS)]}{short}段"
            )
            if number >= len(PLACE_PLANS):
                name = f"{name}（{number // len(PLACE_PLANS) + 1}）"
            if name in made_here:
                continue
            made_here.add(name)
            places.append(
                Place(
                    unit=keeper,
                    area=area,
                    name=name,
                    kind=kind,
                    address=f"{area.name}辖区",
                    is_active=not ctx.chance(0.04),
                    created_by=inspector,
                    created_at=ctx.random_datetime(ctx.years[0]),
                )
            )
    bulk_insert(Place, places)

    assignments: list[Assignment] = []
    specific: list[tuple[int, list[int]]] = []  # (index in assignments, category ids)
    for place in places:
        if ctx.chance(GAP_SHARE):
            continue  # a gap: nobody answers for it
        area_staff = staff_by_unit.get(place.area.code) or [None]
        street_start = first_day if ctx.chance(0.7) else ctx.random_date(ctx.years[ctx.rng.randrange(3)])
        street_end = None
        if ctx.chance(0.1):  # the street handed it over: a gap from then on
            street_end = ctx.random_date_between(street_start, ctx.today)
        assignments.append(
            Assignment(
                unit=place.area,
                place=place,
                kind=AssignmentKind.STREET,
                starts_on=street_start,
                ends_on=street_end,
                leader=area_staff[0],
                created_by=inspector,
                created_at=ctx.random_datetime(street_start.year),
            )
        )
        if departments and ctx.chance(0.6):
            department = departments[ctx.rng.randrange(len(departments))]
            year = ctx.years[ctx.rng.randrange(3)]
            starts_on = ctx.random_date(year)
            ends_on = ctx.random_date_between(starts_on, ctx.today) if ctx.chance(0.3) else None
            leaders = staff_by_unit.get(department.code) or [None]
            assignments.append(
                Assignment(
                    unit=department,
                    place=place,
                    kind=AssignmentKind.SUPPORT if place.kind != PlaceKind.WINDOW else AssignmentKind.PLACE,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    leader=leaders[0],
                    created_by=inspector,
                    created_at=ctx.random_datetime(year),
                    note="",
                )
            )
            if ctx.chance(0.4):
                picked = ctx.rng.sample(categories, k=min(3, len(categories)))
                specific.append((len(assignments) - 1, [category.pk for category in picked]))
    bulk_insert(Assignment, assignments)
    through = Assignment.categories.through
    bulk_insert(
        through,
        (
            through(assignment_id=assignments[index].pk, category_id=category_id)
            for index, category_ids in specific
            for category_id in category_ids
        ),
    )
    gaps = sum(1 for place in places if place.is_active and not any(a.place is place for a in assignments))
    ctx.log(f"点位 {len(places)} 个，包街包帮责任 {len(assignments)} 条，空白点位约 {gaps} 个")
    ctx.shared["civility_places"] = sorted(places, key=lambda place: not place.is_active)
    ctx.shared["civility_categories"] = categories
