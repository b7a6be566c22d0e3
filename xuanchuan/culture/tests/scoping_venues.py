"""The venues part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``)."""

from __future__ import annotations

from typing import Any

PUBLIC_UNIT_LISTS: dict[str, str] = {}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    return []


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    return None
