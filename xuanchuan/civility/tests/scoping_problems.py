"""The problems part of the civility app's share of the URL walk (see ``tests/scoping.py``)."""

from __future__ import annotations

from typing import Any


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    return []


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    return None
