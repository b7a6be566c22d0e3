"""Figures of the theory app (section 一 of the report: 举办区委理论学习中心组学习会议×场次，集中研讨交流×次；
组建四级宣讲队伍，开展宣讲活动；打造×小时不打烊的理论宣讲“云课堂”).

Each figure counts records of its unit and the units below it (``within(unit)``; the district,
``unit=None``, counts all), except the three figures of *the* central study group (区委理论学习中心组):
those count the sessions of the groups the report's unit owns itself (for the district the root
unit's own groups, i.e. the 区委's), because the report speaks of the committee's own group, not of
every unit's. They return a ``Measure`` so the dashboards compute them unit by unit (a unit's value
is not its share of the district's).

Only held sessions and lectures count (scheduled, planned and cancelled ones do not), questions only
once shown with an answer, classroom items only while published. Plays are the classroom's
``Play`` rows: one per viewer, item and day, however often the viewer pressed play, and watch time is
the sum of ``Play.watched_seconds`` (what each viewer newly watched that day), so a replayed stretch
is never counted twice.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractHour
from django.utils import timezone

from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Measure, Period, figure
from xuanchuan.theory.models import (
    ClassItem,
    ItemStatus,
    Leave,
    LeaveStatus,
    Lecture,
    Lecturer,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    PlannedSession,
    Play,
    RequestStatus,
    SessionKind,
    SessionStatus,
    StudySession,
)
from xuanchuan.theory.queries.study import attendance_counts
from xuanchuan.theory.queries.viewers import plays_between, questions_answered_between, watch_seconds_between

STUDY_WORDS = ("理论学习中心组", "中心组学习")


def _sum(rows: QuerySet, field: str) -> int:
    return rows.aggregate(total=Coalesce(Sum(field), 0))["total"]


def _one_decimal(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` rounded half up to one decimal, as the report writes numbers
    (``round`` would make 0.25 hours 0.2)."""
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent with one decimal; None (no data, flagged) when nothing was due."""
    return _one_decimal(100 * part, whole) if whole else None


# --- central study groups ------------------------------------------------------------------------


def _held_sessions(period: Period, unit: Unit | None) -> QuerySet:
    return StudySession.objects.within(unit).filter(period.q_instant("starts_at"), status=SessionStatus.HELD)


def _center_group_sessions(period: Period, unit: Unit | None) -> QuerySet:
    """Held sessions of the groups ``unit`` owns itself; for the district, the root unit's own
    groups (the 区委理论学习中心组), not the groups of departments, streets or towns."""
    own = Q(group__unit__depth=1) if unit is None else Q(group__unit=unit)
    return StudySession.objects.filter(own, period.q_instant("starts_at"), status=SessionStatus.HELD)


@figure(
    "theory.center_group_sessions",
    label="区委理论学习中心组学习会议场次",
    unit="场次",
    synonyms=(
        "理论学习中心组学习会议",
        "中心组学习会议",
        "理论学习中心组学习",
        "中心组学习",
        "学习会议",
        "集体学习",
        "区委理论学习中心组",
    ),
    description="期间内已举行的本单位自身中心组的学习会议（含集中学习、研讨交流、专题辅导），全区即区委理论学习中心组；"
    "不含下级单位的中心组、已安排未举行和已取消的会议。",
)
def center_group_sessions(period: Period, unit: Unit | None) -> Measure:
    """期间内举办的区委（本单位）理论学习中心组学习会议（场次）。"""
    sessions = _center_group_sessions(period, unit)
    return Measure(sessions.count(), sessions)


@figure(
    "theory.center_group_discussions",
    label="区委理论学习中心组集中研讨交流次数",
    unit="次",
    synonyms=("集中研讨交流", "集中研讨", "研讨交流", "专题研讨", "交流研讨", "研讨发言"),
    description="期间内已举行的本单位自身中心组学习会议中形式为“研讨交流”的（全区即区委理论学习中心组）。",
)
def center_group_discussions(period: Period, unit: Unit | None) -> Measure:
    """期间内区委（本单位）理论学习中心组集中研讨交流（次）。"""
    sessions = _center_group_sessions(period, unit).filter(kind=SessionKind.DISCUSSION)
    return Measure(sessions.count(), sessions)


@figure(
    "theory.center_group_tutorials",
    label="区委理论学习中心组专题辅导报告场数",
    unit="场",
    synonyms=("专题辅导报告", "专题辅导", "辅导报告", "专题讲座"),
    description="期间内已举行的本单位自身中心组学习会议中形式为“专题辅导”的（全区即区委理论学习中心组）。",
)
def center_group_tutorials(period: Period, unit: Unit | None) -> Measure:
    """期间内区委（本单位）理论学习中心组专题辅导报告（场）。"""
    sessions = _center_group_sessions(period, unit).filter(kind=SessionKind.TUTORIAL)
    return Measure(sessions.count(), sessions)


@figure(
    "theory.study_sessions",
    label="各级理论学习中心组学习场次",
    unit="场次",
    synonyms=("各级理论学习中心组", "各级中心组学习", "各单位中心组学习", *STUDY_WORDS),
    description="期间内本单位及下级单位各理论学习中心组已举行的学习会议，不含已安排未举行和已取消的。",
    date_field="starts_at",
)
def study_sessions(period: Period, unit: Unit | None) -> QuerySet:
    """期间内各级理论学习中心组举行的学习会议（场次）。"""
    return _held_sessions(period, unit)


@figure(
    "theory.attendance_rate",
    label="理论学习中心组学习出席率",
    unit="%",
    synonyms=("出席率", "参学率", "到会率", "中心组学习出席率"),
    description="期间内已举行的学习会议：应出席为会议当日在组的成员（加入日期不晚于当日、未退出或退出日期不早于当日）"
    "减去已准假的成员，实到为这些成员的签到记录；出席率 = 实到合计 ÷ 应出席合计 × 100%，保留一位小数。",
)
def attendance_rate(period: Period, unit: Unit | None) -> Measure:
    """期间内中心组学习出席率（%）：实到人次 ÷ 应出席人次（扣除准假）。"""
    sessions = _held_sessions(period, unit)
    # The one rule of the platform, shared with the study pages (queries.study.attendance_counts).
    attended, expected = attendance_counts(sessions)
    return Measure(_percent(attended, expected), sessions)


@figure(
    "theory.plan_completion",
    label="理论学习中心组学习计划完成率",
    unit="%",
    synonyms=("学习计划完成率", "计划完成率", "完成学习计划"),
    description="期间所在年度各中心组学习计划的计划专题中，已有举行的学习会议（期末前举行）对应的所占比例，保留一位小数。",
)
def plan_completion(period: Period, unit: Unit | None) -> Measure:
    """期间所在年度学习计划的完成率（%）：已举行的计划专题 ÷ 全部计划专题。"""
    items = PlannedSession.objects.within(unit).filter(
        plan__year__gte=period.start.year, plan__year__lte=period.end.year
    )
    held = StudySession.objects.filter(
        planned=OuterRef("pk"),
        status=SessionStatus.HELD,
        starts_at__lt=period.end_datetime,
    )
    done = items.filter(Exists(held)).count()
    return Measure(_percent(done, items.count()), items)


@figure(
    "theory.makeups",
    label="中心组成员请假补学人次",
    unit="人次",
    synonyms=("补学", "请假补学", "完成补学"),
    description="期间内完成补学的已准假请假记录（人次），按学习会议的单位计。",
    date_field="made_up_at",
)
def makeups(period: Period, unit: Unit | None) -> QuerySet:
    """期间内完成补学的人次（已准假且已补学）。"""
    return Leave.objects.within(unit).filter(period.q_instant("made_up_at"), status=LeaveStatus.APPROVED)


# --- lectures ------------------------------------------------------------------------------------


@figure(
    "theory.lecture_teams",
    label="四级宣讲队伍数",
    unit="支",
    synonyms=("四级宣讲队伍", "宣讲队伍", "宣讲队", "组建宣讲队伍", "宣讲团", "轻骑兵"),
    description="期末前组建、仍在启用的宣讲队伍（专家领导讲理论、干部职工讲政策、党员群众讲故事、红色文艺轻骑兵）。",
)
def lecture_teams(period: Period, unit: Unit | None) -> QuerySet:
    """期末已组建、启用中的宣讲队伍（支）。"""
    return LectureTeam.objects.within(unit).filter(active=True, created_at__lt=period.end_datetime)


@figure(
    "theory.lecturers",
    label="宣讲员人数",
    unit="名",
    synonyms=("宣讲员", "宣讲骨干", "宣讲人员", "百姓宣讲员"),
    description="期末前登记、仍在队的宣讲员（所在队伍启用中）。",
)
def lecturers(period: Period, unit: Unit | None) -> QuerySet:
    """期末在队的宣讲员（名）。"""
    return Lecturer.objects.within(unit).filter(active=True, team__active=True, created_at__lt=period.end_datetime)


def _held_lectures(period: Period, unit: Unit | None) -> QuerySet:
    return Lecture.objects.within(unit).filter(period.q_instant("starts_at"), status=LectureStatus.HELD)


@figure(
    "theory.lectures",
    label="开展宣讲活动场次",
    unit="场次",
    synonyms=("开展宣讲活动", "宣讲活动", "开展宣讲", "宣讲", "理论宣讲", "微宣讲活动"),
    description="期间内已开展（记录了受众人数）的宣讲活动，不含已安排未开展和已取消的；按宣讲所属单位计。",
    date_field="starts_at",
)
def lectures(period: Period, unit: Unit | None) -> QuerySet:
    """期间内开展的宣讲活动（场次）。"""
    return _held_lectures(period, unit)


@figure(
    "theory.lecture_audience",
    label="宣讲受众人次",
    unit="人次",
    synonyms=("受众", "听众", "覆盖群众", "受教育群众", "宣讲受众", "参加群众"),
    description="期间内已开展的宣讲活动记录的受众人数合计（人次）。",
)
def lecture_audience(period: Period, unit: Unit | None) -> Measure:
    """期间内宣讲活动的受众合计（人次）。"""
    held = _held_lectures(period, unit)
    return Measure(_sum(held, "audience"), held)


@figure(
    "theory.lecture_requests_done",
    label="群众点单宣讲场数",
    unit="场",
    synonyms=("群众点单", "点单宣讲", "点单", "按需宣讲"),
    description="期间内完成的宣讲点单：状态为“已宣讲”、其宣讲活动在期间内开展（按点单所属单位计）。",
    date_field="lecture__starts_at",
)
def lecture_requests_done(period: Period, unit: Unit | None) -> QuerySet:
    """期间内完成的群众点单宣讲（场）。"""
    return LectureRequest.objects.within(unit).filter(
        period.q_instant("lecture__starts_at"), status=RequestStatus.DONE, lecture__status=LectureStatus.HELD
    )


# --- the cloud classroom -------------------------------------------------------------------------


@figure(
    "theory.classroom_items",
    label="云课堂微视频、音频数",
    unit="个",
    synonyms=("微视频、音频", "微视频", "音频", "云课堂课程", "上线课程", "云课堂"),
    description="期末前已发布、期初时仍在线的云课堂课程（视频、音频）：已撤下的，撤下时间不早于期初。",
)
def classroom_items(period: Period, unit: Unit | None) -> QuerySet:
    """期间内在线的云课堂微视频、音频（个）。"""
    online = Q(status=ItemStatus.PUBLISHED) | Q(status=ItemStatus.WITHDRAWN, withdrawn_at__gte=period.start_datetime)
    return ClassItem.objects.within(unit).filter(online, published_at__lt=period.end_datetime)


def _plays(period: Period, unit: Unit | None) -> QuerySet:
    # The viewers part's one rule: Play rows on the period's days (one per viewer, item and day).
    return plays_between(period.start, period.end, unit)


@figure(
    "theory.plays",
    label="云课堂播放次数",
    unit="次",
    synonyms=("云课堂播放", "播放", "收看", "点播"),
    description="期间内云课堂的播放：同一观看者同一天看同一课程计一次，反复点播不重复计。",
    date_field="day",
)
def plays(period: Period, unit: Unit | None) -> QuerySet:
    """期间内云课堂的播放（次，每人每课每天一次）。"""
    return _plays(period, unit)


@figure(
    "theory.viewers",
    label="云课堂观看人数",
    unit="人",
    synonyms=("观看人数", "收看人数", "观看群众", "云课堂观众"),
    description="期间内播放过云课堂课程的不同观看者（按浏览器匿名标识计）。",
)
def viewers(period: Period, unit: Unit | None) -> Measure:
    """期间内观看云课堂的人数（不同观看者）。"""
    records = _plays(period, unit)
    return Measure(records.aggregate(n=Count("viewer", distinct=True))["n"], records)


@figure(
    "theory.watch_hours",
    label="云课堂观看时长",
    unit="小时",
    synonyms=("观看时长", "收看时长", "学习时长", "观看"),
    description="期间内各观看者新看的时长合计（秒 ÷ 3600，保留一位小数）；同一片段反复观看只计一次。",
)
def watch_hours(period: Period, unit: Unit | None) -> Measure:
    """期间内云课堂观看时长（小时）。"""
    return Measure(_one_decimal(watch_seconds_between(period.start, period.end, unit), 3600), _plays(period, unit))


@figure(
    "theory.questions_answered",
    label="云课堂答疑条数",
    unit="条",
    synonyms=("答疑解惑", "答疑", "解答群众提问", "回复提问", "群众提问"),
    description="期间内解答并公开的群众提问（审核通过且有解答），按课程所属单位计。",
    date_field="answered_at",
)
def questions_answered(period: Period, unit: Unit | None) -> QuerySet:
    """期间内解答并公开的群众提问（条）。"""
    # The viewers part's one rule (shown, with an answer, answered on a day of the period).
    return questions_answered_between(period.start, period.end, unit)


@figure(
    "theory.classroom_open_hours",
    label="云课堂有人收看的时段",
    unit="小时",
    synonyms=("小时不打烊", "不打烊", "全天候", "有人收看的时段"),
    description="期间内有人开始播放的钟点数（本地时间 0–23 时中出现过播放的小时数）：24 即每个钟点都有群众在看。",
)
def classroom_open_hours(period: Period, unit: Unit | None) -> Measure:
    """期间内云课堂有人开始收看的不同钟点数（0–24）。"""
    records = Play.objects.within(unit).filter(period.q_instant("at"))
    hours = (
        records.order_by()
        .annotate(_hour=ExtractHour("at", tzinfo=timezone.get_current_timezone()))
        .values("_hour")
        .distinct()
        .count()
    )
    return Measure(hours, records)
