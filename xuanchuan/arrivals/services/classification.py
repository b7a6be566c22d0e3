"""Risk areas and the classification they cause: declaring, changing and lifting an area, and
classifying the registrations it touches again (in the request, or in a background job)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from xuanchuan.arrivals.divisions import code_prefix, full_name
from xuanchuan.arrivals.models import FollowUpPlan, FollowUpStatus, Registration, RiskArea
from xuanchuan.arrivals.permissions import may_manage_risk_areas
from xuanchuan.arrivals.rules import LOOKBACK_DAYS, classify
from xuanchuan.core.memo import VersionedMemo
from xuanchuan.core.services import require
from xuanchuan.org.models import User
from xuanchuan.org.services import district_root

# Up to this many possibly touched registrations are classified again within the request.
INLINE_RECLASSIFY_LIMIT = 500
CLASSIFICATION_FIELDS = (
    "risk_level", "risk_reason", "plan", "follow_up_days", "follow_up_start", "follow_up_status", "completed_on",
    "classified_at", "updated_at",
)  # fmt: skip


def _load_risk_areas() -> tuple[RiskArea, ...]:
    return tuple(RiskArea.objects.all())


# The risk-area list changes a few times a day and is read by every submission: kept per process,
# reloaded when an area is saved or deleted (``signals.py`` bumps the version) — see ``core/memo.py``.
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
            registration.save(update_fields=CLASSIFICATION_FIELDS)
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


def save_risk_area(area: RiskArea, *, by: User) -> tuple[RiskArea, Reclassification]:
    """Declare or change a risk area, then re-classify everyone it (or its old version) touches."""
    require(may_manage_risk_areas(by))
    with transaction.atomic():
        old = RiskArea.objects.select_for_update().filter(pk=area.pk).first() if area.pk else None
        area.division_name = full_name(area.division_code)
        if area.pk is None:
            area.created_by = by
            area.unit = area.unit if area.unit_id else (by.unit or district_root())
        area.save()
        codes, first, last = [area.division_code], area.starts_on, area.ends_on
        if old is not None:
            codes.append(old.division_code)
            first = min(first, old.starts_on)
            last = None if old.ends_on is None or last is None else max(last, old.ends_on)
        return area, _reclassify_for(codes, first, last)


def delete_risk_area(area: RiskArea, *, by: User) -> Reclassification:
    """Lift a declaration entirely (entered by mistake) and re-classify those it touched."""
    require(may_manage_risk_areas(by))
    with transaction.atomic():
        codes, first, last = [area.division_code], area.starts_on, area.ends_on
        area.delete()
        return _reclassify_for(codes, first, last)
