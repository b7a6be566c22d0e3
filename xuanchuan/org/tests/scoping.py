"""The organisation's part of the project-wide URL walk (``xuanchuan/tests/test_url_scoping.py``):
the sibling street, its community and their people, by every URL that names a unit or a person."""

from __future__ import annotations

from typing import Any


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    """Nothing to add: the ``district`` fixture already holds the sibling street (东城街道), its
    community and their people (bob, dora), whose names the walk's sentinels include."""
    return []


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    units = [district.east.pk, district.east_community.pk]
    if route_name == "org:unit_detail":
        return [{"pk": pk} for pk in units]
    if route_name == "org:person_detail":
        return [{"pk": people["bob"].pk}, {"pk": people["dora"].pk}]
    if route_name == "api:get_unit":
        return [{"unit_id": pk} for pk in units]
    return None
