"""The outreach records' part of the demo data (each of the demo's three years).

- Press coverage: articles in central, provincial, municipal and district outlets on the year's
  topics, entered by the department and the streets (a few through the services, with links).
- The district's TV column 《纵横×》 on ×广播电视台综合频道: one episode a week.
- New media: the department's WeChat account and Douyin account and one WeChat account per
  street, with their posts (WeChat: several a week; Douyin: a few a month) and cumulative reads or
  plays; this year's first WeChat posts come in through the importer, as a real export would.
- Campaigns: each year's 疫情防控宣传 (set up by the department) with the material every street
  put up — LED screens, large screens, building ad machines, banners, car stickers, leaflets, SMS.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.media import importers, services
from xuanchuan.media.models import (
    Account,
    Campaign,
    Episode,
    Level,
    Material,
    MaterialKind,
    Platform,
    Post,
    PressArticle,
)
from xuanchuan.media.permissions import may_enter_for
from xuanchuan.org.models import SUBDISTRICT_TYPES, RoleCode, Unit, User

ORDER = 80

OUTLETS = (
    ("人民日报", Level.CENTRAL),
    ("新华网", Level.CENTRAL),
    ("中央广播电视总台", Level.CENTRAL),
    ("省日报", Level.PROVINCIAL),
    ("省广播电视台", Level.PROVINCIAL),
    ("省新闻网", Level.PROVINCIAL),
    ("市日报", Level.MUNICIPAL),
    ("市电视台", Level.MUNICIPAL),
    ("市晚报", Level.MUNICIPAL),
    ("区融媒体中心", Level.DISTRICT),
)
TOPICS = ("乡村振兴", "新时代文明实践", "扫黑除恶专项斗争", "疫情防控", "营商环境", "生态文明", "民生实事")
HEADLINES = (
    "{unit}：{topic}结出新硕果",
    "{topic}的{unit}实践",
    "{unit}多措并举推进{topic}",
    "聚焦{topic} {unit}交出亮眼答卷",
    "{unit}{topic}工作经验获推广",
)
POST_TITLES = (
    "{topic}｜{unit}在行动",
    "今天，{unit}这件事刷屏了",
    "{unit}：{topic}温暖人心",
    "权威发布｜{topic}最新进展",
    "一图读懂{topic}",
)
# Material per street and campaign: (kind, entries, quantity range of one entry).
MATERIAL_PLAN = (
    (MaterialKind.LED, 2, (3, 12)),
    (MaterialKind.BIG_SCREEN, 1, (1, 3)),
    (MaterialKind.AD_MACHINE, 2, (4, 15)),
    (MaterialKind.BANNER, 3, (10, 40)),
    (MaterialKind.CAR_STICKER, 2, (800, 2500)),
    (MaterialKind.LEAFLET, 3, (1500, 5000)),
    (MaterialKind.SMS, 2, (3000, 12000)),
)


def seed(ctx: DemoContext) -> None:
    admins = ctx.shared.get("users_by_role", {}).get(RoleCode.DEPARTMENT_ADMIN)
    if not admins:
        raise DemoError("新闻宣传的演示数据需要组织机构的演示数据（部管理员）。")
    admin: User = admins[0]
    department: Unit = ctx.shared["publicity_department"]
    district: Unit = ctx.shared["district"]
    short = district.name.rstrip("区县")
    streets = [u for kind in SUBDISTRICT_TYPES for u in ctx.shared["units_by_type"].get(str(kind), [])][:12]
    streets = [u for u in streets if u.dissolved_on is None] or [department]
    reporters = _reporters(ctx, streets, admin)

    programme = services.create_programme(
        unit=department, name=f"纵横{short}", station=f"{short}广播电视台", channel="综合频道", by=admin
    )
    wechat = services.create_account(unit=department, name=f"{short}宣传", platform=Platform.WECHAT, by=admin)
    douyin = services.create_account(unit=department, name=f"{short}发布", platform=Platform.DOUYIN, by=admin)
    street_accounts = [
        services.create_account(unit=street, name=f"{street.name}发布", platform=Platform.WECHAT, by=admin)
        for street in streets[:4]
    ]
    articles = episodes = posts = materials = 0
    for year in ctx.years:
        campaign = Campaign.objects.create(
            unit=district,
            name=f"{year}年疫情防控宣传",
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            description="各单位利用显示屏、横幅、车贴、彩页、短信等广泛宣传防控知识。",
            created_by=admin,
        )
        articles += _articles(ctx, year, department, streets, reporters, admin, campaign)
        episodes += _episodes(ctx, year, programme)
        posts += _posts(ctx, year, wechat, ctx.scaled(90, 1200), 300, 6000)
        posts += _posts(ctx, year, douyin, ctx.scaled(24, 300), 800, 60000)
        for account in street_accounts:
            posts += _posts(ctx, year, account, ctx.scaled(20, 200), 100, 2000)
        materials += _materials(ctx, year, campaign, streets, reporters)
    imported = _import_this_year(ctx, wechat, admin)
    ctx.log(
        f"新闻宣传：稿件见报 {articles} 篇，栏目 {episodes} 期，新媒体发布 {posts + imported} 条"
        f"（其中导入 {imported} 条），宣传品投放 {materials} 笔"
    )


def _reporters(ctx: DemoContext, streets: list[Unit], admin: User) -> dict[int, User]:
    staff = ctx.shared.get("staff_by_unit", {})
    reporters = {}
    for street in streets:
        people = [person for person in staff.get(street.code, []) if may_enter_for(person, street)]
        reporters[street.pk] = people[0] if people else admin
    return reporters


def _year_days(ctx: DemoContext, year: int) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), ctx.today)


def _articles(
    ctx: DemoContext,
    year: int,
    department: Unit,
    streets: list[Unit],
    reporters: dict[int, User],
    admin: User,
    campaign: Campaign,
) -> int:
    start, end = _year_days(ctx, year)
    # Two through the services, as a reporter would enter them.
    for street in streets[:2]:
        services.save_article(
            services.ArticleData(
                title=f"{street.name}：新时代文明实践点亮百姓生活",
                outlet="市日报",
                level=Level.MUNICIPAL,
                published_on=ctx.random_date_between(start, end),
                url="https://example.org/news/demo",
                topic="新时代文明实践",
                campaign=None,
            ),
            unit=street,
            by=reporters[street.pk],
        )
    units = [department, *streets]
    rows = []
    for _index in range(ctx.scaled(60, 600)):
        unit = ctx.rng.choice(units)
        outlet, level = ctx.rng.choice(OUTLETS)
        topic = ctx.rng.choice(TOPICS)
        rows.append(
            PressArticle(
                unit=unit,
                created_by=reporters.get(unit.pk, admin),
                title=ctx.rng.choice(HEADLINES).format(unit=unit.name, topic=topic),
                outlet=outlet,
                level=level,
                published_on=ctx.random_date_between(start, end),
                url=f"https://example.org/news/{year}/{_index}",
                topic=topic,
                campaign=campaign if topic == "疫情防控" else None,
            )
        )
    return 2 + bulk_insert(PressArticle, rows)


def _episodes(ctx: DemoContext, year: int, programme) -> int:
    start, end = _year_days(ctx, year)
    rows = []
    day = start + timedelta(days=(4 - start.weekday()) % 7)  # Fridays
    while day <= end:
        topic = ctx.rng.choice(TOPICS)
        rows.append(
            Episode(
                unit=programme.unit,
                programme=programme,
                aired_on=day,
                title=f"{topic}：{ctx.rng.choice(('走进基层', '一线直击', '特别报道', '访谈'))}",
                duration_minutes=ctx.rng.choice((10, 15, 20)),
                created_by=programme.created_by,
            )
        )
        day += timedelta(days=7)
    if not rows:  # the first days of January: the year's first episode went out on New Year's Day
        rows.append(Episode(unit=programme.unit, programme=programme, aired_on=start, title="新年特别节目"))
    return bulk_insert(Episode, rows)


def _posts(ctx: DemoContext, year: int, account: Account, count: int, low: int, high: int) -> int:
    start = datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    rows = []
    for index in range(count):
        moment = ctx.random_datetime_between(start, end)
        topic = ctx.rng.choice(TOPICS)
        title = f"{ctx.rng.choice(POST_TITLES).format(unit=account.unit.name, topic=topic)}（{year}-{index}）"
        reads = ctx.rng.randint(low, high)
        rows.append(
            Post(
                unit=account.unit,
                account=account,
                platform=account.platform,
                key=f"demo-{year}-{index}",
                title=title,
                published_at=moment,
                kind="1-3min视频" if account.platform == Platform.DOUYIN else "",
                reads=reads,
                readers=int(reads * 0.8),
                likes=reads // 30,
                shares=reads // 25,
                comments=reads // 200,
            )
        )
    return bulk_insert(Post, rows, keep_ids=False)


def _materials(ctx: DemoContext, year: int, campaign: Campaign, streets: list[Unit], reporters) -> int:
    start, end = _year_days(ctx, year)
    rows = []
    for street in streets:
        for kind, entries, (low, high) in MATERIAL_PLAN:
            for _entry in range(entries):
                rows.append(
                    Material(
                        unit=street,
                        campaign=campaign,
                        kind=kind,
                        quantity=ctx.rng.randint(low, high),
                        placed_on=ctx.random_date_between(start, end),
                        created_by=reporters.get(street.pk),
                    )
                )
    return bulk_insert(Material, rows)


def _import_this_year(ctx: DemoContext, account: Account, admin: User) -> int:
    """This year's first WeChat articles as an export file through the importer."""
    first = date(ctx.years[-1], 1, 1)
    header = ",".join(column.heading for column in importers.WECHAT_ARTICLES.columns)
    lines = [header]
    for offset, title in enumerate(("新年献词｜奋进新征程", "元旦假期文明出行提示", "新春走基层")):
        day = min(first + timedelta(days=offset), ctx.today)
        readers = ctx.rng.randint(800, 3000)
        lines.append(
            f"{title},{day:%Y%m%d},{readers},{readers + 300},40,55,6,21000,800,0.038,30,300,0.0375,5.4545,0.61,"
            f"https://mp.weixin.qq.com/s/demo{offset}"
        )
    log = services.import_export(account, "\n".join(lines).encode("utf-8"), file_name="已通知内容.csv", by=admin)
    return log.rows_added
