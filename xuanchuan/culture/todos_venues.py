"""To-dos of the culture app: venues and what is held there; arts associations and their members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def todos(user: Any) -> Iterable[Todo]:
    return []
