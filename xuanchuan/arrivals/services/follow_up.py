"""The community's follow-up work: check-ins, completion and merging duplicates (each needs a
role that owns follow-up, ``permissions.may_follow_up``), and the log of Excel exports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.arrivals.models import CheckIn, ExportLog, FollowUpStatus, Registration
from xuanchuan.arrivals.permissions import may_follow_up
from xuanchuan.arrivals.rules import is_abnormal
from xuanchuan.arrivals.services.classification import apply_classification
from xuanchuan.arrivals.services.registrations import hand_on_day_key
from xuanchuan.core.pii.kinds import normalize_phone
from xuanchuan.core.pii.masking import mask_id_number, mask_phone
from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User
from xuanchuan.org.services import district_root


def _require_visible(by: User, *registrations: Registration) -> None:
    pks = {registration.pk for registration in registrations}
    require(Registration.objects.visible_to(by).filter(pk__in=pks).count() == len(pks))


def _locked(*registrations: Registration) -> list[Registration]:
    """The rows again, locked one after another in primary-key order (so two transactions locking
    the same pair cannot deadlock), in the order given."""
    rows = {pk: Registration.objects.select_for_update().get(pk=pk) for pk in sorted({r.pk for r in registrations})}
    return [rows[registration.pk] for registration in registrations]


def record_check_in(
    registration: Registration, *, by: User, day: date, temperature: float, symptoms: str = ""
) -> CheckIn:
    """Record (or correct) one day's check-in of a person under follow-up."""
    require(may_follow_up(by))
    _require_visible(by, registration)
    if day > timezone.localdate():
        raise ServiceError(_("不能为未来的日期打卡。"))
    with transaction.atomic():
        (row,) = _locked(registration)
        if row.follow_up_status != FollowUpStatus.ACTIVE:
            raise ServiceError(_("该人员不在跟踪中，无需打卡。"))
        number = row.day_number(day)
        if number is None or number < 1 or number > row.follow_up_days:
            raise ServiceError(
                _("%(day)s 不在跟踪期内（第1天至第%(days)s天）。") % {"day": day, "days": row.follow_up_days}
            )
        values = {
            "day_number": number,
            "temperature": f"{temperature:.1f}",
            "symptoms": symptoms.strip(),
            "abnormal": is_abnormal(temperature, symptoms),
            "unit": row.unit,
            "created_by": by,
        }
        check_in, _created = CheckIn.objects.update_or_create(registration=row, day=day, defaults=values)
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


def complete_follow_up(registration: Registration, *, by: User, day: date | None = None) -> Registration:
    """End the follow-up once its last day has come."""
    require(may_follow_up(by))
    _require_visible(by, registration)
    day = day or timezone.localdate()
    with transaction.atomic():
        (row,) = _locked(registration)
        if row.follow_up_status != FollowUpStatus.ACTIVE:
            raise ServiceError(_("该人员不在跟踪中。"))
        if day < row.follow_up_end:
            raise ServiceError(
                _("跟踪期未满：今天是第%(day)s天，共%(days)s天，%(end)s起可解除。")
                % {"day": row.day_number(day), "days": row.follow_up_days, "end": row.follow_up_end}
            )
        row.follow_up_status = FollowUpStatus.COMPLETED
        row.completed_on, row.completed_by = day, by
        row.save(update_fields=["follow_up_status", "completed_on", "completed_by", "updated_at"])
    return row


def merge_registrations(keep: Registration, duplicate: Registration, *, by: User) -> Registration:
    """Fold ``duplicate`` into ``keep`` (the same person): its route and check-ins move over, it
    stays as a pointer. Both rows are locked and their statuses checked again inside the
    transaction, so two opposite merges (X into Y, Y into X) cannot both succeed."""
    require(may_follow_up(by))
    if keep.pk == duplicate.pk:
        raise ServiceError(_("不能与自身合并。"))
    _require_visible(by, keep, duplicate)
    with transaction.atomic():
        keep, duplicate = _locked(keep, duplicate)
        if FollowUpStatus.MERGED in (keep.follow_up_status, duplicate.follow_up_status):
            raise ServiceError(_("已合并的登记不能再次合并。"))
        if not keep.id_number_index or keep.id_number_index != duplicate.id_number_index:
            raise ServiceError(_("两条登记的证件号码不同，不是同一人，不能合并。"))
        _fold(keep, duplicate)
    return keep


def _fold(keep: Registration, duplicate: Registration) -> None:
    kept_days = set(keep.check_ins.values_list("day", flat=True))
    duplicate.check_ins.exclude(day__in=kept_days).update(registration=keep, unit=keep.unit)
    duplicate.check_ins.all().delete()
    routes = [*keep.via_code_list, duplicate.origin_code, *duplicate.via_code_list]
    keep.via_codes = ",".join(dict.fromkeys(code for code in routes if code and code != keep.origin_code))[:200]
    apply_classification(keep)
    keep.save()
    released = duplicate.day_key
    duplicate.merged_into, duplicate.dedupe_key, duplicate.day_key = keep, None, None
    duplicate.follow_up_status, duplicate.completed_on = FollowUpStatus.MERGED, None
    duplicate.save(
        update_fields=["merged_into", "dedupe_key", "day_key", "follow_up_status", "completed_on", "updated_at"]
    )
    # The day key the duplicate held goes on to a possible duplicate of that day (often ``keep``).
    hand_on_day_key(released, duplicate.id_number_index, duplicate.arrival_date)
    keep.refresh_from_db(fields=["day_key"])
    for check_in in keep.check_ins.all():
        number = keep.day_number(check_in.day) or 1
        if check_in.day_number != number:
            check_in.day_number = number
            check_in.save(update_fields=["day_number", "updated_at"])


# Filters of the registration list kept in the export log as given; the search text is masked
# (it is a document number, a phone or a receipt code) and anything else is left out.
EXPORT_FILTERS = ("risk_level", "plan", "follow_up_status", "unit", "source", "arrived_from", "arrived_to")


def export_query(params: Iterable[tuple[str, str]]) -> str:
    """The filters of an export for its log: names with values, the searched text masked."""
    parts = []
    for name, value in params:
        value = value.strip()
        if not value:
            continue
        if name == "q":
            phone = normalize_phone(value)
            masked = mask_phone(phone) if len(phone) == 11 and phone.isdigit() else mask_id_number(value)
            parts.append(f"q={masked}")
        elif name in EXPORT_FILTERS:
            parts.append(f"{name}={value[:40]}")
    return "&".join(parts)


def log_export(*, by: User, rows: int, unmasked: bool, query: str) -> ExportLog:
    """Record one Excel export of registrations (``query`` from ``export_query``: nothing in clear)."""
    with transaction.atomic():
        unit = by.unit or district_root()
        return ExportLog.objects.create(unit=unit, created_by=by, rows=rows, unmasked=unmasked, query=query[:500])
