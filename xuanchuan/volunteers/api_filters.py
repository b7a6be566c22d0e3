"""What the list endpoints of the volunteers API share: their query parameters narrow a list the
same way in every part, so the rule is written once.

A parameter left out narrows nothing; one given narrows by its lookup. ``False`` and ``0`` are
given values (``active=false``, ``min_balance=0``), only ``None`` and an empty string are not."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet


def narrow(rows: QuerySet, **lookups: Any) -> QuerySet:
    """``rows`` filtered by each of ``lookups`` whose value was given."""
    given = {lookup: value for lookup, value in lookups.items() if value is not None and value != ""}
    return rows.filter(**given) if given else rows


def search(rows: QuerySet, text: str, *fields: str) -> QuerySet:
    """``rows`` in which any of ``fields`` contains ``text`` (spaces around it ignored, letter case
    too); all of them when there is no text."""
    text = text.strip()
    if not text:
        return rows
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return rows.filter(condition)
