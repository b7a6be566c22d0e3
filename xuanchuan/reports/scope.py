"""What a figure page asks for in its query string: the period (``?period=``) and the unit
(``?unit=``), shared by the figure catalogue, the dashboards and the report pages.

A period that cannot be read falls back to this year with the reason to show; a unit the user may
not see is 404 (``org.scoping.requested_unit``), the same answer as for one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from xuanchuan.org.models import Unit
from xuanchuan.org.scoping import requested_unit, user_sees_all_units
from xuanchuan.reports.registry import Period, PeriodError


def this_year() -> Period:
    """The default period of every page: the current calendar year."""
    return Period.year(timezone.localdate().year)


def period_from_request(request: HttpRequest) -> tuple[Period, str | None]:
    """The period of ``?period=``, or this year and the reason when it is missing or wrong."""
    text = request.GET.get("period", "").strip()
    if not text:
        return this_year(), None
    try:
        return Period.parse(text), None
    except PeriodError as exc:
        return this_year(), str(exc)


def unit_from_request(request: HttpRequest) -> Unit | None:
    """The unit of ``?unit=`` if the user may see it (``None``: the whole district)."""
    return requested_unit(request.user, request.GET.get("unit", ""))


def unit_choices(user: Any) -> list[tuple[int, str]]:
    """The units ``user`` may choose, indented by their depth in the tree."""
    units = Unit.objects.visible_to(user).only("pk", "name", "depth", "path")
    return [(choice.pk, "\u3000" * (choice.depth - 1) + choice.name) for choice in units]


def unit_filter_context(request: HttpRequest, unit: Unit | None) -> dict[str, Any]:
    """What the unit picker of a figure page shows: the chosen unit, the choices, and whether
    "全区" is one of them."""
    return {
        "unit": unit,
        "units": unit_choices(request.user),
        "district_wide": user_sees_all_units(request.user),
    }
