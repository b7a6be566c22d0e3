"""The culture app's part of the project-wide URL walk (``xuanchuan/tests/test_url_scoping.py``),
made of its parts' modules."""

from __future__ import annotations

from typing import Any

from xuanchuan.culture.tests import scoping_contests, scoping_events, scoping_tourism, scoping_venues, scoping_works

PARTS = (scoping_events, scoping_venues, scoping_contests, scoping_works, scoping_tourism)
PUBLIC_UNIT_LISTS: dict[str, str] = {}
for _part in PARTS:
    PUBLIC_UNIT_LISTS.update(getattr(_part, "PUBLIC_UNIT_LISTS", {}))


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    secret: list[str] = []
    for part in PARTS:
        secret += part.create_records(district, people)
    return secret


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    for part in PARTS:
        found = part.arguments(route_name, kwargs, district, people)
        if found is not None:
            return found
    return None
