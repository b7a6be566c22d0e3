"""The pass system's part of the demo data.

Every community and village gets households and passes spread over the demo years: most
approved and signed, some pending, refused, revoked and re-issued; exits and entries at the
street checkpoints with the guards' verifications (a few refused: expired, revoked, over-used).
The district's signing key was rotated a few days ago, so the key page shows a key in its
overlap. A handful of passes of the first community go through the services as a worker's would;
the rest go in with ``bulk_insert``. ``--size large``: about 75 households a community, each
with four to ten passes over the years (its members' passes and their renewals), up to seven
outings on each approved pass within its validity: about 28,000 passes, 100,000 movements and
as many verifications.

Uses from ``ctx.shared``: ``units_by_type``, ``users_by_role``, ``staff_by_unit``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from xuanchuan.core.demo import DemoContext, DemoError, bulk_insert
from xuanchuan.org.demo import GIVEN_NAME_CHARS, ROADS, SURNAMES
from xuanchuan.org.models import RoleCode, Unit, UnitType, User
from xuanchuan.passes import cose, services
from xuanchuan.passes.models import (
    ApplicationChannel,
    Direction,
    Household,
    Movement,
    Pass,
    PassStatus,
    SigningKey,
    Verification,
)

ORDER = 50
PUBLIC_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFUSALS = ("非本社区常住人员", "信息填写不完整", "该户已有有效通行证", "居家健康监测期内")
REVOCATIONS = ("手机遗失", "违反外出规定", "已迁出本社区", "信息有误")


def seed(ctx: DemoContext) -> None:
    """Keys, households, passes, movements and verifications of every community and village."""
    communities = _communities(ctx)
    guards = ctx.shared.get("users_by_role", {}).get(RoleCode.CHECKPOINT_GUARD, [])
    if not communities or not guards:
        raise DemoError("缺少社区（村）或卡口核验员：请先生成组织机构的演示数据。")
    _keys(ctx)
    showcase = _through_services(ctx, communities[0], guards)
    key = services.current_key()
    private = cose.load_private_key(key.private_key_pem)
    households = _households(ctx, communities)
    passes = _passes(ctx, households, key, private)
    movements, verifications = _checkpoint_records(ctx, passes, guards)
    ctx.log(
        f"住户 {len(households)} 户批量生成，通行证 {len(passes)} 张批量生成、{showcase} 张经办理流程生成；"
        f"出入记录 {movements} 条，核验记录 {verifications} 条；签发密钥已轮换，旧密钥处于过渡期"
    )


def _communities(ctx: DemoContext) -> list[Unit]:
    by_type = ctx.shared.get("units_by_type", {})
    units = by_type.get(UnitType.COMMUNITY, []) + by_type.get(UnitType.VILLAGE, [])
    return [unit for unit in units if unit.dissolved_on is None]


def _keys(ctx: DemoContext) -> None:
    """A key used last year, rotated out long ago (retired), and one rotated out five days ago."""
    services.rotate_key(by=None, now=ctx.now - timedelta(days=400))
    services.rotate_key(by=None, now=ctx.now - timedelta(days=60))
    services.rotate_key(by=None, now=ctx.now - timedelta(days=5))


def _worker(ctx: DemoContext, community: Unit) -> User:
    staff = ctx.shared.get("staff_by_unit", {}).get(community.code) or []
    if not staff:
        raise DemoError(f"{community.name}没有工作人员账号。")
    return staff[0]


def _through_services(ctx: DemoContext, community: Unit, guards: list[User]) -> int:
    """The first community's recent passes, made as its worker and its street's guard would."""
    worker = _worker(ctx, community)
    guard = next((g for g in guards if community.path.startswith(g.unit.path)), guards[0])
    made = []
    for number in range(1, 7):
        application = services.Application(
            community,
            f"{number}栋{number}01",
            f"{community.name}{ctx.rng.choice(ROADS)}{number}号",
            _name(ctx),
            f"139{ctx.rng.randrange(10**8):08d}",
        )
        made.append(services.apply(application, channel=ApplicationChannel.STAFF, by=worker))
    for pass_obj in made[:4]:
        services.approve(pass_obj, by=worker)
    services.refuse(made[4], by=worker, reason=REFUSALS[0])
    services.reissue(made[1], by=worker, reason=REVOCATIONS[0])
    services.revoke(made[2], by=worker, reason=REVOCATIONS[1])
    made[0].refresh_from_db()
    services.record_event(
        services.CheckpointEvent(
            uuid.uuid4(), made[0].signed_text, Direction.EXIT, ctx.now - timedelta(hours=5), f"{guard.unit.name}卡口"
        ),
        by=guard,
    )
    services.check(made[2].signed_text, by=guard, checkpoint=f"{guard.unit.name}卡口")
    return len(made) + 1  # and the re-issued pass


def _name(ctx: DemoContext) -> str:
    length = 2 if ctx.chance(0.7) else 1
    return ctx.rng.choice(SURNAMES) + "".join(ctx.rng.choice(GIVEN_NAME_CHARS) for _ in range(length))


def _households(ctx: DemoContext, communities: list[Unit]) -> list[Household]:
    low, high = ctx.scaled(2, 60), ctx.scaled(5, 90)
    rows = []
    for community in communities:
        for number in range(1, ctx.rng.randint(low, high) + 1):
            building, room = divmod(number - 1, 12)
            rows.append(
                Household(
                    unit=community,
                    number=f"{building + 11}栋{room // 4 + 1}单元{room % 4 + 1}0{ctx.rng.randint(1, 6)}",
                    address=f"{community.name}{ctx.rng.choice(ROADS)}{ctx.rng.randint(1, 300)}号",
                    head_name=_name(ctx),
                    created_at=ctx.random_datetime(),
                )
            )
    unique = {(row.unit.pk, row.number): row for row in rows}
    households = list(unique.values())
    bulk_insert(Household, households)
    return households


def _passes(ctx: DemoContext, households: list[Household], key: SigningKey, private: Any) -> list[Pass]:
    passes: list[Pass] = []
    interval = settings.PASSES_OUTING_INTERVAL_DAYS
    low, high = (4, 10) if ctx.large else (1, 3)
    for household in households:
        for _member in range(ctx.rng.randint(low, high)):
            passes.append(_pass(ctx, household, interval))
    for pass_obj in passes:
        if pass_obj.status in (PassStatus.APPROVED, PassStatus.REVOKED):
            pass_obj.signing_key = key
            claims = services.claims_for(pass_obj, pass_obj.decided_at)
            pass_obj.signed_text = cose.sign(claims, private, key.kid)
    bulk_insert(Pass, passes)
    return passes


def _pass(ctx: DemoContext, household: Household, interval: int) -> Pass:
    applied = ctx.random_datetime_between(household.created_at, ctx.now)
    start = timezone.localdate(applied)
    roll = ctx.rng.random()
    status = (
        PassStatus.APPROVED
        if roll < 0.8
        else PassStatus.REVOKED
        if roll < 0.87
        else PassStatus.REFUSED
        if roll < 0.94
        else PassStatus.PENDING
    )
    decided = applied + timedelta(hours=ctx.rng.randint(1, 30)) if status != PassStatus.PENDING else None
    if decided is not None and decided > ctx.now:
        decided = ctx.now
    pass_obj = Pass(
        unit=household.unit,
        public_id="".join(ctx.rng.choice(PUBLIC_ID_ALPHABET) for _ in range(12)),
        household=household,
        holder_name=_name(ctx),
        holder_phone=f"13{ctx.rng.randrange(10**9):09d}" if ctx.chance(0.8) else "",
        channel=ctx.rng.choice(ApplicationChannel.values),
        status=status,
        valid_from=start,
        valid_until=start + timedelta(days=settings.PASSES_VALID_DAYS - 1),
        outing_interval_days=interval,
        decided_at=decided,
        created_at=applied,
    )
    if status == PassStatus.REFUSED:
        pass_obj.refusal_reason = ctx.rng.choice(REFUSALS)
    if status == PassStatus.REVOKED:
        pass_obj.revoked_at = decided + timedelta(days=ctx.rng.randint(0, 5))
        pass_obj.revoked_at = min(pass_obj.revoked_at, ctx.now)
        pass_obj.revocation_reason = ctx.rng.choice(REVOCATIONS)
    return pass_obj


def _checkpoint_records(ctx: DemoContext, passes: list[Pass], guards: list[User]) -> tuple[int, int]:
    """Exits and entries within each signed pass's validity, each with its guard's verification."""
    movements: list[Movement] = []
    verifications: list[Verification] = []
    trips = (3, 7) if ctx.large else (0, 3)
    for pass_obj in passes:
        if pass_obj.status != PassStatus.APPROVED or pass_obj.decided_at is None:
            continue
        guard = _guard_for(ctx, pass_obj.unit, guards)
        start = max(pass_obj.decided_at, _morning(pass_obj.valid_from))
        last = _morning(pass_obj.valid_until) + timedelta(hours=10)
        for _trip in range(ctx.rng.randint(*trips)):
            out_at = ctx.random_datetime_between(start, last)
            if out_at >= ctx.now - timedelta(minutes=5) or start >= last:
                break
            back_at = min(out_at + timedelta(hours=ctx.rng.randint(1, 5)), ctx.now)
            for direction, moment in ((Direction.EXIT, out_at), (Direction.ENTRY, back_at)):
                movements.append(_movement(ctx, pass_obj, guard, direction, moment))
                verifications.append(_verification(pass_obj, guard, direction, moment, "valid", movements[-1].offline))
            start = back_at + timedelta(days=pass_obj.outing_interval_days)
        if ctx.chance(0.05):
            moment = ctx.random_datetime_between(_morning(pass_obj.valid_until) + timedelta(days=1), ctx.now)
            verifications.append(_verification(pass_obj, guard, Direction.EXIT, moment, "expired", False))
    bulk_insert(Movement, movements, keep_ids=False)
    bulk_insert(Verification, verifications, keep_ids=False)
    return len(movements), len(verifications)


def _guard_for(ctx: DemoContext, community: Unit, guards: list[User]) -> User:
    local = [guard for guard in guards if community.path.startswith(guard.unit.path)]
    return ctx.rng.choice(local or guards)


def _morning(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=7)


def _movement(ctx: DemoContext, pass_obj: Pass, guard: User, direction: str, moment: datetime) -> Movement:
    return Movement(
        unit=pass_obj.unit,
        created_by=guard,
        created_at=moment,
        event_id=uuid.UUID(int=ctx.rng.getrandbits(128), version=4),
        pass_obj=pass_obj,
        household=pass_obj.household,
        direction=direction,
        occurred_at=moment,
        checkpoint=f"{guard.unit.name}卡口",
        offline=ctx.chance(0.1),
    )


def _verification(
    pass_obj: Pass, guard: User, direction: str, moment: datetime, result: str, offline: bool
) -> Verification:
    return Verification(
        unit=guard.unit,
        created_by=guard,
        created_at=moment,
        pass_obj=pass_obj,
        pass_public_id=pass_obj.public_id,
        kid=pass_obj.signing_key.kid if pass_obj.signing_key else "",
        result=result,
        direction=direction,
        checked_at=moment,
        checkpoint=f"{guard.unit.name}卡口",
        offline=offline,
    )
