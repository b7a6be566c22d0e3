"""The works part's API: scoped, paginated, bounded filters, 4xx for bad input, authors masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.culture.models import CallStatus, SubmissionStatus
from xuanchuan.culture.tests.factories_works import make_call, make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district):
    east = make_call(district.east, title="东城剪纸")
    make_call(district.east, title="东城草稿", status=CallStatus.DRAFT)
    west = make_call(district.west, title="西城书画")
    make_submission(east, title="东城作品")
    make_submission(east, title="东城入选", status=SubmissionStatus.ACCEPTED)
    make_submission(west, title="西城作品")
    return east, west


def test_calls_are_scoped_paginated_and_filtered(client, bob, records):
    client.force_login(bob)
    calls = client.get(reverse("api:culture_call_list")).json()
    assert {item["title"] for item in calls["items"]} == {"东城剪纸", "东城草稿"} and calls["count"] == 2
    page = client.get(reverse("api:culture_call_list"), {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["count"] == 2
    drafts = client.get(reverse("api:culture_call_list"), {"status": "draft"}).json()
    assert [item["title"] for item in drafts["items"]] == ["东城草稿"]
    east = next(item for item in calls["items"] if item["title"] == "东城剪纸")
    assert (east["received"], east["pending"], east["accepted"]) == (2, 1, 1) and east["unit_name"] == "东城街道"


def test_submissions_masked_and_scoped(client, bob, records):
    east, west = records
    client.force_login(bob)
    url = reverse("api:culture_call_submissions", kwargs={"call_id": east.pk})
    body = client.get(url)
    data = body.json()
    assert data["count"] == 2 and {item["title"] for item in data["items"]} == {"东城作品", "东城入选"}
    text = body.content.decode()
    assert "13912345678" not in text and "王小红" not in text
    assert data["items"][0]["author_phone_masked"].endswith("5678") and data["items"][0]["public_name"] == "巧手红"
    accepted = client.get(url, {"status": "accepted"}).json()
    assert [item["title"] for item in accepted["items"]] == ["东城入选"]
    assert client.get(reverse("api:culture_call_submissions", kwargs={"call_id": west.pk})).status_code == 404
    assert client.get(reverse("api:culture_call_submissions", kwargs={"call_id": 10**17})).status_code == 404


def test_bad_input_and_roles(client, district, bob, dora, records):
    client.force_login(bob)
    for query in ({"year": 1800}, {"status": "nonsense"}, {"unit": 0}, {"limit": 0}, {"q": "x" * 101}):
        assert client.get(reverse("api:culture_call_list"), query).status_code in (400, 422), query
    assert client.get(reverse("api:culture_call_list"), {"unit": district.west.pk}).status_code == 404
    client.logout()
    assert client.get(reverse("api:culture_call_list")).status_code in (401, 403)
    from xuanchuan.conftest import verified_login

    verified_login(client, dora)
    assert client.get(reverse("api:culture_call_list")).status_code == 403
