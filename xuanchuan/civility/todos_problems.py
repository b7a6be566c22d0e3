"""To-dos of the civility app's problems part (see ``todos.py``): citizens' reports waiting for an
inspector's verification."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from xuanchuan.civility.models.cases import ProblemStatus
from xuanchuan.civility.permissions import may_inspect
from xuanchuan.civility.queries.problems import unverified_count
from xuanchuan.core.navigation import Todo


def todos(user: Any) -> Iterable[Todo]:
    if not may_inspect(user):
        return []
    url = f"{reverse('civility:problem_list')}?status={ProblemStatus.UNVERIFIED}"
    return [Todo(_("待核实的群众反映"), unverified_count(user), url, "warning")]
