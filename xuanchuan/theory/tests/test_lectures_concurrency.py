"""The lectures part's rules hold when two people act at the same moment, on PostgreSQL: a lecture
is recorded held once (the loser's photos are not kept), held and cancelled at once leave one of
the two, a request assigned and declined at once ends in one state with an SMS only if assigned,
scheduled twice at once makes one lecture, and one team name per unit (the loser gets the Chinese
sentence, not an IntegrityError)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.core.services import ServiceError
from xuanchuan.theory.models import (
    Lecture,
    LecturePhoto,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    RequestStatus,
    TeamLevel,
)
from xuanchuan.theory.services import lectures as services
from xuanchuan.theory.tests.factories import make_lecture, make_team
from xuanchuan.volunteers.tests.races import postgresql_only, race

# Decided before any database set-up: the transactional tests below flush the tables.
pytestmark = [postgresql_only("concurrent changes"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _sms(settings):
    RecordingGateway.sent.clear()
    settings.THEORY_SMS_BACKEND = "xuanchuan.arrivals.tests.sms.RecordingGateway"


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def past_lecture(district) -> Lecture:
    team = make_team(district.east)
    return make_lecture(team, unit=district.east_community, starts_at=timezone.now() - timedelta(hours=2))


def new_request(district) -> LectureRequest:
    return LectureRequest.objects.create(
        unit=district.east_community, requester_name="王", requester_phone="13612345678", topic="题", place="室"
    )


def test_recorded_held_twice_at_once(district, bob, dora):
    lecture = past_lecture(district)
    results = race(
        lambda: services.record_held(lecture, audience=10, photos=[photo()], by=bob),
        lambda: services.record_held(lecture, audience=20, photos=[photo()], by=dora),
    )
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and "只能登记尚未开展" in refused[0].messages[0], results
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.HELD and lecture.audience in (10, 20)
    assert LecturePhoto.objects.filter(lecture=lecture).count() == 1


def test_held_and_cancelled_at_once(district, bob, dora):
    lecture = past_lecture(district)
    results = race(
        lambda: services.record_held(lecture, audience=10, by=bob),
        lambda: services.cancel_lecture(lecture, reason="下雨", by=dora),
    )
    assert len([r for r in results if isinstance(r, ServiceError)]) == 1, results
    lecture.refresh_from_db()
    assert lecture.status in (LectureStatus.HELD, LectureStatus.CANCELLED)
    assert (lecture.audience is not None) == (lecture.status == LectureStatus.HELD)


def test_assigned_and_declined_at_once(district, bob, dora):
    item = new_request(district)
    team = make_team(district.east, name="东城队")
    results = race(
        lambda: services.assign_request(item, team=team, by=bob),
        lambda: services.decline_request(item, note="排不开", by=dora),
    )
    assert len([r for r in results if isinstance(r, ServiceError)]) == 1, results
    item.refresh_from_db()
    assert item.status in (RequestStatus.ASSIGNED, RequestStatus.DECLINED)
    assert len(RecordingGateway.sent) == (1 if item.status == RequestStatus.ASSIGNED else 0)


def test_scheduled_twice_at_once_makes_one_lecture(district, bob, dora):
    item = new_request(district)
    team = make_team(district.east, name="东城队")
    services.assign_request(item, team=team, by=bob)

    def schedule(by):
        data = services.LectureInput(
            unit=district.east_community,
            team=team,
            topic="题",
            starts_at=timezone.now() + timedelta(days=1),
            place="室",
        )
        return lambda: services.schedule_request(item, data, by=by)

    results = race(schedule(bob), schedule(dora))
    assert len([r for r in results if isinstance(r, ServiceError)]) == 1, results
    assert Lecture.objects.count() == 1
    item.refresh_from_db()
    assert item.lecture == Lecture.objects.get()


def test_one_team_name_per_unit_at_once(district, alice, bob):
    def create(by):
        return lambda: services.create_team(unit=district.east, name="东城宣讲队", level=TeamLevel.PEOPLE, by=by)

    results = race(create(alice), create(bob))
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and "已有名为" in refused[0].messages[0], results
    assert LectureTeam.objects.filter(unit=district.east).count() == 1
