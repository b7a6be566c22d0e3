"""Registering arrivals (the public form, one staff entry or a whole grid), the registrant's own
corrections (held for staff when they would end a follow-up), and recovering a lost receipt."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.arrivals.models import (
    POSSIBLE_DUPLICATE,
    CorrectionStatus,
    FollowUpStatus,
    PendingCorrection,
    Registration,
    RiskArea,
    Source,
)
from xuanchuan.arrivals.permissions import may_follow_up
from xuanchuan.arrivals.services.classification import apply_classification
from xuanchuan.core.perf import fastinsert
from xuanchuan.core.pii import blind_index
from xuanchuan.core.pii.crypto import blind_index_digest
from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.sms import send_sms
from xuanchuan.org.models import Unit, User

# Fields a person (or staff entering for them) provides.
PERSON_FIELDS = (
    "name", "document_type", "id_number", "phone", "origin_code", "via_codes", "travel_notes", "transport",
    "trip_number", "arrival_date", "address", "health_status", "symptoms",
)  # fmt: skip
# The fields classification reads: a registrant's change of these that would end or shorten an
# active follow-up is held for staff (``PendingCorrection``).
ROUTE_FIELDS = ("origin_code", "via_codes", "arrival_date")
# A receipt is sent again to the same record at most once in this many seconds.
RESEND_INTERVAL = 10 * 60


def new_receipt_code() -> str:
    """An unguessable receipt code (128 bits), short enough to copy from a phone."""
    return secrets.token_urlsafe(16)


def day_key(id_number: str, arrival_date: date) -> str:
    """The same document number on the same day gives the same key; nobody can reverse it."""
    return _day_key(blind_index(id_number, "id_number"), arrival_date)


def dedupe_key(id_number: str, arrival_date: date, phone: str) -> str:
    """The same document number, day and phone give the same key: a resubmission of one record."""
    return _dedupe_key(blind_index(id_number, "id_number"), arrival_date, blind_index(phone, "phone"))


def _day_key(id_index: str, arrival_date: date) -> str:
    return blind_index_digest(f"{id_index}|{arrival_date.isoformat()}", "arrival")


def _dedupe_key(id_index: str, arrival_date: date, phone_index: str) -> str:
    return blind_index_digest(f"{id_index}|{arrival_date.isoformat()}|{phone_index}", "arrival")


def recomputed_dedupe_key(registration: Registration) -> str | None:
    """``dedupe_key`` with the current data key (key rotation); a merged or erased row keeps its own."""
    if registration.dedupe_key is None or not registration.id_number:
        return registration.dedupe_key
    return dedupe_key(registration.id_number, registration.arrival_date, registration.phone)


def recomputed_day_key(registration: Registration) -> str | None:
    """``day_key`` with the current data key; a possible duplicate, merged or erased row keeps its own."""
    if registration.day_key is None or not registration.id_number:
        return registration.day_key
    return day_key(registration.id_number, registration.arrival_date)


def set_keys(registration: Registration) -> None:
    """Both keys of ``registration`` from its own document number, date and phone (the document
    number's blind index taken once for both)."""
    id_index, arrival = blind_index(registration.id_number, "id_number"), registration.arrival_date
    registration.day_key = _day_key(id_index, arrival)
    registration.dedupe_key = _dedupe_key(id_index, arrival, blind_index(registration.phone, "phone"))


@dataclass(frozen=True)
class Submission:
    """What ``register_arrival`` did: the record, and whether it was new."""

    registration: Registration
    created: bool


def _require_community(by: User, community: Unit) -> None:
    if not Unit.objects.visible_to(by).filter(pk=community.pk).exists():
        raise ServiceError(_("“%(unit)s”不在您的管辖范围内。") % {"unit": community.name})


def register_arrival(
    data: dict[str, Any],
    *,
    community: Unit,
    source: str = Source.SELF,
    by: User | None = None,
    areas: Iterable[RiskArea] | None = None,
) -> Submission:
    """Record an arrival, or return the record that already holds this person, date and phone.

    ``by`` is the staff member entering it (``None``: the person themselves, on the public
    form). The unique keys decide, not a look-up first: the insert is tried, and when
    ``dedupe_key`` is taken — a resubmission, or a second thread at the same moment — the
    existing row is read and returned; when only ``day_key`` is taken (the same document number
    and date, another phone) the record is written without it, as a possible duplicate for
    staff. A person's own registration is not written to the audit trail (the row records its
    own creation: ``created_at``, ``source`` and ``consent_at``); a staff member's entry, and
    every later change, is.
    """
    if by is not None:
        require(may_follow_up(by))
        _require_community(by, community)
    return _insert(data, community=community, source=source, by=by, areas=areas)


def _insert(
    data: dict[str, Any], *, community: Unit, source: str, by: User | None, areas: Iterable[RiskArea] | None
) -> Submission:
    registration = Registration(
        **{name: data.get(name, "") for name in PERSON_FIELDS},
        unit=community,
        created_by=by,
        source=source,
        receipt_code=new_receipt_code(),
        consent_at=timezone.now() if source == Source.SELF else None,
    )
    set_keys(registration)
    apply_classification(registration, areas)
    public = source == Source.SELF and by is None
    conflict: IntegrityError | None = None
    # At most three tries: the day key taken (another phone), then only a race can conflict again.
    for _attempt in range(3):
        try:
            _write(registration, public=public)
        except IntegrityError as error:
            conflict = error
            existing, day_taken = _holders(registration)
            if existing is not None:  # this document number, day and phone: the same record
                return Submission(existing, False)
            if day_taken:
                # Another phone registered this document number for this day: a record of its
                # own, answered as any first registration, and a possible duplicate for staff.
                registration.day_key = None
            elif registration.day_key is None:
                raise  # not a key of ours (a receipt code drawn twice): let it show
            # (else the day's record was merged away meanwhile: try again)
        else:
            return Submission(registration, True)
    raise conflict


def _write(registration: Registration, *, public: bool) -> None:
    if public and not connection.in_atomic_block:
        # One INSERT in autocommit is its own transaction: no BEGIN and COMMIT round trips. The
        # prepared statement of ``core.perf.fastinsert`` writes the row exactly as ``save()`` would.
        with disable_auditlog():
            fastinsert.insert(registration)
    elif public:
        with transaction.atomic(), disable_auditlog():
            fastinsert.insert(registration)
    else:
        with transaction.atomic():
            registration.save(force_insert=True)


def _holders(registration: Registration) -> tuple[Registration | None, bool]:
    """The record holding ``registration``'s dedupe key (if any), and whether its day key is taken."""
    condition = Q(dedupe_key=registration.dedupe_key)
    if registration.day_key is not None:
        condition |= Q(day_key=registration.day_key)
    rows = list(Registration.objects.filter(condition).exclude(pk=registration.pk))
    existing = next((row for row in rows if row.dedupe_key == registration.dedupe_key), None)
    day_taken = registration.day_key is not None and any(row.day_key == registration.day_key for row in rows)
    return existing, day_taken


def hand_on_day_key(key: str | None, id_number_index: str, arrival_date: date) -> None:
    """A record gave up the day key ``key`` (merged, or its number or date corrected): the oldest
    possible duplicate of that number and day, if any, takes it and is a possible duplicate no more."""
    if key is None or not id_number_index:
        return
    heir = (
        Registration.objects.filter(POSSIBLE_DUPLICATE, id_number_index=id_number_index, arrival_date=arrival_date)
        .order_by("pk")
        .first()
    )
    if heir is None:
        return
    try:
        with transaction.atomic():
            Registration.objects.filter(pk=heir.pk, day_key__isnull=True).update(day_key=key)
    except IntegrityError:  # a new registration of that day took the key first
        pass


def register_many(rows: Iterable[tuple[dict[str, Any], Unit]], *, by: User) -> list[Submission]:
    """Staff enter several arrivals (the grid) in one transaction: all of them, or none."""
    require(may_follow_up(by))
    rows = list(rows)
    for _data, community in rows:
        _require_community(by, community)
    with transaction.atomic():
        return [_insert(data, community=community, source=Source.STAFF, by=by, areas=None) for data, community in rows]


@dataclass(frozen=True)
class Correction:
    """What a registrant's correction did: the record, and the part held for staff (if any)."""

    registration: Registration
    pending: PendingCorrection | None


def _ends_follow_up(current: Registration, proposed: Registration) -> bool:
    """Whether ``proposed`` would end or shorten ``current``'s active follow-up."""
    if current.follow_up_status != FollowUpStatus.ACTIVE:
        return False
    if proposed.follow_up_status != FollowUpStatus.ACTIVE:
        return True
    return proposed.follow_up_end is not None and proposed.follow_up_end < current.follow_up_end


def _locked(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().get(pk=registration.pk)


def _save_keyed(registration: Registration, *, before: Registration) -> None:
    """Save with both keys recomputed: a correction onto another record of this number, day and
    phone is refused; onto one with another phone it makes this record a possible duplicate. A
    day key given up goes on to a possible duplicate of the old number and day."""
    set_keys(registration)
    try:
        _save_atomically(registration)
    except IntegrityError:
        existing, day_taken = _holders(registration)
        if existing is not None or not day_taken:
            raise ServiceError(_("该证件号码在这一到达日期已有登记，请勿重复登记。")) from None
        registration.day_key = None
        try:
            _save_atomically(registration)
        except IntegrityError:
            raise ServiceError(_("该证件号码在这一到达日期已有登记，请勿重复登记。")) from None
    if before.day_key is not None and before.day_key != registration.day_key:
        hand_on_day_key(before.day_key, before.id_number_index, before.arrival_date)


def _save_atomically(registration: Registration) -> None:
    with transaction.atomic():
        registration.save()


def correct_registration(registration: Registration, data: dict[str, Any], *, community: Unit) -> Correction:
    """Apply a person's corrections (through the receipt page) and classify again.

    A change of route or arrival date that would end or shorten an active follow-up does not
    take effect: it is held as a ``PendingCorrection`` for community staff (replacing one
    already pending); the other corrections apply at once.
    """
    with transaction.atomic():
        row = _locked(registration)
        if row.follow_up_status == FollowUpStatus.MERGED:
            raise ServiceError(_("该登记已与另一条登记合并，请使用合并后的回执码。"))
        proposed = copy.copy(row)
        for name in PERSON_FIELDS:
            if name in data:
                setattr(proposed, name, data[name])
        apply_classification(proposed)
        pending = None
        if _ends_follow_up(row, proposed):
            pending = _hold(row, proposed)
            for name in ROUTE_FIELDS:
                setattr(proposed, name, getattr(row, name))
            apply_classification(proposed)
        proposed.unit = community
        _save_keyed(proposed, before=row)
    return Correction(proposed, pending)


def _hold(row: Registration, proposed: Registration) -> PendingCorrection:
    values = {name: getattr(proposed, name) for name in ROUTE_FIELDS}
    values.update(proposed_level=proposed.risk_level, proposed_plan=proposed.plan, unit=row.unit)
    held = PendingCorrection.objects.filter(registration=row, status=CorrectionStatus.PENDING).first()
    if held is None:
        return PendingCorrection.objects.create(registration=row, **values)
    for name, value in values.items():
        setattr(held, name, value)
    held.save()
    return held


def decide_correction(correction: PendingCorrection, *, approve: bool, by: User) -> PendingCorrection:
    """Community staff approve a held correction (applied and classified again) or refuse it."""
    require(may_follow_up(by))
    require(PendingCorrection.objects.visible_to(by).filter(pk=correction.pk).exists())
    with transaction.atomic():
        held = PendingCorrection.objects.select_for_update().get(pk=correction.pk)
        if held.status != CorrectionStatus.PENDING:
            raise ServiceError(_("该更正已经审核过了。"))
        if approve:
            registration = _locked(held.registration)
            if registration.follow_up_status == FollowUpStatus.MERGED:
                raise ServiceError(_("该登记已合并到另一条登记，不能再更正。"))
            before = copy.copy(registration)
            for name in ROUTE_FIELDS:
                setattr(registration, name, getattr(held, name))
            apply_classification(registration)
            _save_keyed(registration, before=before)
        held.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REFUSED
        held.decided_by, held.decided_at = by, timezone.now()
        held.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return held


def by_receipt(code: str) -> Registration | None:
    """The registration a receipt code opens (the code is the person's only key to it)."""
    if not code or len(code) > 64:
        return None
    return Registration.objects.select_related("unit", "merged_into").filter(receipt_code=code).first()


def resend_receipt(key: str, *, link: Callable[[str], str]) -> None:
    """Send the receipt of the record with ``dedupe_key`` ``key`` to the phone on that record.

    Says nothing back: whoever asks learns nothing, and only the registered phone gets the code
    (``link(code)`` gives the receipt page's address). At most one text per record every
    ``RESEND_INTERVAL`` seconds, so the button cannot flood a person's phone.
    """
    registration = Registration.objects.filter(dedupe_key=key).first() if key else None
    if registration is None or not registration.phone:
        return
    if not cache.add(f"arrivals:receipt-resent:{registration.pk}", 1, timeout=RESEND_INTERVAL):
        return
    code = registration.receipt_code
    text = _("【%(district)s】您的来返人员登记回执码：%(code)s。查看或修改登记：%(link)s 。请勿转告他人。") % {
        "district": settings.XUANCHUAN_DISTRICT_NAME,
        "code": code,
        "link": link(code),
    }
    send_sms(settings.ARRIVALS_SMS_BACKEND, registration.phone, text)
