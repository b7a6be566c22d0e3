"""The civility app's entries in the home page's to-do list, by part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def civility_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.civility import todos_problems, todos_standards, todos_tickets

    return [*todos_standards.todos(user), *todos_problems.todos(user), *todos_tickets.todos(user)]
