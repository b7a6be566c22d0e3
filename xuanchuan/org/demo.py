"""The organisation's part of the demo data: the district's unit tree and the people who use it.

The district is named by ``settings.XUANCHUAN_DISTRICT_NAME``: its departments and
institutions, six streets with their communities and four towns with their villages. One village
was merged into a neighbour last year and one community was set up last year, so figures "active
at the end of the year" differ from year to year. Every unit has its reporter (or, below a street
or town, its community worker); every street and town a checkpoint guard; 区委宣传部 its two
department administrators, the three reviewers and the network administrator. ``--size large``
gives the same district with four to five times the people.

Usernames are derived from unit codes, so they read the same for every seed: ``tb_d03``
(reporter of department D03), ``tb_s02`` (street S02), ``tb_d09_i01`` (institution I01 under
D09), ``sq_s01_c03`` (community C03 of street S01), ``sq_t02_v05`` (village V05 of town T02),
``kk_s01`` (checkpoint guard of S01), further people of a unit ``tb_d03_02``, ``sq_s01_c03_02``…;
in 区委宣传部 ``xcb_admin``, ``xcb_admin2``, ``shenhe1``/``2``/``3``, ``wangguan`` and ``ducha``.

Left in ``ctx.shared`` for later parts:

``"district"``: ``Unit``
    The root of the tree.
``"publicity_department"``: ``Unit``
    区委宣传部.
``"units_by_code"``: ``dict[str, Unit]``
    Every unit, the dissolved village included (check ``dissolved_on``).
``"units_by_type"``: ``dict[str, list[Unit]]``
    Every unit by ``UnitType`` value, in tree order.
``"users_by_role"``: ``dict[str, list[User]]``
    Active people by role code, the named accounts first (``users_by_role["dept_admin"][0]`` is
    ``xcb_admin``).
``"staff_by_unit"``: ``dict[str, list[User]]``
    Active people by unit code, the unit's own reporter or community worker first: the natural
    ``created_by`` of the unit's records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from xuanchuan.core.demo import DEMO_PASSWORD, DemoContext, DemoError, bulk_insert
from xuanchuan.org.models import Role, RoleCode, Unit, UnitType, User
from xuanchuan.org.services import create_unit

ORDER = 10
# How many times more people each unit has with ``--size large`` (the key accounts stay as they are).
LARGE_STAFF_FACTOR = 7

ROLE_CODES = RoleCode.ALL

PUBLICITY_DEPARTMENT = "区委宣传部"
# (name, type, short name) of the departments and district-level bodies, in the order of their codes.
DEPARTMENTS: tuple[tuple[str, UnitType, str], ...] = (
    ("区委办公室", UnitType.PARTY_DEPARTMENT, "区委办"),
    ("区委组织部", UnitType.PARTY_DEPARTMENT, "组织部"),
    (PUBLICITY_DEPARTMENT, UnitType.PARTY_DEPARTMENT, "宣传部"),
    ("区委统战部", UnitType.PARTY_DEPARTMENT, "统战部"),
    ("区委政法委员会", UnitType.PARTY_DEPARTMENT, "政法委"),
    ("区委网络安全和信息化委员会办公室", UnitType.PARTY_DEPARTMENT, "区委网信办"),
    ("区人民政府办公室", UnitType.GOVERNMENT_DEPARTMENT, "区政府办"),
    ("区发展和改革局", UnitType.GOVERNMENT_DEPARTMENT, "发改局"),
    ("区教育局", UnitType.GOVERNMENT_DEPARTMENT, "教育局"),
    ("区科学技术局", UnitType.GOVERNMENT_DEPARTMENT, "科技局"),
    ("区民政局", UnitType.GOVERNMENT_DEPARTMENT, "民政局"),
    ("区司法局", UnitType.GOVERNMENT_DEPARTMENT, "司法局"),
    ("区财政局", UnitType.GOVERNMENT_DEPARTMENT, "财政局"),
    ("区人力资源和社会保障局", UnitType.GOVERNMENT_DEPARTMENT, "人社局"),
    ("区住房和城乡建设局", UnitType.GOVERNMENT_DEPARTMENT, "住建局"),
    ("区交通运输局", UnitType.GOVERNMENT_DEPARTMENT, "交通局"),
    ("区农业农村局", UnitType.GOVERNMENT_DEPARTMENT, "农业农村局"),
    ("区商务局", UnitType.GOVERNMENT_DEPARTMENT, "商务局"),
    ("区文化和旅游局", UnitType.GOVERNMENT_DEPARTMENT, "文旅局"),
    ("区卫生健康委员会", UnitType.GOVERNMENT_DEPARTMENT, "卫健委"),
    ("区应急管理局", UnitType.GOVERNMENT_DEPARTMENT, "应急局"),
    ("区市场监督管理局", UnitType.GOVERNMENT_DEPARTMENT, "市场监管局"),
    ("区融媒体中心", UnitType.INSTITUTION, "融媒体中心"),
    ("区图书馆", UnitType.INSTITUTION, "图书馆"),
    ("区博物馆", UnitType.INSTITUTION, "博物馆"),
    ("区文化馆", UnitType.INSTITUTION, "文化馆"),
    ("区委党校", UnitType.INSTITUTION, "党校"),
    ("共青团区委", UnitType.OTHER, "团区委"),
)
# Institutions below a department, so that a department reporter sees more than one unit.
SUB_INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "区教育局": ("区实验小学", "区第一中学", "区第二中学", "区实验幼儿园"),
    "区卫生健康委员会": ("区人民医院", "区中医医院", "区疾病预防控制中心"),
}
STREETS = ("城关街道", "东城街道", "西城街道", "南湖街道", "新华街道", "文昌街道")
TOWNS = ("青山镇", "白沙镇", "柳河镇", "石桥镇")
GRASSROOTS_PER_SUBDISTRICT = (4, 8)
COMMUNITY_STEMS = (
    "幸福", "和平", "光明", "建设", "友谊", "团结", "胜利", "花园", "锦绣", "阳光", "滨河", "翠湖",
    "金桥", "春晖", "育才", "桂花", "丽景", "龙湖", "紫荆", "银杏", "枫林", "梧桐", "青年路", "健康路",
    "文苑", "书香", "博雅", "康乐", "安居", "兴隆", "永安", "长青", "康宁", "东风", "红旗", "向阳",
    "朝晖", "曙光", "人民", "振兴", "繁荣", "瑞祥", "嘉园", "怡园", "华苑", "兰亭", "碧水", "明珠",
    "望江", "临湖", "南苑", "北苑", "西苑", "东苑", "站前", "府前", "新村", "铁路", "电厂", "纺织",
)  # fmt: skip
VILLAGE_SUFFIXES = ("庄", "营", "屯", "湾", "寨", "岗", "集", "桥", "铺", "店", "坡", "坪", "家洼", "家沟")
ROADS = (
    "人民路", "解放路", "中山路", "建设路", "文化路", "长江路", "黄河路", "和平路", "胜利路",
    "朝阳路", "青年路", "光明路", "府前街", "东风路", "复兴路", "学府路",
)  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
GIVEN_NAME_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红玲芬燕彬鹏辉宇浩凯健俊帆旭宁龙林欣晨晶雪慧"
    "颖琳倩婷佳思雨嘉梓涵博文斌海志建国春晓立新亮成峰松波振东兰凤荣琪瑶航毅鑫昊然悦怡诗晴"
)

OFFICE_TITLES = ("办公室主任", "办公室副主任", "科员", "一级科员", "四级主任科员", "副科长", "科长")
JOB_TITLES: dict[str, tuple[str, ...]] = {
    UnitType.PARTY_DEPARTMENT: OFFICE_TITLES,
    UnitType.GOVERNMENT_DEPARTMENT: OFFICE_TITLES,
    UnitType.INSTITUTION: ("办公室主任", "干事", "宣传干事", "科员"),
    UnitType.OTHER: ("办公室主任", "干事", "宣传干事"),
    UnitType.STREET: ("党政办主任", "宣传委员", "宣传干事", "科员", "办事员"),
    UnitType.TOWN: ("党政办主任", "宣传委员", "宣传干事", "科员", "办事员"),
    UnitType.COMMUNITY: ("网格员", "社区干事", "居委会副主任", "社区党委副书记"),
    UnitType.VILLAGE: ("网格员", "村委会委员", "村文书", "村党支部副书记"),
}
GUARD_TITLES = ("卡口值守员", "综治干事", "平安办干事")
# Extra people per unit beyond its own reporter or worker, at ``--size small`` (low, high).
EXTRA_STAFF: dict[str, tuple[int, int]] = {
    UnitType.PARTY_DEPARTMENT: (1, 3),
    UnitType.GOVERNMENT_DEPARTMENT: (1, 3),
    UnitType.INSTITUTION: (0, 2),
    UnitType.OTHER: (0, 2),
    UnitType.STREET: (2, 4),
    UnitType.TOWN: (2, 4),
    UnitType.COMMUNITY: (0, 2),
    UnitType.VILLAGE: (0, 2),
}
# (username, role, job title) of the named accounts of 区委宣传部.
PUBLICITY_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("xcb_admin", RoleCode.DEPARTMENT_ADMIN, "常务副部长"),
    ("xcb_admin2", RoleCode.DEPARTMENT_ADMIN, "办公室主任"),
    ("shenhe1", RoleCode.REVIEWER_FIRST, "新闻科科员"),
    ("shenhe2", RoleCode.REVIEWER_SECOND, "新闻科科长"),
    ("shenhe3", RoleCode.REVIEWER_FINAL, "副部长"),
    ("wangguan", RoleCode.NETWORK_ADMIN, "网络管理员"),
    ("ducha", RoleCode.CIVILITY_INSPECTOR, "文明办督查员"),
)
# The account shown in the closing table for each role.
SHOWCASE_ACCOUNTS: dict[str, str] = {
    RoleCode.DEPARTMENT_ADMIN: "xcb_admin",
    RoleCode.UNIT_REPORTER: "tb_s01",
    RoleCode.REVIEWER_FIRST: "shenhe1",
    RoleCode.REVIEWER_SECOND: "shenhe2",
    RoleCode.REVIEWER_FINAL: "shenhe3",
    RoleCode.COMMUNITY_WORKER: "sq_s01_c01",
    RoleCode.CHECKPOINT_GUARD: "kk_s01",
    RoleCode.NETWORK_ADMIN: "wangguan",
    RoleCode.CIVILITY_INSPECTOR: "ducha",
    RoleCode.POINTS_CLERK: "duihuan",
}


@dataclass
class UnitPlan:
    """A unit to be created; ``parent`` is the parent's code."""

    code: str
    name: str
    unit_type: str
    parent: str | None
    established_on: date
    short_name: str = ""
    address: str = ""
    contact_name: str = ""
    dissolved_on: date | None = None
    children: list[UnitPlan] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The code without the district prefix, as usernames use it: ``DIST-S01-C03`` → ``s01_c03``."""
        return "_".join(self.code.split("-")[1:]).lower()


@dataclass
class PersonPlan:
    """A person to be created."""

    username: str
    full_name: str
    unit: UnitPlan
    roles: tuple[str, ...]
    job_title: str
    date_joined: datetime
    is_staff: bool = False

    @property
    def is_active(self) -> bool:
        return self.unit.dissolved_on is None


def seed(ctx: DemoContext) -> None:
    """Create the district's units and people and leave them in ``ctx.shared``."""
    roles = _roles()
    district = _plan_units(ctx)
    plans = _flatten(district)
    people = _plan_key_people(ctx, plans) + _plan_extra_people(ctx, plans) + _plan_clerks(ctx, plans)
    _name_contacts(people)
    units = _create_units(plans)
    users = _create_people(ctx, people, units, roles)
    _share(ctx, units, users, people)
    _log_summary(ctx, plans, people)


def is_seeded() -> bool:
    """The demo district is there if any unit, or anyone but a superuser, is."""
    return Unit.objects.exists() or User.objects.filter(is_superuser=False).exists()


def reset(ctx: DemoContext) -> None:
    """Delete every unit and every person but the superusers, who lose only their unit."""
    User.objects.filter(is_superuser=True).exclude(unit=None).update(unit=None)
    User.objects.filter(is_superuser=False).delete()
    Unit.objects.all().delete()


# --- The plan: every random draw happens here, in a fixed order ---------------------------------


def _roles() -> dict[str, Role]:
    roles = {role.code: role for role in Role.objects.filter(code__in=ROLE_CODES)}
    missing = [code for code in ROLE_CODES if code not in roles]
    if missing:
        raise DemoError(f"缺少角色：{'、'.join(missing)}。请先运行 manage.py migrate（角色由数据迁移创建）。")
    return roles


def _plan_units(ctx: DemoContext) -> UnitPlan:
    rng = ctx.rng
    name = settings.XUANCHUAN_DISTRICT_NAME
    founded = ctx.random_date_between(date(1983, 1, 1), date(1995, 12, 31))
    district = UnitPlan("DIST", name, UnitType.DISTRICT, None, founded)
    district.address = f"{name}{rng.choice(ROADS)}{rng.randint(1, 30)}号"
    late = date(ctx.years[0] - 3, 12, 31)
    subdistrict_latest = date(ctx.years[0] - 5, 12, 31)
    for number, (dept_name, unit_type, short_name) in enumerate(DEPARTMENTS, start=1):
        dept = _child(ctx, district, f"D{number:02d}", dept_name, unit_type, late, short_name)
        for sub_number, sub_name in enumerate(SUB_INSTITUTIONS.get(dept_name, ()), start=1):
            _child(ctx, dept, f"I{sub_number:02d}", sub_name, UnitType.INSTITUTION, late)
    most = GRASSROOTS_PER_SUBDISTRICT[1]
    stems = rng.sample(COMMUNITY_STEMS, len(COMMUNITY_STEMS))
    new_street = rng.randrange(len(STREETS))
    for number, street_name in enumerate(STREETS, start=1):
        street = _child(ctx, district, f"S{number:02d}", street_name, UnitType.STREET, subdistrict_latest)
        _plan_grassroots(ctx, street, "C", UnitType.COMMUNITY, [f"{stems.pop()}社区" for _ in range(most)])
        if number - 1 == new_street:
            street.children[-1].established_on = ctx.random_date(ctx.years[1])
    villages = rng.sample(_village_names(), len(TOWNS) * most)
    merged_town = rng.randrange(len(TOWNS))
    for number, town_name in enumerate(TOWNS, start=1):
        town = _child(ctx, district, f"T{number:02d}", town_name, UnitType.TOWN, subdistrict_latest)
        _plan_grassroots(ctx, town, "V", UnitType.VILLAGE, [villages.pop() for _ in range(most)])
        if number - 1 == merged_town:
            rng.choice(town.children).dissolved_on = ctx.random_date(ctx.years[1])
    return district


def _child(
    ctx: DemoContext,
    parent: UnitPlan,
    suffix: str,
    name: str,
    unit_type: str,
    latest: date,
    short_name: str = "",
) -> UnitPlan:
    """Plan a unit under ``parent``, set up between its parent and ``latest``."""
    established_on = ctx.random_date_between(parent.established_on, latest)
    address = f"{settings.XUANCHUAN_DISTRICT_NAME}{ctx.rng.choice(ROADS)}{ctx.rng.randint(1, 300)}号"
    code = f"{parent.code}-{suffix}"
    child = UnitPlan(code, name, unit_type, parent.code, established_on, short_name, address)
    parent.children.append(child)
    return child


def _plan_grassroots(ctx: DemoContext, parent: UnitPlan, letter: str, unit_type: str, names: list[str]) -> None:
    """4–8 communities or villages; ``names`` holds enough for the most, the rest go unused."""
    count = ctx.rng.randint(*GRASSROOTS_PER_SUBDISTRICT)
    latest = date(ctx.years[0] - 1, 12, 31)
    for number in range(1, count + 1):
        _child(ctx, parent, f"{letter}{number:02d}", names[number - 1], unit_type, latest)


def _village_names() -> list[str]:
    return [f"{surname}{suffix}村" for surname in SURNAMES[:40] for suffix in VILLAGE_SUFFIXES]


def _flatten(root: UnitPlan) -> list[UnitPlan]:
    """The tree in creation order: every parent before its children."""
    return [root, *(unit for child in root.children for unit in _flatten(child))]


def _plan_key_people(ctx: DemoContext, plans: list[UnitPlan]) -> list[PersonPlan]:
    """The named accounts, one reporter or worker per unit and a guard per street and town,
    drawn before the extra staff so they are the same at both sizes."""
    people = []
    for unit in plans:
        if unit.name == PUBLICITY_DEPARTMENT:
            for username, role, title in PUBLICITY_ACCOUNTS:
                is_admin = role == RoleCode.DEPARTMENT_ADMIN
                people.append(_person(ctx, username, unit, (role,), title, launch=True, is_staff=is_admin))
        if unit.unit_type in (UnitType.COMMUNITY, UnitType.VILLAGE):
            people.append(_person(ctx, f"sq_{unit.slug}", unit, (RoleCode.COMMUNITY_WORKER,), launch=True))
        elif unit.unit_type != UnitType.DISTRICT:
            people.append(_person(ctx, f"tb_{unit.slug}", unit, (RoleCode.UNIT_REPORTER,), launch=True))
        if unit.unit_type in (UnitType.STREET, UnitType.TOWN):
            guard = (RoleCode.CHECKPOINT_GUARD,)
            people.append(_person(ctx, f"kk_{unit.slug}", unit, guard, ctx.rng.choice(GUARD_TITLES), launch=True))
    return people


def _plan_clerks(ctx: DemoContext, plans: list[UnitPlan]) -> list[PersonPlan]:
    """The points clerk (积分兑换核销员) of the first community's points shop, drawn last so that
    the people drawn before are those of earlier versions of the demo."""
    community = next(unit for unit in plans if unit.unit_type == UnitType.COMMUNITY and not unit.dissolved_on)
    return [_person(ctx, "duihuan", community, (RoleCode.POINTS_CLERK,), "积分超市管理员", launch=True)]


def _plan_extra_people(ctx: DemoContext, plans: list[UnitPlan]) -> list[PersonPlan]:
    factor = LARGE_STAFF_FACTOR if ctx.large else 1
    people = []
    for unit in plans:
        if unit.unit_type not in EXTRA_STAFF:
            continue
        low, high = EXTRA_STAFF[unit.unit_type]
        grassroots = unit.unit_type in (UnitType.COMMUNITY, UnitType.VILLAGE)
        prefix, role = ("sq", RoleCode.COMMUNITY_WORKER) if grassroots else ("tb", RoleCode.UNIT_REPORTER)
        for number in range(2, 2 + ctx.rng.randint(low, high) * factor):
            people.append(_person(ctx, f"{prefix}_{unit.slug}_{number:02d}", unit, (role,)))
    return people


def _person(
    ctx: DemoContext,
    username: str,
    unit: UnitPlan,
    roles: tuple[str, ...],
    job_title: str = "",
    *,
    launch: bool = False,
    is_staff: bool = False,
) -> PersonPlan:
    """A person of ``unit``; ``launch`` people joined in the platform's first year, the others
    at any time since (never before their unit existed nor after it was dissolved)."""
    full_name = _full_name(ctx)
    job_title = job_title or ctx.rng.choice(JOB_TITLES[unit.unit_type])
    first_year_start, first_year_end = ctx.year_span(ctx.years[0])
    earliest = max(first_year_start, _morning(unit.established_on))
    latest = first_year_end if launch else ctx.now
    if unit.dissolved_on is not None:
        latest = min(latest, _morning(unit.dissolved_on))
    if latest <= earliest:
        latest = ctx.now
    date_joined = ctx.random_datetime_between(earliest, latest)
    return PersonPlan(username, full_name, unit, roles, job_title, date_joined, is_staff)


def _full_name(ctx: DemoContext) -> str:
    length = 2 if ctx.chance(0.7) else 1
    return ctx.rng.choice(SURNAMES) + "".join(ctx.rng.choice(GIVEN_NAME_CHARS) for _ in range(length))


def _morning(day: date) -> datetime:
    """Nine in the morning of ``day``, local time: when people start work and units open."""
    return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())


def _name_contacts(people: list[PersonPlan]) -> None:
    """Each unit's contact is its first person."""
    for person in people:
        if not person.unit.contact_name:
            person.unit.contact_name = person.full_name


# --- Writing: units one by one through the service (the tree needs it), people in bulk -----------


def _create_units(plans: list[UnitPlan]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for plan in plans:
        units[plan.code] = create_unit(
            parent=units[plan.parent] if plan.parent else None,
            code=plan.code,
            name=plan.name,
            short_name=plan.short_name,
            unit_type=plan.unit_type,
            address=plan.address,
            contact_name=plan.contact_name,
            established_on=plan.established_on,
            dissolved_on=plan.dissolved_on,
        )
    return units


def _create_people(
    ctx: DemoContext, people: list[PersonPlan], units: dict[str, Unit], roles: dict[str, Role]
) -> dict[str, User]:
    """All people in bulk, with one password hash for all (hashing is the slow part)."""
    password = make_password(DEMO_PASSWORD)
    users = [_user(person, units, password) for person in people]
    bulk_insert(User, users)
    membership = User.roles.through
    rows = (
        membership(user_id=user.pk, role_id=roles[code].pk)
        for user, person in zip(users, people, strict=True)
        for code in person.roles
    )
    bulk_insert(membership, rows)
    return {user.username: user for user in users}


def _user(person: PersonPlan, units: dict[str, Unit], password: str) -> User:
    dissolved = person.unit.dissolved_on
    return User(
        username=person.username,
        password=password,
        full_name=person.full_name,
        unit=units[person.unit.code],
        job_title=person.job_title,
        is_staff=person.is_staff,
        is_active=person.is_active,
        # ``User.save`` stamps this; ``bulk_create`` does not call it.
        deactivated_at=_morning(dissolved) if dissolved else None,
        date_joined=person.date_joined,
    )


def _share(ctx: DemoContext, units: dict[str, Unit], users: dict[str, User], people: list[PersonPlan]) -> None:
    units_by_type: dict[str, list[Unit]] = defaultdict(list)
    for unit in units.values():
        units_by_type[str(unit.unit_type)].append(unit)
    users_by_role: dict[str, list[User]] = defaultdict(list)
    staff_by_unit: dict[str, list[User]] = defaultdict(list)
    for person in people:
        if person.is_active:
            user = users[person.username]
            staff_by_unit[person.unit.code].append(user)
            for code in person.roles:
                users_by_role[code].append(user)
    ctx.shared["district"] = units["DIST"]
    ctx.shared["publicity_department"] = next(u for u in units.values() if u.name == PUBLICITY_DEPARTMENT)
    ctx.shared["units_by_code"] = units
    ctx.shared["units_by_type"] = dict(units_by_type)
    ctx.shared["users_by_role"] = dict(users_by_role)
    ctx.shared["staff_by_unit"] = dict(staff_by_unit)


def _log_summary(ctx: DemoContext, plans: list[UnitPlan], people: list[PersonPlan]) -> None:
    by_type: dict[str, int] = defaultdict(int)
    for plan in plans:
        by_type[plan.unit_type] += 1
    kinds = "、".join(f"{kind.label} {by_type[kind]} 个" for kind in UnitType if by_type[kind])
    ctx.log(f"{settings.XUANCHUAN_DISTRICT_NAME}：{len(plans)} 个单位（{kinds}）")
    for plan in plans:
        if plan.dissolved_on:
            ctx.log(f"{plan.name}已于 {_chinese_date(plan.dissolved_on)} 撤并；其人员账号已停用")
        elif plan.established_on.year >= ctx.years[1]:
            ctx.log(f"{plan.name}于 {_chinese_date(plan.established_on)} 新设立")
    inactive = sum(1 for person in people if not person.is_active)
    ctx.log(f"人员：{len(people)} 人（其中停用 {inactive} 人），密码均为 {DEMO_PASSWORD}")


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
