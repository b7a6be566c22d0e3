"""Reads of the classroom part: the items and categories a member of staff sees (through
``visible_to``), and the one item a media request may play."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xuanchuan.theory.models import Category, ClassItem, ItemStatus, Upload
from xuanchuan.theory.permissions import may_view


def _key(pk: Any) -> int:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < key < 2**63:
        raise Http404
    return key


def playable_item(user: Any, pk: Any) -> tuple[ClassItem, bool]:
    """The item whose media or poster is asked for, and whether it is public.

    The classroom is public: a published item is played to anyone (no unit scope applies to a
    resident). A draft or withdrawn item only to staff who may view theory work and see its unit;
    to everyone else it does not exist (404)."""
    key = _key(pk)
    # scoping: allowed (published items are public to every visitor by design: the cloud classroom)
    item = ClassItem.objects.filter(pk=key, status=ItemStatus.PUBLISHED).first()
    if item is not None:
        return item, True
    if may_view(user):
        item = ClassItem.objects.visible_to(user).filter(pk=key).first()
        if item is not None:
            return item, False
    raise Http404


def items(user: Any) -> QuerySet:
    """The classroom items the user sees, with what the list shows."""
    return ClassItem.objects.visible_to(user).select_related("category", "unit", "lecture")


def categories(user: Any) -> QuerySet:
    """The categories the user sees."""
    return Category.objects.visible_to(user).select_related("unit")


def uploads(user: Any) -> QuerySet:
    """The uploads (finished or not) the user sees."""
    return Upload.objects.visible_to(user).select_related("unit", "created_by")
