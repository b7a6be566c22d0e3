"""The culture app's entries in the home page's to-do list, by part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def culture_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.culture import todos_contests, todos_events, todos_tourism, todos_venues, todos_works

    return [
        *todos_events.todos(user),
        *todos_venues.todos(user),
        *todos_contests.todos(user),
        *todos_works.todos(user),
        *todos_tourism.todos(user),
    ]
