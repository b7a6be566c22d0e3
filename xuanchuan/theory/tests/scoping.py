"""The theory app's part of the project-wide URL walk (``xuanchuan/tests/test_url_scoping.py``),
made of its parts' modules."""

from __future__ import annotations

from typing import Any

from xuanchuan.theory.tests import scoping_classroom, scoping_lectures, scoping_study, scoping_viewers

PARTS = (scoping_study, scoping_lectures, scoping_classroom, scoping_viewers)
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
