"""Every state change of 来返人员登记: registration, correction, risk areas and the
re-classification they cause, check-ins, completion, merging and the export log.

Views, the staff grid and the demo data all call these functions, so they behave the same.
Permission to touch a record is established by the caller finding it through
``visible_to(user)`` (or, for the public, through its receipt code).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from auditlog.context import disable_auditlog
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.arrivals import fastinsert
from xuanchuan.arrivals.divisions import code_prefix, full_name
from xuanchuan.arrivals.memo import VersionedMemo
from xuanchuan.arrivals.models import (
    CheckIn,
    ExportLog,
    FollowUpPlan,
    FollowUpStatus,
    Registration,
    RiskArea,
    Source,
)
from xuanchuan.arrivals.rules import LOOKBACK_DAYS, classify, is_abnormal
from xuanchuan.core.pii import blind_index
from xuanchuan.core.pii.crypto import blind_index_digest
from xuanchuan.org.models import Unit, User

# Fields a person (or staff entering for them) provides.
PERSON_FIELDS = (
    "name", "document_type", "id_number", "phone", "origin_code", "via_codes", "travel_notes", "transport",
    "trip_number", "arrival_date", "address", "health_status", "symptoms",
)  # fmt: skip


# Up to this many possibly touched registrations are classified again within the request.
INLINE_RECLASSIFY_LIMIT = 500


class ArrivalError(ValueError):
    """A change the rules refuse; the message is for the user, in Chinese."""


def new_receipt_code() -> str:
    """An unguessable receipt code (128 bits), short enough to copy from a phone."""
    return secrets.token_urlsafe(16)


def dedupe_key(id_number: str, arrival_date: date) -> str:
    """The same person arriving on the same day gives the same key; nobody can reverse it."""
    return blind_index_digest(f"{blind_index(id_number, 'id_number')}|{arrival_date.isoformat()}", "arrival")


def _load_risk_areas() -> tuple[RiskArea, ...]:
    return tuple(RiskArea.objects.all())


# The risk-area list changes a few times a day and is read by every submission: kept per process,
# reloaded when an area is saved or deleted (``signals.py`` bumps the version) — see ``memo.py``.
RISK_AREAS: VersionedMemo[tuple[RiskArea, ...]] = VersionedMemo("arrivals.risk_areas", _load_risk_areas)


def risk_areas(version: str | None = None) -> tuple[RiskArea, ...]:
    """The declared areas (shared, read-only instances: copy one before changing it)."""
    return RISK_AREAS.get(version)


def apply_classification(registration: Registration, areas: Iterable[RiskArea] | None = None) -> bool:
    """Set risk level and follow-up plan from the areas in force; True if anything changed."""
    places = [registration.origin_code, *registration.via_code_list]
    result = classify(places, registration.arrival_date, risk_areas() if areas is None else areas)
    before = (registration.risk_level, registration.plan, registration.follow_up_days, registration.follow_up_status)
    lengthened = result.days > registration.follow_up_days
    registration.risk_level, registration.risk_reason = result.level, result.reason
    registration.plan, registration.follow_up_days = result.plan, result.days
    registration.classified_at = timezone.now()
    registration.follow_up_start = registration.arrival_date if result.plan != FollowUpPlan.NONE else None
    status = registration.follow_up_status
    if status == FollowUpStatus.MERGED:
        pass
    elif result.plan == FollowUpPlan.NONE:
        registration.follow_up_status, registration.completed_on = FollowUpStatus.NOT_REQUIRED, None
    elif status != FollowUpStatus.COMPLETED or lengthened:
        registration.follow_up_status, registration.completed_on = FollowUpStatus.ACTIVE, None
    after = (registration.risk_level, registration.plan, registration.follow_up_days, registration.follow_up_status)
    return before != after


@dataclass(frozen=True)
class Submission:
    """What ``register_arrival`` did: the record, and whether it was new."""

    registration: Registration
    created: bool

    def same_phone(self, phone: str) -> bool:
        return self.registration.phone_index == blind_index(phone, "phone")


def register_arrival(
    data: dict[str, Any],
    *,
    community: Unit,
    source: str = Source.SELF,
    created_by: User | None = None,
    areas: Iterable[RiskArea] | None = None,
) -> Submission:
    """Record an arrival, or return the record that already holds this person and date.

    The unique ``dedupe_key`` decides, not a look-up first: the insert is tried, and when the key
    is taken — a resubmission, or a second thread at the same moment — the existing row is read
    and returned. A person's own registration is not written to the audit trail (the row records
    its own creation: ``created_at``, ``source`` and ``consent_at``; nobody's account made it);
    a staff member's entry, and every later change, is.
    """
    key = dedupe_key(data["id_number"], data["arrival_date"])
    registration = Registration(
        **{name: data.get(name, "") for name in PERSON_FIELDS},
        unit=community,
        created_by=created_by,
        source=source,
        receipt_code=new_receipt_code(),
        dedupe_key=key,
        consent_at=timezone.now() if source == Source.SELF else None,
    )
    apply_classification(registration, areas)
    public = source == Source.SELF and created_by is None
    try:
        if public and not connection.in_atomic_block:
            # One INSERT in autocommit is its own transaction: no BEGIN and COMMIT round trips. The
            # prepared statement of ``fastinsert`` writes the row exactly as ``save()`` would.
            with disable_auditlog():
                fastinsert.insert(registration)
        elif public:
            with transaction.atomic(), disable_auditlog():
                fastinsert.insert(registration)
        else:
            with transaction.atomic():
                registration.save(force_insert=True)
    except IntegrityError:
        existing = Registration.objects.filter(dedupe_key=key).first()
        if existing is None:  # not the dedupe key (a receipt code drawn twice): let it show
            raise
        return Submission(existing, False)
    return Submission(registration, True)


def correct_registration(registration: Registration, data: dict[str, Any], *, community: Unit) -> Registration:
    """Apply a person's corrections (through the receipt page) and classify again."""
    if registration.follow_up_status == FollowUpStatus.MERGED:
        raise ArrivalError(_("该登记已与另一条登记合并，请使用合并后的回执码。"))
    for name in PERSON_FIELDS:
        if name in data:
            setattr(registration, name, data[name])
    registration.unit = community
    registration.dedupe_key = dedupe_key(registration.id_number, registration.arrival_date)
    apply_classification(registration)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise ArrivalError(_("该证件号码在这一到达日期已有登记，请勿重复登记。")) from None
    return registration


def candidates(division_codes: Iterable[str], first: date, last: date | None) -> QuerySet[Registration]:
    """Registrations that may be touched by areas of these codes in force from ``first`` to ``last``."""
    places = Q()
    for code in division_codes:
        prefix = code_prefix(code)
        places |= Q(origin_code__startswith=prefix) | Q(via_codes__contains=prefix)
    rows = Registration.objects.filter(places, arrival_date__gte=first).exclude(follow_up_status=FollowUpStatus.MERGED)
    if last is not None:
        rows = rows.filter(arrival_date__lte=last + timedelta(days=LOOKBACK_DAYS))
    return rows


def reclassify(rows: QuerySet[Registration]) -> int:
    """Classify ``rows`` again against the current list; returns how many changed."""
    areas = risk_areas()
    changed = 0
    for registration in rows.iterator(chunk_size=500):
        if apply_classification(registration, areas):
            registration.save(
                update_fields=[
                    "risk_level", "risk_reason", "plan", "follow_up_days", "follow_up_start",
                    "follow_up_status", "completed_on", "classified_at", "updated_at",
                ]
            )  # fmt: skip
            changed += 1
    return changed


@dataclass(frozen=True)
class Reclassification:
    """What a change of the risk-area list set off: how many registrations it may touch, and
    how many changed (``None`` while a background job does it)."""

    candidates: int
    changed: int | None


def _reclassify_for(codes: list[str], first: date, last: date | None) -> Reclassification:
    """Classify again now, or — when many registrations may be touched — in a background job
    started once the change is committed (inline too when there is no Redis)."""
    rows = candidates(codes, first, last)
    count = rows.count()
    if count <= INLINE_RECLASSIFY_LIMIT:
        return Reclassification(count, reclassify(rows))
    from xuanchuan.arrivals.tasks import reclassify_after_area_change

    arguments = (codes, first.isoformat(), last.isoformat() if last else None)
    transaction.on_commit(lambda: reclassify_after_area_change.delay(*arguments))
    return Reclassification(count, None)


def save_risk_area(area: RiskArea, *, user: User) -> tuple[RiskArea, Reclassification]:
    """Declare or change a risk area, then re-classify everyone it (or its old version) touches."""
    with transaction.atomic():
        old = RiskArea.objects.filter(pk=area.pk).first() if area.pk else None
        area.division_name = full_name(area.division_code)
        if area.pk is None:
            area.created_by = user
            area.unit = area.unit if area.unit_id else user.unit
        area.save()
        codes, first, last = [area.division_code], area.starts_on, area.ends_on
        if old is not None:
            codes.append(old.division_code)
            first = min(first, old.starts_on)
            last = None if old.ends_on is None or last is None else max(last, old.ends_on)
        return area, _reclassify_for(codes, first, last)


def delete_risk_area(area: RiskArea) -> Reclassification:
    """Lift a declaration entirely (entered by mistake) and re-classify those it touched."""
    with transaction.atomic():
        codes, first, last = [area.division_code], area.starts_on, area.ends_on
        area.delete()
        return _reclassify_for(codes, first, last)


def record_check_in(
    registration: Registration, *, user: User, day: date, temperature: float, symptoms: str = ""
) -> CheckIn:
    """Record (or correct) one day's check-in of a person under follow-up."""
    if registration.follow_up_status != FollowUpStatus.ACTIVE:
        raise ArrivalError(_("该人员不在跟踪中，无需打卡。"))
    number = registration.day_number(day)
    if number is None or number < 1 or number > registration.follow_up_days:
        raise ArrivalError(
            _("%(day)s 不在跟踪期内（第1天至第%(days)s天）。") % {"day": day, "days": registration.follow_up_days}
        )
    if day > timezone.localdate():
        raise ArrivalError(_("不能为未来的日期打卡。"))
    values = {
        "day_number": number,
        "temperature": f"{temperature:.1f}",
        "symptoms": symptoms.strip(),
        "abnormal": is_abnormal(temperature, symptoms),
        "unit": registration.unit,
        "created_by": user,
    }
    with transaction.atomic():
        check_in, _created = CheckIn.objects.update_or_create(registration=registration, day=day, defaults=values)
    return check_in


def missed_days(registration: Registration, today: date | None = None) -> list[date]:
    """Days of the follow-up, before today, that have no check-in."""
    today = today or timezone.localdate()
    end = registration.follow_up_end
    if registration.follow_up_status != FollowUpStatus.ACTIVE or end is None:
        return []
    done = set(registration.check_ins.values_list("day", flat=True))
    last = min(end, today - timedelta(days=1))
    start = registration.follow_up_start
    every_day = (start + timedelta(days=n) for n in range(max((last - start).days + 1, 0)))
    return [day for day in every_day if day not in done]


def complete_follow_up(registration: Registration, *, user: User, day: date | None = None) -> Registration:
    """End the follow-up once its last day has come."""
    day = day or timezone.localdate()
    if registration.follow_up_status != FollowUpStatus.ACTIVE:
        raise ArrivalError(_("该人员不在跟踪中。"))
    if day < registration.follow_up_end:
        raise ArrivalError(
            _("跟踪期未满：今天是第%(day)s天，共%(days)s天，%(end)s起可解除。")
            % {
                "day": registration.day_number(day),
                "days": registration.follow_up_days,
                "end": registration.follow_up_end,
            }
        )
    registration.follow_up_status = FollowUpStatus.COMPLETED
    registration.completed_on, registration.completed_by = day, user
    registration.save(update_fields=["follow_up_status", "completed_on", "completed_by", "updated_at"])
    return registration


def merge_registrations(keep: Registration, duplicate: Registration, *, user: User) -> Registration:
    """Fold ``duplicate`` into ``keep``: its route and check-ins move over, it stays as a pointer."""
    if keep.pk == duplicate.pk:
        raise ArrivalError(_("不能与自身合并。"))
    if FollowUpStatus.MERGED in (keep.follow_up_status, duplicate.follow_up_status):
        raise ArrivalError(_("已合并的登记不能再次合并。"))
    with transaction.atomic():
        kept_days = set(keep.check_ins.values_list("day", flat=True))
        duplicate.check_ins.exclude(day__in=kept_days).update(registration=keep, unit=keep.unit)
        duplicate.check_ins.all().delete()
        routes = [*keep.via_code_list, duplicate.origin_code, *duplicate.via_code_list]
        keep.via_codes = ",".join(dict.fromkeys(code for code in routes if code and code != keep.origin_code))[:200]
        apply_classification(keep)
        keep.save()
        duplicate.merged_into, duplicate.dedupe_key = keep, None
        duplicate.follow_up_status, duplicate.completed_on = FollowUpStatus.MERGED, None
        duplicate.save(update_fields=["merged_into", "dedupe_key", "follow_up_status", "completed_on", "updated_at"])
        for check_in in keep.check_ins.all():
            number = keep.day_number(check_in.day) or 1
            if check_in.day_number != number:
                check_in.day_number = number
                check_in.save(update_fields=["day_number", "updated_at"])
    return keep


def log_export(user: User, *, rows: int, unmasked: bool, query: str) -> ExportLog:
    """Record one Excel export of registrations."""
    unit = user.unit or Unit.get_first_root_node()
    return ExportLog.objects.create(unit=unit, created_by=user, rows=rows, unmasked=unmasked, query=query[:500])


def by_receipt(code: str) -> Registration | None:
    """The registration a receipt code opens (the code is the person's only key to it)."""
    if not code or len(code) > 64:
        return None
    return Registration.objects.select_related("unit", "merged_into").filter(receipt_code=code).first()
