"""To-dos of the culture app's tourism part, for the district's tourism managers (who see all
units): this year's holidays that are over without any stat yet ("待填报的假日旅游数据：2026年劳动节")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.core.navigation import Todo
from xuanchuan.culture.permissions import may_manage_tourism
from xuanchuan.culture.queries import tourism as queries
from xuanchuan.org.scoping import user_sees_all_units


def todos(user: Any) -> Iterable[Todo]:
    if not (may_manage_tourism(user) and user_sees_all_units(user)):
        return []
    found = []
    for period in queries.unreported_holidays(user):
        url = f"{reverse('culture:stat_create')}?holiday={period.holiday}&year={period.year}"
        found.append(Todo(_("待填报的假日旅游数据：%(period)s") % {"period": period}, 1, url, "warning"))
    return found
