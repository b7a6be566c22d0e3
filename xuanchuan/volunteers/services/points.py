"""Writes of good-deed points (道德信贷): points for confirmed hours, the rules catalogue, good deeds
reported and approved, deductions, expiry and households. The shop (merchants, goods and
redemptions) is ``services.shop``.

Every change of a balance goes through ``services.ledger.post`` with the account row locked.
Where a service locks more than one row it always locks the account first, then the goods or the
claim, so two requests can never wait on each other's rows in the opposite order.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.volunteers.models import (
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    Household,
    PointEntry,
    PointRule,
    PointsAccount,
    RuleKind,
    Volunteer,
    VolunteerStatus,
)
from xuanchuan.volunteers.permissions import (
    may_deduct,
    may_manage_points,
)
from xuanchuan.volunteers.services.ledger import (
    account_for_household,
    account_for_volunteer,
    lock,
    post,
)

RULE_FIELDS = ("kind", "name", "points", "evidence", "yearly_cap", "for_households", "active")


# ---------------------------------------------------------------- points for hours


def points_for_minutes(minutes: int) -> int:
    """Whole points for certified ``minutes`` at ``VOLUNTEERS_POINTS_PER_HOUR`` (rounded down),
    counting at most ``VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY`` hours of one activity (0: no cap)."""
    cap = settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY
    counted = min(int(minutes), cap * 60) if cap > 0 else int(minutes)
    return max(0, counted) * settings.VOLUNTEERS_POINTS_PER_HOUR // 60


def _hours_text(minutes: int) -> str:
    """Service time for a ledger line in whole hours and minutes ("3小时", "1小时30分钟", "44分钟"):
    hours as a decimal of ``minutes / 60`` read "0.733333小时" on the phone for 44 minutes."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    if not rest:
        return _("%(hours)d小时") % {"hours": hours}
    if not hours:
        return _("%(minutes)d分钟") % {"minutes": rest}
    return _("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": rest}


def credit_hours(record: Any, *, by: Any) -> PointEntry | None:
    """Points for a service record whose minutes became certified: once per record (a second call
    for the same record enters nothing), nothing when the minutes earn no points."""
    amount = points_for_minutes(record.minutes)
    if amount <= 0:
        return None
    account = account_for_volunteer(record.volunteer)
    with transaction.atomic():
        account = lock(account)
        # scoping: allowed — the record's own entries, read to keep the credit to one per record.
        if PointEntry.objects.filter(account=account, record=record, kind=EntryKind.HOURS).exists():
            return None
        reason = _("志愿服务“%(activity)s”%(hours)s") % {
            "activity": record.activity.title,
            "hours": _hours_text(record.minutes),
        }
        cap = settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY
        if cap > 0 and record.minutes > cap * 60:
            reason += _("（每次活动最多计%(cap)d小时）") % {"cap": cap}
        return post(account, kind=EntryKind.HOURS, amount=amount, by=by, reason=reason, record=record)


def correct_hours(record: Any, *, old_minutes: int, by: Any) -> PointEntry | None:
    """Post the difference the correction of a record's minutes makes to its points. A reduction
    larger than the balance takes what is there (the balance never goes below zero) and says so.
    Nothing happens for a record that never earned points (it was not credited)."""
    difference = points_for_minutes(record.minutes) - points_for_minutes(old_minutes)
    if difference == 0:
        return None
    account = account_for_volunteer(record.volunteer)
    with transaction.atomic():
        account = lock(account)
        # scoping: allowed — the record's own entries.
        if not PointEntry.objects.filter(account=account, record=record, kind=EntryKind.HOURS).exists():
            return None
        reason = _("志愿服务“%(activity)s”时长由%(old)s更正为%(new)s") % {
            "activity": record.activity.title,
            "old": _hours_text(old_minutes),
            "new": _hours_text(record.minutes),
        }
        if difference < 0 and -difference > account.balance:
            if account.balance == 0:
                return None
            reason += _("；应扣%(due)d分，余额仅%(balance)d分，已全部扣除") % {
                "due": -difference,
                "balance": account.balance,
            }
            difference = -account.balance
        return post(account, kind=EntryKind.CORRECTION, amount=difference, by=by, reason=reason, record=record)


# ---------------------------------------------------------------- rules


def usable_rule_units(unit: Unit) -> list[Unit]:
    """The units whose rules ``unit`` uses: itself and every unit above it."""
    return [*Unit.objects.get_ancestors(unit), unit] if unit.depth > 1 else [unit]


def usable_rules(unit: Unit, *, kind: str | None = None) -> Any:
    """The active rules of ``unit`` and of the units above it."""
    rules = PointRule.objects.filter(unit__in=usable_rule_units(unit), active=True)
    return rules.filter(kind=kind) if kind else rules


def _require_usable(rule: PointRule, unit: Unit, kind: str) -> None:
    if rule.kind != kind or not rule.active or not unit.path.startswith(rule.unit.path):
        raise ServiceError(_("该积分规则不适用于本社区或已停用。"))


def rule_create(*, by: User, unit: Unit, **fields: Any) -> PointRule:
    """A new item of the points catalogue for ``unit`` (and the units below it)."""
    require(may_manage_points(by))
    require_visible_unit(by, unit)
    data = {name: fields[name] for name in RULE_FIELDS if name in fields}
    if PointRule.objects.filter(unit=unit, kind=data.get("kind"), name=data.get("name")).exists():
        raise ServiceError(_("本单位已有同名的积分规则。"))
    with transaction.atomic():
        return PointRule.objects.create(unit=unit, created_by=by, **data)


def rule_edit(rule: PointRule, *, by: User, **fields: Any) -> PointRule:
    """Change a rule. Its kind stays what it was once it is in use (the entries keep meaning)."""
    require(may_manage_points(by))
    require_visible_unit(by, rule.unit)
    with transaction.atomic():
        rule = PointRule.objects.select_for_update().get(pk=rule.pk)
        data = {name: fields[name] for name in RULE_FIELDS if name in fields}
        in_use = rule_in_use(rule)
        if in_use and data.get("kind", rule.kind) != rule.kind:
            raise ServiceError(_("规则已被使用，不能改变类别，可停用后另建。"))
        clash = PointRule.objects.filter(
            unit=rule.unit, kind=data.get("kind", rule.kind), name=data.get("name", rule.name)
        )
        if clash.exclude(pk=rule.pk).exists():
            raise ServiceError(_("本单位已有同名的积分规则。"))
        for name, value in data.items():
            setattr(rule, name, value)
        rule.save()
    return rule


def rule_in_use(rule: PointRule) -> bool:
    return rule.claims.exists() or rule.entries.exists()


def rule_delete(rule: PointRule, *, by: User) -> None:
    """Delete a rule nobody used; a rule in use can only be deactivated."""
    require(may_manage_points(by))
    require_visible_unit(by, rule.unit)
    with transaction.atomic():
        rule = PointRule.objects.select_for_update().get(pk=rule.pk)
        if rule_in_use(rule):
            raise ServiceError(_("规则已被使用，不能删除，只能停用。"))
        rule.delete()


# ---------------------------------------------------------------- households


def _require_grassroots(unit: Unit) -> None:
    if unit.unit_type not in GRASSROOTS_TYPES:
        raise ServiceError(_("家庭户只能登记在社区或村。"))


def household_create(*, by: User, unit: Unit, number: str, head_name: str, address: str = "") -> Household:
    """A household of a community or village; its number is unique in that community."""
    require(may_manage_points(by))
    require_visible_unit(by, unit)
    _require_grassroots(unit)
    number = number.strip()
    if not number or not head_name.strip():
        raise ServiceError(_("请填写户号和户主姓名。"))
    with transaction.atomic():
        if Household.objects.filter(unit=unit, number=number).exists():
            raise ServiceError(_("本社区已有户号为%(number)s的家庭户。") % {"number": number})
        return Household.objects.create(
            unit=unit, number=number, head_name=head_name.strip(), address=address.strip(), created_by=by
        )


def household_edit(household: Household, *, by: User, number: str, head_name: str, address: str = "") -> Household:
    """Change a household's number, head or address (the number stays unique in the community)."""
    require(may_manage_points(by))
    require_visible_unit(by, household.unit)
    number = number.strip()
    if not number or not head_name.strip():
        raise ServiceError(_("请填写户号和户主姓名。"))
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if Household.objects.filter(unit=household.unit, number=number).exclude(pk=household.pk).exists():
            raise ServiceError(_("本社区已有户号为%(number)s的家庭户。") % {"number": number})
        household.number, household.head_name, household.address = number, head_name.strip(), address.strip()
        household.save()
    return household


def household_add_member(household: Household, volunteer: Volunteer, *, by: User) -> Volunteer:
    """Put a volunteer of the same community in the household."""
    require(may_manage_points(by))
    require_visible_unit(by, household.unit)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.unit_id != household.unit_id:
            raise ServiceError(_("只能加入本社区的志愿者。"))
        if volunteer.status != VolunteerStatus.ACTIVE:
            raise ServiceError(_("该志愿者已注销。"))
        if volunteer.household_id and volunteer.household_id != household.pk:
            raise ServiceError(_("该志愿者已属于另一个家庭户，请先从原家庭户移出。"))
        volunteer.household = household
        volunteer.save(update_fields=["household", "updated_at"])
    return volunteer


def household_remove_member(household: Household, volunteer: Volunteer, *, by: User) -> Volunteer:
    """Take a volunteer out of the household (the household's points stay with the household)."""
    require(may_manage_points(by))
    require_visible_unit(by, household.unit)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.household_id != household.pk:
            raise ServiceError(_("该志愿者不是这个家庭户的成员。"))
        volunteer.household = None
        volunteer.save(update_fields=["household", "updated_at"])
    return volunteer


# ---------------------------------------------------------------- good deeds


def _check_claim_input(rule: PointRule, unit: Unit, description: str, happened_on: datetime.date) -> str:
    _require_usable(rule, unit, RuleKind.GOOD_DEED)
    description = (description or "").strip()
    if not description:
        raise ServiceError(_("请描述好人好事的经过。"))
    if happened_on > timezone.localdate():
        raise ServiceError(_("发生日期不能晚于今天。"))
    return description


def _account_for_claim(rule: PointRule, volunteer: Volunteer | None, household: Household | None) -> PointsAccount:
    if household is not None:
        if not rule.for_households:
            raise ServiceError(_("该规则不计入家庭户，请为志愿者本人申报。"))
        return account_for_household(household)
    if volunteer is None:
        raise ServiceError(_("请选择志愿者或家庭户。"))
    if rule.for_households and volunteer.household_id:
        return account_for_household(volunteer.household)
    return account_for_volunteer(volunteer)


def submit_claim(
    *, volunteer: Volunteer, rule: PointRule, description: str, happened_on: datetime.date
) -> GoodDeedClaim:
    """A volunteer reports a good deed on their phone under a rule of their community; staff
    approve it before any points are entered."""
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ServiceError(_("该志愿者已注销。"))
    description = _check_claim_input(rule, volunteer.unit, description, happened_on)
    account = _account_for_claim(rule, volunteer, None)
    with transaction.atomic():
        return GoodDeedClaim.objects.create(
            unit=account.unit,
            account=account,
            rule=rule,
            description=description,
            happened_on=happened_on,
            by_volunteer=True,
        )


def claim_create(
    *,
    by: User,
    rule: PointRule,
    description: str,
    happened_on: datetime.date,
    volunteer: Volunteer | None = None,
    household: Household | None = None,
) -> GoodDeedClaim:
    """Staff enter a good deed for a volunteer or a household; another member of staff approves."""
    require(may_manage_points(by))
    owner = household or volunteer
    if owner is None:
        raise ServiceError(_("请选择志愿者或家庭户。"))
    require_visible_unit(by, owner.unit)
    description = _check_claim_input(rule, owner.unit, description, happened_on)
    account = _account_for_claim(rule, volunteer, household)
    with transaction.atomic():
        return GoodDeedClaim.objects.create(
            unit=account.unit,
            account=account,
            rule=rule,
            description=description,
            happened_on=happened_on,
            created_by=by,
        )


def _decide(claim: GoodDeedClaim, by: User) -> None:
    require(may_manage_points(by))
    require_visible_unit(by, claim.unit)
    if claim.created_by_id and claim.created_by_id == by.pk:
        raise ServiceError(_("不能审核自己录入的申报，请由其他工作人员审核。"))


def earned_this_year(account: PointsAccount, rule: PointRule, year: int) -> int:
    entries = PointEntry.objects.filter(  # scoping: allowed — the account's own entries.
        account=account, rule=rule, kind=EntryKind.GOOD_DEED, at__year=year
    )
    return entries.aggregate(total=Sum("amount"))["total"] or 0


def approve_claim(claim: GoodDeedClaim, *, by: User, note: str = "") -> GoodDeedClaim:
    """Approve a pending claim and enter the rule's points, up to the rule's yearly cap for the
    account (the reason says when the cap cut them; refused when the cap is already reached)."""
    _decide(claim, by)
    with transaction.atomic():
        account = lock(claim.account)
        claim = GoodDeedClaim.objects.select_for_update().select_related("rule").get(pk=claim.pk)
        if claim.status != ClaimStatus.PENDING:
            raise ServiceError(_("该申报已审核。"))
        rule = claim.rule
        now = timezone.now()
        amount = rule.points
        reason = _("好人好事：%(rule)s") % {"rule": rule.name}
        if rule.yearly_cap:
            earned = earned_this_year(account, rule, timezone.localdate(now).year)
            room = rule.yearly_cap - earned
            if room <= 0:
                raise ServiceError(
                    _("该账户今年“%(rule)s”已达上限%(cap)d分，不能再加分。")
                    % {"rule": rule.name, "cap": rule.yearly_cap}
                )
            if room < amount:
                reason += _("（每年上限%(cap)d分，本次计%(room)d分）") % {"cap": rule.yearly_cap, "room": room}
                amount = room
        claim.status = ClaimStatus.APPROVED
        claim.decided_by, claim.decided_at, claim.decision_note = by, now, note.strip()[:300]
        claim.save()
        post(account, kind=EntryKind.GOOD_DEED, amount=amount, by=by, reason=reason, at=now, claim=claim, rule=rule)
    return claim


def refuse_claim(claim: GoodDeedClaim, *, by: User, note: str) -> GoodDeedClaim:
    """Refuse a pending claim, with the reason the reporter will read."""
    _decide(claim, by)
    if not (note or "").strip():
        raise ServiceError(_("请说明不予通过的理由。"))
    with transaction.atomic():
        claim = GoodDeedClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PENDING:
            raise ServiceError(_("该申报已审核。"))
        claim.status = ClaimStatus.REFUSED
        claim.decided_by, claim.decided_at, claim.decision_note = by, timezone.now(), note.strip()[:300]
        claim.save()
    return claim


# ---------------------------------------------------------------- deductions


def deduct(
    account: PointsAccount, *, by: User, reason: str, rule: PointRule | None = None, amount: int | None = None
) -> PointEntry:
    """Deduct points for misconduct under a deduction rule or a free amount, always with a reason;
    at most the balance is taken (the entry says when less than due was there)."""
    require(may_deduct(by))
    require_visible_unit(by, account.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请说明扣分理由。"))
    if rule is not None:
        _require_usable(rule, account.unit, RuleKind.DEDUCTION)
        due = rule.points
        text = _("扣分：%(rule)s，%(reason)s") % {"rule": rule.name, "reason": reason}
    else:
        if not amount or amount <= 0:
            raise ServiceError(_("请选择扣分规则或填写扣分分值。"))
        due = int(amount)
        text = _("扣分：%(reason)s") % {"reason": reason}
    with transaction.atomic():
        account = lock(account)
        if account.balance <= 0:
            raise ServiceError(_("该账户没有积分可扣。"))
        taken = min(due, account.balance)
        if taken < due:
            text += _("（应扣%(due)d分，余额仅%(taken)d分，已全部扣除）") % {"due": due, "taken": taken}
        return post(account, kind=EntryKind.DEDUCTION, amount=-taken, by=by, reason=text, rule=rule)


# ---------------------------------------------------------------- expiry


def expiring_amount(account: PointsAccount, today: datetime.date) -> int:
    """Points of ``account`` that have expired by ``today`` and are not yet spent: what was spent
    is taken from the oldest earnings first, so it is the balance beyond the earnings still live."""
    live = (
        PointEntry.objects.filter(account=account, amount__gt=0)  # scoping: allowed — the account's own entries.
        .filter(Q(expires_on__gt=today) | Q(expires_on__isnull=True))
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return max(0, account.balance - live)


def expire_points(today: datetime.date | None = None) -> int:
    """Enter an expiry for every account holding points that have expired (earned more than
    ``VOLUNTEERS_POINTS_EXPIRY_DAYS`` ago and not spent). Running it twice on a day enters nothing
    the second time. Returns the number of accounts changed; nothing when expiry is off (0)."""
    if settings.VOLUNTEERS_POINTS_EXPIRY_DAYS <= 0:
        return 0
    today = today or timezone.localdate()
    candidates = (
        PointsAccount.objects.filter(balance__gt=0, entries__expires_on__lte=today)  # scoping: allowed — a task.
        .values_list("pk", flat=True)
        .distinct()
    )
    changed = 0
    for pk in list(candidates):
        with transaction.atomic():
            account = PointsAccount.objects.select_for_update().get(pk=pk)  # scoping: allowed — a task.
            amount = expiring_amount(account, today)
            if amount > 0:
                post(
                    account,
                    kind=EntryKind.EXPIRY,
                    amount=-amount,
                    by=None,
                    reason=_("获得满%(days)d天的积分到期清零") % {"days": settings.VOLUNTEERS_POINTS_EXPIRY_DAYS},
                )
                changed += 1
    return changed
