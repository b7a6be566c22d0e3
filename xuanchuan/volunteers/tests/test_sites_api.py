"""The sites part's API: scoped, paginated, bounded filters, 4xx for bad input, no personal data."""

import pytest
from django.urls import reverse

from xuanchuan.volunteers.models import SiteLevel
from xuanchuan.volunteers.services import sites as services
from xuanchuan.volunteers.tests.factories import make_team, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(district, alice, bob):
    for unit, level in ((district.east, SiteLevel.INSTITUTE), (district.west, SiteLevel.INSTITUTE)):
        services.save_site(None, unit=unit, level=level, name=f"{unit.name}所", address="路", by=alice)
    east_brand = services.save_brand(None, unit=district.east, name="理论宣讲", by=alice)
    services.save_brand(None, unit=district.west, name="西城品牌", by=alice)
    team = make_team(district.east_community, "幸福队", brand=east_brand)
    make_team(district.west_community, "和平队")
    membership = services.add_member(team, make_volunteer(district.east_community, 1, name="王小明"), by=bob)
    services.set_leader(membership, by=bob)
    services.add_member(team, make_volunteer(district.east_community, 2), by=bob)
    return team


def test_lists_are_scoped_and_paginated(client, bob, records):
    client.force_login(bob)
    sites = client.get(reverse("api:volunteers_site_list")).json()
    assert [item["name"] for item in sites["items"]] == ["东城街道所"] and sites["count"] == 1
    brands = client.get(reverse("api:volunteers_brand_list")).json()
    assert [item["name"] for item in brands["items"]] == ["理论宣讲"]
    teams = client.get(reverse("api:volunteers_team_list"), {"limit": 1}).json()
    assert teams["count"] == 1 and teams["items"][0]["member_count"] == 2
    assert teams["items"][0]["brand_name"] == "理论宣讲"
    assert client.get(reverse("api:volunteers_site_list"), {"level": "station"}).json()["count"] == 0


def test_team_detail_counts_members_without_personal_data(client, bob, charlie, records):
    client.force_login(bob)
    response = client.get(reverse("api:volunteers_team_detail", kwargs={"team_id": records.pk}))
    body = response.json()
    assert body["member_count"] == 2 and body["has_leader"] is True
    assert "王小明" not in response.content.decode() and "volunteer" not in response.content.decode()
    client.force_login(charlie)
    assert client.get(reverse("api:volunteers_team_detail", kwargs={"team_id": records.pk})).status_code == 404


def test_bad_filters_are_4xx(client, district, bob, records):
    client.force_login(bob)
    url = reverse("api:volunteers_team_list")
    assert client.get(url, {"unit": district.west.pk}).status_code == 404
    assert client.get(url, {"unit": 0}).status_code in (400, 422)
    assert client.get(url, {"brand": "x"}).status_code in (400, 422)
    assert client.get(url, {"q": "q" * 101}).status_code in (400, 422)
    assert client.get(reverse("api:volunteers_site_list"), {"level": "planet"}).status_code in (400, 422)
    assert client.get(url, {"unit": district.east_community.pk}).json()["count"] == 1
    assert client.get(url, {"dissolved": "true"}).json()["count"] == 0


def test_signed_out_is_refused(client, records):
    assert client.get(reverse("api:volunteers_site_list")).status_code in (401, 403)
