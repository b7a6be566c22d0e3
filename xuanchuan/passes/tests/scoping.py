"""The pass system's part of the project-wide URL walk (``xuanchuan/tests/test_url_scoping.py``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from xuanchuan.org.models import RoleCode
from xuanchuan.passes import services
from xuanchuan.passes.models import ApplicationChannel, Pass

HOUSEHOLD = "东区秘密户7号"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    """A signed pass of 幸福社区 with an exit recorded and a verification logged by bob's side."""
    bob = people["bob"]
    application = services.Application(district.east_community, HOUSEHOLD, "幸福路7号", "林秘密", "13800000007")
    pass_obj = services.approve(services.apply(application, channel=ApplicationChannel.STAFF, by=bob), by=bob)
    from xuanchuan.conftest import make_person

    guard = make_person("scoping_guard", district.east, RoleCode.CHECKPOINT_GUARD, full_name="卡口甲")
    event = services.CheckpointEvent(uuid.uuid4(), pass_obj.signed_text, "exit", timezone.now(), "东城一号卡口")
    services.record_event(event, by=guard)
    return [HOUSEHOLD, pass_obj.public_id, "东城一号卡口", "卡口甲"]


def _east_pass(district: Any) -> Pass:
    return Pass.objects.filter(unit=district.east_community).first()


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if route_name.startswith("passes:pass_") and kwargs == ("pk",):
        return [{"pk": _east_pass(district).pk}]
    if route_name == "api:passes_pass_detail":
        return [{"pass_id": _east_pass(district).pk}]
    if route_name in ("passes:resident_pass", "passes:resident_apply"):
        # Public by design (no account): a community's application form, reached from the QR code
        # it posts up, and the resident's own pass behind an unguessable link. Nothing
        # unit-scoped to walk; their own tests cover that a wrong code or token answers 404.
        return []
    return None
