"""Households and applications: apply, approve (sign), refuse, revoke, re-issue, the pass's link
sent to its holder, bulk import."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.pii.masking import mask_phone
from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.sms import send_sms
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.passes.models import (
    ApplicationChannel,
    Household,
    Pass,
    PassStatus,
)
from xuanchuan.passes.permissions import may_decide
from xuanchuan.passes.services.keys import sign_pass

# --- Households and applications -----------------------------------------------------------------


def get_or_create_household(
    *, community: Unit, number: str, address: str, head_name: str = "", by: User | None = None
) -> Household:
    """The household ``number`` of ``community``, created with the address given if new."""
    if community.unit_type not in GRASSROOTS_TYPES:
        raise ServiceError(_("住户只能登记在社区或村。"))
    number = number.strip()
    if not number:
        raise ServiceError(_("请填写户号。"))
    household = Household.objects.filter(unit=community, number=number).first()
    if household is not None:
        return household
    try:
        # A savepoint: when another application creates the same household at the same moment,
        # only this insert is undone and the other's household is used.
        with transaction.atomic():
            return Household.objects.create(
                unit=community, number=number, address=address.strip(), head_name=head_name.strip(), created_by=by
            )
    except IntegrityError:
        return Household.objects.get(unit=community, number=number)


@dataclass(frozen=True)
class Application:
    """What an application says, however it arrived."""

    community: Unit
    household_number: str
    address: str
    holder_name: str
    holder_phone: str = ""
    valid_from: date | None = None
    head_name: str = ""


def apply(application: Application, *, channel: str, by: User | None = None) -> Pass:
    """Register an application for a household member; it waits for community staff."""
    if by is not None:
        require(may_decide(by))
        require_visible_unit(by, application.community)
    if not application.holder_name.strip():
        raise ServiceError(_("请填写持证人姓名。"))
    start = application.valid_from or timezone.localdate()
    with transaction.atomic():
        household = get_or_create_household(
            community=application.community,
            number=application.household_number,
            address=application.address,
            head_name=application.head_name,
            by=by,
        )
        return Pass.objects.create(
            unit=application.community,
            household=household,
            holder_name=application.holder_name.strip(),
            holder_phone=application.holder_phone.strip(),
            channel=channel,
            valid_from=start,
            valid_until=start + timedelta(days=settings.PASSES_VALID_DAYS - 1),
            outing_interval_days=settings.PASSES_OUTING_INTERVAL_DAYS,
            created_by=by,
        )


def _locked(pass_obj: Pass) -> Pass:
    return Pass.objects.select_for_update().select_related("unit", "household").get(pk=pass_obj.pk)


def approve(pass_obj: Pass, *, by: User) -> Pass:
    """Approve a pending application and sign the pass with the district's current key."""
    require(may_decide(by))
    require_visible_unit(by, pass_obj.unit)
    with transaction.atomic():
        pass_obj = _locked(pass_obj)
        if pass_obj.status != PassStatus.PENDING:
            raise ServiceError(_("只有待审批的申请可以批准。"))
        sign_pass(pass_obj, by=by)
        pass_obj.status = PassStatus.APPROVED
        pass_obj.decided_by, pass_obj.decided_at = by, timezone.now()
        pass_obj.save(update_fields=["status", "decided_by", "decided_at", "signing_key", "signed_text", "updated_at"])
        return pass_obj


def refuse(pass_obj: Pass, *, by: User, reason: str) -> Pass:
    """Refuse a pending application; the reason is required and shown to the applicant."""
    require(may_decide(by))
    require_visible_unit(by, pass_obj.unit)
    if not reason.strip():
        raise ServiceError(_("请填写不予通过的理由。"))
    with transaction.atomic():
        pass_obj = _locked(pass_obj)
        if pass_obj.status != PassStatus.PENDING:
            raise ServiceError(_("只有待审批的申请可以不予通过。"))
        pass_obj.status = PassStatus.REFUSED
        pass_obj.refusal_reason = reason.strip()
        pass_obj.decided_by, pass_obj.decided_at = by, timezone.now()
        pass_obj.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at", "updated_at"])
        return pass_obj


def revoke(pass_obj: Pass, *, by: User, reason: str) -> Pass:
    """Revoke a signed pass: it goes on the revocation list and every checkpoint refuses it."""
    require(may_decide(by))
    require_visible_unit(by, pass_obj.unit)
    if not reason.strip():
        raise ServiceError(_("请填写撤销理由。"))
    with transaction.atomic():
        pass_obj = _locked(pass_obj)
        if pass_obj.status != PassStatus.APPROVED:
            raise ServiceError(_("只有已签发的通行证可以撤销。"))
        pass_obj.status = PassStatus.REVOKED
        pass_obj.revoked_at, pass_obj.revoked_by = timezone.now(), by
        pass_obj.revocation_reason = reason.strip()
        pass_obj.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "updated_at"])
        return pass_obj


def reissue(pass_obj: Pass, *, by: User, reason: str = "") -> Pass:
    """Revoke a pass and sign a new one for the same person from today (lost phone, new key)."""
    reason = reason.strip() or _("重新签发")
    with transaction.atomic():
        old = revoke(pass_obj, by=by, reason=reason)
        today = timezone.localdate()
        new = Pass.objects.create(
            unit=old.unit,
            household=old.household,
            holder_name=old.holder_name,
            holder_phone=old.holder_phone,
            channel=old.channel,
            valid_from=today,
            valid_until=max(old.valid_until, today),
            outing_interval_days=old.outing_interval_days,
            replaces=old,
            created_by=by,
        )
        return approve(new, by=by)


# --- Handing a pass to its holder by SMS -----------------------------------------------------------

# One text a minute per pass at most, so the button cannot flood a holder's phone.
LINK_SMS_INTERVAL = 60


def send_pass_link(pass_obj: Pass, *, by: User, link: Callable[[str], str]) -> str:
    """Text the holder's own page of a signed pass (``link(access_token)``) to the phone on record.

    Staff send it after confirming with the holder that the number is still theirs (a re-issue for a
    lost phone: not before the SIM is replaced); the page of a re-issued pass reaches its holder this
    way or printed, never through the old pass's link. Returns the number, masked.
    """
    require(may_decide(by))
    require_visible_unit(by, pass_obj.unit)
    if pass_obj.status != PassStatus.APPROVED:
        raise ServiceError(_("只有已签发且未撤销的通行证可以发送。"))
    if not pass_obj.holder_phone:
        raise ServiceError(_("该通行证没有登记手机号码，请打印后当面交付。"))
    if not cache.add(f"xuanchuan:passes:link-sent:{pass_obj.pk}", 1, timeout=LINK_SMS_INTERVAL):
        raise ServiceError(_("一分钟内已发送过，请稍后再试。"))
    text = _("【%(district)s】您的电子通行证（编号 %(number)s）：%(link)s 。请勿转发他人。") % {
        "district": settings.XUANCHUAN_DISTRICT_NAME,
        "number": pass_obj.public_id,
        "link": link(pass_obj.access_token),
    }
    if not send_sms(settings.PASSES_SMS_BACKEND, pass_obj.holder_phone, text):
        raise ServiceError(_("短信发送失败，请稍后再试，或打印后当面交付。"))
    return mask_phone(pass_obj.holder_phone)


# --- Bulk import of a household list ---------------------------------------------------------------

IMPORT_COLUMNS = ("户号", "住址", "姓名", "手机号码")


@dataclass(frozen=True)
class ImportResult:
    created: int
    errors: list[str]


def import_households(rows: Iterable[dict[str, str]], *, community: Unit, by: User) -> ImportResult:
    """Create one pending application per row (户号, 住址, 姓名, 手机号码); all rows or none."""
    require(may_decide(by))
    require_visible_unit(by, community)
    errors: list[str] = []
    applications = []
    for line, row in enumerate(rows, start=2):
        number, name = (row.get("户号") or "").strip(), (row.get("姓名") or "").strip()
        if not number or not name:
            errors.append(_("第%(line)d行：户号和姓名不能为空。") % {"line": line})
            continue
        applications.append(
            Application(community, number, (row.get("住址") or "").strip(), name, (row.get("手机号码") or "").strip())
        )
    if errors or not applications:
        return ImportResult(0, errors or [_("文件中没有可导入的行。")])
    with transaction.atomic():
        for application in applications:
            apply(application, channel=ApplicationChannel.IMPORT, by=by)
    return ImportResult(len(applications), [])
