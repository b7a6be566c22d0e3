"""The study part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): records of
东城街道 and its communities, none of which may reach charlie (西城街道)."""

from __future__ import annotations

from typing import Any

# Routes that list unit names on purpose, with the reason.
PUBLIC_UNIT_LISTS: dict[str, str] = {}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    return []


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    return None
