"""The volunteers app's entries in the home page's to-do list, by part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def volunteers_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.volunteers import todos_activities, todos_attendance, todos_points, todos_sites

    return [
        *todos_sites.todos(user),
        *todos_activities.todos(user),
        *todos_attendance.todos(user),
        *todos_points.todos(user),
    ]
