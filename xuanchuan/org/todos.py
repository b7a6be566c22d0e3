"""What waits on the home page for the people who run the organisation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.org.models import RoleCode
from xuanchuan.org.services import people_missing_second_factor


def account_todos(user: Any) -> Iterator[Todo]:
    if not user.has_role(RoleCode.DEPARTMENT_ADMIN):
        return
    people = reverse("org:person_list")
    missing = people_missing_second_factor(user).count()
    yield Todo(_("需查看个人信息但未绑定动态口令的人员"), missing, f"{people}?second_factor=missing", "warning")
    if user.sees_all_units:
        from xuanchuan.org.models import User

        unassigned = User.objects.visible_to(user).filter(unit__isnull=True, is_active=True).count()
        yield Todo(_("尚未分配单位的账号"), unassigned, f"{people}?unit_missing=1", "danger")
