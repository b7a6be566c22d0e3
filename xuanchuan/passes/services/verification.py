"""Verification at the checkpoint: the verdict on a pass text, online, and the verification log.

The hot path of the pass system: a checkpoint checks a pass in a fraction of a second, a district
a thousand times a second at peak. So a check costs one cache round trip for the key set's
version (``keys.VERIFYING_KEYS``, read together with the checkpoint token in
``passes.checkers``), the signature on keys kept in the process, one indexed look-up of the pass
(its status: a revoked pass is refused from the moment it is revoked, in every process), for an
exit one of the household's last exit, and a row for the batched verification log (``log``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User
from xuanchuan.org.services import district_root
from xuanchuan.passes import cose
from xuanchuan.passes.cose import Reason, Verdict
from xuanchuan.passes.models import Direction, Movement, Pass, PassStatus, Verification
from xuanchuan.passes.permissions import Checker, may_check
from xuanchuan.passes.services.keys import VERIFYING_KEYS
from xuanchuan.passes.services.log import verification_log


@dataclass(frozen=True)
class PassState:
    """What a verification needs of a pass in our records (ids, not rows)."""

    pk: int
    status: str
    household_id: int
    unit_id: int
    outing_interval_days: int


@lru_cache(maxsize=4)
def _pass_state_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Pass._meta.get_field(name).column)
        for name in ("id", "status", "household", "unit", "outing_interval_days")
    )
    public_id = quote(Pass._meta.get_field("public_id").column)
    return f"SELECT {columns} FROM {quote(Pass._meta.db_table)} WHERE {public_id} = %s"  # noqa: S608 (names from the model)


def pass_state(public_id: str) -> PassState | None:
    """The pass numbered ``public_id``, if we have it: one look-up on its unique index, written out
    because compiling the ORM query cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(_pass_state_sql(connection.vendor), [public_id])
        row = cursor.fetchone()
    return PassState(*row) if row else None


def verify_signature(text: str, now: datetime | None = None, *, keys_version: str | None = None) -> Verdict:
    """Signature, key and validity only (what a device does offline), with the district's keys."""
    now = now or timezone.now()
    return cose.verify(text, VERIFYING_KEYS.get(keys_version), now=int(now.timestamp()))


def verify_online(
    text: str,
    now: datetime | None = None,
    *,
    direction: str = "",
    rule_at: datetime | None = None,
    keys_version: str | None = None,
) -> tuple[Verdict, PassState | None]:
    """The full online check: signature, key, validity, revocation, the pass in our records and,
    for an exit, the household's outing rule. Validity is judged at ``now`` (the server's time);
    the outing rule counts the exits before ``rule_at`` (an uploaded event's own time; ``now``)."""
    now = now or timezone.now()
    verdict = verify_signature(text, now, keys_version=keys_version)
    if verdict.claims is None:
        return verdict, None
    state = pass_state(verdict.claims.pass_id)
    if not verdict.valid:
        return verdict, state
    if state is None or state.status in (PassStatus.PENDING, PassStatus.REFUSED):
        return Verdict(Reason.UNKNOWN_PASS, verdict.kid, verdict.claims), state
    if state.status == PassStatus.REVOKED:
        return Verdict(Reason.REVOKED, verdict.kid, verdict.claims), state
    if direction == Direction.EXIT:
        last = last_outing(state.household_id, rule_at or now, state.outing_interval_days)
        if last is not None:
            return Verdict(Reason.OVER_USED, verdict.kid, verdict.claims, {"last_outing": last}), state
    return verdict, state


def last_outing(household_id: int, now: datetime, interval_days: int) -> datetime | None:
    """The household's exit within the rule's window before ``now``, if there was one."""
    if interval_days <= 0:
        return None
    window_start = now - timedelta(days=interval_days)
    exits = Movement.objects.filter(  # scoping: allowed (the rule counts every checkpoint's exits)
        household_id=household_id, direction=Direction.EXIT, occurred_at__gt=window_start, occurred_at__lte=now
    )
    return exits.order_by("-occurred_at").values_list("occurred_at", flat=True).first()


def check(
    text: str, *, by: User | Checker, direction: str = "", checkpoint: str = ""
) -> tuple[Verdict, PassState | None]:
    """A guard checks a pass online; the check is logged whatever the verdict."""
    require(may_check(by))
    if direction and direction not in Direction.values:
        raise ServiceError(_("方向只能是外出或返回。"))
    keys_version = by.keys_version if isinstance(by, Checker) else None
    verdict, state = verify_online(text, direction=direction, keys_version=keys_version)
    verification_log.add(log_row(verdict, state, by=by, direction=direction, checkpoint=checkpoint))
    return verdict, state


def log_row(
    verdict: Verdict,
    state: PassState | None,
    *,
    by: User | Checker,
    direction: str = "",
    checkpoint: str = "",
    offline: bool = False,
    device_time: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> Verification:
    """The verification log's row of one verdict, at the server's time (not yet saved)."""
    return Verification(
        event_id=event_id,
        unit_id=by.unit_id or district_root().pk,  # the guard's unit: the id, no query
        created_by_id=by.pk,
        pass_obj_id=state.pk if state else None,
        pass_public_id=verdict.claims.pass_id if verdict.claims else "",
        kid=verdict.kid[:16],
        result=verdict.reason,
        direction=direction,
        checked_at=timezone.now(),
        device_time=device_time,
        checkpoint=checkpoint[:60],
        offline=offline,
    )
