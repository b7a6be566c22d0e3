"""To-dos of the culture app:
competitions (rounds, contestants, scores, recommendation) and local-product campaigns with their videos."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def todos(user: Any) -> Iterable[Todo]:
    return []
