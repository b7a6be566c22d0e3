"""The tickets part of the civility app's share of the URL walk (see ``tests/scoping.py``): a
problem found in 东城街道 by its own inspector, ticketed to 幸福社区, replied to, escalated (a
督办 notice to dora) — nothing of it may reach charlie (西城街道)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile

from xuanchuan.civility.models.cases import Photo, PhotoStage, Problem, SupervisionNotice, Ticket
from xuanchuan.civility.models.standards import Category

DESCRIPTION = "东城秘密井盖缺失问题"
REQUIREMENT = "东城秘密整改要求"
REPLY = "东城秘密整改反馈"


def _image() -> ContentFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 10, 10)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="scoping.jpg")


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from datetime import timedelta

    from xuanchuan.civility.services import tickets as services
    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode

    inspector = make_person("scoping_ducha", district.east, RoleCode.CIVILITY_INSPECTOR, full_name="东城督查秘")
    category = Category.objects.filter(is_active=True).order_by("pk").first()
    problem = Problem.objects.create(
        unit=district.east, area=district.east, public_id="SCOPE-T-1", category=category, description=DESCRIPTION
    )
    Photo.objects.create(problem=problem, stage=PhotoStage.FOUND, image=_image())
    ticket = services.issue_ticket([problem], unit=district.east_community, requirement=REQUIREMENT, by=inspector)
    services.reply(ticket, text=REPLY, by=people["dora"])
    second = Problem.objects.create(
        unit=district.east, area=district.east, public_id="SCOPE-T-2", category=category, description=DESCRIPTION
    )
    overdue = services.issue_ticket([second], unit=district.east_community, requirement=REQUIREMENT, by=inspector)
    services.escalate_overdue(today=overdue.due_on + timedelta(days=3))
    return [DESCRIPTION, REQUIREMENT, REPLY, ticket.number, overdue.number]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    ticket = Ticket.objects.filter(requirement=REQUIREMENT).order_by("pk").first()
    if route_name in (
        "civility:ticket_detail",
        "civility:ticket_docx",
        "civility:ticket_pdf",
    ):
        return [{"pk": ticket.pk}]
    if route_name in (
        "civility:ticket_reply",
        "civility:ticket_accept",
        "civility:ticket_reopen",
        "civility:ticket_close",
    ):
        return [{"pk": ticket.pk}, {"pk": ticket.pk, "_method": "post"}]
    if route_name == "civility:ticket_photo":
        photo = Photo.objects.filter(problem__ticket=ticket).first()
        return [{"pk": ticket.pk, "photo_pk": photo.pk}]
    if route_name == "civility:notice_read":
        notice = SupervisionNotice.objects.order_by("pk").first()
        return [{"pk": notice.pk}, {"pk": notice.pk, "_method": "post"}]
    if route_name == "api:civility_ticket_detail":
        return [{"ticket_id": ticket.pk}]
    return None
