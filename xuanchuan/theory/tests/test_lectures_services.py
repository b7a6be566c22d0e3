"""The lectures part's rules: teams (level, unique name, deactivation), lecturers only of the
lecture's team, a future lecture cannot be recorded held, audience required and bounded, photos
checked and re-encoded without EXIF, requests validated, assigned with an SMS, scheduled, done once
held, declined with a note, cancelled lectures hand their request back, retention erases the
requester, role and scope refused."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.core.pii import purge_expired
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
from xuanchuan.theory.tests.factories import make_lecture, make_lecturer, make_team

pytestmark = pytest.mark.django_db
RECORDING = "xuanchuan.arrivals.tests.sms.RecordingGateway"


@pytest.fixture(autouse=True)
def _sms(settings):
    RecordingGateway.sent.clear()
    settings.THEORY_SMS_BACKEND = RECORDING


def jpeg_with_exif(size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x013B] = "Secret Owner"  # Artist
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def png(size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def request_input(district, **fields) -> services.RequestInput:
    values = {
        "unit": district.east_community,
        "requester_name": "张居民",
        "requester_phone": "13612345678",
        "topic": "垃圾分类新规",
        "place": "幸福社区活动室",
        "preferred_on": timezone.localdate() + timedelta(days=5),
        "audience_estimate": 40,
    }
    values.update(fields)
    return services.RequestInput(**values)


def lecture_input(team, unit, **fields) -> services.LectureInput:
    values = {
        "unit": unit,
        "team": team,
        "topic": "党的二十届四中全会精神",
        "starts_at": timezone.now() + timedelta(days=2),
        "place": "幸福社区党群服务中心",
        "event": "孝善宴",
    }
    values.update(fields)
    return services.LectureInput(**values)


# --- Teams and lecturers ------------------------------------------------------------------------


def test_create_team_on_a_level_with_a_unique_name(district, bob):
    team = services.create_team(unit=district.east, name="东城党员宣讲队", level=TeamLevel.PEOPLE, by=bob)
    assert team.level == TeamLevel.PEOPLE and team.created_by == bob
    with pytest.raises(ServiceError, match="已有名为"):
        services.create_team(unit=district.east, name="东城党员宣讲队", level=TeamLevel.ARTS, by=bob)
    with pytest.raises(ServiceError, match="层级"):
        services.create_team(unit=district.east, name="别的队", level="nonsense", by=bob)
    assert LectureTeam.objects.count() == 1


def test_team_services_check_role_and_scope(district, bob, charlie):
    from xuanchuan.conftest import make_person

    nobody = make_person("nobody", district.east)  # a unit, no role
    with pytest.raises(PermissionDenied):
        services.create_team(unit=district.east, name="队", level=TeamLevel.PEOPLE, by=nobody)
    with pytest.raises(PermissionDenied):
        services.create_team(unit=district.east, name="队", level=TeamLevel.PEOPLE, by=charlie)
    team = make_team(district.east)
    with pytest.raises(PermissionDenied):
        services.deactivate_team(team, by=charlie)
    assert not LectureTeam.objects.filter(name="队").exists()


def test_deactivated_team_gets_no_new_lecturers_nor_lectures(district, bob):
    team = make_team(district.east)
    services.deactivate_team(team, by=bob)
    team.refresh_from_db()
    assert team.active is False
    with pytest.raises(ServiceError, match="已经停用"):
        services.deactivate_team(team, by=bob)
    with pytest.raises(ServiceError, match="停用"):
        services.save_lecturer(None, team=team, name="李", by=bob)
    with pytest.raises(ServiceError, match="不是为"):
        services.create_lecture(lecture_input(team, district.east_community), by=bob)


def test_lecturer_phone_is_encrypted(district, bob):
    team = make_team(district.east)
    lecturer = services.save_lecturer(None, team=team, name="王讲", phone="13700001234", by=bob)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM theory_lecturer WHERE id = %s", [lecturer.pk])
        stored = cursor.fetchone()[0]
    assert "13700001234" not in stored


# --- Lectures -----------------------------------------------------------------------------------


def test_lecturers_of_another_team_are_refused(district, bob):
    team = make_team(district.east, name="甲队")
    other = make_team(district.east, name="乙队")
    ours, theirs = make_lecturer(team, name="本队员"), make_lecturer(other, name="外队员")
    with pytest.raises(ServiceError, match="外队员.*不属于"):
        services.create_lecture(lecture_input(team, district.east_community, lecturers=[ours, theirs]), by=bob)
    assert not Lecture.objects.exists()
    lecture = services.create_lecture(lecture_input(team, district.east_community, lecturers=[ours]), by=bob)
    assert list(lecture.lecturers.all()) == [ours]
    with pytest.raises(ServiceError, match="不属于"):
        services.update_lecture(lecture, lecture_input(team, district.east_community, lecturers=[theirs]), by=bob)


def test_a_district_team_serves_a_community_but_a_sibling_streets_team_does_not(district, alice, dora):
    district_team = make_team(district.publicity, name="区委宣讲团", level=TeamLevel.EXPERTS)
    west_team = make_team(district.west, name="西城队")
    lecture = services.create_lecture(lecture_input(district_team, district.east_community), by=dora)
    assert lecture.unit == district.east_community
    with pytest.raises(ServiceError, match="不是为"):
        services.create_lecture(lecture_input(west_team, district.east_community), by=alice)


def test_a_future_lecture_cannot_be_recorded_held(district, bob):
    lecture = make_lecture(make_team(district.east))
    with pytest.raises(ServiceError, match="还没到"):
        services.record_held(lecture, audience=50, by=bob)
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.PLANNED and lecture.audience is None


@pytest.mark.parametrize("audience", [None, "", "abc", 0, -3, 100_001])
def test_audience_is_required_and_sane(district, bob, audience):
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(ServiceError, match="受众人数"):
        services.record_held(lecture, audience=audience, by=bob)
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.PLANNED


def test_record_held_with_photos_strips_exif(district, bob):
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=2))
    done = services.record_held(lecture, audience=120, summary="讲了新规", photos=[jpeg_with_exif(), png()], by=bob)
    assert done.status == LectureStatus.HELD and done.audience == 120 and done.summary == "讲了新规"
    photos = list(LecturePhoto.objects.filter(lecture=lecture))
    assert len(photos) == 2
    for photo in photos:
        data = photo.image.read()
        assert b"SecretCam" not in data and b"Secret Owner" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert not dict(image.getexif())
    with pytest.raises(ServiceError, match="只能登记尚未开展"):
        services.record_held(lecture, audience=5, by=bob)


def test_a_non_image_is_refused_and_nothing_is_saved(district, bob):
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=2))
    fake = SimpleUploadedFile("x.jpg", b"PK\x03\x04 not a photo at all", content_type="image/jpeg")
    with pytest.raises(ServiceError, match="不是可以识别的图片"):
        services.record_held(lecture, audience=10, photos=[fake], by=bob)
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.PLANNED and not LecturePhoto.objects.exists()


def test_an_image_declaring_too_many_pixels_is_refused(district, bob, monkeypatch):
    """A decompression-bomb-like image: small file, many declared pixels (the limit lowered so
    the test file stays small; Pillow's own limit is the same check)."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=2))
    out = io.BytesIO()
    Image.new("L", (200, 200)).save(out, format="PNG")
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
    with pytest.raises(ServiceError, match="像素过多"):
        services.record_held(lecture, audience=10, photos=[bomb], by=bob)
    assert not LecturePhoto.objects.exists()


def test_too_many_photos_are_refused(district, bob):
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(ServiceError, match="最多"):
        services.record_held(lecture, audience=10, photos=[png() for _ in range(services.MAX_PHOTOS + 1)], by=bob)


def test_cancel_needs_a_reason_and_only_a_planned_lecture(district, bob):
    lecture = make_lecture(make_team(district.east))
    with pytest.raises(ServiceError, match="原因"):
        services.cancel_lecture(lecture, reason="  ", by=bob)
    done = services.cancel_lecture(lecture, reason="暴雨", by=bob)
    assert done.status == LectureStatus.CANCELLED and done.cancel_reason == "暴雨"
    with pytest.raises(ServiceError, match="只能取消"):
        services.cancel_lecture(lecture, reason="再取消", by=bob)
    with pytest.raises(ServiceError, match="只能修改"):
        services.update_lecture(lecture, lecture_input(lecture.team, district.east), by=bob)


def test_outsider_cannot_record_nor_cancel(district, charlie):
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        services.record_held(lecture, audience=10, by=charlie)
    with pytest.raises(PermissionDenied):
        services.cancel_lecture(lecture, reason="x", by=charlie)


# --- Requests ------------------------------------------------------------------------------------


def test_submit_request_checks_unit_type_and_date(district):
    with pytest.raises(ServiceError, match="不能早于今天"):
        services.submit_request(request_input(district, preferred_on=timezone.localdate() - timedelta(days=1)))
    with pytest.raises(ServiceError, match="街道或社区"):
        services.submit_request(request_input(district, unit=district.education))
    with pytest.raises(ServiceError, match="听众"):
        services.submit_request(request_input(district, audience_estimate=10**7))
    assert not LectureRequest.objects.exists()
    item = services.submit_request(request_input(district))
    assert item.status == RequestStatus.NEW and item.created_by is None
    assert services.reference(item).startswith("XJ")


def test_assign_sends_an_sms_after_commit(district, bob, django_capture_on_commit_callbacks):
    item = services.submit_request(request_input(district))
    team = make_team(district.east)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.assign_request(item, team=team, note="本周联系", by=bob)
    assert done.status == RequestStatus.ASSIGNED and done.team == team
    assert len(RecordingGateway.sent) == 1
    number, text = RecordingGateway.sent[0]
    assert number == "13612345678" and team.name in text and services.reference(done) in text


def test_assign_refuses_a_team_not_serving_the_unit_and_sends_nothing(
    district, alice, django_capture_on_commit_callbacks
):
    item = services.submit_request(request_input(district))
    west_team = make_team(district.west, name="西城队")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError, match="不是为"):
        services.assign_request(item, team=west_team, by=alice)
    item.refresh_from_db()
    assert item.status == RequestStatus.NEW and RecordingGateway.sent == []


def test_request_to_lecture_to_done(district, bob, dora, django_capture_on_commit_callbacks):
    item = services.submit_request(request_input(district))
    team = make_team(district.east)
    lecturer = make_lecturer(team)
    with pytest.raises(ServiceError, match="已安排队伍"):
        services.schedule_request(item, lecture_input(team, district.east_community), by=bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_request(item, team=team, by=bob)
    other = make_team(district.east, name="别的队")
    with pytest.raises(ServiceError, match="应为点单安排"):
        services.schedule_request(item, lecture_input(other, district.east_community), by=bob)
    start = timezone.now() - timedelta(hours=1)  # held an hour ago, recorded now
    lecture = services.schedule_request(
        item, lecture_input(team, district.east, starts_at=start, lecturers=[lecturer]), by=bob
    )
    item.refresh_from_db()
    assert item.lecture == lecture and lecture.unit == district.east_community  # the request's unit
    with pytest.raises(ServiceError, match="已安排队伍"):
        services.schedule_request(item, lecture_input(team, district.east_community), by=bob)
    services.record_held(lecture, audience=35, by=dora)
    item.refresh_from_db()
    assert item.status == RequestStatus.DONE


def test_cancelling_the_lecture_hands_the_request_back(district, bob, django_capture_on_commit_callbacks):
    item = services.submit_request(request_input(district))
    team = make_team(district.east)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_request(item, team=team, by=bob)
    lecture = services.schedule_request(item, lecture_input(team, district.east_community), by=bob)
    services.cancel_lecture(lecture, reason="讲师生病", by=bob)
    item.refresh_from_db()
    assert item.status == RequestStatus.ASSIGNED and item.lecture is None


def test_decline_needs_a_note_and_closes_the_request(district, bob):
    item = services.submit_request(request_input(district))
    with pytest.raises(ServiceError, match="原因"):
        services.decline_request(item, note="", by=bob)
    done = services.decline_request(item, note="近期无合适宣讲员", by=bob)
    assert done.status == RequestStatus.DECLINED
    with pytest.raises(ServiceError, match="不能再安排"):
        services.assign_request(item, team=make_team(district.east), by=bob)


def test_outsider_cannot_touch_a_request(district, charlie):
    item = services.submit_request(request_input(district))
    with pytest.raises(PermissionDenied):
        services.decline_request(item, note="x", by=charlie)


def test_retention_erases_settled_requesters_only(district, bob, settings):
    settings.THEORY_REQUESTER_RETENTION_DAYS = 30
    services.register_retention()
    settled = services.submit_request(request_input(district))
    services.decline_request(settled, note="无法安排", by=bob)
    still_open = services.submit_request(request_input(district, requester_name="李居民"))
    old = timezone.now() - timedelta(days=31)
    LectureRequest.objects.filter(pk__in=[settled.pk, still_open.pk]).update(updated_at=old)
    purge_expired()
    settled.refresh_from_db()
    still_open.refresh_from_db()
    assert settled.requester_name == "" and settled.requester_phone == ""
    assert settled.topic == "垃圾分类新规"  # the request stays for the figures
    assert still_open.requester_name == "李居民" and still_open.requester_phone == "13612345678"
