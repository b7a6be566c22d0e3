"""The one page of the personal-data protection: reveal one field of one record (HTMX)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

from xuanchuan.core.pii.access import reveal
from xuanchuan.core.pii.fields import encrypted_model, get_encrypted_field


def element_id(content_type_id: int, pk: object, field_name: str) -> str:
    """The HTML id of the span holding one field's value, shared by the tag and the view."""
    return f"pii-{content_type_id}-{pk}-{field_name}"


def _visible_instance(request: HttpRequest, content_type_id: int, pk: str, field_name: str) -> models.Model:
    """The record, if it has that encrypted field and the user may see it; else 404 — alike."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)  # scoping: allowed (metadata)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = encrypted_model(content_type.app_label, content_type.model)
    if model is None or get_encrypted_field(model, field_name) is None:
        raise Http404
    queryset = model._default_manager.all()
    if not hasattr(queryset, "visible_to"):
        raise Http404  # an unscoped model cannot prove the record is the user's to see
    try:
        key = model._meta.pk.to_python(pk)
    except ValidationError:
        raise Http404 from None
    instance = queryset.visible_to(request.user).filter(pk=key).first()
    if instance is None:
        raise Http404
    return instance


@require_POST
def reveal_view(request: HttpRequest, content_type_id: int, pk: str, field: str) -> HttpResponse:
    """POST: the full value in a span that replaces the masked one, after logging the view.

    404 for a model without that encrypted field or a record outside ``visible_to(user)``;
    403 when the user may not read personal data (see ``may_reveal``). An optional reason comes
    from the ``reason`` form field or htmx's ``HX-Prompt`` header.
    """
    instance = _visible_instance(request, content_type_id, pk, field)
    reason = request.POST.get("reason") or request.headers.get("HX-Prompt") or ""
    value = reveal(request.user, instance, field, reason=reason, request=request)
    response = render(
        request,
        "core/pii/revealed.html",
        {"value": value, "element_id": element_id(content_type_id, instance.pk, field)},
    )
    patch_cache_control(response, no_store=True, private=True)
    return response
