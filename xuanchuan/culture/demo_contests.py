"""Demo data of the culture app, contests part: each year of ``ctx.years`` the district library's
“发现乡村领读员”农家书屋阅读演讲比赛 in three rounds (初赛 with every contestant, 复赛 with the better
half, 决赛 with the best eight), 18, 22 and 26 contestants from the villages' rural bookshops (phones
obviously fake, 1370000xxxx, in the encrypted field), 3, 4 and 5 of them recommended to the city's
competition; and the culture and tourism bureau's “我为家乡特产代言” campaign with four, five and six
short videos on several platforms (学习强国, 抖音, 快手 …), their views growing year on year.

Everything goes through the services as the department's administrator, except the moment of each
recommendation: the service stamps "now", the demo moves it to a few days after the final so each
year's recommendations fall in that year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture.models import Contestant
from xuanchuan.culture.services import contests as services
from xuanchuan.org.demo import GIVEN_NAME_CHARS, PUBLICITY_DEPARTMENT, SURNAMES
from xuanchuan.org.models import RoleCode, Unit

COMPETITION = "“发现乡村领读员”农家书屋阅读演讲比赛"
CAMPAIGN = "我为家乡特产代言"
PRODUCTS = (
    ("天炕之品", "学习强国"),
    ("甜糯玉米", "抖音"),
    ("高山土豆", "快手"),
    ("手工挂面", "视频号"),
    ("土蜂蜜", "抖音"),
    ("核桃", "微信公众号"),
)
ROUNDS = ("初赛", "复赛", "决赛")
FINALISTS = 8


def _name(ctx: DemoContext) -> str:
    given = "".join(ctx.rng.choice(GIVEN_NAME_CHARS) for _ in range(ctx.rng.choice((1, 2))))
    return ctx.rng.choice(SURNAMES) + given


def _unit(ctx: DemoContext, name: str) -> Unit:
    for units in ctx.shared["units_by_type"].values():
        for unit in units:
            if unit.name == name:
                return unit
    return next(
        unit for units in ctx.shared["units_by_type"].values() for unit in units if unit.name == PUBLICITY_DEPARTMENT
    )


def seed(ctx: DemoContext) -> None:
    admin = ctx.shared["users_by_role"][RoleCode.DEPARTMENT_ADMIN][0]
    villages = [unit for unit in ctx.shared["units_by_type"].get("village", []) if unit.dissolved_on is None]
    contestants = recommended = videos = 0
    for number, year in enumerate(ctx.years):
        people, chosen = _competition(ctx, admin, year, number, villages)
        contestants, recommended = contestants + people, recommended + chosen
        videos += _campaign(ctx, admin, year, number)
    ctx.log(
        f"比赛 {len(ctx.years)} 项（参赛选手 {contestants} 名，推荐 {recommended} 名），"
        f"特产推介活动 {len(ctx.years)} 项（短片 {videos} 部）"
    )


def _last_day(ctx: DemoContext, year: int, month: int, day: int) -> date:
    """``year-month-day``, or today when that is still to come."""
    return min(date(year, month, day), ctx.today)


def _competition(ctx: DemoContext, admin, year: int, number: int, villages: list[Unit]) -> tuple[int, int]:
    data = services.CompetitionInput(
        title=COMPETITION,
        year=year,
        next_level="市级“发现乡村领读员”决赛",
        description="以农家书屋为阵地，选拔乡村阅读推广人，优胜者推荐参加市上比赛。",
    )
    competition = services.create_competition(data, unit=_unit(ctx, "区图书馆"), by=admin)
    final_day = _last_day(ctx, year, 9, 20)
    days = [max(date(year, 1, 1), final_day - timedelta(days=offset)) for offset in (60, 30, 0)]
    rounds = [
        services.save_round(competition, None, name=name, held_on=day, by=admin)
        for name, day in zip(ROUNDS, days, strict=True)
    ]
    people = [
        services.save_contestant(
            competition,
            None,
            name=_name(ctx),
            organisation=f"{ctx.rng.choice(villages).name}农家书屋" if villages else "农家书屋",
            phone=f"1370000{ctx.rng.randint(0, 9999):04d}",
            by=admin,
        )
        for _ in range(18 + 4 * number)
    ]
    taking_part = people
    for index, item in enumerate(rounds):
        scores = {person.pk: f"{ctx.rng.uniform(70, 99):.2f}" for person in taking_part}
        services.save_scores(item, scores, by=admin)
        best = sorted(taking_part, key=lambda person: -float(scores[person.pk]))
        # The better half goes on to the 复赛, the best eight to the 决赛.
        taking_part = best[: max(FINALISTS, len(best) // 2)] if index == 0 else best[:FINALISTS]
    chosen = taking_part[: 3 + number]
    moment = timezone.make_aware(datetime.combine(min(final_day + timedelta(days=3), ctx.today), time(10)))
    for person in chosen:
        services.recommend(person, by=admin)
    Contestant.objects.filter(pk__in=[person.pk for person in chosen]).update(recommended_at=min(moment, ctx.now))
    return len(people), len(chosen)


def _campaign(ctx: DemoContext, admin, year: int, number: int) -> int:
    count = 4 + number
    products = PRODUCTS[:count]
    data = services.CampaignInput(
        title=CAMPAIGN,
        year=year,
        products="、".join(name for name, _platform in products),
        description="拍摄制作特产代言短片，通过学习强国、抖音、快手等平台宣传推介家乡特产。",
    )
    campaign = services.create_campaign(data, unit=_unit(ctx, "区文化和旅游局"), by=admin)
    last = _last_day(ctx, year, 10, 31)
    for index, (product, platform) in enumerate(products):
        published = max(date(year, 1, 1), last - timedelta(days=20 * (count - index)))
        views = int((3000 + 1500 * number) * ctx.rng.uniform(0.8, 1.3))
        video = services.VideoInput(
            title=f"“{product}”代言短片",
            platform=platform,
            published_on=published,
            url=f"https://example.org/videos/{year}/{index + 1}",
            views=views,
            likes=views // ctx.rng.randint(15, 30),
            counted_on=min(published + timedelta(days=30), ctx.today),
        )
        services.save_video(campaign, None, video, by=admin)
    return count
