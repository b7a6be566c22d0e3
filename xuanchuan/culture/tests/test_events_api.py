"""The events part's API: scoped, paginated, bounded filters (4xx for bad input), staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.culture.models import EventKind, EventStatus
from xuanchuan.culture.tests.factories_events import make_event, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district):
    series = make_series(district.east, name="东城读书月")
    make_series(district.west, name="西城灯会")
    make_event(district.east_community, title="东城读书会", kind=EventKind.READING, series=series, held=True,
               audience=80)  # fmt: skip
    make_event(district.east, title="东城明年演出", starts_at=timezone.now() + timedelta(days=400))
    make_event(district.west, title="西城演出", held=True)
    return series


def test_lists_are_scoped_and_paginated(client, bob, records):
    client.force_login(bob)
    events = client.get(reverse("api:culture_event_list")).json()
    assert {item["title"] for item in events["items"]} == {"东城读书会", "东城明年演出"} and events["count"] == 2
    first = next(item for item in events["items"] if item["title"] == "东城读书会")
    assert first["series_name"] == "东城读书月" and first["kind_label"] == "阅读推广" and first["audience"] == 80
    assert first["place"] == "幸福社区文化广场" and first["unit_name"] == "幸福社区"
    assert len(client.get(reverse("api:culture_event_list"), {"limit": 1}).json()["items"]) == 1
    series = client.get(reverse("api:culture_series_list")).json()
    assert [item["name"] for item in series["items"]] == ["东城读书月"]
    assert series["items"][0]["held_count"] == 1 and series["items"][0]["audience_total"] == 80


def test_filters(client, bob, records):
    client.force_login(bob)
    url = reverse("api:culture_event_list")
    assert [i["title"] for i in client.get(url, {"kind": EventKind.READING}).json()["items"]] == ["东城读书会"]
    assert [i["title"] for i in client.get(url, {"series": records.pk}).json()["items"]] == ["东城读书会"]
    assert [i["title"] for i in client.get(url, {"status": EventStatus.PLANNED}).json()["items"]] == ["东城明年演出"]
    year = timezone.localtime(timezone.now() + timedelta(days=400)).year
    assert [i["title"] for i in client.get(url, {"year": year}).json()["items"]] == ["东城明年演出"]
    assert [i["title"] for i in client.get(url, {"q": "读书"}).json()["items"]] == ["东城读书会"]
    this = timezone.localdate().year
    assert client.get(reverse("api:culture_series_list"), {"year": this + 5}).json()["count"] == 0


@pytest.mark.parametrize("query", [{"year": 1999}, {"kind": "dance"}, {"series": 0}, {"q": "x" * 101}])
def test_bad_filters_are_4xx(client, bob, records, query):
    client.force_login(bob)
    assert client.get(reverse("api:culture_event_list"), query).status_code in (400, 422)


def test_staff_only(client, district, records):
    assert client.get(reverse("api:culture_event_list")).status_code in (401, 403)
    assert client.get(reverse("api:culture_series_list")).status_code in (401, 403)
