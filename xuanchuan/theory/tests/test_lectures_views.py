"""The lectures part's pages: lists (query-count bounds, search, filters, Excel), scope (charlie of
西城街道 sees nothing of 东城街道's), roles (no role: 403 on writes), bad input (a Chinese message,
nothing saved), photos served only in scope, the calendar, the public request page (validation,
consent, rate limit, CSRF, reference page without personal data), the masked lecturer export, and
the to-dos."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.conftest import make_person, verified_login
from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.core.public import human_check_token
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
from xuanchuan.theory.todos_lectures import todos

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean(settings):
    cache.clear()
    RecordingGateway.sent.clear()
    settings.THEORY_SMS_BACKEND = "xuanchuan.arrivals.tests.sms.RecordingGateway"
    yield
    cache.clear()


def sheet_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in book.active.iter_rows(values_only=True))


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(out, format="JPEG")
    return SimpleUploadedFile("a.jpg", out.getvalue(), content_type="image/jpeg")


def east_records(district):
    team = make_team(district.east, name="东城党员宣讲队", level=TeamLevel.PEOPLE)
    lecturer = make_lecturer(team, name="东城讲师", phone="13700001234")
    lecture = make_lecture(team, topic="东城宣讲主题", unit=district.east_community)
    return team, lecturer, lecture


# --- Lists -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["theory:team_list", "theory:lecturer_list", "theory:lecture_list", "theory:request_list"]
)
def test_lists_have_bounded_queries(client, district, bob, name, django_assert_max_num_queries):
    for n in range(8):
        team = make_team(district.east, name=f"队{n}", level=TeamLevel.values[n % 4])
        make_lecturer(team, name=f"讲师{n}", phone="13700001234")
        make_lecture(team, topic=f"主题{n}")
        LectureRequest.objects.create(
            unit=district.east_community,
            requester_name="某",
            requester_phone="13600000000",
            topic=f"点单{n}",
            place="x",
        )
    client.force_login(bob)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_outsider_sees_none_of_the_sibling_records(client, district, charlie):
    team, lecturer, lecture = east_records(district)
    make_team(district.west, name="西城宣讲队")
    client.force_login(charlie)
    body = client.get(reverse("theory:team_list")).content.decode()
    assert "西城宣讲队" in body and "东城党员宣讲队" not in body
    assert "东城讲师" not in client.get(reverse("theory:lecturer_list")).content.decode()
    assert "东城宣讲主题" not in client.get(reverse("theory:lecture_list")).content.decode()
    for url in (
        reverse("theory:team_detail", args=[team.pk]),
        reverse("theory:lecturer_detail", args=[lecturer.pk]),
        reverse("theory:lecture_detail", args=[lecture.pk]),
    ):
        assert client.get(url).status_code == 404


def test_lecture_list_filters_and_search(client, district, bob):
    arts = make_team(district.east, name="轻骑兵", level=TeamLevel.ARTS)
    people = make_team(district.east, name="故事队", level=TeamLevel.PEOPLE)
    make_lecture(arts, topic="文艺演出宣讲")
    make_lecture(people, topic="身边好人故事", held=True)
    client.force_login(bob)
    url = reverse("theory:lecture_list")
    body = client.get(url, {"level": TeamLevel.ARTS}).content.decode()
    assert "文艺演出宣讲" in body and "身边好人故事" not in body
    body = client.get(url, {"status": LectureStatus.HELD}).content.decode()
    assert "身边好人故事" in body and "文艺演出宣讲" not in body
    body = client.get(url, {"q": "好人"}).content.decode()
    assert "身边好人故事" in body and "文艺演出宣讲" not in body
    body = client.get(url, {"year": str(timezone.localdate().year - 3)}).content.decode()
    assert "身边好人故事" not in body


def test_team_list_counts_by_level(client, district, bob):
    team = make_team(district.east, name="专家团", level=TeamLevel.EXPERTS)
    make_lecturer(team, name="甲")
    make_lecturer(team, name="乙", active=False)
    make_lecture(team, held=True)
    client.force_login(bob)
    response = client.get(reverse("theory:team_list"))
    row = next(row for row, _values in response.context["rows"] if row.pk == team.pk)
    assert row.lecturer_count == 1 and row.lecture_count == 1
    levels = {item["level"]: item["count"] for item in response.context["levels"]}
    assert levels[TeamLevel.EXPERTS] == 1 and levels[TeamLevel.ARTS] == 0


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("theory:team_list", "东城党员宣讲队"),
        ("theory:lecture_list", "东城宣讲主题"),
        ("theory:lecturer_list", "东城讲师"),
        ("theory:request_list", "东城点单"),
    ],
)
def test_excel_exports(client, district, bob, name, word):
    east_records(district)
    LectureRequest.objects.create(
        unit=district.east_community,
        requester_name="张三丰",
        requester_phone="13612345678",
        topic="东城点单",
        place="x",
    )
    client.force_login(bob)
    response = client.get(reverse(name), {"export": "xlsx"})
    assert response.status_code == 200
    text = sheet_text(response)
    assert word in text
    assert "13700001234" not in text and "13612345678" not in text and "张三丰" not in text


def test_lecturer_export_in_full_only_for_who_may_reveal_and_logged(client, district, dora):
    east_records(district)
    team = make_team(district.east_community, name="社区队")
    make_lecturer(team, name="社区讲师", phone="13700005678")
    verified_login(client, dora)
    text = sheet_text(client.get(reverse("theory:lecturer_list"), {"export": "xlsx"}))
    assert "13700005678" in text
    assert PersonalDataAccess.objects.filter(field="phone").count() == 1


def test_lecturer_phone_masked_on_the_page(client, district, bob):
    _team, lecturer, _lecture = east_records(district)
    client.force_login(bob)
    body = client.get(reverse("theory:lecturer_detail", args=[lecturer.pk])).content.decode()
    assert "13700001234" not in body and "1234" in body


# --- Roles and bad input -----------------------------------------------------------------------


def test_a_user_without_the_role_gets_403_on_writes(client, district):
    nobody = make_person("nobody", district.east)
    team = make_team(district.east)
    lecture = make_lecture(team, starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(nobody)
    assert client.get(reverse("theory:lecture_list")).status_code == 200  # may_view: a unit is enough
    for url in (
        reverse("theory:team_create"),
        reverse("theory:lecture_create"),
        reverse("theory:lecture_record", args=[lecture.pk]),
        reverse("theory:team_deactivate", args=[team.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"audience": 5}).status_code == 403
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.PLANNED


def test_a_user_without_a_unit_gets_403(client, district):
    loner = make_person("loner", None)
    client.force_login(loner)
    assert client.get(reverse("theory:lecture_list")).status_code == 403
    assert client.get(reverse("theory:lecture_calendar")).status_code == 403


def test_team_create_and_bad_input(client, district, bob):
    client.force_login(bob)
    url = reverse("theory:team_create")
    response = client.post(url, {"unit": district.east.pk, "name": "", "level": TeamLevel.ARTS})
    assert response.status_code == 400 and not LectureTeam.objects.exists()
    response = client.post(url, {"unit": district.west.pk, "name": "西队", "level": TeamLevel.ARTS})
    assert response.status_code == 400 and not LectureTeam.objects.exists()  # not a unit bob may choose
    response = client.post(url, {"unit": district.east.pk, "name": "新队", "level": TeamLevel.ARTS})
    team = LectureTeam.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("theory:team_detail", args=[team.pk])


def test_lecture_create_refuses_another_teams_lecturer_with_a_message(client, district, bob):
    team = make_team(district.east, name="甲队")
    other = make_team(district.east, name="乙队")
    stranger = make_lecturer(other, name="外队员")
    client.force_login(bob)
    data = {
        "unit": district.east_community.pk,
        "team": team.pk,
        "lecturers": [stranger.pk],
        "topic": "新思想",
        "starts_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "活动室",
    }
    response = client.post(reverse("theory:lecture_create"), data)
    assert response.status_code == 400
    assert "不属于" in response.content.decode() and not Lecture.objects.exists()


def test_record_page_needs_audience_and_refuses_a_future_lecture(client, district, bob):
    team = make_team(district.east)
    future = make_lecture(team)
    client.force_login(bob)
    response = client.post(reverse("theory:lecture_record", args=[future.pk]), {"audience": 20})
    assert response.status_code == 400 and "还没到" in response.content.decode()
    past = make_lecture(team, starts_at=timezone.now() - timedelta(hours=3))
    response = client.post(reverse("theory:lecture_record", args=[past.pk]), {"audience": ""})
    assert response.status_code == 400 and "请填写受众人数" in response.content.decode()
    response = client.post(reverse("theory:lecture_record", args=[past.pk]), {"audience": "100001"})
    assert response.status_code == 400
    past.refresh_from_db()
    assert past.status == LectureStatus.PLANNED


def test_record_with_a_photo_and_the_photo_is_served_only_in_scope(client, district, bob, charlie):
    lecture = make_lecture(make_team(district.east), starts_at=timezone.now() - timedelta(hours=3))
    client.force_login(bob)
    response = client.post(
        reverse("theory:lecture_record", args=[lecture.pk]), {"audience": "88", "summary": "好", "photos": [jpeg()]}
    )
    assert response.status_code == 302
    photo = LecturePhoto.objects.get()
    url = reverse("theory:lecture_photo", args=[photo.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "lecture-photos" in client.get(reverse("theory:lecture_detail", args=[lecture.pk])).content.decode()
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_cancel_asks_first_and_needs_a_reason(client, district, bob):
    lecture = make_lecture(make_team(district.east))
    client.force_login(bob)
    url = reverse("theory:lecture_cancel", args=[lecture.pk])
    assert "取消原因" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.PLANNED
    assert client.post(url, {"reason": "场地冲突"}).status_code == 302
    lecture.refresh_from_db()
    assert lecture.status == LectureStatus.CANCELLED


# --- Calendar ------------------------------------------------------------------------------------


def test_calendar_shows_the_months_lectures_in_scope(client, district, bob, charlie):
    team = make_team(district.east, level=TeamLevel.ARTS)
    when = timezone.now().replace(day=15, hour=6, minute=0)
    make_lecture(team, topic="十五号的宣讲", starts_at=when)
    make_lecture(team, topic="上个月的宣讲", starts_at=when - timedelta(days=40))
    client.force_login(bob)
    response = client.get(reverse("theory:lecture_calendar"))
    body = response.content.decode()
    assert "十五号的宣讲" in body and "上个月的宣讲" not in body
    assert "text-bg-warning" in body  # the arts level's colour
    previous = response.context["month"].previous.strftime("%Y-%m")
    assert "上个月的宣讲" in client.get(reverse("theory:lecture_calendar"), {"month": previous}).content.decode()
    assert client.get(reverse("theory:lecture_calendar"), {"month": "garbage"}).status_code == 200
    client.force_login(charlie)
    assert "十五号的宣讲" not in client.get(reverse("theory:lecture_calendar")).content.decode()


# --- Requests: public page and staff -----------------------------------------------------------


def request_data(district, **changes) -> dict:
    data = {
        "unit": district.east_community.pk,
        "topic": "民法典与百姓生活",
        "preferred_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "place": "幸福社区活动室",
        "audience_estimate": "50",
        "requester_org": "幸福社区老年协会",
        "requester_name": "王阿姨",
        "requester_phone": "13612345678",
        "consent": "on",
        "hp_started": human_check_token(timezone.now().timestamp() - 30),
    }
    data.update(changes)
    return data


def test_public_request_lists_streets_and_communities_and_shows_a_reference_only(client, district):
    page = client.get(reverse("theory:m_request"))
    body = page.content.decode()
    assert page.status_code == 200 and "幸福社区" in body and "区教育局" not in body
    response = client.post(reverse("theory:m_request"), request_data(district))
    assert response.status_code == 302
    item = LectureRequest.objects.get()
    assert item.unit == district.east_community and item.status == RequestStatus.NEW
    done = client.get(response["Location"]).content.decode()
    assert services.reference(item) in done
    assert "王阿姨" not in done and "13612345678" not in done
    assert Client().get(reverse("theory:m_request_done")).status_code == 302  # another browser: nothing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requester_phone": "12345"}, "手机"),
        ({"preferred_on": "2000-01-01"}, "不能早于今天"),
        ({"consent": ""}, "同意个人信息"),
        ({"topic": ""}, "必填"),
        ({"audience_estimate": "0"}, ""),
    ],
)
def test_public_request_validation(client, district, changes, message):
    response = client.post(reverse("theory:m_request"), request_data(district, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LectureRequest.objects.exists()


def test_public_request_refuses_a_unit_not_offered(client, district):
    response = client.post(reverse("theory:m_request"), request_data(district, unit=district.education.pk))
    assert response.status_code == 400 and not LectureRequest.objects.exists()


def test_public_request_is_rate_limited(client, district, settings):
    assert settings.THEORY_PUBLIC_RATE == "20/m"
    for _n in range(20):
        client.post(reverse("theory:m_request"), request_data(district, topic=""))
    response = client.post(reverse("theory:m_request"), request_data(district))
    assert response.status_code == 429
    assert not LectureRequest.objects.exists()


def test_public_request_needs_csrf(district):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("theory:m_request"), request_data(district))
    assert response.status_code == 403 and not LectureRequest.objects.exists()


def test_staff_assign_schedule_and_record_through_the_pages(client, district, bob, django_capture_on_commit_callbacks):
    item = services.submit_request(
        services.RequestInput(
            unit=district.east_community,
            requester_name="王阿姨",
            requester_phone="13612345678",
            topic="民法典",
            place="活动室",
        )
    )
    team = make_team(district.east, name="东城宣讲队")
    client.force_login(bob)
    detail = client.get(reverse("theory:request_detail", args=[item.pk])).content.decode()
    assert "13612345678" not in detail and "王阿姨" not in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("theory:request_assign", args=[item.pk]), {"team": team.pk})
    assert response.status_code == 302 and len(RecordingGateway.sent) == 1
    start = timezone.localtime() - timedelta(hours=2)
    response = client.post(
        reverse("theory:request_schedule", args=[item.pk]),
        {"topic": "民法典", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "place": "活动室", "event": "德润生日会"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.lecture is not None and item.lecture.unit == district.east_community
    client.post(reverse("theory:lecture_record", args=[item.lecture.pk]), {"audience": "45"})
    item.refresh_from_db()
    assert item.status == RequestStatus.DONE


def test_decline_page(client, district, bob):
    item = LectureRequest.objects.create(
        unit=district.east_community, requester_name="某", requester_phone="13600000000", topic="题", place="x"
    )
    client.force_login(bob)
    url = reverse("theory:request_decline", args=[item.pk])
    assert client.post(url, {"note": ""}).status_code == 400
    assert client.post(url, {"note": "近期排满"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.DECLINED and item.note == "近期排满"


# --- To-dos --------------------------------------------------------------------------------------


def test_todos_count_waiting_requests_and_unrecorded_lectures(district, bob, charlie):
    team = make_team(district.east)
    make_lecture(team, starts_at=timezone.now() - timedelta(days=1))  # past, not recorded
    make_lecture(team)  # future
    make_lecture(team, held=True)
    LectureRequest.objects.create(
        unit=district.east_community, requester_name="某", requester_phone="13600000000", topic="题", place="x"
    )
    found = {item.label: item.count for item in todos(bob)}
    assert found == {"待安排队伍的宣讲点单": 1, "时间已过、尚未登记开展情况的宣讲": 1}
    assert list(todos(charlie)) == []


# --- Edits ---------------------------------------------------------------------------------------


def test_lecturer_edit_keeps_the_phone_when_left_empty(client, district, bob):
    team, lecturer, _lecture = east_records(district)
    client.force_login(bob)
    url = reverse("theory:lecturer_edit", args=[lecturer.pk])
    response = client.post(url, {"team": team.pk, "name": "东城讲师", "title": "宣讲骨干", "phone": "", "active": "on"})
    assert response.status_code == 302
    lecturer.refresh_from_db()
    assert lecturer.phone == "13700001234" and lecturer.title == "宣讲骨干"
    client.post(url, {"team": team.pk, "name": "东城讲师", "phone": "abc", "active": "on"})
    lecturer.refresh_from_db()
    assert lecturer.phone == "13700001234"


def test_team_edit_and_deactivate_with_confirmation(client, district, bob):
    team = make_team(district.east, name="旧名")
    client.force_login(bob)
    response = client.post(
        reverse("theory:team_edit", args=[team.pk]), {"name": "新名", "level": TeamLevel.EXPERTS, "description": ""}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.level) == ("新名", TeamLevel.EXPERTS)
    url = reverse("theory:team_deactivate", args=[team.pk])
    assert "停用后不能再为该队伍安排" in client.get(url).content.decode()
    team.refresh_from_db()
    assert team.active is True  # asking is not doing
    assert client.post(url).status_code == 302
    team.refresh_from_db()
    assert team.active is False


def test_a_held_lecture_is_not_edited(client, district, bob):
    lecture = make_lecture(make_team(district.east), held=True)
    client.force_login(bob)
    response = client.get(reverse("theory:lecture_edit", args=[lecture.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("theory:lecture_detail", args=[lecture.pk])


def test_calendar_level_filter(client, district, bob):
    when = timezone.now().replace(day=10, hour=6, minute=0)
    make_lecture(make_team(district.east, name="文艺队", level=TeamLevel.ARTS), topic="文艺宣讲", starts_at=when)
    make_lecture(make_team(district.east, name="专家队", level=TeamLevel.EXPERTS), topic="专家宣讲", starts_at=when)
    client.force_login(bob)
    body = client.get(reverse("theory:lecture_calendar"), {"level": TeamLevel.EXPERTS}).content.decode()
    assert "专家宣讲" in body and "文艺宣讲" not in body


def test_requester_phone_revealed_only_in_scope_and_logged(client, district, dora, charlie):
    from django.contrib.contenttypes.models import ContentType

    item = LectureRequest.objects.create(
        unit=district.east_community, requester_name="王阿姨", requester_phone="13612345678", topic="题", place="x"
    )
    verified_login(client, dora)
    detail = client.get(reverse("theory:request_detail", args=[item.pk])).content.decode()
    assert "13612345678" not in detail
    kind = ContentType.objects.get_for_model(LectureRequest).pk
    url = reverse("core:pii_reveal", args=[kind, item.pk, "requester_phone"])
    assert url in detail  # the reveal button
    response = client.post(url)
    assert response.status_code == 200 and "13612345678" in response.content.decode()
    assert PersonalDataAccess.objects.filter(field="requester_phone", object_id=str(item.pk)).count() == 1
    verified_login(client, charlie)
    assert client.post(url).status_code in (403, 404)
