"""The lectures part's records for the URL walk (``xuanchuan/tests/test_url_scoping.py``): records of
东城街道 and its communities, none of which may reach charlie (西城街道): a team of 东城街道 with a
lecturer, a held lecture with a photo and a planned one of 幸福社区, requests for 幸福社区 (new,
assigned). Every object URL given one of them answers 404.

The public request page lists the active streets and communities on purpose: a resident chooses
the one the lecture is for."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

TEAM = "东城秘密宣讲队"
LECTURER = "东城秘密宣讲员"
HELD = "东城秘密已开展宣讲"
PLANNED = "东城秘密计划宣讲"
REQUEST_NEW = "东城秘密新点单"
REQUEST_ASSIGNED = "东城秘密已派点单"

PUBLIC_UNIT_LISTS = {
    "theory:m_request": "居民手机端宣讲点单：点单人从在用的街道、社区中选择宣讲所在地，单位名称有意公开列出",
}


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from xuanchuan.theory.models import LecturePhoto, LectureRequest, RequestStatus, TeamLevel
    from xuanchuan.theory.tests.factories import make_lecture, make_lecturer, make_team

    team = make_team(district.east, name=TEAM, level=TeamLevel.PEOPLE)
    make_lecturer(team, name=LECTURER, phone="13700001111")
    held = make_lecture(team, topic=HELD, held=True, unit=district.east_community, event="东城秘密孝善宴")
    photo = LecturePhoto(lecture=held, uploaded_at=timezone.now())
    photo.image.save("x.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
    make_lecture(team, topic=PLANNED, unit=district.east_community, starts_at=timezone.now() + timedelta(days=2))
    LectureRequest.objects.create(
        unit=district.east_community,
        requester_name="东城秘密点单人",
        requester_phone="13700002222",
        topic=REQUEST_NEW,
        place="幸福社区活动室",
    )
    LectureRequest.objects.create(
        unit=district.east_community,
        requester_name="东城秘密点单人二",
        requester_phone="13700003333",
        topic=REQUEST_ASSIGNED,
        place="幸福社区活动室",
        status=RequestStatus.ASSIGNED,
        team=team,
    )
    return [TEAM, LECTURER, HELD, PLANNED, REQUEST_NEW, REQUEST_ASSIGNED, "东城秘密孝善宴", "东城秘密点单人"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    from xuanchuan.theory.models import Lecture, LecturePhoto, Lecturer, LectureRequest, LectureTeam

    if not (route_name.startswith("theory:") or route_name.startswith("api:theory_")):
        return None
    team = LectureTeam.objects.filter(name=TEAM).order_by("pk").first()
    if team is None:
        return None
    lecturer = Lecturer.objects.filter(name=LECTURER).order_by("pk").first()
    held = Lecture.objects.filter(topic=HELD).order_by("pk").first()
    planned = Lecture.objects.filter(topic=PLANNED).order_by("pk").first()
    photo = LecturePhoto.objects.filter(lecture=held).order_by("pk").first()
    new = LectureRequest.objects.filter(topic=REQUEST_NEW).order_by("pk").first()
    assigned = LectureRequest.objects.filter(topic=REQUEST_ASSIGNED).order_by("pk").first()
    both = [{"pk": team.pk}, {"pk": team.pk, "_method": "post"}]
    if route_name in ("theory:team_detail", "theory:team_edit", "theory:team_deactivate"):
        return both
    if route_name in ("theory:lecturer_detail", "theory:lecturer_edit"):
        return [{"pk": lecturer.pk}, {"pk": lecturer.pk, "_method": "post"}]
    if route_name in ("theory:lecture_detail", "theory:lecture_edit", "theory:lecture_record", "theory:lecture_cancel"):
        return [{"pk": held.pk}, {"pk": planned.pk}, {"pk": planned.pk, "_method": "post"}]
    if route_name == "theory:lecture_photo":
        return [{"pk": photo.pk}]
    if route_name in (
        "theory:request_detail",
        "theory:request_assign",
        "theory:request_decline",
        "theory:request_schedule",
    ):
        return [{"pk": new.pk}, {"pk": assigned.pk}, {"pk": new.pk, "_method": "post"}]
    if route_name == "api:theory_lecture_detail":
        return [{"lecture_id": held.pk}, {"lecture_id": planned.pk}]
    return None
