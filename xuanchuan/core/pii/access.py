"""Who may see personal data in full, and the access log every unmasked view leaves."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xuanchuan.core.http import client_ip
from xuanchuan.core.pii.fields import get_encrypted_field

MAX_REASON_LENGTH = 200
MAX_USER_AGENT_LENGTH = 300


def may_reveal(user: Any) -> bool:
    """Whether ``user`` may unmask personal data now.

    The user must be active, hold a role that allows it (``user.can_view_personal_data``) and,
    when django-otp is installed, have passed the second factor in this session
    (``user.is_verified()``, set by ``OTPMiddleware`` — so outside a request it is False).
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    if not getattr(user, "can_view_personal_data", False):
        return False
    if apps.is_installed("django_otp"):
        is_verified = getattr(user, "is_verified", None)
        return bool(callable(is_verified) and is_verified())
    return True


def log_access(
    user: Any,
    instance: models.Model,
    field_name: str,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
) -> None:
    """Write one ``PersonalDataAccess`` row for an unmasked view of ``instance.field_name``."""
    from xuanchuan.core.models import PersonalDataAccess

    PersonalDataAccess.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "get_username", lambda: "")() or "",
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        field=field_name,
        reason=reason.strip()[:MAX_REASON_LENGTH],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=request.headers.get("User-Agent", "")[:MAX_USER_AGENT_LENGTH] if request is not None else "",
    )


def reveal(
    user: Any,
    instance: models.Model,
    field_name: str,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
) -> str:
    """The plaintext of an encrypted field, after checking the user and logging the view.

    The caller has already found ``instance`` through ``visible_to(user)``. Raises
    ``PermissionDenied`` when :func:`may_reveal` says no and ``LookupError`` when the field is
    not encrypted. Every call that returns a value has written its log row first.
    """
    field = get_encrypted_field(type(instance), field_name)
    if field is None:
        raise LookupError(f"{type(instance)._meta.label}.{field_name} 不是加密字段")
    if not may_reveal(user):
        raise PermissionDenied(_("您没有查看个人信息全文的权限，或尚未通过动态口令验证。"))
    log_access(user, instance, field_name, reason=reason, request=request)
    return getattr(instance, field.attname) or ""
