"""The people part of the volunteers API (at ``/api/volunteers/people``), staff only and scoped:
the volunteers the user sees and one volunteer (personal data masked, with certified minutes),
and the staff check of a certificate by its verification code. Residents use the pages."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Sum
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.core.pii import masked
from xuanchuan.volunteers.api_filters import narrow
from xuanchuan.volunteers.forms.people import search_condition
from xuanchuan.volunteers.models import Certificate, RecordStatus, Volunteer, VolunteerSource, VolunteerStatus
from xuanchuan.volunteers.permissions import may_view

router = Router()


class VolunteerOut(Schema):
    id: int
    number: str
    name: str
    phone: str
    gender: str
    birth_year: int | None
    unit_id: int
    unit: str
    source: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_name(obj: Volunteer) -> str:
        return masked(obj, "name")

    @staticmethod
    def resolve_phone(obj: Volunteer) -> str:
        return masked(obj, "phone")

    @staticmethod
    def resolve_unit(obj: Volunteer) -> str:
        return obj.unit.name


class VolunteerDetailOut(VolunteerOut):
    id_number: str
    skills: str
    availability: str
    certified_minutes: int
    confirmed_records: int
    trainings: int
    awards: int

    @staticmethod
    def resolve_trainings(obj: Volunteer) -> int:
        return obj.trainings_count

    @staticmethod
    def resolve_awards(obj: Volunteer) -> int:
        return obj.awards_count

    @staticmethod
    def resolve_id_number(obj: Volunteer) -> str:
        return masked(obj, "id_number")


class VolunteerFilters(Schema):
    status: VolunteerStatus | None = None
    source: VolunteerSource | None = None
    unit_id: int | None = Field(None, ge=1, le=2**31 - 1)
    q: str = Field("", max_length=30)


class CertificateOut(Schema):
    number: str
    valid: bool
    volunteer: str
    minutes: int
    activities: int
    period_start: date
    period_end: date
    issuer: str
    issued_at: datetime
    revoked_at: datetime | None = None

    @staticmethod
    def resolve_valid(obj: Certificate) -> bool:
        return obj.revoked_at is None

    @staticmethod
    def resolve_volunteer(obj: Certificate) -> str:
        return masked(obj.volunteer, "name")

    @staticmethod
    def resolve_issuer(obj: Certificate) -> str:
        return obj.unit.name


def _require_view(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise HttpError(403, "您没有查看志愿者信息的权限。")


def _volunteers(request: HttpRequest) -> Any:
    return Volunteer.objects.visible_to(request.user).select_related("unit").order_by("-created_at", "-pk")


@router.get(
    "/volunteers",
    response=list[VolunteerOut],
    url_name="volunteers_volunteer_list",
    summary="志愿者（可见范围内，脱敏）",
)
@paginate
def volunteers_volunteer_list(request: HttpRequest, filters: Query[VolunteerFilters]) -> Any:
    _require_view(request)
    rows = _volunteers(request)
    rows = narrow(rows, status=filters.status, source=filters.source, unit_id=filters.unit_id)
    if filters.q.strip():
        rows = rows.filter(search_condition(filters.q))
    return rows


@router.get(
    "/volunteers/{int:volunteer_id}",
    response=VolunteerDetailOut,
    url_name="volunteers_volunteer_detail",
    summary="一位志愿者（脱敏）",
)
def volunteers_volunteer_detail(request: HttpRequest, volunteer_id: int) -> Any:
    _require_view(request)
    if not 0 < volunteer_id < 2**31:
        raise Http404
    volunteer = get_object_or_404(_volunteers(request), pk=volunteer_id)
    # The volunteer's own record, whichever unit recorded it (one person's 67号 record).
    totals = volunteer.records.filter(status=RecordStatus.CONFIRMED).aggregate(
        minutes=Sum("minutes"), count=Count("pk")
    )
    volunteer.certified_minutes = totals["minutes"] or 0
    volunteer.confirmed_records = totals["count"]
    volunteer.trainings_count = volunteer.trainings.count()
    volunteer.awards_count = volunteer.awards.count()
    return volunteer


@router.get(
    "/certificates/{code}", response=CertificateOut, url_name="volunteers_certificate_check", summary="按核验码核验证明"
)
def volunteers_certificate_check(request: HttpRequest, code: str) -> Any:
    """Staff check a certificate by its code (the public check is the page ``verify/``)."""
    _require_view(request)
    if not code or len(code) > 24:
        raise Http404
    # Like the public page, a certificate is checked by the code printed on it, whoever issued it.
    certificates = Certificate.objects.select_related("unit", "volunteer")  # scoping: allowed — by its code
    return get_object_or_404(certificates, code=code)
