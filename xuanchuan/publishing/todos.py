"""The publishing app's entries in the home page's to-do list, by part."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xuanchuan.core.navigation import Todo


def publishing_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.publishing import todos_external, todos_outlets, todos_review

    return [*todos_outlets.todos(user), *todos_review.todos(user), *todos_external.todos(user)]
