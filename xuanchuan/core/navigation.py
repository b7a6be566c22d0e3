"""The staff site's navigation and the home page's to-do list, filled in by the apps.

An app adds its module to the navigation in its ``AppConfig.ready`` only once the module works:
an unfinished module is simply not registered, so it is not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation: a module or a page inside it."""

    label: str
    url_name: str
    icon: str = "bi-circle"
    order: int = 100
    # Who sees the entry; everyone signed in when None.
    allowed: Callable[[Any], bool] | None = None
    children: tuple[NavItem, ...] = field(default_factory=tuple)

    def url(self) -> str:
        return reverse(self.url_name)

    def visible_for(self, user: Any) -> bool:
        return self.allowed is None or bool(self.allowed(user))


@dataclass(frozen=True)
class Todo:
    """Something waiting for the user: a count and the page where it is dealt with."""

    label: str
    count: int
    url: str
    level: str = "primary"


_nav: list[NavItem] = []
_todo_providers: list[Callable[[Any], Iterable[Todo]]] = []


def register_nav(item: NavItem) -> None:
    if any(existing.url_name == item.url_name for existing in _nav):
        return
    _nav.append(item)
    _nav.sort(key=lambda entry: (entry.order, entry.label))


def nav_for(user: Any) -> list[NavItem]:
    items = []
    for item in _nav:
        if not item.visible_for(user):
            continue
        children = tuple(child for child in item.children if child.visible_for(user))
        items.append(NavItem(item.label, item.url_name, item.icon, item.order, item.allowed, children))
    return items


def register_todos(provider: Callable[[Any], Iterable[Todo]]) -> None:
    if provider not in _todo_providers:
        _todo_providers.append(provider)


def todos_for(user: Any) -> list[Todo]:
    return [todo for provider in _todo_providers for todo in provider(user) if todo.count]
