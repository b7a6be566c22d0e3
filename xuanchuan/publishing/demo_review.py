"""Demo data of the publishing app's review part (see ``demo.py``): publications in every state.

Over each of the demo's three years, many items (``ctx.scaled(70, 1500)`` a year) written by the
units' reporters about the district's work, passed through 初审, 复审 and 终审 by the department's
reviewers (``shenhe1``/``2``/``3`` first) and published on the news site and its columns, some
also on the department's other accounts; about one in eight was first returned with a reason and
resubmitted; a few were taken down afterwards. These are inserted in bulk.

Then, through the services as people would, the items waiting today: a draft, one just submitted
(“已提交（待初审）”), one held at 初审, one at 复审, one overdue at 终审, one returned with its
reason, one withdrawn, one approved and scheduled for tomorrow, one published and one taken down
today.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode, Unit, User
from xuanchuan.publishing.models import (
    STEP_HOURS,
    STEP_ORDER,
    Column,
    Outlet,
    Publication,
    PublicationStatus,
    PublicationVersion,
    ReviewNotice,
    ReviewRound,
    ReviewTask,
    RoundStatus,
    TaskStatus,
    Urgency,
)
from xuanchuan.publishing.services import publications as writing
from xuanchuan.publishing.services import review

TOPICS = (
    ("新时代文明实践", "组织志愿者走进社区开展新时代文明实践活动", "理论宣讲、文明劝导、关爱帮扶等志愿服务"),
    ("疫情防控", "扎实做好疫情防控常态化工作", "重点场所排查、健康监测和防护知识宣传"),
    ("乡村振兴", "推进乡村振兴产业发展", "特色种植、农产品电商和村集体经济项目"),
    ("扫黑除恶专项斗争", "深入开展扫黑除恶专项斗争宣传", "法治宣传进村入户和线索举报渠道公开"),
    ("文明城市创建", "全力推进文明城市创建", "背街小巷整治、文明交通劝导和公益广告更新"),
    ("平安建设", "扎实推进平安建设", "矛盾纠纷排查化解和群防群治队伍建设"),
    ("理论学习", "召开理论学习中心组专题学习会", "学习党的创新理论并结合实际研讨交流"),
    ("文化惠民", "开展文化惠民演出进基层活动", "送戏下乡、广场舞展演和非遗展示"),
    ("营商环境", "持续优化营商环境", "政务服务“一网通办”和企业走访帮扶"),
    ("生态环境", "开展生态环境保护集中宣传", "垃圾分类、河湖巡查和植树护绿"),
)
SUFFIXES = ("", "（图）", "——基层动态", "侧记", "纪实")
RETURN_REASONS = (
    "第二段数据未注明来源，请核实后补充。",
    "标题表述不够准确，请按规范表述修改。",
    "文中领导职务有误，请核对。",
    "配图未注明拍摄单位，请补充说明。",
    "部分表述与上级口径不一致，请修改。",
)
TAKEDOWN_REASONS = ("活动时间调整，原信息已不准确。", "文中个别数据有误，已重新发布更正稿。")


def _body(unit: str, topic: str, act: str, detail: str, when: datetime) -> tuple[str, str]:
    date_text = f"{when.month}月{when.day}日"
    paragraphs = (
        f"{date_text}，{unit}{act}，围绕{topic}主题，组织开展{detail}。",
        f"活动中，工作人员向群众发放宣传资料，耐心解答群众关心的问题，现场气氛热烈。{unit}相关负责人表示，"
        f"将以此次活动为契机，持续推动{topic}工作走深走实。",
        "下一步，将进一步完善工作机制，加强统筹协调，确保各项工作落到实处、取得实效。",
    )
    html = "".join(f"<p>{text}</p>" for text in paragraphs)
    return html, "\n".join(paragraphs)


def seed(ctx: DemoContext) -> None:
    roles: dict[str, list[User]] = ctx.shared["users_by_role"]
    outlets: list[Outlet] = ctx.shared.get("publishing_outlets") or []
    site: Outlet | None = ctx.shared.get("publishing_news_site")
    columns: dict[int, list[Column]] = ctx.shared.get("publishing_columns") or {}
    if site is None or not outlets:
        raise DemoError("演示数据缺少新闻网站和发布平台，无法生成稿件。")
    reviewers = [
        roles.get(code, []) for code in (RoleCode.REVIEWER_FIRST, RoleCode.REVIEWER_SECOND, RoleCode.REVIEWER_FINAL)
    ]
    if not all(reviewers):
        raise DemoError("演示数据缺少初审、复审、终审人员，无法生成稿件。")
    authors = [person for person in roles.get(RoleCode.UNIT_REPORTER, []) if person.unit_id] or roles.get(
        RoleCode.DEPARTMENT_ADMIN, []
    )
    if not authors:
        raise DemoError("演示数据缺少撰稿人员，无法生成稿件。")
    department_outlets = [outlet for outlet in outlets if outlet.unit_id == site.unit_id and outlet.pk != site.pk]
    _bulk_history(ctx, authors, reviewers, site, department_outlets, columns)
    _waiting_today(ctx, authors, reviewers, site, columns)


def _pick_reviewer(ctx: DemoContext, people: list[User]) -> User:
    # The named account (shenhe1/2/3) takes most steps.
    return people[0] if len(people) == 1 or ctx.chance(0.7) else ctx.rng.choice(people)


def _bulk_history(
    ctx: DemoContext,
    authors: list[User],
    reviewers: list[list[User]],
    site: Outlet,
    department_outlets: list[Outlet],
    columns: dict[int, list[Column]],
) -> None:
    site_columns = columns.get(site.pk, [])
    units: dict[int, Unit] = {person.unit_id: person.unit for person in authors}
    plans: list[dict[str, Any]] = []
    for year in ctx.years:
        count = ctx.scaled(70, 1500)
        for _ in range(count):
            author = ctx.rng.choice(authors)
            published = ctx.random_datetime(year)
            submitted = published - timedelta(hours=ctx.rng.randint(6, 96))
            topic, act, detail = ctx.rng.choice(TOPICS)
            unit_name = units[author.unit_id].name
            title = f"{unit_name}{act}{ctx.rng.choice(SUFFIXES)}"[:120]
            body, text = _body(unit_name, topic, act, detail, timezone.localtime(published))
            plans.append(
                {
                    "author": author,
                    "submitted": submitted,
                    "published": published,
                    "title": title,
                    "body": body,
                    "text": text,
                    "urgency": ctx.rng.choice((Urgency.NORMAL,) * 6 + (Urgency.URGENT, Urgency.IMMEDIATE)),
                    "returned": ctx.chance(0.12),
                    "taken_down": ctx.chance(0.03),
                    "also": [o for o in department_outlets if ctx.chance(0.3)],
                    "column": ctx.rng.choice(site_columns) if site_columns else None,
                    "steps": [_pick_reviewer(ctx, people) for people in reviewers],
                    "return_step": ctx.rng.randrange(3),
                    "reason": ctx.rng.choice(RETURN_REASONS),
                    "takedown_reason": ctx.rng.choice(TAKEDOWN_REASONS),
                }
            )
    items = []
    for plan in plans:
        down = plan["taken_down"]
        down_at = min(plan["published"] + timedelta(days=ctx.rng.randint(1, 20)), ctx.now) if down else None
        items.append(
            Publication(
                unit_id=plan["author"].unit_id,
                created_by=plan["author"],
                created_at=plan["submitted"] - timedelta(hours=2),
                title=plan["title"],
                body=plan["body"],
                body_text=plan["text"],
                search_text=f"{plan['title']}\n{plan['text']}",
                author_name=plan["author"].full_name or plan["author"].username,
                source=units_name(plan["author"]),
                urgency=plan["urgency"],
                status=PublicationStatus.TAKEN_DOWN if down else PublicationStatus.PUBLISHED,
                status_since=down_at or plan["published"],
                published_at=plan["published"],
                published_by=plan["steps"][2],
                taken_down_at=down_at,
                taken_down_by=plan["steps"][2] if down else None,
                takedown_reason=plan["takedown_reason"] if down else "",
            )
        )
    bulk_insert(Publication, items)
    links = Publication.outlets.through
    column_links = Publication.columns.through
    bulk_insert(
        links,
        (
            links(publication_id=item.pk, outlet_id=outlet.pk)
            for item, plan in zip(items, plans, strict=True)
            for outlet in [site, *plan["also"]]
        ),
        keep_ids=False,
    )
    bulk_insert(
        column_links,
        (
            column_links(publication_id=item.pk, column_id=plan["column"].pk)
            for item, plan in zip(items, plans, strict=True)
            if plan["column"] is not None
        ),
        keep_ids=False,
    )
    versions = [
        PublicationVersion(
            publication_id=item.pk,
            number=1,
            title=item.title,
            body=item.body,
            body_text=item.body_text,
            note="新建",
            created_by=plan["author"],
            created_at=item.created_at,
        )
        for item, plan in zip(items, plans, strict=True)
    ]
    bulk_insert(PublicationVersion, versions)
    rounds: list[ReviewRound] = []
    round_plans: list[tuple[ReviewRound, dict[str, Any], bool]] = []
    for item, plan, version in zip(items, plans, versions, strict=True):
        if plan["returned"]:
            first_try = ReviewRound(
                publication_id=item.pk,
                version=version,
                status=RoundStatus.RETURNED,
                submitted_by=plan["author"],
                submitted_at=plan["submitted"] - timedelta(hours=30),
                finished_at=plan["submitted"] - timedelta(hours=24),
            )
            rounds.append(first_try)
            round_plans.append((first_try, plan, True))
        final = ReviewRound(
            publication_id=item.pk,
            version=version,
            status=RoundStatus.APPROVED,
            submitted_by=plan["author"],
            submitted_at=plan["submitted"],
            finished_at=plan["published"],
        )
        rounds.append(final)
        round_plans.append((final, plan, False))
    bulk_insert(ReviewRound, rounds)
    bulk_insert(ReviewTask, _history_tasks(round_plans), keep_ids=False)


def units_name(person: User) -> str:
    return person.unit.name if person.unit_id else ""


def _history_tasks(round_plans: list[tuple[ReviewRound, dict[str, Any], bool]]):
    for review_round, plan, returned in round_plans:
        start, end = review_round.submitted_at, review_round.finished_at
        last = plan["return_step"] if returned else 2
        span = (end - start) / (last + 1)
        for index, step in enumerate(STEP_ORDER[: last + 1]):
            began = start + span * index
            done = began + span * 0.8
            is_return = returned and index == last
            yield ReviewTask(
                round_id=review_round.pk,
                step=step,
                status=TaskStatus.RETURNED if is_return else TaskStatus.APPROVED,
                version_id=review_round.version_id,
                started_at=began,
                due_at=began + timedelta(hours=STEP_HOURS[Urgency(plan["urgency"])]),
                holder=plan["steps"][index],
                claimed_at=began + span * 0.2,
                finished_at=done if not (index == last and not returned) else end,
                finished_by=plan["steps"][index],
                comment=plan["reason"] if is_return else "同意。",
            )


def _waiting_today(
    ctx: DemoContext, authors: list[User], reviewers: list[list[User]], site: Outlet, columns: dict[int, list[Column]]
) -> None:
    """Items in every state today, through the services."""
    first, second, final = (people[0] for people in reviewers)
    site_columns = columns.get(site.pk, [])[:1]
    writers = authors[:6] or authors

    def write(index: int, **extra: Any) -> Publication:
        author = writers[index % len(writers)]
        topic, act, detail = TOPICS[index % len(TOPICS)]
        unit_name = author.unit.name
        body, _text = _body(unit_name, topic, act, detail, timezone.localtime(ctx.now))
        return writing.create_publication(
            by=author,
            title=f"{unit_name}{act}",
            body=body,
            outlets=[site],
            columns=site_columns,
            **extra,
        )

    def approve(item: Publication, person: User) -> None:
        task = review.active_task(item)
        review.claim(task, by=person)
        try:
            review.approve(task, by=person, comment="同意。")
        except ServiceError:
            review.approve(task, by=person, comment="同意。", override_reason="经核实，相关表述引用原文，可以发布。")

    write(0)  # a draft
    review.submit(write(1), by=writers[1 % len(writers)])  # 已提交（待初审）
    held = write(2, urgency=Urgency.URGENT)
    review.submit(held, by=writers[2 % len(writers)])
    review.claim(review.active_task(held), by=first)
    at_second = write(3)
    review.submit(at_second, by=writers[3 % len(writers)])
    approve(at_second, first)
    overdue = write(4, urgency=Urgency.IMMEDIATE)
    review.submit(overdue, by=writers[4 % len(writers)])
    approve(overdue, first)
    approve(overdue, second)
    ReviewTask.objects.filter(round__publication=overdue, status=TaskStatus.IN_PROGRESS).update(
        started_at=ctx.now - timedelta(hours=5), due_at=ctx.now - timedelta(hours=3)
    )
    returned = write(5)
    review.submit(returned, by=writers[5 % len(writers)])
    approve(returned, first)
    task = review.active_task(returned)
    review.claim(task, by=second)
    review.return_to_author(task, by=second, reason=RETURN_REASONS[0])
    withdrawn = write(6)
    review.submit(withdrawn, by=writers[6 % len(writers)])
    review.withdraw(withdrawn, by=writers[6 % len(writers)])
    scheduled = write(7, planned_at=ctx.now + timedelta(days=1))
    review.submit(scheduled, by=writers[7 % len(writers)])
    for person in (first, second, final):
        approve(scheduled, person)
    for index in (8, 9):
        item = write(index)
        review.submit(item, by=writers[index % len(writers)])
        for person in (first, second, final):
            approve(item, person)
    item.refresh_from_db()
    review.take_down(item, by=final, reason=TAKEDOWN_REASONS[0])
    ReviewNotice.objects.filter(read_at__isnull=True, created_at__lt=ctx.now - timedelta(days=1)).update(
        read_at=ctx.now
    )
