"""Permissions come from roles as well as from Django's groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import QuerySet


class RoleModelBackend(ModelBackend):
    """Django's model backend, with each role's permissions granted to the people holding it."""

    def _get_role_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        return Permission.objects.filter(roles__users=user_obj)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return super().get_group_permissions(user_obj, obj) | self._get_permissions(user_obj, obj, "role")
