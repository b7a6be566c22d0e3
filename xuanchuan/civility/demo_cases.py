"""Demo data of the civility app's cases part (see ``demo.py``): problems found at the demo places
over the three demo years (inspections and citizens' reports, some unverified, rejected or merged)
and the tickets (交办单) assigning most of them, in every state — issued, replied, reopened,
accepted on time and late, closed as not fixable, escalated (督办, with notices) — with their
history. A few go through the services as an inspector's would; the many are bulk-inserted.

Runs after ``demo_standards`` (``ctx.shared["civility_places"]``, ``["civility_categories"]``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from xuanchuan.civility.deadlines import ticket_deadline
from xuanchuan.civility.models.cases import (
    EventKind,
    Problem,
    ProblemSource,
    ProblemStatus,
    SupervisionNotice,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from xuanchuan.civility.services.tickets import ticket_number
from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.org.models import RoleCode

DESCRIPTIONS = {
    "市容环境": ("路面垃圾未及时清扫", "沿街店铺跨门经营", "绿化带内堆放杂物", "乱贴乱画小广告"),
    "集贸市场": ("市场内摊位占道经营", "活禽区卫生脏乱", "市场公厕保洁不到位"),
    "公共设施": ("人行道井盖缺失", "路灯损坏不亮", "公交站台座椅破损", "盲道被占用"),
    "交通秩序": ("非机动车乱停乱放", "机动车占用人行道停放", "路口行人闯红灯无人劝导"),
    "公益广告": ("公益广告破损褪色", "公益广告数量不足", "围挡公益广告缺失"),
    "社区环境": ("楼道堆放杂物", "小区垃圾分类桶满溢", "宣传栏内容陈旧"),
    "窗口单位": ("服务大厅未公示办事流程", "工作人员未佩戴工作牌", "无障碍设施缺失"),
}
FALLBACK = ("现场存在不文明问题，需整改",)
REOPEN_REASONS = ("现场复查仍有垃圾未清理", "整改照片角度不一致，无法确认", "问题反弹，需建立长效机制")
REPLIES = ("已组织人员清理整改，并安排专人每日巡查", "已协调责任单位完成维修", "已劝导商户规范经营并签订承诺书")
UNFIXABLE_REASONS = ("该路段已列入明年改造计划，现阶段无法整改，已设置临时警示", "涉及产权争议，已报区政府协调")


def _text(ctx: DemoContext, category) -> str:
    options = DESCRIPTIONS.get(category.group, FALLBACK)
    return options[ctx.rng.randrange(len(options))]


def seed(ctx: DemoContext) -> None:
    places = [place for place in ctx.shared.get("civility_places", []) if place.is_active]
    categories = ctx.shared.get("civility_categories") or []
    inspectors = ctx.shared["users_by_role"].get(RoleCode.CIVILITY_INSPECTOR) or []
    if not places or not categories or not inspectors:
        raise DemoError("文明创建演示数据需要点位、问题类别和创城督查员账号（ducha）。")
    inspector = inspectors[0]
    staff_by_unit = ctx.shared["staff_by_unit"]
    now = ctx.now
    problems: list[Problem] = []
    plans: list[tuple[list[int], datetime]] = []  # (indexes into problems, issued_at)
    for year in ctx.years:
        count = ctx.scaled(70, 4000)
        for index in range(count):
            place = places[ctx.rng.randrange(len(places))]
            category = categories[ctx.rng.randrange(len(categories))]
            found_at = ctx.random_datetime(year)
            citizen = ctx.chance(0.15)
            status = ProblemStatus.OPEN
            if citizen and ctx.chance(0.2):
                status = ProblemStatus.UNVERIFIED if found_at > now - timedelta(days=10) else ProblemStatus.REJECTED
            elif ctx.chance(0.04):
                status = ProblemStatus.MERGED
            problems.append(
                Problem(
                    unit=inspector.unit,
                    created_by=None if citizen else inspector,
                    created_at=found_at,
                    public_id=f"D{year}-{index + 1:07d}",
                    source=ProblemSource.OPEN311 if citizen else ProblemSource.INSPECTION,
                    category=category,
                    place=place,
                    area=place.area,
                    address=place.address,
                    description=_text(ctx, category),
                    severity=category.default_severity if ctx.chance(0.8) else "severe",
                    immediate=ctx.chance(0.05),
                    found_at=found_at,
                    status=status,
                    verified_by=inspector if citizen and status == ProblemStatus.OPEN else None,
                    verified_at=found_at + timedelta(hours=4) if citizen and status == ProblemStatus.OPEN else None,
                    reporter_name="市民" if citizen else "",
                )
            )
    problems.sort(key=lambda problem: problem.found_at)
    # Group the open problems of one area into tickets of one to three, issued a little later.
    pending: list[int] = []
    for position, problem in enumerate(problems):
        if problem.status != ProblemStatus.OPEN or ctx.chance(0.08):
            continue  # some stay 待交办
        pending.append(position)
        if len(pending) >= 1 + ctx.rng.randrange(3) or ctx.chance(0.4):
            first = problems[pending[0]]
            issued_at = min(first.found_at + timedelta(hours=2 + ctx.rng.randrange(48)), now)
            same_area = [i for i in pending if problems[i].area_id == first.area_id]
            plans.append((same_area, issued_at))
            pending = [i for i in pending if i not in same_area]
    bulk_insert(Problem, problems)

    tickets: list[Ticket] = []
    members: list[list[Problem]] = []
    outcomes: list[str] = []
    sequences: dict[int, int] = {}
    for indexes, issued_at in plans:
        group = [problems[i] for i in indexes]
        year = issued_at.astimezone(now.tzinfo).year if issued_at.tzinfo else issued_at.year
        sequences[year] = sequences.get(year, 0) + 1
        due_on = ticket_deadline(group, issued_at.date())
        unit = group[0].area
        roll = ctx.rng.random()
        outcome = (
            "on_time"
            if roll < 0.52
            else "late"
            if roll < 0.66
            else "reopened_accepted"
            if roll < 0.78
            else "unfixable"
            if roll < 0.83
            else "replied"
            if roll < 0.89
            else "reopened"
            if roll < 0.93
            else "issued"
        )
        tickets.append(
            Ticket(
                unit=unit,
                created_by=inspector,
                created_at=issued_at,
                number=ticket_number(year, sequences[year]),
                year=year,
                sequence=sequences[year],
                issued_by=inspector,
                issuing_unit=inspector.unit,
                issued_at=issued_at,
                due_on=due_on,
                requirement="请按期整改到位，整改后拍摄同角度照片反馈。",
            )
        )
        members.append(group)
        outcomes.append(outcome)

    events: list[TicketEvent] = []
    notices: list[SupervisionNotice] = []
    day = timedelta(days=1)
    for ticket, outcome in zip(tickets, outcomes, strict=True):
        staff = staff_by_unit.get(ticket.unit.code) or [None]
        replier = staff[0]
        events.append(TicketEvent(ticket=ticket, kind=EventKind.ISSUED, by=inspector, at=ticket.issued_at))
        due_end = datetime.combine(ticket.due_on, datetime.min.time(), tzinfo=ticket.issued_at.tzinfo)
        if outcome == "late":
            reply_at = due_end + day * (2 + ctx.rng.randrange(6))
        else:
            reply_at = ticket.issued_at + (due_end - ticket.issued_at) * ctx.rng.uniform(0.2, 0.9)
        if reply_at >= now:  # not yet: the ticket is still being rectified
            outcome = "issued"
        if outcome == "issued":
            ticket.status = TicketStatus.ISSUED
        else:
            ticket.reply, ticket.replied_at, ticket.replied_by = REPLIES[ctx.rng.randrange(3)], reply_at, replier
            events.append(
                TicketEvent(ticket=ticket, kind=EventKind.REPLIED, by=replier, at=reply_at, note=ticket.reply)
            )
            ticket.status = TicketStatus.REPLIED
            if outcome in ("reopened", "reopened_accepted"):
                reopen_at = min(reply_at + day, now)
                reason = REOPEN_REASONS[ctx.rng.randrange(3)]
                events.append(
                    TicketEvent(ticket=ticket, kind=EventKind.REOPENED, by=inspector, at=reopen_at, note=reason)
                )
                ticket.status, ticket.reopen_count = TicketStatus.REOPENED, 1
                second = reopen_at + day * (1 + ctx.rng.randrange(2))
                if outcome == "reopened_accepted" and second + day < now:
                    ticket.replied_at = second
                    events.append(
                        TicketEvent(ticket=ticket, kind=EventKind.REPLIED, by=replier, at=second, note="已再次整改到位")
                    )
                    ticket.status = TicketStatus.REPLIED
                    reply_at = second
            if outcome in ("on_time", "late", "reopened_accepted") and ticket.status == TicketStatus.REPLIED:
                closed_at = reply_at + timedelta(hours=6 + ctx.rng.randrange(40))
                if closed_at < now:
                    ticket.status, ticket.closed_at, ticket.closed_by = TicketStatus.ACCEPTED, closed_at, inspector
                    ticket.on_time = reply_at.date() <= ticket.due_on
                    events.append(TicketEvent(ticket=ticket, kind=EventKind.ACCEPTED, by=inspector, at=closed_at))
            if outcome == "unfixable":
                closed_at = min(reply_at + day * 2, now)
                reason = UNFIXABLE_REASONS[ctx.rng.randrange(2)]
                ticket.status, ticket.closed_at, ticket.closed_by = TicketStatus.UNFIXABLE, closed_at, inspector
                ticket.close_reason = reason
                events.append(
                    TicketEvent(ticket=ticket, kind=EventKind.UNFIXABLE, by=inspector, at=closed_at, note=reason)
                )
        # 督办: a ticket not replied to by its due date was escalated the day after.
        escalate_at = due_end + day + timedelta(hours=8)
        replied_late = ticket.replied_at is None or ticket.replied_at > escalate_at
        if replied_late and escalate_at < now:
            ticket.escalated_at = escalate_at
            text = f"交办单{ticket.number}已超过整改期限，请督促{ticket.unit.name}立即整改并反馈。"
            events.append(TicketEvent(ticket=ticket, kind=EventKind.ESCALATED, at=escalate_at, note=text))
            notices.append(
                SupervisionNotice(
                    unit=ticket.unit,
                    ticket=ticket,
                    recipient=replier,
                    text=text,
                    created_at=escalate_at,
                    read_at=escalate_at + day if ticket.status == TicketStatus.ACCEPTED else None,
                )
            )
    bulk_insert(Ticket, tickets)
    for ticket, group in zip(tickets, members, strict=True):
        status = {
            TicketStatus.ACCEPTED: ProblemStatus.RECTIFIED,
            TicketStatus.UNFIXABLE: ProblemStatus.UNFIXABLE,
        }.get(ticket.status, ProblemStatus.TICKETED)
        for problem in group:
            problem.ticket_id, problem.status = ticket.pk, status
    Problem.objects.bulk_update(
        [problem for group in members for problem in group], ["ticket", "status"], batch_size=2000
    )
    for event in events:
        event.ticket_id = event.ticket.pk
    for notice in notices:
        notice.ticket_id = notice.ticket.pk
    bulk_insert(TicketEvent, events, keep_ids=False)
    bulk_insert(SupervisionNotice, notices, keep_ids=False)
    through_services = _through_services(ctx, inspector, staff_by_unit)
    ctx.log(f"经服务办理交办单 {through_services} 份")
    ctx.log(f"问题 {len(problems)} 条，交办单 {len(tickets)} 份，督办 {len(notices)} 次")


def _through_services(ctx: DemoContext, inspector, staff_by_unit) -> int:
    """A few of this year's waiting problems ticketed, replied to and verified as users would."""
    from xuanchuan.civility.permissions import may_reply
    from xuanchuan.civility.services import tickets as services

    waiting = list(
        Problem.objects.filter(status=ProblemStatus.OPEN, found_at__year=ctx.today.year, area__isnull=False)
        .select_related("category", "place", "area")
        .order_by("found_at")[:3]
    )
    done = 0
    for index, problem in enumerate(waiting):
        unit = services.suggested_unit(problem) or problem.area
        ticket = services.issue_ticket([problem], unit=unit, requirement="立行立改，整改后反馈照片。", by=inspector)
        repliers = [user for user in staff_by_unit.get(unit.code, []) if may_reply(user)]
        if repliers and index < 2:
            services.reply(ticket, text=REPLIES[index], by=repliers[0])
            if index == 0:
                services.accept(ticket, by=inspector)
        done += 1
    return done
