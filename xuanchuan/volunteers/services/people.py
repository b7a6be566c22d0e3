"""Writes of the people part: a resident registering and signing in on their phone (by a code sent
to the registered mobile), their profile and withdrawal; staff entering and editing volunteers and
their training, awards and evaluations; certificates of hours (谁记录谁证明) and their revocation.

Sign-in codes live in the cache only, hashed, under the blind index of the number (so neither the
number nor the code is readable there); they last ``VOLUNTEERS_SIGNIN_CODE_MINUTES``, allow
``VOLUNTEERS_SIGNIN_CODE_TRIES`` wrong tries, work once, and a number gets at most one a minute.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from xuanchuan.core.pii import lookup, normalize_mobile, parse_resident_id, validate_mobile
from xuanchuan.core.pii import register_retention as register_pii_retention
from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.sms import send_sms
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.volunteers.models import (
    Award,
    Certificate,
    Evaluation,
    RecordStatus,
    ServiceRecord,
    Training,
    Volunteer,
    VolunteerSource,
    VolunteerStatus,
)
from xuanchuan.volunteers.permissions import may_manage
from xuanchuan.volunteers.services.identity import Enrolment, Person, check_community, enrol

# Personal information of a child under 14 needs a guardian's consent (个人信息保护法 第31条),
# which a web form cannot collect: such a child is registered at the community, with the guardian.
MINIMUM_ONLINE_AGE = 14
CODE_RESEND_SECONDS = 60
CERTIFICATE_NUMBER_TRIES = 8
CODE_WRONG = _("验证码不正确或已失效，请重新获取。")


def register_retention() -> None:
    """Erase a withdrawn volunteer's personal data ``VOLUNTEERS_RETENTION_DAYS`` after withdrawal
    (the row and their service records stay, without it, for the figures)."""
    register_pii_retention(
        Volunteer,
        days=lambda: settings.VOLUNTEERS_RETENTION_DAYS,
        date_field="withdrawn_at",
        action="erase",
        filter=Q(status=VolunteerStatus.WITHDRAWN),
        label="已注销志愿者的个人信息",
    )


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# --- Registering on the phone ------------------------------------------------------------------


def register_self(person: Person, *, unit: Unit, consented: bool) -> Volunteer:
    """A resident registers themselves (``by=None``). Refused: a child under 14 (to the community
    with a guardian), an ID number already registered (sign in with the registered phone instead,
    nothing about the record is told and nothing in it changes)."""
    try:
        resident = parse_resident_id(person.id_number, allow_foreigners=False)
    except ValidationError as exc:
        raise ServiceError(exc.messages) from None
    if age_on(resident.birth_date, timezone.localdate()) < MINIMUM_ONLINE_AGE:
        raise ServiceError(
            _("未满14周岁的未成年人不能在线登记。请在监护人陪同下到所在社区（村）办理志愿者登记。"), code="minor"
        )
    enrolment = enrol(person, unit=unit, source=VolunteerSource.SELF, by=None, consented=consented, only_new=True)
    return enrolment.volunteer


# --- Codes sent by SMS -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeSlot:
    """Where the code for one purpose and one number is kept."""

    purpose: str
    digest: str

    @property
    def key(self) -> str:
        return f"volunteers:code:{self.purpose}:{self.digest}"

    @property
    def tries_key(self) -> str:
        return f"{self.key}:tries"

    @property
    def resend_key(self) -> str:
        return f"{self.key}:resend"


def _phone(raw: str) -> str:
    try:
        phone = normalize_mobile(raw)
        validate_mobile(phone)
    except ValidationError as exc:
        raise ServiceError(exc.messages) from None
    return phone


def _slot(purpose: str, phone: str) -> CodeSlot:
    return CodeSlot(purpose, lookup(Volunteer, "phone", phone)["phone_index"])


def _code_hash(slot: CodeSlot, code: str) -> str:
    return salted_hmac(f"xuanchuan.volunteers.code.{slot.purpose}", f"{slot.digest}:{code}").hexdigest()


def _send_code(slot: CodeSlot, phone: str, payload: dict, text: str) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    lifetime = settings.VOLUNTEERS_SIGNIN_CODE_MINUTES * 60
    cache.set(slot.key, {**payload, "hash": _code_hash(slot, code)}, timeout=lifetime)
    cache.set(slot.tries_key, 0, timeout=lifetime)
    send_sms(settings.VOLUNTEERS_SMS_BACKEND, phone, text % {"code": code})


def _hold_resend(slot: CodeSlot) -> None:
    """At most one code a minute per number (whether or not it is registered, so the answer does
    not tell)."""
    if not cache.add(slot.resend_key, 1, timeout=CODE_RESEND_SECONDS):
        raise ServiceError(_("验证码已发送，请1分钟后再重新获取。"), code="resend")


def _take_code(slot: CodeSlot, code: str) -> dict:
    """The payload stored with the code when ``code`` is right; the code is then spent. A wrong
    code counts a try; after the last try the code is gone."""
    code = (code or "").strip()
    stored = cache.get(slot.key)
    if stored is None or not re.fullmatch(r"\d{6}", code):
        raise ServiceError(CODE_WRONG, code="wrong")
    if not constant_time_compare(stored["hash"], _code_hash(slot, code)):
        try:
            tries = cache.incr(slot.tries_key)
        except ValueError:
            tries = settings.VOLUNTEERS_SIGNIN_CODE_TRIES
        if tries >= settings.VOLUNTEERS_SIGNIN_CODE_TRIES:
            cache.delete(slot.key)
            raise ServiceError(_("验证码错误次数过多，请重新获取。"), code="tries")
        raise ServiceError(CODE_WRONG, code="wrong")
    # One use: of two requests with the right code at the same moment, only the one that deletes it wins.
    if not cache.delete(slot.key):
        raise ServiceError(CODE_WRONG, code="wrong")
    cache.delete(slot.tries_key)
    return stored


def request_signin_code(raw_phone: str) -> None:
    """Send a sign-in code when a volunteer has this mobile; the same answer (none) either way."""
    phone = _phone(raw_phone)
    slot = _slot("signin", phone)
    _hold_resend(slot)
    # scoping: allowed — the person proves they hold the phone with the code sent to it.
    holders = Volunteer.objects.filter(phone_index=slot.digest, status=VolunteerStatus.ACTIVE).exists()
    if holders:
        text = _("您的志愿者登录验证码是%(code)s，%(minutes)s分钟内有效，请勿告诉他人。")
        _send_code(slot, phone, {}, text.replace("%(minutes)s", str(settings.VOLUNTEERS_SIGNIN_CODE_MINUTES)))


def signin_with_code(raw_phone: str, code: str) -> list[Volunteer]:
    """The active volunteers who registered this mobile (usually one; family members may share a
    phone), once the code sent to it is given."""
    phone = _phone(raw_phone)
    slot = _slot("signin", phone)
    _take_code(slot, code)
    # scoping: allowed — the code proved the phone.
    found = list(Volunteer.objects.filter(phone_index=slot.digest, status=VolunteerStatus.ACTIVE).order_by("pk"))
    if not found:
        raise ServiceError(CODE_WRONG, code="wrong")
    return found


# --- The volunteer's own profile ------------------------------------------------------------------


def _locked_active(volunteer: Volunteer) -> Volunteer:
    locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # scoping: allowed — themselves
    if locked.status != VolunteerStatus.ACTIVE:
        raise ServiceError(_("该志愿者已注销。"))
    return locked


def update_profile(*, volunteer: Volunteer, address: str, skills: str, availability: str) -> Volunteer:
    """The volunteer changes their address, skills and availability."""
    with transaction.atomic():
        locked = _locked_active(volunteer)
        locked.address = address.strip()
        locked.skills = skills.strip()
        locked.availability = availability.strip()
        locked.save(update_fields=["address", "skills", "availability", "updated_at"])
    return locked


def request_phone_change(*, volunteer: Volunteer, new_phone: str) -> None:
    """Send a code to the new mobile; the change takes effect once that code is given back."""
    phone = _phone(new_phone)
    if volunteer.phone == phone:
        raise ServiceError(_("新手机号与登记的手机号相同。"))
    slot = _slot(f"phone-{volunteer.pk}", phone)
    _hold_resend(slot)
    _send_code(
        slot, phone, {"volunteer": volunteer.pk}, _("您正在更换志愿者登记手机号，验证码%(code)s。如非本人操作请忽略。")
    )


def confirm_phone_change(*, volunteer: Volunteer, new_phone: str, code: str) -> Volunteer:
    phone = _phone(new_phone)
    stored = _take_code(_slot(f"phone-{volunteer.pk}", phone), code)
    if stored.get("volunteer") != volunteer.pk:
        raise ServiceError(CODE_WRONG)
    with transaction.atomic():
        locked = _locked_active(volunteer)
        locked.phone = phone
        locked.save()
    return locked


def sign_out_everywhere(*, volunteer: Volunteer) -> Volunteer:
    """Cut the sign-in on every phone (raise the generation the cookies carry)."""
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # scoping: allowed — themselves
        locked.session_generation += 1
        locked.save(update_fields=["session_generation", "updated_at"])
    return locked


def withdraw(*, volunteer: Volunteer) -> Volunteer:
    """The volunteer leaves: status withdrawn, signed out everywhere; their personal data is erased
    ``VOLUNTEERS_RETENTION_DAYS`` later (``register_retention``), their records stay."""
    with transaction.atomic():
        locked = _locked_active(volunteer)
        locked.status = VolunteerStatus.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.session_generation += 1
        locked.save(update_fields=["status", "withdrawn_at", "session_generation", "updated_at"])
    return locked


# --- Staff -------------------------------------------------------------------------------------


def create_volunteer(person: Person, *, unit: Unit, consented_on_paper: bool, by: User) -> Volunteer:
    """Staff enter a person who consented on paper (the checkbox says so)."""
    require(may_manage(by))
    require_visible_unit(by, unit)
    if not consented_on_paper:
        raise ServiceError(_("请确认本人已书面同意个人信息使用说明。"))
    enrolment: Enrolment = enrol(person, unit=unit, source=VolunteerSource.STAFF, by=by, consented=True, only_new=True)
    return enrolment.volunteer


def edit_volunteer(
    volunteer: Volunteer,
    *,
    unit: Unit,
    name: str,
    phone: str,
    address: str,
    skills: str,
    availability: str,
    by: User,
) -> Volunteer:
    """Staff correct a volunteer's basic information (the ID number stays: it is who they are)."""
    require(may_manage(by))
    require_visible_unit(by, volunteer.unit)
    require_visible_unit(by, unit)
    check_community(unit)
    name = name.strip()
    if not name or len(name) > 50:
        raise ServiceError(_("请填写姓名（不超过50字）。"))
    phone = _phone(phone)
    with transaction.atomic():
        locked = _locked_active(volunteer)
        locked.unit = unit
        locked.name = name
        locked.phone = phone
        locked.address = address.strip()
        locked.skills = skills.strip()
        locked.availability = availability.strip()
        locked.save()
    return locked


def _record_owner(volunteer: Volunteer, by: User) -> Unit:
    require(may_manage(by))
    require_visible_unit(by, volunteer.unit)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ServiceError(_("该志愿者已注销。"))
    return by.unit


def add_training(volunteer: Volunteer, *, course: str, held_on: date, minutes: int, result: str, by: User) -> Training:
    """A training the volunteer took (recorded by the user's unit)."""
    unit = _record_owner(volunteer, by)
    if held_on > timezone.localdate():
        raise ServiceError(_("培训日期不能晚于今天。"))
    if not 0 < minutes <= 24 * 60 * 30:
        raise ServiceError(_("培训时长应在1分钟到720小时之间。"))
    return Training.objects.create(
        unit=unit,
        created_by=by,
        volunteer=volunteer,
        course=course.strip(),
        held_on=held_on,
        minutes=minutes,
        result=result.strip(),
    )


def add_award(volunteer: Volunteer, *, honour: str, level: str, issuer: str, awarded_on: date, by: User) -> Award:
    unit = _record_owner(volunteer, by)
    if awarded_on > timezone.localdate():
        raise ServiceError(_("授予日期不能晚于今天。"))
    return Award.objects.create(
        unit=unit,
        created_by=by,
        volunteer=volunteer,
        honour=honour.strip(),
        level=level,
        issuer=issuer.strip(),
        awarded_on=awarded_on,
    )


def add_evaluation(volunteer: Volunteer, *, rating: int, comment: str, activity=None, by: User) -> Evaluation:
    unit = _record_owner(volunteer, by)
    if not 1 <= rating <= 5:
        raise ServiceError(_("评分应为1到5分。"))
    if activity is not None:
        require_visible_unit(by, activity.unit)
    return Evaluation.objects.create(
        unit=unit, created_by=by, volunteer=volunteer, rating=rating, comment=comment.strip(), activity=activity
    )


def delete_entry(entry: Training | Award | Evaluation, *, by: User) -> None:
    """Remove a training, award or evaluation the user's scope recorded (after a confirmation)."""
    require(may_manage(by))
    require_visible_unit(by, entry.unit)
    with transaction.atomic():
        type(entry).objects.select_for_update().filter(pk=entry.pk).delete()


# --- Certificates ---------------------------------------------------------------------------------


def certifiable_records(volunteer: Volunteer, unit: Unit, start: date, end: date):
    """The confirmed records of ``volunteer`` that ``unit`` (and its subtree) recorded in the period:
    only those may be certified by ``unit`` (谁记录谁证明)."""
    return ServiceRecord.objects.within(unit).filter(
        volunteer=volunteer, status=RecordStatus.CONFIRMED, served_on__gte=start, served_on__lte=end
    )


def _next_number(year: int) -> str:
    prefix = f"ZYZM-{year}-"
    numbers = Certificate.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    )  # scoping: allowed — numbering is district-wide
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:06d}"


def issue_certificate(volunteer: Volunteer, *, period_start: date, period_end: date, by: User) -> Certificate:
    """A certificate of the hours the user's unit recorded and confirmed in the period: minutes and
    the number of activities are frozen in it (a later correction does not change it)."""
    require(may_manage(by))
    require_visible_unit(by, volunteer.unit)
    unit = by.unit
    if period_start > period_end:
        raise ServiceError(_("服务起始日期不能晚于截止日期。"))
    if period_end > timezone.localdate():
        raise ServiceError(_("服务截止日期不能晚于今天。"))
    # Two certificates issued at the same moment may pick the same next number: the unique number
    # refuses the second, which tries again with the next one.
    for attempt in range(CERTIFICATE_NUMBER_TRIES):
        try:
            with transaction.atomic():
                Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # scoping: allowed — checked above
                totals = certifiable_records(volunteer, unit, period_start, period_end).aggregate(
                    minutes=Sum("minutes"), activities=Count("activity", distinct=True)
                )
                minutes = totals["minutes"] or 0
                if minutes <= 0:
                    raise ServiceError(
                        _("该时段内没有本单位记录并确认的志愿服务时长，不能出具证明（谁记录谁证明）。"), code="no-hours"
                    )
                now = timezone.now()
                return Certificate.objects.create(
                    unit=unit,
                    created_by=by,
                    number=_next_number(timezone.localdate().year),
                    volunteer=volunteer,
                    period_start=period_start,
                    period_end=period_end,
                    minutes=minutes,
                    activities=totals["activities"],
                    issued_at=now,
                )
        except IntegrityError:
            if attempt == CERTIFICATE_NUMBER_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def revoke_certificate(certificate: Certificate, *, reason: str, by: User) -> Certificate:
    """Revoke a certificate (it stays, shown as revoked on the public check, with the reason kept)."""
    require(may_manage(by))
    require_visible_unit(by, certificate.unit)
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请说明作废原因。"))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)  # scoping: allowed — checked above
        if locked.revoked_at is not None:
            raise ServiceError(_("该证明已作废。"))
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason[:200]
        locked.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
    return locked
