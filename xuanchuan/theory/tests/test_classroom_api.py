"""The classroom part of the API: items and categories in scope, filters, pagination, 404 for
another unit's item."""

from __future__ import annotations

import pytest

from xuanchuan.conftest import verified_login
from xuanchuan.theory.tests.factories import AUDIO_M4A, make_category, make_item

pytestmark = pytest.mark.django_db
BASE = "/api/theory/classroom"


def test_items_in_scope_filtered_and_paginated(client, bob, district, django_assert_max_num_queries):
    category = make_category(district.east)
    for number in range(5):
        make_item(category, title=f"东城课{number}", published=number < 3)
    make_item(category, title="东城音频", media=AUDIO_M4A)
    make_item(make_category(district.west), title="西城课")
    verified_login(client, bob)
    with django_assert_max_num_queries(12):
        response = client.get(f"{BASE}/items")
    data = response.json()
    titles = {row["title"] for row in data["items"]}
    assert data["count"] == 6 and "西城课" not in titles
    assert client.get(f"{BASE}/items", {"kind": "audio"}).json()["count"] == 1
    assert client.get(f"{BASE}/items", {"status": "draft"}).json()["count"] == 2
    assert client.get(f"{BASE}/items", {"q": "课3"}).json()["count"] == 1
    assert client.get(f"{BASE}/items", {"category": category.pk}).json()["count"] == 6
    assert len(client.get(f"{BASE}/items", {"limit": 2}).json()["items"]) == 2
    assert client.get(f"{BASE}/items", {"kind": "image"}).status_code == 422
    assert client.get(f"{BASE}/items", {"category": 0}).status_code == 422


def test_item_detail_and_outsider_404(client, bob, charlie, district):
    item = make_item(make_category(district.east), published=False)
    verified_login(client, bob)
    data = client.get(f"{BASE}/items/{item.pk}").json()
    assert data["media_url"] == f"/theory/m/classroom/{item.pk}/media"
    assert data["poster_url"] == "" and data["status"] == "draft" and data["duration_seconds"] == 20
    client.logout()
    verified_login(client, charlie)
    assert client.get(f"{BASE}/items/{item.pk}").status_code == 404
    assert client.get(f"{BASE}/items").json()["count"] == 0
    assert client.get(f"{BASE}/items/99999999999999999999").status_code in (404, 422)


def test_categories(client, bob, district):
    make_category(district.east, "甲")
    make_category(district.west, "乙")
    verified_login(client, bob)
    names = [row["name"] for row in client.get(f"{BASE}/categories").json()["items"]]
    assert names == ["甲"]


def test_anonymous_is_refused(client):
    assert client.get(f"{BASE}/items").status_code in (401, 403)
