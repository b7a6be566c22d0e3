"""To-dos of the culture app: public calls for works, submissions from the phone page, review, the online exhibition."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def todos(user: Any) -> Iterable[Todo]:
    return []
