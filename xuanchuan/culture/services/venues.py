"""Writes of the venues part: cultural venues (library, museum, cultural centre, exhibition halls,
文化大院, 农家书屋 …) opened, changed, closed and reopened, deleted only while nothing was held
there; arts associations recorded in preparation or established, marked established, dissolved;
their members added, changed and leaving (the history stays, the phone is erased
``CULTURE_MEMBER_RETENTION_DAYS`` after they left).

Every service checks the role first (``may_manage_events``), then the unit scope, and writes in one
transaction with the row locked where two people may act on it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.pii import normalize_mobile, validate_mobile
from xuanchuan.core.pii import register_retention as register_pii_retention
from xuanchuan.core.services import ServiceError, require
from xuanchuan.culture.models import (
    Association,
    AssociationMember,
    AssociationStatus,
    Event,
    Venue,
    VenueKind,
)
from xuanchuan.culture.permissions import may_manage_events
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit

MAX_CAPACITY = 1_000_000
# 门类 of an association as reports name them; the model keeps free text (60 characters).
ART_FORMS = ("美术", "书法", "摄影", "音乐", "舞蹈", "戏剧", "曲艺", "文学", "民间文艺", "影视", "综合")
# A member's role in the association (职务).
MEMBER_ROLES = ("会长", "副会长", "秘书长", "理事", "会员")
DEFAULT_MEMBER_RETENTION_DAYS = 365
RETENTION_LABEL = "文艺协会退会会员的联系电话"


def member_retention_days() -> int:
    return int(getattr(settings, "CULTURE_MEMBER_RETENTION_DAYS", DEFAULT_MEMBER_RETENTION_DAYS))


def register_retention() -> None:
    """Erase a member's phone ``CULTURE_MEMBER_RETENTION_DAYS`` (default 365) after they left the
    association (``left_on``); the member stays, with name, role and dates, as the association's
    history. A current member keeps it: the association still calls them."""
    register_pii_retention(
        AssociationMember,
        days=member_retention_days,
        date_field="left_on",
        action="erase",
        fields=("phone",),
        filter=Q(left_on__isnull=False),
        label=RETENTION_LABEL,
    )


def _manage(by: User, unit: Unit) -> None:
    require(may_manage_events(by))
    require_visible_unit(by, unit)


def _text(value: Any) -> str:
    return (value or "").strip()


def _not_future(day: date | None, what: str) -> date:
    if day is None:
        raise ServiceError(_("请填写%(what)s。") % {"what": what})
    if day > timezone.localdate():
        raise ServiceError(_("%(what)s不能晚于今天。") % {"what": what})
    return day


# --- Venues ------------------------------------------------------------------------------------


@dataclass
class VenueInput:
    """What a venue form gives a service (checked again here)."""

    name: str
    kind: str
    address: str
    opening_hours: str = ""
    capacity: int | None = None
    phone: str = ""


def _check_venue(data: VenueInput) -> VenueInput:
    name, address = _text(data.name), _text(data.address)
    if not name:
        raise ServiceError(_("请填写场馆名称。"))
    if data.kind not in VenueKind.values:
        raise ServiceError(_("请选择场馆类型。"))
    if not address:
        raise ServiceError(_("请填写场馆地址。"))
    capacity = data.capacity
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise ServiceError(_("容纳人数应在 1 到 %(max)d 之间。") % {"max": MAX_CAPACITY})
    phone = _text(data.phone)
    if len(phone) > 30:
        raise ServiceError(_("联系电话最多 30 个字符。"))
    return VenueInput(
        name=name[:120],
        kind=data.kind,
        address=address[:200],
        opening_hours=_text(data.opening_hours)[:200],
        capacity=capacity,
        phone=phone,
    )


def _duplicate_venue(name: str) -> ServiceError:
    return ServiceError(_("本单位已有名为“%(name)s”的场馆。") % {"name": name})


def create_venue(data: VenueInput, *, unit: Unit, by: User) -> Venue:
    """A new venue of ``unit``, open (names are unique per unit)."""
    _manage(by, unit)
    data = _check_venue(data)
    if Venue.objects.filter(unit=unit, name=data.name).exists():
        raise _duplicate_venue(data.name)
    try:
        with transaction.atomic():
            return Venue.objects.create(unit=unit, created_by=by, **data.__dict__)
    except IntegrityError:  # the same name saved a moment ago by someone else
        raise _duplicate_venue(data.name) from None


def update_venue(venue: Venue, data: VenueInput, *, by: User) -> Venue:
    """Change a venue's name, kind, address, hours, capacity or phone (its unit stays)."""
    _manage(by, venue.unit)
    data = _check_venue(data)
    try:
        with transaction.atomic():
            locked = Venue.objects.select_for_update().get(pk=venue.pk)
            if Venue.objects.filter(unit=locked.unit, name=data.name).exclude(pk=locked.pk).exists():
                raise _duplicate_venue(data.name)
            for name, value in data.__dict__.items():
                setattr(locked, name, value)
            locked.save(update_fields=[*data.__dict__, "updated_at"])
    except IntegrityError:  # renamed to a name another venue took a moment ago
        raise _duplicate_venue(data.name) from None
    return locked


def _set_open(venue: Venue, *, open_: bool, by: User) -> Venue:
    _manage(by, venue.unit)
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        if locked.active == open_:
            raise ServiceError(_("该场馆已经开放。") if open_ else _("该场馆已经关闭。"))
        locked.active = open_
        locked.save(update_fields=["active", "updated_at"])
    return locked


def close_venue(venue: Venue, *, by: User) -> Venue:
    """Close a venue: no longer counted as an open venue nor offered for new events; its events stay."""
    return _set_open(venue, open_=False, by=by)


def reopen_venue(venue: Venue, *, by: User) -> Venue:
    """Open a closed venue again."""
    return _set_open(venue, open_=True, by=by)


def delete_venue(venue: Venue, *, by: User) -> None:
    """Delete a venue recorded by mistake: only while no event is recorded there (close it otherwise)."""
    _manage(by, venue.unit)
    refused = ServiceError(_("“%(name)s”已有活动记录，不能删除；不再使用请关闭该场馆。") % {"name": venue.name})
    try:
        with transaction.atomic():
            locked = Venue.objects.select_for_update().get(pk=venue.pk)
            # scoping: allowed — any event there, whoever organised it, keeps the venue.
            if Event.objects.filter(venue=locked).exists():
                raise refused
            locked.delete()
    except ProtectedError:  # an event recorded there a moment ago
        raise refused from None


# --- Associations -------------------------------------------------------------------------------


@dataclass
class AssociationInput:
    """What an association form gives a service (checked again here)."""

    name: str
    art_form: str
    leader: str = ""
    description: str = ""


def _check_association(data: AssociationInput) -> AssociationInput:
    name, art_form = _text(data.name), _text(data.art_form)
    if not name:
        raise ServiceError(_("请填写协会名称。"))
    if not art_form:
        raise ServiceError(_("请选择协会的门类。"))
    return AssociationInput(
        name=name[:120], art_form=art_form[:60], leader=_text(data.leader)[:50], description=_text(data.description)
    )


def _duplicate_association(name: str) -> ServiceError:
    return ServiceError(_("本单位已有名为“%(name)s”的文艺协会。") % {"name": name})


def create_association(
    data: AssociationInput, *, unit: Unit, established_on: date | None = None, by: User
) -> Association:
    """A new association of ``unit``: in preparation, or already established on ``established_on``
    (not in the future)."""
    _manage(by, unit)
    data = _check_association(data)
    status = AssociationStatus.PREPARING
    if established_on is not None:
        _not_future(established_on, _("成立日期"))
        status = AssociationStatus.ESTABLISHED
    if Association.objects.filter(unit=unit, name=data.name).exists():
        raise _duplicate_association(data.name)
    try:
        with transaction.atomic():
            return Association.objects.create(
                unit=unit, status=status, established_on=established_on, created_by=by, **data.__dict__
            )
    except IntegrityError:
        raise _duplicate_association(data.name) from None


def update_association(
    association: Association, data: AssociationInput, *, established_on: date | None = None, by: User
) -> Association:
    """Change an association's name, art form, leader or description; an established one's
    founding date may be corrected (required, not in the future, not after its dissolution)."""
    _manage(by, association.unit)
    data = _check_association(data)
    try:
        with transaction.atomic():
            locked = Association.objects.select_for_update().get(pk=association.pk)
            if Association.objects.filter(unit=locked.unit, name=data.name).exclude(pk=locked.pk).exists():
                raise _duplicate_association(data.name)
            fields = [*data.__dict__, "updated_at"]
            if locked.established_on is not None and established_on != locked.established_on:
                _not_future(established_on, _("成立日期"))
                if locked.dissolved_on is not None and established_on > locked.dissolved_on:
                    raise ServiceError(_("成立日期不能晚于撤销日期。"))
                locked.established_on = established_on
                fields.append("established_on")
            for name, value in data.__dict__.items():
                setattr(locked, name, value)
            locked.save(update_fields=fields)
    except IntegrityError:
        raise _duplicate_association(data.name) from None
    return locked


def establish_association(association: Association, *, on: date | None, by: User) -> Association:
    """Mark an association in preparation as established on ``on`` (not in the future, not before
    it was recorded as in preparation)."""
    _manage(by, association.unit)
    _not_future(on, _("成立日期"))
    with transaction.atomic():
        locked = Association.objects.select_for_update().get(pk=association.pk)
        if locked.status != AssociationStatus.PREPARING:
            raise ServiceError(
                _("只能将筹备中的协会标记为已成立（该协会%(status)s）。") % {"status": locked.get_status_display()}
            )
        locked.status, locked.established_on = AssociationStatus.ESTABLISHED, on
        locked.save(update_fields=["status", "established_on", "updated_at"])
    return locked


def dissolve_association(association: Association, *, on: date | None, by: User) -> Association:
    """Dissolve an association (established, or given up while in preparation) on ``on``: not in
    the future, not before it was established. Its current members leave on that day; members
    and activities stay as its history."""
    _manage(by, association.unit)
    _not_future(on, _("撤销日期"))
    with transaction.atomic():
        locked = Association.objects.select_for_update().get(pk=association.pk)
        if locked.status == AssociationStatus.DISSOLVED:
            raise ServiceError(_("该协会已经撤销。"))
        if locked.established_on is not None and on < locked.established_on:
            raise ServiceError(_("撤销日期不能早于成立日期（%(day)s）。") % {"day": locked.established_on})
        locked.status, locked.dissolved_on = AssociationStatus.DISSOLVED, on
        locked.save(update_fields=["status", "dissolved_on", "updated_at"])
        for member in AssociationMember.objects.filter(association=locked, left_on__isnull=True):
            member.left_on = max(on, member.joined_on)
            member.save(update_fields=["left_on"])
    return locked


# --- Members ------------------------------------------------------------------------------------


@dataclass
class MemberInput:
    """What a member form gives a service (checked again here)."""

    name: str
    joined_on: date | None
    role: str = "会员"
    phone: str = ""


def _check_member(data: MemberInput) -> MemberInput:
    name = _text(data.name)
    if not name:
        raise ServiceError(_("请填写会员姓名。"))
    role = _text(data.role) or "会员"
    if role not in MEMBER_ROLES:
        raise ServiceError(_("请选择会员的职务。"))
    phone = _text(data.phone)
    if phone:
        phone = normalize_mobile(phone)
        try:
            validate_mobile(phone)
        except ValidationError:
            raise ServiceError(_("请填写正确的 11 位手机号码。")) from None
    joined_on = _not_future(data.joined_on, _("入会日期"))
    return MemberInput(name=name[:50], joined_on=joined_on, role=role, phone=phone)


def add_member(association: Association, data: MemberInput, *, by: User) -> AssociationMember:
    """A member joins an association that is not dissolved."""
    _manage(by, association.unit)
    data = _check_member(data)
    with transaction.atomic():
        locked = Association.objects.select_for_update().get(pk=association.pk)
        if locked.status == AssociationStatus.DISSOLVED:
            raise ServiceError(_("该协会已经撤销，不能再添加会员。"))
        return AssociationMember.objects.create(
            association=locked, name=data.name, phone=data.phone, role=data.role, joined_on=data.joined_on
        )


def update_member(member: AssociationMember, data: MemberInput, *, by: User) -> AssociationMember:
    """Change a member's name, role, joining date or phone (an empty phone keeps the one recorded)."""
    _manage(by, member.association.unit)
    data = _check_member(data)
    with transaction.atomic():
        locked = AssociationMember.objects.select_for_update().get(pk=member.pk)
        if locked.left_on is not None and data.joined_on > locked.left_on:
            raise ServiceError(_("入会日期不能晚于退会日期。"))
        locked.name, locked.role, locked.joined_on = data.name, data.role, data.joined_on
        fields = ["name", "role", "joined_on"]
        if data.phone:
            locked.phone = data.phone
            fields.append("phone")
        locked.save(update_fields=fields)
    return locked


def member_leave(member: AssociationMember, *, on: date | None, by: User) -> AssociationMember:
    """A member leaves on ``on`` (not in the future, not before joining); the member stays in the
    association's history and the phone is erased after the retention period."""
    _manage(by, member.association.unit)
    _not_future(on, _("退会日期"))
    with transaction.atomic():
        locked = AssociationMember.objects.select_for_update().get(pk=member.pk)
        if locked.left_on is not None:
            raise ServiceError(_("%(name)s已于 %(day)s 退会。") % {"name": locked.name, "day": locked.left_on})
        if on < locked.joined_on:
            raise ServiceError(_("退会日期不能早于入会日期（%(day)s）。") % {"day": locked.joined_on})
        locked.left_on = on
        locked.save(update_fields=["left_on"])
    return locked
