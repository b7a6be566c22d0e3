"""Demo data of the culture app, events part: three district series a year (“激昂新×·欢乐中国年”迎新春
系列活动 in January and February, “红色文艺轻骑兵”送文化下乡 through the year, “活力×·百姓文化大舞台”
from May to October) and a neighbourhood culture festival of two streets; for each of the three
years events of every kind at the venues (study trips at the library and museum, reading promotion
at the library and the rural bookshops …) and at addresses (squares, village committees), most held
with an audience, a few cancelled, this year's coming ones planned and a few of the past days not
yet recorded (the reporters' to-do), some organised by the arts associations of the venues part;
each year about a tenth more than the year before. A few events a year are entered through the
services as a reporter would: planned, recorded as held with photos (small JPEGs drawn in memory),
and a video link added.

Series go through ``services.events``; the many events are inserted in bulk.
Leaves ``ctx.shared["culture_series"]`` (every series made).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from xuanchuan.core.demo import DemoContext, bulk_insert
from xuanchuan.culture.models import Association, Event, EventKind, EventPhoto, EventStatus, Series, Venue, VenueKind
from xuanchuan.culture.services import events as services
from xuanchuan.org.models import RoleCode, Unit, User

TITLES: dict[str, tuple[str, ...]] = {
    EventKind.PERFORMANCE: ("广场文艺演出", "戏曲专场演出", "群众合唱展演", "器乐专场音乐会", "少儿才艺展演"),
    EventKind.COUNTRYSIDE: ("送戏下乡专场演出", "文艺轻骑兵进村演出", "送电影下乡", "送春联下乡", "非遗展演进乡村"),
    EventKind.STAGE: ("百姓文化大舞台·广场舞专场", "百姓文化大舞台·戏曲票友专场", "百姓文化大舞台·社区才艺秀"),
    EventKind.STUDY_TRIP: ("“行走的课堂”中小学生研学", "博物馆里的历史课研学", "非遗技艺体验研学", "图书馆探秘研学"),
    EventKind.READING: ("全民阅读·亲子共读会", "读书分享会", "“书香满城”阅读推广", "经典诵读会", "农家书屋读书活动"),
    EventKind.EXHIBITION: ("书画作品展", "摄影作品展", "非遗展览", "剪纸艺术展"),
    EventKind.LECTURE: ("公益文化讲座", "书法培训班", "舞蹈辅导培训", "摄影知识讲座"),
    EventKind.OTHER: ("灯谜竞猜", "文化志愿服务", "民俗文化活动"),
}  # fmt: skip
AUDIENCE = {
    EventKind.PERFORMANCE: (150, 800),
    EventKind.COUNTRYSIDE: (80, 400),
    EventKind.STAGE: (200, 1200),
    EventKind.STUDY_TRIP: (30, 120),
    EventKind.READING: (20, 150),
    EventKind.EXHIBITION: (300, 2000),
    EventKind.LECTURE: (30, 100),
    EventKind.OTHER: (50, 300),
}
# Where a kind is held when it is at a venue.
VENUE_KINDS = {
    EventKind.STUDY_TRIP: (VenueKind.LIBRARY, VenueKind.MUSEUM, VenueKind.EXHIBITION_HALL),
    EventKind.READING: (VenueKind.LIBRARY, VenueKind.BOOKSHOP, VenueKind.COURTYARD),
    EventKind.EXHIBITION: (VenueKind.EXHIBITION_HALL, VenueKind.MUSEUM, VenueKind.CULTURAL_CENTRE),
    EventKind.LECTURE: (VenueKind.CULTURAL_CENTRE, VenueKind.LIBRARY, VenueKind.OTHER),
    EventKind.PERFORMANCE: (VenueKind.CULTURAL_CENTRE, VenueKind.OTHER),
    EventKind.OTHER: (VenueKind.COURTYARD, VenueKind.CULTURAL_CENTRE),
}
PERFORMERS = ("区文化馆艺术团", "红色文艺轻骑兵志愿服务队", "社区合唱队", "区豫剧团", "老年大学艺术团", "区图书馆馆员")
CANCEL_REASONS = ("天气原因，活动取消", "场地维修，活动取消", "与其他活动时间冲突，取消")
LINKS = (
    ("抖音", "https://www.douyin.com/video/7{n:018d}"),
    ("视频号", "https://channels.weixin.qq.com/web/pages/feed?eid={n}"),
    ("学习强国", "https://www.xuexi.cn/lgpage/detail/index.html?id={n}"),
)
# Per kind, the events of a year (small size, the year before last); each year adds about a tenth.
PER_YEAR = {
    EventKind.PERFORMANCE: 8,
    EventKind.COUNTRYSIDE: 8,
    EventKind.STAGE: 5,
    EventKind.STUDY_TRIP: 5,
    EventKind.READING: 7,
    EventKind.EXHIBITION: 3,
    EventKind.LECTURE: 3,
    EventKind.OTHER: 2,
}


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def short_name(district: Unit) -> str:
    """The district's short name as slogans use it (示范区 → 示范)."""
    return district.short_name or district.name.rstrip("区县市旗") or district.name


def seed(ctx: DemoContext) -> list[Series]:
    admin = ctx.shared["users_by_role"][RoleCode.DEPARTMENT_ADMIN][0]
    district: Unit = ctx.shared["district"]
    by_type: dict[str, list[Unit]] = ctx.shared["units_by_type"]
    subdistricts = [u for kind in ("street", "town") for u in by_type.get(kind, []) if u.dissolved_on is None]
    grassroots = [u for kind in ("community", "village") for u in by_type.get(kind, []) if u.dissolved_on is None]
    venues = ctx.shared.get("culture_venues") or list(Venue.objects.filter(active=True).select_related("unit"))
    series = _series(ctx, admin, district, subdistricts)
    rows = _events(ctx, series, subdistricts or [district], grassroots or subdistricts or [district], venues)
    recorded = _through_services(ctx, admin, series, subdistricts or [district], venues)
    ctx.shared["culture_series"] = series
    held = sum(1 for row in rows if row.status == EventStatus.HELD) + recorded
    total = len(rows) + recorded
    ctx.log(f"系列活动 {len(series)} 个，文化活动 {total} 场（已举办 {held} 场，其中 {recorded} 场带照片和视频链接）")
    return series


def _series(ctx: DemoContext, admin: User, district: Unit, subdistricts: list[Unit]) -> list[Series]:
    short = short_name(district)
    made = []
    for year in ctx.years:
        plans = [
            (district, f"“激昂新{short}·欢乐中国年”迎新春系列活动", "春节、元宵节期间的群众文化活动。"),
            (district, "“红色文艺轻骑兵”送文化下乡", "文艺小分队常年深入村（社区）演出。"),
            (district, f"“活力{short}·百姓文化大舞台”", "每年5月至10月，群众自编自演，天天有舞台。"),
        ]
        plans += [(unit, f"{unit.name}邻里文化节", "街道（镇）的特色群众文化活动。") for unit in subdistricts[:2]]
        for unit, name, description in plans:
            item = services.create_series(unit=unit, name=name, year=year, description=description, by=admin)
            Series.objects.filter(pk=item.pk).update(created_at=min(at(date(year, 1, 1)) - timedelta(days=20), ctx.now))
            made.append(item)
    return made


def _window(name: str, year: int) -> tuple[date, date]:
    if "欢乐中国年" in name:
        return date(year, 1, 2), date(year, 2, 28)
    if "大舞台" in name:
        return date(year, 5, 1), date(year, 10, 31)
    return date(year, 3, 1), date(year, 11, 30)


def _series_kind(name: str) -> str | None:
    if "送文化下乡" in name:
        return EventKind.COUNTRYSIDE
    if "大舞台" in name:
        return EventKind.STAGE
    return None


def _events(
    ctx: DemoContext, series: list[Series], subdistricts: list[Unit], grassroots: list[Unit], venues: list[Venue]
) -> list[Event]:
    latest = ctx.now - timedelta(hours=3)
    rows: list[Event] = []
    for number, year in enumerate(ctx.years):
        year_series = [item for item in series if item.year == year]
        growth = 1 + 0.12 * number  # audiences grow with the events
        for item in year_series:  # every series has at least one event a year
            kind = _series_kind(item.name) or EventKind.PERFORMANCE
            if at(_window(item.name, year)[0], 0) < latest:
                rows.append(
                    _event(ctx, kind, year, [item], subdistricts, grassroots, venues, latest, growth, force=True)
                )
        for kind, count in PER_YEAR.items():
            for _ in range(ctx.scaled(count, count * 10) + round(count * number * 0.12 + 0.4)):
                rows.append(_event(ctx, kind, year, year_series, subdistricts, grassroots, venues, latest, growth))
        if year == ctx.today.year:  # the coming weeks, planned (within this year)
            last = date(year, 12, 31)
            for days in range(2, 40, 5):
                day = ctx.today + timedelta(days=days)
                if day > last:
                    break
                kind = EventKind.values[days % len(EventKind.values)]
                rows.append(_event(ctx, kind, year, [], subdistricts, grassroots, venues, latest, starts=at(day, 19)))
            rows += _overdue(ctx, year, subdistricts, grassroots, venues, latest)
    _organised_by_associations(ctx, rows)
    bulk_insert(Event, rows)
    return rows


def _organised_by_associations(ctx: DemoContext, rows: list[Event]) -> None:
    """A part of the exhibitions, lectures and shows is organised by an arts association of the
    event's unit or above that existed then (preparing or established); at least one a year."""
    # The associations as recorded, with the date their preparation began (set by the venues part).
    associations = list(Association.objects.select_related("unit").order_by("created_at", "pk"))
    kinds = (EventKind.EXHIBITION, EventKind.LECTURE, EventKind.PERFORMANCE, EventKind.STAGE)
    given: set[int] = set()
    for row in sorted(rows, key=lambda item: item.starts_at):
        if row.kind not in kinds or row.status == EventStatus.CANCELLED:
            continue
        usable = [a for a in associations if a.created_at <= row.starts_at and row.unit.path.startswith(a.unit.path)]
        year = timezone.localtime(row.starts_at).year
        if usable and (year not in given or ctx.chance(0.3)):
            row.association = ctx.rng.choice(usable)
            given.add(year)


def _overdue(
    ctx: DemoContext, year: int, subdistricts: list[Unit], grassroots: list[Unit], venues: list[Venue], latest: datetime
) -> list[Event]:
    """A few events of the past days nobody has recorded yet (the reporters' to-do), one in each
    of the first streets, within this year."""
    rows = []
    for index, unit in enumerate(subdistricts[:3]):
        starts = at(ctx.today - timedelta(days=2 + index), 15)
        if starts.year != year or starts > latest:
            continue
        event = _event(ctx, EventKind.READING, year, [], [unit], [unit], [], latest, starts=starts)
        event.status, event.audience, event.cancel_reason, event.summary = EventStatus.PLANNED, None, "", ""
        rows.append(event)
    return rows


def _event(
    ctx: DemoContext,
    kind: str,
    year: int,
    year_series: list[Series],
    subdistricts: list[Unit],
    grassroots: list[Unit],
    venues: list[Venue],
    latest: datetime,
    growth: float = 1.0,
    starts: datetime | None = None,
    force: bool = False,
) -> Event:
    fitting = [item for item in year_series if _series_kind(item.name) in (kind, None)]
    series = ctx.rng.choice(fitting) if fitting and (force or ctx.chance(0.6)) and starts is None else None
    if starts is None:
        first, last = _window(series.name, year) if series else (date(year, 1, 1), date(year, 12, 31))
        starts = ctx.random_datetime_between(at(first, 0), at(last, 23)).replace(minute=0, second=0, microsecond=0)
        starts = starts.replace(hour=ctx.rng.choice((9, 10, 14, 15, 19)))
        if starts > latest:
            starts = latest.replace(minute=0, second=0, microsecond=0) - timedelta(hours=ctx.rng.randint(1, 48))
        if series is not None and timezone.localtime(starts).year != series.year:
            series = None
    venue_kinds = VENUE_KINDS.get(kind, ())
    at_venues = [venue for venue in venues if venue.kind in venue_kinds]
    if series is not None and series.unit.depth > 1:  # a street's series: its own units only
        at_venues = [venue for venue in at_venues if venue.unit.path.startswith(series.unit.path)]
    if at_venues and ctx.chance(0.7):
        venue = ctx.rng.choice(at_venues)
        unit, address = venue.unit, ""
    else:
        venue = None
        places = [u for u in grassroots if series is None or u.path.startswith(series.unit.path)] or grassroots
        unit = ctx.rng.choice(places if kind == EventKind.COUNTRYSIDE else places + subdistricts)
        if series is not None and not unit.path.startswith(series.unit.path):
            unit = series.unit
        address = f"{unit.name}{'村委会广场' if unit.unit_type == 'village' else '文化广场'}"
    low, high = AUDIENCE[kind]
    status, audience, reason = EventStatus.HELD, round(ctx.rng.randint(low, high) * growth), ""
    if starts > ctx.now:
        status, audience = EventStatus.PLANNED, None
    elif ctx.chance(0.06) and not force:
        status, audience, reason = EventStatus.CANCELLED, None, ctx.rng.choice(CANCEL_REASONS)
    title = ctx.rng.choice(TITLES[kind])
    return Event(
        unit=unit, series=series, title=title, kind=kind, starts_at=starts,
        ends_at=starts + timedelta(hours=ctx.rng.choice((1, 2, 2, 3))), venue=venue, address=address,
        performers=ctx.rng.choice(PERFORMERS) if kind in (EventKind.PERFORMANCE, EventKind.COUNTRYSIDE,
                                                          EventKind.STAGE) else "",
        audience=audience, status=status, cancel_reason=reason,
        summary=f"{unit.name}开展“{title}”，群众参与热情高。" if audience else "",
        created_at=min(starts - timedelta(days=ctx.rng.randint(3, 15)), ctx.now),
    )  # fmt: skip


def demo_photo(ctx: DemoContext, name: str) -> SimpleUploadedFile:
    """A small JPEG drawn in memory: a stage with coloured lights (no file in the repository)."""
    colours = ((196, 30, 58), (230, 160, 40), (40, 110, 180), (60, 150, 90), (150, 60, 150))
    image = Image.new("RGB", (480, 320), ctx.rng.choice(colours))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 300), fill=(90, 50, 30))
    for index in range(6):
        x = 60 + index * 70
        draw.ellipse((x, 40, x + 36, 76), fill=ctx.rng.choice(colours))
        draw.rectangle((x + 8, 130, x + 28, 200), fill=(250, 250, 250))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _through_services(
    ctx: DemoContext, admin: User, series: list[Series], subdistricts: list[Unit], venues: list[Venue]
) -> int:
    """Per year two events of the district series entered as a reporter would: planned, recorded
    as held with two or three photos, a video link added."""
    recorded = 0
    for year in ctx.years:
        spring = [item for item in series if item.year == year and "欢乐中国年" in item.name]
        countryside = [item for item in series if item.year == year and "送文化下乡" in item.name]
        plans = [
            (spring, EventKind.PERFORMANCE, "迎新春文艺汇演", date(year, 1, 20)),
            (countryside, EventKind.COUNTRYSIDE, "“红色文艺轻骑兵”进村演出", date(year, 6, 18)),
        ]
        for chosen, kind, title, day in plans:
            starts = at(day, 19)
            if starts > ctx.now - timedelta(hours=3):
                continue
            unit = ctx.rng.choice(subdistricts)
            event = services.create_event(
                services.EventInput(
                    unit=unit, title=f"{unit.name}{title}", kind=kind, starts_at=starts,
                    ends_at=starts + timedelta(hours=2), series=chosen[0] if chosen else None,
                    address=f"{unit.name}文化广场", performers=ctx.rng.choice(PERFORMERS),
                ),
                by=admin,
            )  # fmt: skip
            photos = [demo_photo(ctx, f"event-{event.pk}-{n}.jpg") for n in range(ctx.rng.randint(2, 3))]
            low, high = AUDIENCE[kind]
            services.record_held(
                event,
                audience=ctx.rng.randint(low, high),
                summary="节目精彩纷呈，现场掌声不断。",
                photos=photos,
                by=admin,
            )
            platform, pattern = ctx.rng.choice(LINKS)
            services.add_link(
                event, url=pattern.format(n=ctx.rng.randint(10**6, 10**9)), title=f"{title}精彩回顾",
                platform=platform, by=admin,
            )  # fmt: skip
            Event.objects.filter(pk=event.pk).update(created_at=starts - timedelta(days=7))
            EventPhoto.objects.filter(event=event).update(uploaded_at=starts + timedelta(hours=3))
            recorded += 1
    return recorded
