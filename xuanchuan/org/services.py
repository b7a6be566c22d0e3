"""State changes and shared queries of the organisation, used by views, the API, the admin and
the demo data alike."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import Unit, User


def people_missing_second_factor(viewer: Any) -> QuerySet[User]:
    """Active people who may read personal data but have no confirmed TOTP device."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.visible_to(viewer)
        .filter(is_active=True)
        .filter(Q(roles__can_view_personal_data=True) | Q(is_superuser=True))
        .exclude(Exists(confirmed))
        .distinct()
    )


def district_root() -> Unit:
    """The district: the root of the unit tree (there is one)."""
    root = Unit.objects.get_first_root_node()
    if root is None:
        raise ServiceError(_("尚未建立本区的单位树。"))
    return root


def create_unit(*, parent: Unit | None, **fields: Any) -> Unit:
    """Add a unit under ``parent`` (or as the district root)."""
    with transaction.atomic():
        if parent is None:
            return Unit.objects.add_root(create_kwargs=fields)
        # Re-read the parent: treebeard needs its current child count, which may have changed.
        return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), create_kwargs=fields)


def move_unit(unit: Unit, new_parent: Unit) -> Unit:
    """Put ``unit`` and everything below it under ``new_parent``; paths below are rewritten."""
    with transaction.atomic():
        if new_parent.path.startswith(unit.path):
            raise ValueError("a unit cannot be moved below itself")
        Unit.objects.move(Unit.objects.get(pk=unit.pk), Unit.objects.get(pk=new_parent.pk), "last-child")
        return Unit.objects.get(pk=unit.pk)
