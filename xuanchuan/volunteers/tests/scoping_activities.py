"""The activities part's records for the URL walk: a sibling unit's records the outsider must not see."""

from __future__ import annotations

from typing import Any


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    return []


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    return None
