"""The lectures part's API: scoped, paginated, bounded filters, 4xx for bad input, no personal data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.theory.models import LectureStatus, TeamLevel
from xuanchuan.theory.tests.factories import make_lecture, make_lecturer, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district):
    east = make_team(district.east, name="东城轻骑兵", level=TeamLevel.ARTS)
    west = make_team(district.west, name="西城故事队", level=TeamLevel.PEOPLE)
    lecturer = make_lecturer(east, name="王宣讲", title="社区书记", phone="13700001234")
    held = make_lecture(east, topic="东城已开展", held=True, unit=district.east_community)
    held.lecturers.set([lecturer])
    make_lecture(east, topic="东城计划", starts_at=timezone.now() + timedelta(days=400))
    make_lecture(west, topic="西城宣讲")
    return held


def test_lists_are_scoped_and_paginated(client, bob, records):
    client.force_login(bob)
    lectures = client.get(reverse("api:theory_lecture_list")).json()
    assert {item["topic"] for item in lectures["items"]} == {"东城已开展", "东城计划"} and lectures["count"] == 2
    page = client.get(reverse("api:theory_lecture_list"), {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["count"] == 2
    teams = client.get(reverse("api:theory_team_list")).json()
    assert [item["name"] for item in teams["items"]] == ["东城轻骑兵"]
    assert teams["items"][0]["lecturer_count"] == 1 and teams["items"][0]["level_label"] == "红色文艺轻骑兵"


def test_filters(client, district, bob, records):
    client.force_login(bob)
    url = reverse("api:theory_lecture_list")
    assert [i["topic"] for i in client.get(url, {"status": LectureStatus.HELD}).json()["items"]] == ["东城已开展"]
    assert client.get(url, {"level": TeamLevel.PEOPLE}).json()["count"] == 0
    assert client.get(url, {"unit": district.east_community.pk}).json()["count"] == 1
    assert client.get(url, {"year": timezone.localdate().year - 1}).json()["count"] == 0
    assert client.get(url, {"q": "计划"}).json()["count"] == 1


def test_detail_has_lecturers_without_phone_and_is_404_outside(client, bob, charlie, records):
    client.force_login(bob)
    response = client.get(reverse("api:theory_lecture_detail", kwargs={"lecture_id": records.pk}))
    body = response.json()
    assert body["lecturers"] == [{"id": records.lecturers.get().pk, "name": "王宣讲", "title": "社区书记"}]
    assert body["audience"] == 60 and "13700001234" not in response.content.decode()
    client.force_login(charlie)
    assert client.get(reverse("api:theory_lecture_detail", kwargs={"lecture_id": records.pk})).status_code == 404


def test_bad_filters_are_4xx(client, district, bob, records):
    client.force_login(bob)
    url = reverse("api:theory_lecture_list")
    assert client.get(url, {"unit": district.west.pk}).status_code == 404
    assert client.get(url, {"unit": 0}).status_code in (400, 422)
    assert client.get(url, {"team": "x"}).status_code in (400, 422)
    assert client.get(url, {"year": 99999}).status_code in (400, 422)
    assert client.get(url, {"q": "q" * 101}).status_code in (400, 422)
    assert client.get(url, {"status": "planet"}).status_code in (400, 422)
    assert client.get(reverse("api:theory_team_list"), {"level": "planet"}).status_code in (400, 422)


def test_signed_out_is_refused(client, records):
    assert client.get(reverse("api:theory_lecture_list")).status_code in (401, 403)
