"""Template tags that show personal data masked, with a logged "显示" for those allowed.

``{% load pii %}`` then ``{% pii_value resident "phone" %}`` (add ``ask_reason=True`` to ask why)
or, for a plain value, ``{{ value|pii_mask:"phone" }}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from xuanchuan.core.pii.access import may_reveal
from xuanchuan.core.pii.fields import get_encrypted_field
from xuanchuan.core.pii.masking import mask
from xuanchuan.core.pii.views import element_id

register = template.Library()


@register.inclusion_tag("core/pii/value.html", takes_context=True)
def pii_value(
    context: template.Context, obj: models.Model, field_name: str, ask_reason: bool = False
) -> dict[str, Any]:
    """The masked value of ``obj.field_name`` in a span; a reveal button if the user may use it."""
    field = get_encrypted_field(type(obj), field_name)
    if field is None:
        raise template.TemplateSyntaxError(f"pii_value：{type(obj)._meta.label}.{field_name} 不是加密字段")
    value = getattr(obj, field.attname)
    content_type_id = ContentType.objects.get_for_model(type(obj)).pk
    request = context.get("request")
    can_reveal = bool(value) and obj.pk is not None and may_reveal(getattr(request, "user", None))
    return {
        "masked": mask(value, field.kind),
        "element_id": element_id(content_type_id, obj.pk, field.name),
        "can_reveal": can_reveal,
        "ask_reason": ask_reason,
        "reveal_url": reverse("core:pii_reveal", args=[content_type_id, obj.pk, field.name]) if can_reveal else "",
    }


@register.filter
def pii_mask(value: Any, kind: str = "text") -> str:
    """Mask a plain value as ``kind`` (id_number, phone, name, text, health, travel)."""
    return mask(value, kind)
