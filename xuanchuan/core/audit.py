"""The audit trail (django-auditlog) with personal data kept out of it.

``register_for_audit(Model)`` is how every app puts a model under audit: creations, changes and
deletions are logged with the actor that ``AuditlogMiddleware`` records, every encrypted field
is logged only as "（个人信息已隐藏）" (neither plaintext nor ciphertext reaches the log), blind
indexes and ``updated_at`` are left out, and an entry whose object description (``str(obj)``)
would quote an encrypted value is described as "<model> #<pk>" instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.signals import post_log
from django.db import models

HIDDEN = "（个人信息已隐藏）"
ALWAYS_EXCLUDED = ("updated_at",)
MASK_CALLABLE = "xuanchuan.core.audit.hide_personal_data"


def hide_personal_data(value: str) -> str:
    """auditlog's ``mask_callable``: a fixed text for any value; empty (``""``/``None``) stays as is.

    Keeping the empty markers shows that a field was filled in or cleared without showing what.
    """
    if value in ("", "None"):
        return value
    return HIDDEN


def register_for_audit(model: type[models.Model], *, exclude: Iterable[str] = ()) -> None:
    """Put ``model`` under auditlog, masking encrypted fields; registering again replaces options."""
    from auditlog.registry import auditlog

    from xuanchuan.core.pii.fields import blind_index_fields, encrypted_fields

    excluded = {*exclude, *ALWAYS_EXCLUDED, *(field.name for field in blind_index_fields(model))}
    if auditlog.contains(model):
        auditlog.unregister(model)
    auditlog.register(
        model,
        exclude_fields=sorted(excluded),
        mask_fields=[field.name for field in encrypted_fields(model)],
        mask_callable=MASK_CALLABLE,
    )


def _scrub_object_repr(
    sender: type[models.Model], instance: models.Model, log_entry: Any = None, **kwargs: Any
) -> None:
    """Replace an entry's ``object_repr`` that quotes the plaintext of an encrypted field."""
    from xuanchuan.core.pii.fields import encrypted_fields

    if log_entry is None or not isinstance(instance, models.Model):
        return
    secrets = [str(value) for field in encrypted_fields(sender) if (value := getattr(instance, field.attname, None))]
    if not any(secret in (log_entry.object_repr or "") for secret in secrets):
        return
    safe = f"{sender._meta.verbose_name} #{log_entry.object_pk}"
    type(log_entry).objects.filter(pk=log_entry.pk).update(object_repr=safe)
    log_entry.object_repr = safe


post_log.connect(_scrub_object_repr, dispatch_uid="xuanchuan.core.audit.scrub_object_repr")
