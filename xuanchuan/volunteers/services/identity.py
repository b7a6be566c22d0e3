"""One person, one volunteer: however someone comes in (registering on their phone, a team's Excel
import, staff entering them), they are found by the blind index of their ID number, and a second
arrival updates the first record instead of making another. Every way in goes through ``enrol``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.pii import lookup, normalize_mobile, parse_resident_id, validate_mobile
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit, User
from xuanchuan.volunteers.models import Volunteer, VolunteerStatus

# The text a volunteer agrees to; a new wording gets a new version, and each volunteer keeps the
# version they agreed to (``Volunteer.consent_version``).
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = _(
    "我同意所在社区、街道和区新时代文明实践中心为志愿服务记录、活动组织、出具志愿服务记录证明和"
    "道德信贷积分的需要，收集和使用我的姓名、身份证号码、手机号码和住址；上述信息加密保存，页面上"
    "默认隐去部分号码，查看全文有记录；未经本人同意不向第三方提供；本人注销后按规定期限删除。"
)


@dataclass(frozen=True)
class Person:
    """What identifies and reaches a volunteer, as typed (validated by ``enrol``)."""

    name: str
    id_number: str
    phone: str
    address: str = ""
    skills: str = ""
    availability: str = ""


@dataclass(frozen=True)
class Enrolment:
    volunteer: Volunteer
    created: bool


def check_community(unit: Unit) -> None:
    """A volunteer belongs to a community or village (or another grassroots unit)."""
    if unit.unit_type not in GRASSROOTS_TYPES:
        raise ServiceError(_("志愿者应登记在社区（村）。"))


DUPLICATE_MESSAGE = _("该身份证号已注册，请用登记的手机号接收验证码登录")


def enrol(
    person: Person, *, unit: Unit, source: str, by: User | None, consented: bool, only_new: bool = False
) -> Enrolment:
    """The volunteer for ``person``: the existing one with this ID number (its phone, address,
    skills and availability brought up to date where given, a withdrawn one made active again),
    or a new one of ``unit``. The caller has checked the permission (a team's import, staff) or is
    the person themselves (``by=None``, registering on their phone). ``consented`` must be true: a
    person registering agrees on the page; an import states that the team collected consent.

    Raises ``ServiceError`` with a Chinese sentence for a bad ID number or mobile number or when
    consent is missing; safe against two enrolments of one person at the same moment (the unique
    blind index decides, the loser reads the winner's row).

    ``only_new=True`` (registering on a phone, staff entering a person) refuses a person who is
    already a volunteer with ``DUPLICATE_MESSAGE`` and changes nothing: whoever merely knows an ID
    number must not change the phone that signs the volunteer in, nor learn about the record.
    """
    if not consented:
        raise ServiceError(_("请先阅读并同意个人信息使用说明。"))
    name = person.name.strip()
    if not name or len(name) > 50:
        raise ServiceError(_("请填写姓名（不超过50字）。"))
    try:
        resident = parse_resident_id(person.id_number, allow_foreigners=False)
        phone = normalize_mobile(person.phone)
        validate_mobile(phone)
    except ValidationError as exc:
        raise ServiceError(exc.messages) from None
    check_community(unit)
    now = timezone.now()
    updates = {
        "phone": phone,
        **({"address": person.address.strip()} if person.address.strip() else {}),
        **({"skills": person.skills.strip()} if person.skills.strip() else {}),
        **({"availability": person.availability.strip()} if person.availability.strip() else {}),
    }
    for attempt in range(2):
        try:
            with transaction.atomic():
                # scoping: allowed — one person is one volunteer across the district.
                existing = (
                    Volunteer.objects.select_for_update()
                    .filter(**lookup(Volunteer, "id_number", resident.number))
                    .first()
                )
                if existing is not None and only_new:
                    raise ServiceError(DUPLICATE_MESSAGE, code="duplicate")
                if existing is not None:
                    for field, value in updates.items():
                        setattr(existing, field, value)
                    if existing.status == VolunteerStatus.WITHDRAWN:
                        existing.status = VolunteerStatus.ACTIVE
                        existing.withdrawn_at = None
                        existing.unit = unit
                        existing.consented_at = now
                        existing.consent_version = CONSENT_VERSION
                    existing.save()
                    return Enrolment(existing, created=False)
                volunteer = Volunteer.objects.create(
                    unit=unit,
                    created_by=by,
                    name=name,
                    id_number=resident.number,
                    gender="M" if int(resident.sequence[-1]) % 2 else "F",
                    birth_year=resident.birth_date.year,
                    source=source,
                    consented_at=now,
                    consent_version=CONSENT_VERSION,
                    **updates,
                )
                return Enrolment(volunteer, created=True)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")
