"""The open311 part of the civility app's share of the URL walk (see ``tests/scoping.py``).

The GeoReport v2 routes (``open311:*``) are public by design: any Open311 client reads the
service list and the citizens' reports without an account, so the walk has no "other unit's
record" to refuse there (``[]``). What they must not show — the reporter, the client, staff notes —
is tested in ``test_open311.py``. The staff pages of the clients are scoped like any other."""

from __future__ import annotations

from typing import Any

from xuanchuan.civility.models import ApiClient

SIBLING_CLIENT = "东城随手拍秘密客户端"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from xuanchuan.civility.open311.keys import new_key
    from xuanchuan.civility.queries.standards import current_categories
    from xuanchuan.civility.services.problems import report_from_client

    _key, prefix, key_hash = new_key()
    client = ApiClient.objects.create(
        unit=district.east,
        created_by=people["bob"],
        name=SIBLING_CLIENT,
        contact="东城联络员甲乙",
        key_prefix=prefix,
        key_hash=key_hash,
    )
    category = current_categories().first()
    if category is not None:
        report_from_client(
            client=client,
            category=category,
            description="东城群众反映的问题描述",
            address="东城幸福路9号",
            reporter_name="反映人丙丁",
            reporter_contact="13700137009",
        )
    return [SIBLING_CLIENT, "东城联络员甲乙", "反映人丙丁", "13700137009", prefix]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if route_name.startswith("open311:"):
        return []  # public by design (GeoReport v2): see the module's docstring
    if route_name == "civility:open311_client_revoke":
        clients = ApiClient.objects.filter(unit=district.east)
        return [{"pk": pk} for pk in clients.values_list("pk", flat=True)] or [{"pk": 999999}]
    return None
