"""Demo data of the publishing app's outlets part (see ``demo.py``): the district's outlets and columns.

The district website “{district_short}政务网” (the news site the platform serves, owned by 区委宣传部)
with its columns (要闻动态, 通知公告, 政策解读 …); the department's WeChat account
“{district_short}宣传”, its Douyin and Weibo accounts and, opened this year, its WeChat video
channel; several departments' and streets' own accounts, three of them stale (nothing published
since February of the year before last), one town's Kuaishou account closed in the middle of last
year. Topic columns (专题专栏) are opened in each of the demo's three years (疫情防控, 扫黑除恶专项斗争,
新时代文明实践, 乡村振兴 …), one of them closed since. Made through ``services.outlets`` by the
department administrator, as staff would.

Left in ``ctx.shared`` for the review's demo (``demo_review``):

``"publishing_outlets"``: ``list[Outlet]``
    The active outlets that publish regularly, the news site first (the stale and closed ones
    are left out, so that publishing on them does not make them fresh again).
``"publishing_news_site"``: ``Outlet``
    The district website.
``"publishing_columns"``: ``dict[int, list[Column]]``
    The open columns (topic columns included) of each outlet of ``publishing_outlets``, by outlet id.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from pypinyin import lazy_pinyin

from xuanchuan.core.demo import DemoContext, DemoError
from xuanchuan.org.models import RoleCode, Unit, UnitType, User
from xuanchuan.publishing.models import Column, Outlet, OutletKind, OutletStatus
from xuanchuan.publishing.services import outlets as services

# The website's ordinary columns, in their order.
SITE_COLUMNS = ("要闻动态", "通知公告", "政策解读", "部门动态", "基层动态", "图片新闻", "政务公开")
WECHAT_COLUMNS = ("微宣讲", "文明实践", "身边好人")
# Topic columns by the demo year they open in (0: the year before last … 2: this year):
# (name, year index, month, closed at the end of the year index or None).
TOPICS: tuple[tuple[str, int, int, int | None], ...] = (
    ("疫情防控", 0, 1, None),
    ("扫黑除恶专项斗争", 0, 3, 1),
    ("决战决胜脱贫攻坚", 0, 6, 0),
    ("新时代文明实践", 1, 2, None),
    ("乡村振兴", 1, 5, None),
    ("文明城市创建", 2, 1, None),
    ("平安建设", 2, 1, None),
)
# Departments (by short name) with their own WeChat account.
DEPARTMENT_ACCOUNTS = ("教育局", "卫健委", "文旅局", "应急局", "市场监管局", "融媒体中心", "图书馆")


def district_short() -> str:
    name = settings.XUANCHUAN_DISTRICT_NAME
    return name[:-1] if len(name) > 1 and name[-1] in "区县旗" else name


def _day(year: int, month: int, day: int, today: date) -> date:
    return min(date(year, month, day), today)


def seed(ctx: DemoContext) -> None:
    publicity: Unit = ctx.shared["publicity_department"]
    admins: list[User] = ctx.shared["users_by_role"].get(RoleCode.DEPARTMENT_ADMIN, [])
    if not admins:
        raise DemoError("演示数据缺少部管理员，无法登记网站和政务新媒体。")
    admin = admins[0]
    short = district_short()
    domain = "".join(lazy_pinyin(short)) or "district"
    first, last, this = ctx.years
    today = ctx.today
    long_ago = date(first - 4, 3, 1)

    def recent() -> date:
        return today - timedelta(days=ctx.rng.randint(0, 5))

    def outlet(unit: Unit, name: str, kind: str, **fields) -> Outlet:
        staff = ctx.shared["staff_by_unit"].get(unit.code) or [None]
        keeper = staff[0]
        fields.setdefault("registered_on", date(first - ctx.rng.randint(1, 4), ctx.rng.randint(1, 12), 1))
        fields.setdefault("filed_on", fields["registered_on"] + timedelta(days=ctx.rng.randint(3, 20)))
        last_published_on = fields.pop("last_published_on")
        created = services.create_outlet(
            by=admin,
            unit=unit,
            name=name,
            kind=kind,
            responsible=keeper,
            responsible_name=keeper.get_full_name() if keeper else "",
            operator=fields.pop("operator", unit.name),
            registration_no=fields.pop("registration_no", f"{domain[:3].upper()}-{ctx.rng.randint(10000, 99999)}"),
            **fields,
        )  # fmt: skip
        services.note_published([created.pk], last_published_on)
        created.refresh_from_db()
        return created

    site = outlet(
        publicity, f"{short}政务网", OutletKind.WEBSITE, account=f"www.{domain}.gov.cn",
        url=f"https://www.{domain}.gov.cn/", is_news_site=True, registered_on=long_ago, operator="区融媒体中心",
        registration_no=f"政务网站标识码 {ctx.rng.randint(10**9, 10**10 - 1)}", update_period_days=7,
        last_published_on=recent(),
    )  # fmt: skip
    wechat = outlet(
        publicity, f"{short}宣传", OutletKind.WECHAT, account=f"gh_{ctx.rng.randrange(16**12):012x}",
        registered_on=date(first - 5, 8, 1), last_published_on=recent(),
    )  # fmt: skip
    douyin = outlet(
        publicity, f"{short}发布", OutletKind.DOUYIN, account=f"{domain}fabu",
        registered_on=date(first - 1, 4, 1), last_published_on=recent(),
    )  # fmt: skip
    weibo = outlet(
        publicity, f"{short}发布", OutletKind.WEIBO, account=f"@{short}发布", last_published_on=recent(),
        update_period_days=7,
    )  # fmt: skip
    channels = outlet(
        publicity, f"{short}宣传", OutletKind.CHANNELS, account=f"{short}宣传视频号",
        registered_on=ctx.random_date(this), last_published_on=today,
    )  # fmt: skip
    fresh = [site, wechat, douyin, weibo, channels]

    departments = [
        unit
        for kind in (UnitType.GOVERNMENT_DEPARTMENT, UnitType.PARTY_DEPARTMENT, UnitType.INSTITUTION)
        for unit in ctx.shared["units_by_type"].get(str(kind), [])
        if unit.dissolved_on is None and unit != publicity
    ]
    by_short = {unit.short_name or unit.name: unit for unit in departments}
    for name in DEPARTMENT_ACCOUNTS:
        unit = by_short.get(name) or next((u for u in departments if name in u.name), None)
        if unit is not None:
            fresh.append(outlet(unit, f"{short}{name}", OutletKind.WECHAT, last_published_on=recent()))
    streets = [u for u in ctx.shared["units_by_type"].get(str(UnitType.STREET), []) if u.dissolved_on is None]
    towns = [u for u in ctx.shared["units_by_type"].get(str(UnitType.TOWN), []) if u.dissolved_on is None]
    stale_since = date(first, 2, 10)
    stale: list[Outlet] = []
    for index, street in enumerate(streets):
        is_stale = index in (1, 4)
        account = outlet(
            street, f"{street.name}发布", OutletKind.WECHAT,
            last_published_on=stale_since if is_stale else recent(),
        )  # fmt: skip
        (stale if is_stale else fresh).append(account)
    for index, town in enumerate(towns):
        kind = OutletKind.DOUYIN if index % 2 == 0 else OutletKind.TOUTIAO
        fresh.append(outlet(town, f"{town.name}印象", kind, last_published_on=recent(), update_period_days=30))
    if departments:
        stale.append(
            outlet(departments[-1], f"{departments[-1].name}之窗", OutletKind.WEBSITE, last_published_on=stale_since)
        )
    if towns:
        closing = outlet(towns[0], f"{towns[0].name}快讯", OutletKind.KUAISHOU, last_published_on=date(last, 5, 20))
        services.close_outlet(closing, by=admin, closed_on=date(last, 6, 30), reason="合并至乡镇抖音号")

    columns: dict[int, list[Column]] = {}
    for position, name in enumerate(SITE_COLUMNS, 1):
        column = services.create_column(site, by=admin, name=name, position=position * 10, opened_on=long_ago)
        columns.setdefault(site.pk, []).append(column)
    for position, name in enumerate(WECHAT_COLUMNS, 1):
        opened = date(first - 1, position, 1)
        column = services.create_column(wechat, by=admin, name=name, position=position * 10, opened_on=opened)
        columns.setdefault(wechat.pk, []).append(column)
    for number, (name, year_index, month, closes) in enumerate(TOPICS):
        year = ctx.years[year_index]
        opened = _day(year, month, ctx.rng.randint(1, 28), today)
        for host in (site, wechat):
            column = services.create_column(
                host, by=admin, name=name, is_topic=True, position=200 + number, opened_on=opened,
                description=f"{year}年开设的{name}专题专栏。",
            )  # fmt: skip
            if closes is not None:
                services.close_column(column, by=admin, closed_on=_day(ctx.years[closes], 12, 31, today))
            else:
                columns.setdefault(host.pk, []).append(column)

    ctx.shared["publishing_outlets"] = [item for item in fresh if item.status == OutletStatus.ACTIVE]
    ctx.shared["publishing_news_site"] = site
    ctx.shared["publishing_columns"] = columns
    ctx.log(
        f"网站和政务新媒体 {Outlet.objects.count()} 个（长期未更新 {len(stale)} 个），"
        f"栏目 {Column.objects.count()} 个（专题专栏 {Column.objects.filter(is_topic=True).count()} 个）"
    )
