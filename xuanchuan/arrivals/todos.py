"""The home page's to-do entries of 来返人员: people under follow-up without today's check-in,
registrants' corrections waiting for a decision, and possible duplicates (the same document
number and arrival date from another phone) to check and merge — for those who own follow-up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.arrivals.permissions import may_follow_up
from xuanchuan.core.navigation import Todo


def follow_up_todos(user: Any) -> Iterable[Todo]:
    from xuanchuan.arrivals import queries

    if not may_follow_up(user):
        return
    yield Todo(
        _("来返人员今日未打卡"), queries.waiting_check_ins(user), reverse("arrivals:daily_list"), level="warning"
    )
    yield Todo(_("来返人员更正待审核"), queries.pending_corrections(user).count(), reverse("arrivals:correction_list"))
    yield Todo(
        _("来返人员同日重复登记待核实"), queries.possible_duplicates(user).count(), reverse("arrivals:duplicate_list")
    )
