"""Demo data of the theory app, first part: the central study groups (区委理论学习中心组 on the
district's root unit, two streets' and the education bureau's), their members (org's demo staff;
one member leaves last year and another joins), a plan of each group for each of the three years
(ten to twelve items of all three kinds), and the sessions: most planned items held (the current
year up to today, the rest scheduled), a few extra sessions each year more than the year before,
attendance mostly by scan and some recorded by the secretary, approved leave with make-up study
(most done in time, a few overdue), a refused leave, speeches at the discussions, minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.org.models import Unit, User
from xuanchuan.theory.models import (
    Attendance,
    AttendanceSource,
    Leave,
    LeaveStatus,
    MemberRole,
    PlannedSession,
    SessionKind,
    SessionStatus,
    Speech,
    StudyGroup,
    StudyMember,
    StudyPlan,
    StudySession,
)

TOPICS: tuple[tuple[str, str], ...] = (
    ("习近平新时代中国特色社会主义思想", "《习近平谈治国理政》相关篇目"),
    ("党的二十大精神", "党的二十大报告、党章"),
    ("全国“两会”精神", "政府工作报告"),
    ("习近平总书记关于意识形态工作的重要论述", "《论党的宣传思想工作》"),
    ("党史学习教育", "《中国共产党简史》"),
    ("全面从严治党", "《中国共产党纪律处分条例》"),
    ("乡村振兴战略", "中央一号文件"),
    ("铸牢中华民族共同体意识", "相关重要讲话"),
    ("生态文明建设", "《习近平生态文明思想学习纲要》"),
    ("基层治理现代化", "关于加强基层治理体系和治理能力现代化建设的意见"),
    ("社会主义核心价值观", "《新时代公民道德建设实施纲要》"),
    ("新时代文明实践", "关于深化新时代文明实践中心建设的指导意见"),
    ("总体国家安全观", "《总体国家安全观学习纲要》"),
    ("优化营商环境", "《优化营商环境条例》"),
)
# The kinds of a year's twelve items, in the order of their months.
KINDS = (
    SessionKind.STUDY, SessionKind.DISCUSSION, SessionKind.STUDY, SessionKind.TUTORIAL, SessionKind.STUDY,
    SessionKind.DISCUSSION, SessionKind.STUDY, SessionKind.STUDY, SessionKind.DISCUSSION, SessionKind.TUTORIAL,
    SessionKind.STUDY, SessionKind.DISCUSSION,
)  # fmt: skip
LEAVE_REASONS = ("赴市里参加会议", "外出招商", "带队督查", "参加专题培训", "病假", "处置突发事件")
PLACES = ("区委第一会议室", "区委常委会议室", "党群服务中心会议室", "新时代文明实践中心")


@dataclass
class Group:
    group: StudyGroup
    members: list[StudyMember]
    leader: User
    secretary: User
    items_per_year: int


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(ctx: DemoContext) -> StudyGroup:
    groups = _groups(ctx)
    plans = _plans(ctx, groups)
    sessions = _sessions(ctx, groups, plans)
    counts = _attendance(ctx, groups, sessions)
    held = sum(1 for session in sessions if session.status == SessionStatus.HELD)
    ctx.log(
        f"理论学习中心组 {len(groups)} 个，学习计划 {len(plans)} 份，学习会议 {len(sessions)} 场（已举行 {held} 场），"
        f"签到 {counts[0]} 人次，请假 {counts[1]} 人次，交流发言 {counts[2]} 篇"
    )
    return groups[0].group


def _staff(ctx: DemoContext, unit: Unit) -> list[User]:
    return list(ctx.shared.get("staff_by_unit", {}).get(unit.code, []))


def _groups(ctx: DemoContext) -> list[Group]:
    units: dict[str, Unit] = ctx.shared["units_by_code"]
    district: Unit = ctx.shared["district"]
    by_name = {unit.name: unit for unit in units.values()}
    admins = ctx.shared["users_by_role"].get("dept_admin", [])
    if not admins:
        raise DemoError("没有部管理员账号，无法组建区委理论学习中心组")
    departments = [
        unit
        for kind in ("party_dept", "gov_dept")
        for unit in ctx.shared["units_by_type"].get(kind, [])
        if unit.dissolved_on is None
    ]
    # 区委: the publicity department's administrators and one person of each department.
    district_people = [*admins[:2], *(people[0] for unit in departments if (people := _staff(ctx, unit)))]
    streets = ctx.shared["units_by_type"].get("street", [])[:2]

    def below(parent: Unit) -> list[Unit]:
        return [unit for unit in units.values() if unit.depth == parent.depth + 1 and unit.path.startswith(parent.path)]

    plans = [(district, "区委理论学习中心组", district_people, 12)]
    for street in streets:
        people = _staff(ctx, street)
        for community in below(street):
            people += _staff(ctx, community)[:1]
        plans.append((street, f"{street.name}党工委理论学习中心组", people, 10))
    education = by_name.get("区教育局")
    if education is not None:
        people = _staff(ctx, education) + [p for unit in below(education) for p in _staff(ctx, unit)[:1]]
        plans.append((education, "区教育局党组理论学习中心组", people, 10))
    start = date(ctx.years[0], 1, 1)
    groups = []
    for unit, name, people, items in plans:
        people = list(dict.fromkeys(people))  # each person once
        if len(people) < 3:
            continue
        group = StudyGroup.objects.create(
            unit=unit, name=name, description=f"{name}按年度学习计划开展集中学习、研讨交流和专题辅导。",
            created_by=people[0], created_at=at(start - timedelta(days=30)),
        )  # fmt: skip
        # The last person joins only last year, in place of one who leaves then.
        rows = []
        for index, user in enumerate(people):
            role = (
                MemberRole.LEADER if index == 0 else MemberRole.SECRETARY if index == 1 else
                MemberRole.DEPUTY if index == 2 else MemberRole.MEMBER
            )  # fmt: skip
            joined = start - timedelta(days=ctx.rng.randint(30, 700))
            rows.append(StudyMember(group=group, user=user, role=role, joined_on=joined))
        rows[-1].joined_on = date(ctx.years[1], 7, 1)
        rows[-2].left_on = date(ctx.years[1], 6, 30)
        bulk_insert(StudyMember, rows)
        groups.append(Group(group, rows, people[0], people[1], items))
    return groups


def _plans(ctx: DemoContext, groups: list[Group]) -> list[tuple[StudyPlan, list[PlannedSession]]]:
    plans = []
    for entry in groups:
        for number, year in enumerate(ctx.years):
            plan = StudyPlan.objects.create(
                unit=entry.group.unit, group=entry.group, year=year, title=f"{entry.group.name}{year}年学习计划",
                note="坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务。",
                created_by=entry.secretary, created_at=at(date(year, 1, 1) - timedelta(days=20)),
            )  # fmt: skip
            count = min(12, entry.items_per_year + number - 1 + ctx.rng.randint(0, 1))
            months = sorted(ctx.rng.sample(range(1, 13), count))
            items = []
            for index, month in enumerate(months):
                topic, materials = TOPICS[ctx.rng.randrange(len(TOPICS))]
                items.append(
                    PlannedSession(
                        plan=plan,
                        topic=f"专题学习{topic}",
                        kind=KINDS[index % len(KINDS)],
                        month=month,
                        materials=materials,
                        speakers=entry.leader.full_name if index % 3 == 0 else "",
                    )  # fmt: skip
                )
            bulk_insert(PlannedSession, items)
            plans.append((plan, items))
    return plans


def _session(entry: Group, kind: str, topic: str, starts_at: datetime, status: str, **fields) -> StudySession:
    return StudySession(
        unit=entry.group.unit, group=entry.group, topic=topic, kind=kind, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), speakers=entry.leader.full_name, status=status,
        created_by=entry.secretary, created_at=starts_at - timedelta(days=7), **fields,
    )  # fmt: skip


def _sessions(
    ctx: DemoContext, groups: list[Group], plans: list[tuple[StudyPlan, list[PlannedSession]]]
) -> list[StudySession]:
    """Each planned item held in its month (one in twelve of the past ones not held); the current
    year's coming ones scheduled; extra unplanned sessions, more each year."""
    by_group = {entry.group.pk: entry for entry in groups}
    latest = ctx.now - timedelta(hours=3)
    sessions = []
    for plan, items in plans:
        entry = by_group[plan.group_id]
        for index, item in enumerate(items):
            day = date(plan.year, item.month, ctx.rng.randint(5, 25))
            starts_at = at(day, ctx.rng.choice((9, 14)), ctx.rng.choice((0, 30)))
            if index == 0 and starts_at > latest and plan.year == ctx.today.year:
                # The year's first session is always held, even early in January.
                starts_at = max(at(date(plan.year, 1, 1), 0), latest - timedelta(days=1))
            skipped = ctx.chance(1 / 12) and index > 0
            if starts_at > latest:
                status = SessionStatus.SCHEDULED
            else:
                status = SessionStatus.CANCELLED if skipped else SessionStatus.HELD
            sessions.append(
                _session(
                    entry,
                    item.kind,
                    item.topic,
                    starts_at,
                    status,
                    planned=item,
                    materials=item.materials,
                    place=ctx.rng.choice(PLACES),
                )  # fmt: skip
            )
        for _extra in range(ctx.years.index(plan.year) + 1):
            starts_at = ctx.random_datetime_between(at(date(plan.year, 1, 1)), at(date(plan.year + 1, 1, 1)))
            if starts_at <= latest and starts_at.hour < 20:
                topic, materials = TOPICS[ctx.rng.randrange(len(TOPICS))]
                sessions.append(
                    _session(
                        entry,
                        SessionKind.DISCUSSION,
                        f"围绕{topic}开展集中研讨",
                        starts_at,
                        SessionStatus.HELD,
                        materials=materials,
                        place=ctx.rng.choice(PLACES),
                    )  # fmt: skip
                )
    for session in sessions:
        session.created_at = min(session.created_at, ctx.now)
        if session.status == SessionStatus.HELD:
            session.closed_at = session.ends_at
            session.minutes = (
                f"会议围绕“{session.topic}”开展学习，与会同志结合分管工作交流了学习体会，"
                "会议明确了下一步贯彻落实的具体举措。"
            )
    bulk_insert(StudySession, sessions)
    return sessions


def _current(member: StudyMember, day: date) -> bool:
    return member.joined_on <= day and (member.left_on is None or member.left_on >= day)


def _attendance(ctx: DemoContext, groups: list[Group], sessions: list[StudySession]) -> tuple[int, int, int]:
    """Attendance of the held sessions: of the members current that day, about one in twelve on
    approved leave (made up by the due date, some late, a few overdue), a few refused leave or
    simply absent, the rest present (one in seven recorded by the secretary)."""
    by_group = {entry.group.pk: entry for entry in groups}
    attendances, leaves, speeches = [], [], []
    for session in sessions:
        session.created_at = min(session.created_at, ctx.now)
        if session.status != SessionStatus.HELD:
            continue
        entry = by_group[session.group_id]
        day = timezone.localdate(session.starts_at)
        present = []
        for member in entry.members:
            if not _current(member, day):
                continue
            draw = ctx.rng.random()
            if draw < 0.08 and member.user != entry.leader:
                leaves.append(_leave(ctx, entry, session, member, LeaveStatus.APPROVED))
            elif draw < 0.10:
                leaves.append(_leave(ctx, entry, session, member, LeaveStatus.REFUSED))
            elif draw < 0.13:
                continue  # absent without leave
            else:
                present.append(member)
                manual = ctx.chance(1 / 7)
                attendances.append(
                    Attendance(
                        session=session,
                        member=member,
                        source=AttendanceSource.MANUAL if manual else AttendanceSource.SCAN,
                        at=session.starts_at - timedelta(minutes=ctx.rng.randint(0, 15))
                        if not manual
                        else session.ends_at,
                        recorded_by=entry.secretary if manual else None,
                    )  # fmt: skip
                )
        if session.kind == SessionKind.DISCUSSION:
            for member in present[: ctx.rng.randint(2, 4)]:
                speeches.append(
                    Speech(
                        session=session,
                        member=member,
                        title=f"关于{session.topic[:20]}的学习体会",
                        text="结合分管工作谈学习体会：一是提高政治站位；二是抓好贯彻落实；三是以学促干、推动工作。",
                        submitted_at=session.ends_at + timedelta(hours=ctx.rng.randint(1, 48)),
                    )  # fmt: skip
                )
    bulk_insert(Attendance, attendances, keep_ids=False)
    bulk_insert(Leave, leaves, keep_ids=False)
    bulk_insert(Speech, speeches, keep_ids=False)
    return len(attendances), len(leaves), len(speeches)


def _leave(ctx: DemoContext, entry: Group, session: StudySession, member: StudyMember, status: str) -> Leave:
    asked = session.starts_at - timedelta(days=ctx.rng.randint(1, 3), hours=ctx.rng.randint(0, 6))
    leave = Leave(
        session=session, member=member, reason=ctx.rng.choice(LEAVE_REASONS), status=status, created_at=asked,
        decided_by=entry.leader, decided_at=asked + timedelta(hours=ctx.rng.randint(1, 12)),
    )  # fmt: skip
    if status != LeaveStatus.APPROVED:
        return leave
    day = timezone.localdate(session.starts_at)
    leave.makeup_due = day + timedelta(days=14)
    if ctx.chance(0.85):  # made up: most within the fortnight, some a little late
        made_up = at(day + timedelta(days=ctx.rng.randint(2, 18)), ctx.rng.randint(8, 21), ctx.rng.randint(0, 59))
        if made_up < ctx.now:
            leave.made_up_at = made_up
            leave.makeup_note = f"自学“{session.topic[:30]}”的学习材料，撰写学习笔记一篇。"
    return leave
