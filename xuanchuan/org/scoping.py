"""The one scoping rule of the platform: what a user may see.

A user sees the records of their own unit and of every unit below it; a role that covers the
whole district (部管理员) or a superuser sees everything. Every business model's queryset is a
``ScopedQuerySet`` and views and APIs read data only through ``visible_to(user)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from xuanchuan.org.models import Unit


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows the lookup from its rows to the path of the owning unit.

    Models set ``scope_unit_path`` on their class to the lookup that reaches
    ``Unit.path`` (``"unit__path"`` for a model with a ``unit`` foreign key, ``"path"`` for
    ``Unit`` itself). Rows with no unit are visible only to district-wide users.
    """

    def _unit_path_lookup(self) -> str:
        lookup = getattr(self.model, "scope_unit_path", None)
        if not lookup:
            raise TypeError(f"{self.model.__name__} does not declare scope_unit_path")
        return lookup

    def visible_to(self, user: Any) -> Self:
        """The one opening of every scoped read: nobody signed out, everything for district-wide
        users, nothing for a user without a unit, otherwise ``scope_q`` of the user's unit path."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user_sees_all_units(user):
            return self.all()
        unit_path = getattr(user, "unit_path", None)
        if not unit_path:
            return self.none()
        return self.filter(self.scope_q(unit_path))

    def scope_q(self, unit_path: str) -> Q:
        """Rows a user whose unit has ``unit_path`` may see. A queryset with a wider rule (a form
        filled in below the unit that owns it) overrides only this."""
        return Q(**{f"{self._unit_path_lookup()}__startswith": unit_path})

    def within(self, unit: Unit | None) -> Self:
        """Rows of ``unit`` and the units below it; ``None`` means the whole district."""
        if unit is None:
            return self.all()
        return self.filter(**{f"{self._unit_path_lookup()}__startswith": unit.path})


def user_sees_all_units(user: Any) -> bool:
    """District-wide sight: a superuser or a role such as 部管理员. The only place this is decided."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "sees_all_units", False))


def requested_unit(user: Any, raw: Any) -> Unit | None:
    """The unit a page or API call asks for with ``?unit=``, if the user may see it.

    Empty means the default: the whole district (``None``) for district-wide users, otherwise the
    user's own unit. A unit that is malformed, missing or outside the user's scope is 404, the same
    answer for all three.
    """
    from xuanchuan.org.models import Unit

    text = "" if raw is None else str(raw).strip()
    if text:
        if not text.isdigit() or len(text) > 18:
            raise Http404
        try:
            return Unit.objects.visible_to(user).get(pk=int(text))
        except Unit.DoesNotExist:
            raise Http404 from None
    if user_sees_all_units(user):
        return None
    if not getattr(user, "unit_id", None):
        raise Http404
    return user.unit


def require_visible_unit(user: Any, unit: Unit) -> None:
    """The check a service makes before writing for ``unit``: the acting user's scope covers it
    (the same rule as every page); ``PermissionDenied`` otherwise."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from xuanchuan.org.models import Unit

    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Default manager of business models."""
