"""The media API: scoped lists, campaign totals, bounded parameters (4xx, never 500)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from xuanchuan.media import api, services
from xuanchuan.media.models import Level, MaterialKind, Platform
from xuanchuan.media.tests.conftest import WECHAT_HEADER, WECHAT_ROWS, csv_bytes

DAY = date(2024, 3, 11)


def test_lists_are_scoped(client, district, bob, charlie, wechat) -> None:
    services.save_article(
        services.ArticleData("东城稿件", "省日报", Level.PROVINCIAL, DAY, url="https://example.org/"),
        unit=district.east,
        by=bob,
    )
    services.import_export(wechat, csv_bytes(WECHAT_HEADER, WECHAT_ROWS), file_name="a.csv", by=bob)
    client.force_login(bob)
    articles = client.get(reverse("api:media_articles"), {"level": "provincial", "year": 2024}).json()
    assert articles["count"] == 1 and articles["items"][0]["title"] == "东城稿件"
    posts = client.get(reverse("api:media_posts"), {"platform": "wechat", "account": wechat.pk}).json()
    assert posts["count"] == 3
    client.force_login(charlie)
    assert client.get(reverse("api:media_articles")).json()["count"] == 0
    assert client.get(reverse("api:media_posts")).json()["count"] == 0


def test_campaign_totals(client, district, bob, charlie, campaign) -> None:
    services.add_material(campaign, unit=district.east, kind=MaterialKind.LED, quantity=7, placed_on=DAY, by=bob)
    services.add_material(campaign, unit=district.west, kind=MaterialKind.LED, quantity=2, placed_on=DAY, by=charlie)
    client.force_login(bob)
    url = reverse("api:media_campaign_totals", kwargs={"campaign_id": campaign.pk})
    body = client.get(url).json()
    assert body["totals"]["led"] == 7 and [u["unit_name"] for u in body["units"]] == ["东城街道"]
    client.force_login(charlie)
    assert client.get(url).json()["totals"]["led"] == 2


def test_bad_parameters_are_4xx(client, bob) -> None:
    client.force_login(bob)
    assert client.get(reverse("api:media_articles"), {"level": "galactic"}).status_code == 422
    assert client.get(reverse("api:media_articles"), {"year": 99999}).status_code == 422
    assert client.get(reverse("api:media_posts"), {"account": -1}).status_code == 422
    url = reverse("api:media_campaign_totals", kwargs={"campaign_id": 999999})
    assert client.get(url).status_code == 404


def test_the_api_codes_are_the_models_codes() -> None:
    assert set(api.LevelCode.__args__) == set(Level.values)
    assert set(api.PlatformCode.__args__) == set(Platform.values)
