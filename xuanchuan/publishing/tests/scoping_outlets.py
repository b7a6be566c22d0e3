"""The outlets part of the publishing app's share of the URL walk (see ``tests/scoping.py``):
a WeChat account of 东城街道 with a topic column, registered by bob."""

from __future__ import annotations

from datetime import date
from typing import Any

from xuanchuan.publishing.models import Column, Outlet, OutletKind
from xuanchuan.publishing.services import outlets as services

OUTLET_NAME = "东城秘密公众号"
COLUMN_NAME = "东城秘密专栏"
ACCOUNT = "gh_dongcheng_secret"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    bob = people["bob"]
    outlet = services.create_outlet(
        by=bob,
        unit=district.east,
        name=OUTLET_NAME,
        kind=OutletKind.WECHAT,
        account=ACCOUNT,
        responsible_name="秘密负责人",
        registered_on=date(2020, 1, 1),
    )
    services.create_column(outlet, by=bob, name=COLUMN_NAME, is_topic=True, slug="dongcheng-secret")
    return [OUTLET_NAME, COLUMN_NAME, ACCOUNT, "秘密负责人"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    outlet = Outlet.objects.filter(name=OUTLET_NAME).first()
    if route_name in ("publishing:outlet_detail", "publishing:outlet_edit", "publishing:outlet_close"):
        return [{"pk": outlet.pk}, {"pk": outlet.pk, "_method": "post"}]
    if route_name == "publishing:column_create":
        return [{"pk": outlet.pk}, {"pk": outlet.pk, "_method": "post"}]
    if route_name in ("publishing:column_edit", "publishing:column_close", "publishing:column_move"):
        column = Column.objects.filter(name=COLUMN_NAME).first()
        return [{"pk": column.pk}, {"pk": column.pk, "_method": "post"}]
    if route_name == "api:publishing_outlet_detail":
        return [{"outlet_id": outlet.pk}]
    return None
