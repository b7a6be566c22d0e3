"""The problems API: list and one problem in scope, recording with a client_key stored once."""

from __future__ import annotations

import uuid

from django.urls import reverse

from xuanchuan.civility.models import Problem
from xuanchuan.civility.services import problems as services
from xuanchuan.civility.tests import test_problems_services as base

inspector, category, place = base.inspector, base.category, base.place


def test_record_list_and_detail(client, inspector, category, place, charlie):
    client.force_login(inspector)
    url = reverse("api:civility_problem_list")
    key = str(uuid.uuid4())
    body = {"category": category.pk, "description": "广告牌破损", "place": place.pk, "client_key": key}
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Problem.objects.count() == 1
    listed = client.get(url, {"status": "open"}).json()
    assert listed["count"] == 1 and listed["items"][0]["public_id"] == first.json()["public_id"]
    detail = reverse("api:civility_problem_detail", kwargs={"problem_id": first.json()["id"]})
    assert client.get(detail).json()["category"] == category.name
    client.force_login(charlie)
    assert client.get(detail).status_code == 404
    assert client.get(url).json()["count"] == 0


def test_bad_input_is_4xx(client, inspector, category, bob):
    client.force_login(inspector)
    url = reverse("api:civility_problem_list")
    assert (
        client.post(
            url, {"category": 999999, "description": "x", "address": "y"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(url, {"category": category.pk, "description": "x"}, content_type="application/json").status_code
        == 400
    )
    assert client.post(
        url,
        {"category": category.pk, "description": "x", "address": "y", "latitude": 100},
        content_type="application/json",
    ).status_code in (400, 422)
    assert client.get(url, {"found_from": "nope"}).status_code in (400, 422)
    client.force_login(bob)
    assert (
        client.post(
            url, {"category": category.pk, "description": "x", "address": "y"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_photo_count(client, inspector, category, place, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuanchuan.civility.tests.test_photos import jpeg

    settings.MEDIA_ROOT = tmp_path
    problem = services.record_problem(
        by=inspector,
        category=category,
        place=place,
        description="x",
        photos=[SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")],
    )
    client.force_login(inspector)
    assert (
        client.get(reverse("api:civility_problem_detail", kwargs={"problem_id": problem.pk})).json()["photo_count"] == 1
    )
