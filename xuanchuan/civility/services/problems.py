"""Problems found: recorded by an inspector (from a phone, with photos), or reported by a citizen
through an Open311 client (unverified until an inspector verifies or rejects it); reports of the
same spot and category close in time are merged into one.

A re-sent report carrying the same ``client_key`` (the phone's queue resends when the connection
came back, an Open311 client retries) is stored once: the key is unique in the database and the
service returns the problem already stored.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.civility.models import Category, Photo, Place, Problem
from xuanchuan.civility.models.cases import PhotoStage, ProblemSource, ProblemStatus
from xuanchuan.civility.permissions import may_inspect
from xuanchuan.civility.queries.standards import current_categories
from xuanchuan.civility.services.photos import CheckedPhoto, check_photos
from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import Unit, User

MERGE_DISTANCE_M = 50
MERGE_WINDOW = timedelta(days=3)
MERGEABLE = (ProblemStatus.OPEN, ProblemStatus.UNVERIFIED)


def new_public_id(year: int) -> str:
    """A readable number that cannot be guessed from another one: W2026-4837261."""
    return f"W{year}-{secrets.randbelow(9_000_000) + 1_000_000}"


def _existing(client_key: str | None) -> Problem | None:
    if not client_key:
        return None
    return Problem.objects.filter(client_key=client_key).first()  # scoping: allowed (idempotency key)


def _same_sender(existing: Problem, same: bool) -> Problem:
    """A re-sent report is answered with the stored one, only to whoever sent it."""
    if not same:
        raise ServiceError(_("该提交标识已被使用，请刷新页面后重新填写。"))
    return existing


def _clean_key(client_key: Any) -> str | None:
    key = str(client_key or "").strip()
    if not key:
        return None
    if len(key) > 64 or not all(c.isalnum() or c in "-_" for c in key):
        raise ServiceError(_("提交标识格式不正确。"))
    return key


def _coordinates(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise ServiceError(_("经纬度要同时填写。"))
    try:
        lat, lon = Decimal(str(latitude)), Decimal(str(longitude))
    except ArithmeticError:
        raise ServiceError(_("经纬度格式不正确。")) from None
    if not lat.is_finite() or not lon.is_finite() or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ServiceError(_("经纬度超出范围。"))
    q = Decimal("0.000001")
    return lat.quantize(q), lon.quantize(q)


def _store(problem: Problem, photos: Sequence[CheckedPhoto], by: User | None) -> None:
    """Create the problem (with a fresh public number, retried on the rare clash) and its photos."""
    year = timezone.localtime(problem.found_at).year
    for _attempt in range(8):
        problem.public_id = new_public_id(year)
        try:
            with transaction.atomic():
                problem.save()
                break
        except IntegrityError:
            if problem.client_key and _existing(problem.client_key):
                raise
            continue
    else:  # pragma: no cover - eight clashes in a row
        raise ServiceError(_("编号生成失败，请重试。"))
    for checked in photos:
        Photo.objects.create(
            problem=problem,
            stage=PhotoStage.FOUND,
            image=checked.content,
            latitude=checked.latitude,
            longitude=checked.longitude,
            uploaded_by=by,
        )


def record_problem(
    *,
    by: User,
    category: Category,
    description: str,
    place: Place | None = None,
    area: Unit | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    severity: str | None = None,
    immediate: bool = False,
    photos: Sequence[Any] = (),
    client_key: str | None = None,
    found_at: datetime | None = None,
) -> Problem:
    """An inspector records a problem found (status 待交办). Idempotent on ``client_key``."""
    require(may_inspect(by))
    key = _clean_key(client_key)
    existing = _existing(key)
    if existing is not None:
        return _same_sender(existing, existing.created_by_id == by.pk)
    description = (description or "").strip()
    if not description:
        raise ServiceError(_("请描述发现的问题。"))
    if len(description) > 4000:
        raise ServiceError(_("问题描述不能超过 4000 字。"))
    if not current_categories().filter(pk=category.pk).exists():
        raise ServiceError(_("请选择现行测评标准中的问题类别。"))
    if place is not None and not Place.objects.visible_to(by).filter(pk=place.pk, is_active=True).exists():
        raise ServiceError(_("请选择您可见的点位。"))
    address = (address or "").strip()[:200]
    if place is None and not address:
        raise ServiceError(_("请选择点位或填写地址。"))
    if place is not None:
        area = place.area
    elif area is not None and area.unit_type not in ("street", "town"):
        raise ServiceError(_("所在区域应为街道或乡镇。"))
    lat, lon = _coordinates(latitude, longitude)
    checked = check_photos(list(photos))
    if lat is None:
        located = next((p for p in checked if p.latitude is not None), None)
        if located is not None:
            lat, lon = located.latitude, located.longitude
    if lat is None and place is not None and place.latitude is not None:
        lat, lon = place.latitude, place.longitude
    from xuanchuan.civility.models.standards import Severity

    if severity not in Severity.values:
        severity = category.default_severity
    problem = Problem(
        unit=by.unit,
        created_by=by,
        client_key=key,
        source=ProblemSource.INSPECTION,
        category=category,
        place=place,
        area=area,
        address=address,
        latitude=lat,
        longitude=lon,
        description=description,
        severity=severity,
        immediate=bool(immediate),
        found_at=found_at or timezone.now(),
        status=ProblemStatus.OPEN,
    )
    try:
        with transaction.atomic():
            _store(problem, checked, by)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return _same_sender(existing, existing.created_by_id == by.pk)
    return problem


def report_from_client(
    *,
    client: Any,
    category: Category,
    description: str,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    media_url: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    client_key: str | None = None,
) -> Problem:
    """A citizen's report through an Open311 client: an unverified problem handled by the client's
    unit, waiting for an inspector. Idempotent on ``client_key``. (The client's API key was
    checked by the caller: the key is the permission here.)"""
    if client is None or not client.is_active:
        raise ServiceError(_("该客户端已停用。"))
    key = _clean_key(client_key)
    existing = _existing(key)
    if existing is not None:
        return _same_sender(existing, existing.api_client_id == client.pk)
    description = (description or "").strip()
    if not description:
        raise ServiceError(_("请描述反映的问题。"))
    if len(description) > 4000:
        raise ServiceError(_("问题描述不能超过 4000 字。"))
    if not current_categories().filter(pk=category.pk).exists():
        raise ServiceError(_("该问题类别不在现行测评标准中。"))
    lat, lon = _coordinates(latitude, longitude)
    address = (address or "").strip()[:200]
    if lat is None and not address:
        raise ServiceError(_("请提供地址或经纬度。"))
    problem = Problem(
        unit=client.unit,
        client_key=key,
        source=ProblemSource.OPEN311,
        api_client=client,
        category=category,
        address=address,
        latitude=lat,
        longitude=lon,
        description=description,
        severity=category.default_severity,
        status=ProblemStatus.UNVERIFIED,
        media_url=(media_url or "")[:500],
        reporter_name=(reporter_name or "").strip()[:50],
        reporter_contact=(reporter_contact or "").strip()[:200],
    )
    try:
        with transaction.atomic():
            _store(problem, (), None)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return _same_sender(existing, existing.api_client_id == client.pk)
    return problem


def _lock_visible(problem: Problem, by: User) -> Problem:
    locked = Problem.objects.visible_to(by).select_for_update(of=("self",)).filter(pk=problem.pk).first()
    if locked is None:
        raise ServiceError(_("找不到该问题。"))
    return locked


def verify_report(
    problem: Problem,
    *,
    by: User,
    category: Category | None = None,
    place: Place | None = None,
    area: Unit | None = None,
    severity: str | None = None,
) -> Problem:
    """An inspector confirms a citizen's report (待核实 → 待交办), setting its category and spot."""
    require(may_inspect(by))
    if category is not None and not current_categories().filter(pk=category.pk).exists():
        raise ServiceError(_("请选择现行测评标准中的问题类别。"))
    if place is not None and not Place.objects.visible_to(by).filter(pk=place.pk).exists():
        raise ServiceError(_("请选择您可见的点位。"))
    with transaction.atomic():
        problem = _lock_visible(problem, by)
        if problem.status != ProblemStatus.UNVERIFIED:
            raise ServiceError(_("只能核实待核实的群众反映。"))
        if category is not None:
            problem.category = category
        if place is not None:
            problem.place = place
            problem.area = place.area
        elif area is not None:
            problem.area = area
        if problem.area_id is None:
            raise ServiceError(_("请选择点位或所在街道（乡镇），以便交办。"))
        from xuanchuan.civility.models.standards import Severity

        if severity in Severity.values:
            problem.severity = severity
        problem.status = ProblemStatus.OPEN
        problem.verified_by = by
        problem.verified_at = timezone.now()
        problem.save()
    return problem


def reject_report(problem: Problem, *, reason: str, by: User) -> Problem:
    """An inspector finds a citizen's report unfounded (待核实 → 不属实), with the reason."""
    require(may_inspect(by))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请说明不属实的理由。"))
    with transaction.atomic():
        problem = _lock_visible(problem, by)
        if problem.status != ProblemStatus.UNVERIFIED:
            raise ServiceError(_("只能对待核实的群众反映作出不属实的结论。"))
        problem.status = ProblemStatus.REJECTED
        problem.reject_reason = reason[:1000]
        problem.verified_by = by
        problem.verified_at = timezone.now()
        problem.save()
    return problem


def distance_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(h)))


def same_spot(a: Problem, b: Problem) -> bool:
    """The same place, the same address, or within ``MERGE_DISTANCE_M`` metres."""
    if a.place_id and a.place_id == b.place_id:
        return True
    if a.address and a.address.strip() == (b.address or "").strip():
        return True
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        return distance_m(a.latitude, a.longitude, b.latitude, b.longitude) <= MERGE_DISTANCE_M
    return False


def merge_candidates(problem: Problem, user: User) -> list[Problem]:
    """Open or unverified problems the user sees of the same spot and category within the window."""
    if problem.status not in MERGEABLE:
        return []
    window = Q(found_at__gte=problem.found_at - MERGE_WINDOW, found_at__lte=problem.found_at + MERGE_WINDOW)
    spot = Q(address__gt="", address=problem.address) if problem.address else Q(pk__in=[])
    if problem.place_id:
        spot |= Q(place_id=problem.place_id)
    if problem.latitude is not None:
        delta = Decimal("0.001")  # about 110 m of latitude: narrowed by the exact distance below
        spot |= Q(
            latitude__range=(problem.latitude - delta, problem.latitude + delta),
            longitude__range=(problem.longitude - delta * 2, problem.longitude + delta * 2),
        )
    rows = (
        Problem.objects.visible_to(user)
        .filter(window, spot, category__name=problem.category.name, status__in=MERGEABLE)
        .exclude(pk=problem.pk)
        .select_related("category", "place")
        .order_by("found_at")[:20]
    )
    return [row for row in rows if same_spot(problem, row)]


def merge(problem: Problem, *, into: Problem, by: User) -> Problem:
    """Merge ``problem`` (a duplicate report) into ``into``: it becomes 已合并, pointing at the
    target, and stays as history; its photos are then seen with the target."""
    require(may_inspect(by))
    if problem.pk == into.pk:
        raise ServiceError(_("不能把问题合并到它自己。"))
    with transaction.atomic():
        first, second = sorted([problem.pk, into.pk])
        rows = {
            row.pk: row
            for row in Problem.objects.visible_to(by)
            .select_for_update(of=("self",))
            .filter(pk__in=[first, second])
            .order_by("pk")
        }
        if len(rows) != 2:
            raise ServiceError(_("找不到要合并的问题。"))
        problem, into = rows[problem.pk], rows[into.pk]
        if problem.status not in MERGEABLE or into.status not in MERGEABLE:
            raise ServiceError(_("只能合并待核实或待交办的问题。"))
        if problem.category.name != into.category.name:
            raise ServiceError(_("只能合并同一类别的问题。"))
        if not same_spot(problem, into) or abs(problem.found_at - into.found_at) > MERGE_WINDOW:
            raise ServiceError(_("只能合并同一地点、时间相近的问题。"))
        problem.status = ProblemStatus.MERGED
        problem.merged_into = into
        problem.merged_at = timezone.now()
        problem.merged_by = by
        problem.save()
    return problem


def register_retention() -> None:
    """A citizen's name and contact are erased a year after the report (the row stays)."""
    from xuanchuan.core.pii.retention import register_retention as register

    register(
        Problem,
        days=lambda: settings.CIVILITY_REPORTER_RETENTION_DAYS,
        date_field="found_at",
        action="erase",
        fields=("reporter_name", "reporter_contact"),
        label="群众反映问题的反映人和联系方式",
    )
