"""The module dashboards in the outsider's walk of every URL (``xuanchuan/tests/test_url_scoping.py``).

Used by ``reports/tests/scoping.py``: every module's dashboard asked for with the sibling street's
unit (also as an Excel export), and a module that does not exist, must answer 404.
"""

from __future__ import annotations

from typing import Any

from xuanchuan.reports.dashboards import chart_id, modules


def module_arguments(district: Any) -> list[dict[str, Any]]:
    arguments: list[dict[str, Any]] = [{"app": "nosuchmodule"}]
    for module in modules():
        export = {"export": "xlsx", "chart": chart_id("trend", module.figures[0])}
        arguments.append({"app": module.app, "_query": {"unit": district.east.pk}})
        arguments.append({"app": module.app, "_query": {"unit": district.east_community.pk, **export}})
    return arguments
