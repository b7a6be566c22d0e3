"""The outlet registry's API: scoped lists with bounded filters, one outlet with its columns."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.publishing.models import OutletKind
from xuanchuan.publishing.services import outlets as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlets(district, bob, charlie):
    east = services.create_outlet(
        by=bob, unit=district.east, name="东城发布", kind=OutletKind.WECHAT, registered_on=date(2022, 1, 1)
    )
    services.create_column(east, by=bob, name="街道动态", position=2)
    services.create_column(east, by=bob, name="新时代文明实践", is_topic=True, position=1)
    community = services.create_outlet(by=bob, unit=district.east_community, name="幸福抖音", kind=OutletKind.DOUYIN)
    services.note_published([community.pk], timezone.localdate())
    west = services.create_outlet(by=charlie, unit=district.west, name="西城发布", kind=OutletKind.WECHAT)
    return east, community, west


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_the_list_is_scoped_and_filtered(client, district, bob, outlets) -> None:
    client.force_login(bob)
    url = reverse("api:publishing_outlet_list")
    assert names(client.get(url)) == {"东城发布", "幸福抖音"}
    assert names(client.get(url, {"kind": "douyin"})) == {"幸福抖音"}
    assert names(client.get(url, {"stale": "true"})) == {"东城发布"}
    assert names(client.get(url, {"stale": "false"})) == {"幸福抖音"}
    assert names(client.get(url, {"unit": district.east_community.pk})) == {"幸福抖音"}
    assert names(client.get(url, {"q": "社区"})) == {"幸福抖音"}  # the unit's name counts too
    assert names(client.get(url, {"status": "closed"})) == set()
    item = next(row for row in client.get(url).json()["items"] if row["name"] == "东城发布")
    assert item["kind_label"] == "微信公众号" and item["unit_name"] == "东城街道" and item["is_stale"] is True


def test_bad_or_foreign_filters_are_refused(client, district, bob, outlets) -> None:
    client.force_login(bob)
    url = reverse("api:publishing_outlet_list")
    assert client.get(url, {"kind": "fax"}).status_code == 422
    assert client.get(url, {"unit": 0}).status_code == 422
    assert client.get(url, {"q": "x" * 101}).status_code == 422
    assert client.get(url, {"unit": district.west.pk}).status_code == 404


def test_one_outlet_with_its_columns(client, bob, charlie, outlets) -> None:
    east = outlets[0]
    client.force_login(bob)
    response = client.get(reverse("api:publishing_outlet_detail", kwargs={"outlet_id": east.pk}))
    assert response.status_code == 200
    data = response.json()
    assert [column["name"] for column in data["columns"]] == ["新时代文明实践", "街道动态"]
    assert data["columns"][0]["is_topic"] is True
    client.force_login(charlie)
    assert client.get(reverse("api:publishing_outlet_detail", kwargs={"outlet_id": east.pk})).status_code == 404


def test_signed_out_callers_get_nothing(client, outlets) -> None:
    assert client.get(reverse("api:publishing_outlet_list")).status_code in (401, 403)
