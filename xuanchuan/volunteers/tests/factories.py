"""Records the volunteers tests of every part build on: a team of a unit, a volunteer enrolled
through the one enrolment service, a published project and an open activity, a signed-in phone.

Valid test ID numbers: ``id_number(n)`` gives the n-th of a series with correct check digits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from xuanchuan.core.pii.validators import id_check_character
from xuanchuan.org.models import Unit
from xuanchuan.volunteers import session
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    Project,
    ProjectStatus,
    Team,
    Volunteer,
    VolunteerSource,
)
from xuanchuan.volunteers.services.identity import Person, enrol


def id_number(n: int, *, born: str = "19900101") -> str:
    """The n-th valid test resident ID (region 110101, born ``born``)."""
    first17 = f"110101{born}{n % 1000:03d}"
    return first17 + id_check_character(first17)


def make_volunteer(unit: Unit, n: int = 1, *, name: str = "", phone: str = "", born: str = "19900101") -> Volunteer:
    person = Person(
        name=name or f"志愿者{n}",
        id_number=id_number(n, born=born),
        phone=phone or f"139{n:08d}",
    )
    return enrol(person, unit=unit, source=VolunteerSource.STAFF, by=None, consented=True).volunteer


def make_team(unit: Unit, name: str = "红马甲志愿服务队", **fields: Any) -> Team:
    return Team.objects.create(
        unit=unit, name=name, founded_on=fields.pop("founded_on", timezone.localdate()), **fields
    )


def make_project(team: Team, *, year: int | None = None, title: str = "邻里守望", **fields: Any) -> Project:
    return Project.objects.create(
        unit=team.unit,
        team=team,
        year=year or timezone.localdate().year,
        title=title,
        summary=fields.pop("summary", "关爱独居老人"),
        status=fields.pop("status", ProjectStatus.PUBLISHED),
        published_at=fields.pop("published_at", timezone.now()),
        **fields,
    )


def make_activity(
    project: Project,
    *,
    starts_at: datetime | None = None,
    hours: float = 2,
    capacity: int = 10,
    title: str = "清洁家园",
    **fields: Any,
) -> Activity:
    start = starts_at or timezone.now().replace(second=0, microsecond=0)
    return Activity.objects.create(
        unit=project.unit,
        project=project,
        title=title,
        place=fields.pop("place", "幸福社区广场"),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
        status=fields.pop("status", ActivityStatus.OPEN),
        **fields,
    )


def sign_in_phone(client: Any, volunteer: Volunteer) -> Any:
    """Make the test ``client`` the phone of ``volunteer`` (the signed cookie), and return it."""
    from django.http import HttpResponse

    response = session.sign_in(HttpResponse(), volunteer)
    client.cookies[session.COOKIE] = response.cookies[session.COOKIE].value
    return client
