"""Demo data of the theory app, second part: lecture teams on the four levels (专家领导讲理论 at the
district, 干部职工讲政策 in the departments, 党员群众讲故事 in every street and town, the 红色文艺轻骑兵
of the cultural centre; two teams founded last year and two this year, one stood down), their
lecturers (phones obviously fake, 1380000xxxx, in the encrypted field), lectures through the three
years at 孝善宴, 德润生日会 and the like, in the communities and villages of the team's street or
town (held ones with an audience, a few cancelled, the coming weeks planned), and residents'
requests: new, assigned to a team, done with the lecture given, one declined.

The number of lectures grows by about a fifth a year; ``--size large`` makes about ten times as many.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, bulk_insert
from xuanchuan.org.demo import GIVEN_NAME_CHARS, SURNAMES
from xuanchuan.org.models import Unit
from xuanchuan.theory.models import (
    Lecture,
    Lecturer,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    RequestStatus,
    TeamLevel,
)

TOPICS: dict[str, tuple[str, ...]] = {
    TeamLevel.EXPERTS: ("党的二十大精神专题辅导", "全国“两会”精神解读", "新思想概论专题讲座", "中国式现代化"),
    TeamLevel.CADRES: ("惠民政策进万家", "医保政策解读", "乡村振兴政策宣讲", "营商环境政策解读", "养老服务政策问答"),
    TeamLevel.PEOPLE: ("身边好人好事", "我家的小康故事", "老党员讲红色故事", "邻里守望的故事", "移风易俗新风尚"),
    TeamLevel.ARTS: ("快板《点赞我的国》", "三句半《文明新风》", "红色歌曲联唱", "情景剧《初心》", "小品《孝善之家》"),
}  # fmt: skip
EVENTS = ("孝善宴", "德润生日会", "进社区", "进机关", "进企业", "进学校", "进农村", "院坝会", "道德讲堂", "")
TITLES: dict[str, tuple[str, ...]] = {
    TeamLevel.EXPERTS: ("区委党校副校长", "区委宣传部副部长", "市委党校教授", "区人大代表"),
    TeamLevel.CADRES: ("区医保局科长", "区民政局干部", "街道党工委委员", "区农业农村局干部"),
    TeamLevel.PEOPLE: ("老党员", "社区党委书记", "道德模范", "村民小组长", "退休教师"),
    TeamLevel.ARTS: ("文化馆馆员", "业余文艺骨干", "快板艺人", "群众演员"),
}
AUDIENCE = {
    TeamLevel.EXPERTS: (80, 300),
    TeamLevel.CADRES: (40, 150),
    TeamLevel.PEOPLE: (20, 80),
    TeamLevel.ARTS: (60, 400),
}
REQUEST_TOPICS = ("垃圾分类新规", "医保缴费政策", "防范电信诈骗", "老年人权益保障", "家风家教", "党的二十大精神")


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _name(ctx: DemoContext) -> str:
    given = "".join(ctx.rng.choice(GIVEN_NAME_CHARS) for _ in range(ctx.rng.choice((1, 2))))
    return ctx.rng.choice(SURNAMES) + given


def seed(ctx: DemoContext) -> list[LectureTeam]:
    teams, places = _teams(ctx)
    lecturers = _lecturers(ctx, teams)
    lectures = _lectures(ctx, teams, places, lecturers)
    requests = _requests(ctx, teams, places, lectures)
    held = sum(1 for item in lectures if item.status == LectureStatus.HELD)
    ctx.log(
        f"宣讲队伍 {len(teams)} 支，宣讲员 {len(lecturers)} 名，宣讲活动 {len(lectures)} 场（已开展 {held} 场），"
        f"群众点单 {requests} 条"
    )
    return teams


def _subtree(unit: Unit, units: list[Unit]) -> list[Unit]:
    return [item for item in units if item.path.startswith(unit.path) and item.pk != unit.pk]


def _teams(ctx: DemoContext) -> tuple[list[LectureTeam], dict[int, list[Unit]]]:
    """The teams, and for each the units its lectures are given in (its own and the communities
    and villages below it)."""
    by_type = ctx.shared["units_by_type"]
    district: Unit = ctx.shared["district"]
    units = [unit for kind in by_type.values() for unit in kind if unit.dissolved_on is None]
    grassroots = [
        unit for kind in ("community", "village") for unit in by_type.get(kind, []) if unit.dissolved_on is None
    ]
    by_name = {unit.name: unit for unit in units}
    first = at(date(ctx.years[0], 1, 1)) - timedelta(days=200)
    plans: list[tuple[Unit, str, str, datetime, list[Unit]]] = [
        (district, "区委理论宣讲团", TeamLevel.EXPERTS, first, grassroots),
        (by_name.get("区委党校", district), "区委党校教授宣讲团", TeamLevel.EXPERTS, first, grassroots),
        (ctx.shared["publicity_department"], "区直机关干部职工宣讲队", TeamLevel.CADRES, first, grassroots),
        (by_name.get("区文化馆", district), "“红色文艺轻骑兵”志愿服务队", TeamLevel.ARTS, first, grassroots),
    ]
    for department in ("区医疗保障局", "区民政局", "区农业农村局"):
        if department in by_name:
            plans.append((by_name[department], f"{department[1:]}政策宣讲队", TeamLevel.CADRES, first, grassroots))
    for index, subdistrict in enumerate(by_type.get("street", []) + by_type.get("town", [])):
        founded = first if index < 6 else at(date(ctx.years[1 + index % 2], 3, 1))
        below = _subtree(subdistrict, grassroots) or [subdistrict]
        plans.append((subdistrict, f"{subdistrict.name}党员群众宣讲队", TeamLevel.PEOPLE, founded, below))
    teams, places = [], {}
    for unit, name, level, founded, _where in plans:
        team = LectureTeam(
            unit=unit, name=name, level=level, description=f"{TeamLevel(level).label}：{name}。",
            created_at=min(founded, ctx.now),
        )  # fmt: skip
        teams.append(team)
    teams[-1].active = False  # stood down: not counted
    bulk_insert(LectureTeam, teams)
    for team, (_unit, _name, _level, _founded, where) in zip(teams, plans, strict=True):
        places[team.pk] = where
    return teams, places


def _lecturers(ctx: DemoContext, teams: list[LectureTeam]) -> list[Lecturer]:
    rows = []
    for team in teams:
        for _ in range(ctx.rng.randint(3, 6)):
            rows.append(
                Lecturer(
                    unit=team.unit,
                    team=team,
                    name=_name(ctx),
                    title=ctx.rng.choice(TITLES[team.level]),
                    phone=f"1380000{ctx.rng.randint(0, 9999):04d}",
                    topics="、".join(ctx.rng.sample(TOPICS[team.level], 2)),
                    active=not ctx.chance(0.08),
                    created_at=team.created_at,
                )  # fmt: skip
            )
    bulk_insert(Lecturer, rows)
    return rows


def _lectures(
    ctx: DemoContext, teams: list[LectureTeam], places: dict[int, list[Unit]], lecturers: list[Lecturer]
) -> list[Lecture]:
    by_team: dict[int, list[Lecturer]] = {}
    for lecturer in lecturers:
        by_team.setdefault(lecturer.team_id, []).append(lecturer)
    rows: list[Lecture] = []
    latest = ctx.now - timedelta(hours=2)
    for number, year in enumerate(ctx.years):
        start, end = ctx.year_span(year)
        existing = [team for team in teams if team.created_at < end]
        for _ in range(ctx.scaled(45, 450) + number * ctx.scaled(10, 100)):
            team = ctx.rng.choice(existing)
            starts_at = ctx.random_datetime_between(max(start, team.created_at), at(date(year + 1, 1, 1)))
            rows.append(_lecture(ctx, team, places, starts_at.replace(minute=0, second=0, microsecond=0), latest))
        if year == ctx.today.year:  # the coming weeks
            for days in range(2, 30, 4):
                team = teams[days % len(teams)]
                rows.append(_lecture(ctx, team, places, at(ctx.today + timedelta(days=days), 15), latest))
    bulk_insert(Lecture, rows)
    through = Lecture.lecturers.through
    links = []
    for lecture in rows:
        chosen = by_team.get(lecture.team_id, [])
        for lecturer in ctx.rng.sample(chosen, min(len(chosen), ctx.rng.randint(1, 2))):
            links.append(through(lecture_id=lecture.pk, lecturer_id=lecturer.pk))
    bulk_insert(through, links, keep_ids=False)
    return rows


def _lecture(
    ctx: DemoContext, team: LectureTeam, places: dict[int, list[Unit]], starts_at: datetime, latest: datetime
) -> Lecture:
    unit = ctx.rng.choice(places[team.pk])
    event = ctx.rng.choice(EVENTS)
    topic = ctx.rng.choice(TOPICS[team.level])
    low, high = AUDIENCE[team.level]
    audience = ctx.rng.randint(low, high)
    cancelled = ctx.chance(0.04)
    if starts_at > latest:
        status, audience = LectureStatus.PLANNED, None
    elif cancelled:
        status, audience = LectureStatus.CANCELLED, None
    else:
        status = LectureStatus.HELD
    place = f"{unit.name}新时代文明实践站" if event != "进机关" else f"{unit.name}会议室"
    return Lecture(
        unit=unit, team=team, topic=topic, starts_at=starts_at, place=place, event=event, audience=audience,
        status=status, summary=f"{team.name}围绕“{topic}”开展宣讲，群众反响热烈。" if audience else "",
        created_at=min(starts_at - timedelta(days=5), ctx.now),
    )  # fmt: skip


def _requests(
    ctx: DemoContext, teams: list[LectureTeam], places: dict[int, list[Unit]], lectures: list[Lecture]
) -> int:
    """Per year two requests done (their lecture held in the request's unit), and now two new,
    two assigned to a team and one declined."""
    rows = []
    held = [item for item in lectures if item.status == LectureStatus.HELD]
    for year in ctx.years:
        done = [
            item
            for item in held
            if timezone.localtime(item.starts_at).year == year and item.team.level == TeamLevel.PEOPLE
        ]
        for lecture in ctx.rng.sample(done, min(len(done), ctx.scaled(2, 20))):
            rows.append(_request(ctx, lecture.unit, RequestStatus.DONE, lecture.topic, lecture.team, lecture))
            rows[-1].created_at = lecture.starts_at - timedelta(days=ctx.rng.randint(5, 20))
    grassroots = [unit for team in teams for unit in places[team.pk]][:40]
    for status in (RequestStatus.NEW, RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.ASSIGNED,
                   RequestStatus.DECLINED):  # fmt: skip
        unit = ctx.rng.choice(grassroots)
        team = ctx.rng.choice(teams) if status == RequestStatus.ASSIGNED else None
        rows.append(_request(ctx, unit, status, ctx.rng.choice(REQUEST_TOPICS), team, None))
        rows[-1].created_at = ctx.now - timedelta(days=ctx.rng.randint(1, 10))
        if status == RequestStatus.DECLINED:
            rows[-1].note = "希望日期与其他宣讲冲突，已与联系人沟通改期"
    bulk_insert(LectureRequest, rows)
    return len(rows)


def _request(ctx: DemoContext, unit: Unit, status: str, topic: str, team, lecture) -> LectureRequest:
    return LectureRequest(
        unit=unit, requester_name=f"{ctx.rng.choice(SURNAMES)}{ctx.rng.choice(('先生', '女士'))}",
        requester_phone=f"1380000{ctx.rng.randint(0, 9999):04d}", requester_org=f"{unit.name}居民",
        topic=topic, preferred_on=ctx.today + timedelta(days=ctx.rng.randint(7, 30)) if lecture is None else None,
        place=f"{unit.name}党群服务中心", audience_estimate=ctx.rng.randint(20, 120), status=status, team=team,
        lecture=lecture,
    )  # fmt: skip
