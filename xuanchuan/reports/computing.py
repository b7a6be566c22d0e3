"""Computing many figure values at once, for the dashboards and the figure catalogue.

A value is always what :meth:`Figure.compute` gives; this module only asks the database fewer
times for the same numbers: sibling units of one figure and period in one query grouped by the
child's path (:func:`counts_by_unit`), the months of one year of a figure that declares its
``date_field`` in one query grouped by month (:func:`counts_by_month`; the year is their sum),
and every other value on its own inside :func:`~xuanchuan.reports.registry.batch` (figures may
share reads within it, e.g. the units required to report). ``test_dashboard_queries`` checks the grouped values against
:meth:`Figure.compute` for every registered figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, Substr

from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Figure, Period, batch, get_figure

Number = int | float | None
Request = tuple[Figure, Period, "Unit | None"]


def plain(value: Any) -> Number:
    """A figure's value as JSON can carry it: a whole Decimal becomes int (63494900 元, not
    63494900.0), another Decimal float; None stays None."""
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"a figure's value must be a number or None, not {type(value).__name__}")


def compute_many(requests: Sequence[Request]) -> dict[Request, Number]:
    """Compute each request: a figure made of parts from its parts, the months of one year of a
    dated figure together, sibling units of one figure and period together (a unit comparison
    asks for every unit one level down), each other request on its own."""
    values: dict[Request, Number] = {}
    with batch():
        rest = _by_month(_by_parts(requests, values), values)
        siblings: dict[tuple[str, Period, str], list[Request]] = {}
        for request in rest:
            item, period, unit = request
            parent = unit.path[: -Unit.steplen] if unit is not None else None
            siblings.setdefault((item.key, period, parent or ""), []).append(request)
        for (_key, _period, parent_path), group in siblings.items():
            counted = counts_by_unit(group, parent_path) if len(group) > 1 and parent_path else None
            for request in group:
                item, period, unit = request
                values[request] = counted[unit.path] if counted is not None else plain(item.compute(period, unit).value)
    return values


def _by_parts(requests: Sequence[Request], values: dict[Request, Number]) -> list[Request]:
    """Compute the figures made of parts from their parts' values (computed together, so grouped
    where they can be) into ``values``; return the other requests."""
    composite = [request for request in requests if request[0].parts]
    if not composite:
        return list(requests)
    wanted = {(get_figure(key), period, unit) for item, period, unit in composite for key in item.parts}
    parts = compute_many(list(wanted))
    for request in composite:
        item, period, unit = request
        combine = item.combine
        if combine is None:  # the registry refuses parts without it
            raise TypeError(f"figure {item.key} has parts but nothing to combine them")
        values[request] = plain(combine(*(parts[(get_figure(key), period, unit)] for key in item.parts)))
    return [request for request in requests if not request[0].parts]


def _month_or_year(period: Period) -> bool:
    """Whether ``period`` is a whole calendar month or year (what a year's months add up to)."""
    return period.key.isdigit() or (period.start.day == 1 and period.key == f"{period.start:%Y-%m}")


def _by_month(requests: Sequence[Request], values: dict[Request, Number]) -> list[Request]:
    """Count the months (and whole years: their months added up) asked for of dated figures, a
    year per query, into ``values``; return the requests left to compute otherwise."""
    years: dict[tuple[str, int, int | None], list[Request]] = {}
    rest: list[Request] = []
    for request in requests:
        item, period, unit = request
        if item.date_field and _month_or_year(period):
            years.setdefault((item.key, period.start.year, unit.pk if unit else None), []).append(request)
        else:
            rest.append(request)
    for (_key, year, _unit), group in years.items():
        counted = counts_by_month(group[0][0], year, group[0][2]) if len(group) > 1 else None
        if counted is None:
            rest.extend(group)
            continue
        for request in group:
            period = request[1]
            values[request] = sum(counted.values()) if period.key.isdigit() else counted.get(period.start.month, 0)
    return rest


def counts_by_month(item: Figure, year: int, unit: Unit | None) -> dict[int, int] | None:
    """The figure's count for each month of ``year`` in one query: its records for the year,
    counted by the month of its ``date_field``. ``None`` if the figure does not count a plain
    queryset (it is then computed month by month)."""
    records = item.func(Period.year(year), unit)
    if not isinstance(records, QuerySet) or not _plain_count(records):
        return None
    rows = (
        records.order_by()
        .annotate(_month=ExtractMonth(item.date_field))
        .values_list("_month")
        .annotate(_count=Count("*"))
    )
    return dict(rows)


# Per process: whether a figure's function returns a queryset of scoped records (fixed by its code).
_counts_records: dict[str, bool] = {}


def counts_by_unit(group: Sequence[Request], parent_path: str) -> dict[str, int] | None:
    """A counting figure for sibling units (all children of the unit at ``parent_path``) in one
    query: the figure's records below the parent, counted by the path of the child they are in.

    ``None`` if the figure is not a plain count of records the scoping rule places in units (a
    :class:`Measure`, a distinct or grouped queryset), which is then computed unit by unit. A
    figure's records for a unit are its records for the district in that unit's subtree (every
    figure narrows to a unit with ``within(unit)``; ``test_dashboard_queries`` checks each
    registered figure against :meth:`Figure.compute`).
    """
    item, period, _unit = group[0]
    if _counts_records.get(item.key) is False:
        return None  # a Measure: calling its function would compute it (queries) for nothing
    records = item.func(period, None)
    lookup = getattr(records.model, "scope_unit_path", None) if isinstance(records, QuerySet) else None
    _counts_records[item.key] = lookup is not None
    if not lookup or not _plain_count(records):
        return None
    length = len(parent_path) + Unit.steplen
    rows = (
        records.filter(**{f"{lookup}__startswith": parent_path})
        .order_by()
        .annotate(_child=Substr(lookup, 1, length))
        .values_list("_child")
        .annotate(_count=Count("*"))
    )
    counted = dict(rows)
    return {unit.path: counted.get(unit.path, 0) for _item, _period, unit in group}


def _plain_count(records: QuerySet) -> bool:
    """Whether ``records.count()`` counts the rows of one plain query (what grouping can split)."""
    query = records.query
    return not (
        query.distinct
        or query.is_sliced
        or query.combinator
        or query.group_by is not None
        or any(getattr(expression, "contains_aggregate", False) for expression in query.annotations.values())
    )
