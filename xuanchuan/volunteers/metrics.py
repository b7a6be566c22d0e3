"""Figures of the volunteers app (section 三: 组建新时代文明实践志愿服务队伍×余支，×万余人，发布×年志愿服务
项目，开展各类志愿服务活动×多场次; 十大文明实践品牌; 道德信贷积分).

Each figure counts records of its unit and the units below it (``within(unit)``: a team, site or
brand by its own unit, a volunteer by the community they belong to, an activity and its service
records by the organising unit, a points entry or redemption by the account's unit); the district
(``unit=None``) counts all. Only records count: nothing typed in as a total. Cancelled activities,
refused or void service records, refused good deeds and cancelled or expired redemptions are left
out. A count in 万 (×万余人) is the template's ``wan`` of the plain count, as the media figures do.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    Brand,
    Certificate,
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    PointEntry,
    PracticeSite,
    Project,
    ProjectStatus,
    RecordStatus,
    Redemption,
    RedemptionStatus,
    ServiceRecord,
    Team,
    Training,
    Volunteer,
    VolunteerStatus,
)

# Ledger entries that are points earned (a correction may add or take back hours' points).
EARNED_KINDS = (EntryKind.HOURS, EntryKind.GOOD_DEED, EntryKind.CORRECTION)


def _sum(rows: QuerySet, field: str) -> int:
    return rows.aggregate(total=Coalesce(Sum(field), 0))["total"]


@figure(
    "volunteers.teams",
    label="新时代文明实践志愿服务队伍数",
    unit="支",
    synonyms=("志愿服务队伍", "志愿服务队", "志愿者队伍", "组建志愿服务队伍", "文明实践志愿服务队伍"),
    description="期间内存在过的志愿服务队伍：成立日期不晚于期末、且未在期初前撤销（计其所属单位及下级单位的队伍）。",
)
def teams(period: Period, unit: Unit | None) -> QuerySet:
    """期间内存在过的志愿服务队伍（支）：成立不晚于期末、期初时尚未撤销。"""
    return Team.objects.within(unit).filter(founded_on__lte=period.end).exclude(dissolved_on__lt=period.start)


@figure(
    "volunteers.volunteers",
    label="注册志愿者人数",
    unit="人",
    synonyms=("志愿者", "注册志愿者", "志愿者人数", "在册志愿者", "志愿服务队伍人数"),
    description="期末在册的注册志愿者（期末前登记、期末时未注销），按所在社区（村）计；“×万余人”用 wan 写法。",
)
def volunteers(period: Period, unit: Unit | None) -> QuerySet:
    """期末在册的注册志愿者（人）：期末前登记，期末时未注销（期末后才注销的仍计入）。"""
    still_active = Q(status=VolunteerStatus.ACTIVE) | Q(withdrawn_at__gte=period.end_datetime)
    return Volunteer.objects.within(unit).filter(still_active, created_at__lt=period.end_datetime)


@figure(
    "volunteers.new_volunteers",
    label="新注册志愿者人数",
    unit="人",
    synonyms=("新注册志愿者", "新增志愿者", "新招募志愿者", "新发展志愿者"),
    description="期间内登记的志愿者（本人注册、队伍导入或工作人员登记），按所在社区（村）计。",
    date_field="created_at",
)
def new_volunteers(period: Period, unit: Unit | None) -> QuerySet:
    """期间内新登记的志愿者（人）。"""
    return Volunteer.objects.within(unit).filter(period.q_instant("created_at"))


@figure(
    "volunteers.projects",
    label="发布志愿服务项目数",
    unit="个",
    synonyms=("志愿服务项目", "发布志愿服务项目", "年志愿服务项目", "志愿项目"),
    description="期间所在年度已发布（含已结束）的志愿服务项目，不含草稿；按发布队伍的单位计。",
)
def projects(period: Period, unit: Unit | None) -> QuerySet:
    """期间所在年度已发布的志愿服务项目（个），不含草稿。"""
    return Project.objects.within(unit).filter(
        year__gte=period.start.year,
        year__lte=period.end.year,
        status__in=(ProjectStatus.PUBLISHED, ProjectStatus.CLOSED),
    )


@figure(
    "volunteers.activities",
    label="开展志愿服务活动场次",
    unit="场次",
    synonyms=("志愿服务活动", "开展志愿服务活动", "各类志愿服务活动", "文明实践活动", "志愿活动"),
    description="期间内已开始的志愿服务活动（按开始时间），不含草稿和已取消的；按组织单位计。",
    date_field="starts_at",
)
def activities(period: Period, unit: Unit | None) -> QuerySet:
    """期间内开展的志愿服务活动（场次）：已开始、未取消的活动（尚未举行的不计）。"""
    return Activity.objects.within(unit).filter(
        period.q_instant("starts_at"),
        starts_at__lte=timezone.now(),
        status__in=(ActivityStatus.OPEN, ActivityStatus.CLOSED),
    )


def _confirmed_records(period: Period, unit: Unit | None) -> QuerySet:
    return ServiceRecord.objects.within(unit).filter(period.q_date("served_on"), status=RecordStatus.CONFIRMED)


@figure(
    "volunteers.participations",
    label="志愿者参与服务人次",
    unit="人次",
    synonyms=("参与志愿服务", "志愿服务人次", "参与人次", "服务人次", "志愿者参与"),
    description="期间内已确认的志愿服务记录（扫码签到签退或审核通过的补录），不含未签退作废、补录未通过和待审核的。",
    date_field="served_on",
)
def participations(period: Period, unit: Unit | None) -> QuerySet:
    """期间内已确认的志愿服务记录（人次）。"""
    return _confirmed_records(period, unit)


@figure(
    "volunteers.service_hours",
    label="志愿服务时长",
    unit="小时",
    synonyms=("志愿服务时长", "服务时长", "累计服务时长", "志愿服务时间", "服务时间"),
    description="期间内已确认的志愿服务记录的时长合计（分钟数÷60，四舍五入到整小时）。",
)
def service_hours(period: Period, unit: Unit | None) -> Measure:
    """期间内已确认的志愿服务时长（小时）：确认记录的分钟数合计 ÷ 60。"""
    records = _confirmed_records(period, unit)
    return Measure(round(_sum(records, "minutes") / 60), records)


@figure(
    "volunteers.sites",
    label="新时代文明实践阵地数",
    unit="个",
    synonyms=("文明实践中心", "文明实践所", "文明实践站", "新时代文明实践站", "实践站", "实践所", "文明实践阵地"),
    description="期末已设立、在用的新时代文明实践中心、所、站。",
)
def sites(period: Period, unit: Unit | None) -> QuerySet:
    """期末已设立、在用的新时代文明实践中心、所、站（个）。"""
    return PracticeSite.objects.within(unit).filter(active=True, created_at__lt=period.end_datetime)


@figure(
    "volunteers.brands",
    label="文明实践品牌数",
    unit="个",
    synonyms=("文明实践品牌", "十大文明实践品牌", "志愿服务品牌"),
    description="期末已创建、在用的文明实践品牌（理论宣讲、道德信贷、孝善矩阵等）。",
)
def brands(period: Period, unit: Unit | None) -> QuerySet:
    """期末已创建、在用的文明实践品牌（个）。"""
    return Brand.objects.within(unit).filter(active=True, created_at__lt=period.end_datetime)


@figure(
    "volunteers.points_earned",
    label="发放道德信贷积分",
    unit="分",
    synonyms=("道德信贷积分", "发放积分", "获得积分", "积分发放", "文明实践积分", "道德积分"),
    description="期间内记入积分账户的积分：确认的服务时长和审核通过的好人好事所得（含时长更正的调整），按账户所属单位计。",
)
def points_earned(period: Period, unit: Unit | None) -> Measure:
    """期间内发放的积分（分）：服务时长、好人好事所得，加上时长更正的调整。"""
    entries = PointEntry.objects.within(unit).filter(period.q_instant("at"), kind__in=EARNED_KINDS)
    return Measure(_sum(entries, "amount"), entries)


def _confirmed_redemptions(period: Period, unit: Unit | None) -> QuerySet:
    return Redemption.objects.within(unit).filter(period.q_instant("confirmed_at"), status=RedemptionStatus.CONFIRMED)


@figure(
    "volunteers.points_redeemed",
    label="兑换使用积分",
    unit="分",
    synonyms=("兑换积分", "积分兑换", "使用积分", "兑换使用积分", "积分超市兑换"),
    description="期间内兑换点核销的兑换所用积分，不含已取消、已过期和待核销的。",
)
def points_redeemed(period: Period, unit: Unit | None) -> Measure:
    """期间内核销的兑换所用积分（分）。"""
    redemptions = _confirmed_redemptions(period, unit)
    return Measure(_sum(redemptions, "points"), redemptions)


@figure(
    "volunteers.redemptions",
    label="积分兑换次数",
    unit="次",
    synonyms=("兑换", "积分兑换", "兑换物品", "兑换次数", "兑换商品"),
    description="期间内兑换点核销的积分兑换（次），不含已取消、已过期和待核销的。",
    date_field="confirmed_at",
)
def redemptions(period: Period, unit: Unit | None) -> QuerySet:
    """期间内核销的积分兑换（次）。"""
    return _confirmed_redemptions(period, unit)


@figure(
    "volunteers.good_deeds",
    label="好人好事申报通过件数",
    unit="件",
    synonyms=("好人好事", "善行义举", "好人好事申报", "文明行为"),
    description="期间内审核通过（记入积分）的好人好事申报，不含待审核和未通过的。",
    date_field="decided_at",
)
def good_deeds(period: Period, unit: Unit | None) -> QuerySet:
    """期间内审核通过的好人好事（件）。"""
    return GoodDeedClaim.objects.within(unit).filter(period.q_instant("decided_at"), status=ClaimStatus.APPROVED)


@figure(
    "volunteers.trainings",
    label="志愿者培训人次",
    unit="人次",
    synonyms=("志愿者培训", "培训志愿者", "志愿服务培训"),
    description="期间内志愿者参加培训的记录（人次），按培训单位计。",
    date_field="held_on",
)
def trainings(period: Period, unit: Unit | None) -> QuerySet:
    """期间内志愿者参加培训的人次。"""
    return Training.objects.within(unit).filter(period.q_date("held_on"))


@figure(
    "volunteers.certificates",
    label="出具志愿服务记录证明份数",
    unit="份",
    synonyms=("志愿服务记录证明", "服务证明", "时长证明", "出具证明"),
    description="期间内出具且未作废的志愿服务记录证明（份），按出具单位计。",
    date_field="issued_at",
)
def certificates(period: Period, unit: Unit | None) -> QuerySet:
    """期间内出具、未作废的志愿服务记录证明（份）。"""
    return Certificate.objects.within(unit).filter(period.q_instant("issued_at"), revoked_at__isnull=True)
