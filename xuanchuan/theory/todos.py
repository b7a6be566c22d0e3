"""The theory app's entries in the home page's to-do list, by part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def theory_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.theory import todos_classroom, todos_lectures, todos_study, todos_viewers

    return [
        *todos_study.todos(user),
        *todos_lectures.todos(user),
        *todos_classroom.todos(user),
        *todos_viewers.todos(user),
    ]
