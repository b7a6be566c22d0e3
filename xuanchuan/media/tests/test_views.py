"""The outreach pages: entry through the forms, lists with search/filters/export, campaign
totals per unit, outsiders' 404s and query counts that do not grow with the rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xuanchuan.media import services
from xuanchuan.media.models import Episode, ImportLog, Level, Material, MaterialKind, Post, PressArticle
from xuanchuan.media.tests.conftest import PNG, WECHAT_HEADER, WECHAT_ROWS, csv_bytes

DAY = date(2024, 3, 11)


def xlsx_text(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def make_articles(district, bob, count: int, unit=None) -> None:
    for number in range(count):
        services.save_article(
            services.ArticleData(f"稿件{number}", "省日报", Level.PROVINCIAL, DAY, url="https://example.org/"),
            unit=unit or district.east,
            by=bob,
        )


def test_reporter_enters_a_press_article_with_a_clipping(client, district, bob) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("media:article_create"),
        {
            "unit": district.east.pk,
            "title": "东城乡村振兴见报",
            "outlet": "人民日报",
            "level": Level.CENTRAL,
            "published_on": "2024-03-11",
            "topic": "乡村振兴",
            "clipping": SimpleUploadedFile("剪报.png", PNG, "image/png"),
        },
    )
    article = PressArticle.objects.get()
    assert response.status_code == 302 and response.url == article.get_absolute_url()
    page = client.get(article.get_absolute_url())
    assert "东城乡村振兴见报" in page.content.decode() and "剪报.png" in page.content.decode()
    clipping = client.get(reverse("media:article_clipping", args=[article.pk]))
    assert clipping.status_code == 200 and b"".join(clipping.streaming_content).startswith(b"\x89PNG")
    assert clipping["X-Content-Type-Options"] == "nosniff"


def test_a_refused_article_keeps_the_form_and_says_why(client, district, bob) -> None:
    client.force_login(bob)
    data = {"unit": district.east.pk, "title": "无链接", "outlet": "市日报", "level": "municipal"}
    response = client.post(reverse("media:article_create"), {**data, "published_on": "2024-03-11"})
    assert response.status_code == 200
    assert "请填写链接或上传剪报" in response.content.decode()
    response = client.post(reverse("media:article_create"), {**data, "published_on": "不是日期"})
    assert response.status_code == 200 and "有效的日期" in response.content.decode()
    assert not PressArticle.objects.exists()


def test_the_unit_choice_offers_only_units_the_reporter_sees(client, district, bob) -> None:
    client.force_login(bob)
    data = {
        "unit": district.west.pk,
        "title": "越权",
        "outlet": "市日报",
        "level": "municipal",
        "published_on": "2024-03-11",
        "url": "https://example.org/",
    }
    response = client.post(reverse("media:article_create"), data)
    assert response.status_code == 200 and not PressArticle.objects.exists()
    assert "西城街道" not in response.content.decode()


def test_article_list_search_filter_export_and_query_cap(client, district, alice, bob, verified_client) -> None:
    make_articles(district, bob, 3)
    services.save_article(
        services.ArticleData("区级稿件", "区融媒体中心", Level.DISTRICT, DAY, url="https://example.org/d"),
        unit=district.east,
        by=bob,
    )
    client = verified_client(alice)
    url = reverse("media:article_list")
    client.get(url)
    assert client.get(url, {"q": "稿件1"}).context["paginator"].count == 1
    assert client.get(url, {"level": "district"}).context["paginator"].count == 1
    assert client.get(url, {"unit": district.west.pk}).context["paginator"].count == 0
    rows = xlsx_text(client.get(url, {"export": "xlsx", "level": "provincial"}))
    assert rows[0][:3] == ["标题", "媒体", "级别"] and len(rows) == 4
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_articles(district, bob, 20, unit=district.east_community)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["paginator"].count == 24
    assert len(many) == len(few)


def test_article_delete_asks_for_confirmation(client, district, bob, charlie) -> None:
    make_articles(district, bob, 1)
    article = PressArticle.objects.get()
    client.force_login(charlie)
    assert client.get(reverse("media:article_delete", args=[article.pk])).status_code == 404
    assert client.post(reverse("media:article_delete", args=[article.pk])).status_code == 404
    client.force_login(bob)
    page = client.get(reverse("media:article_delete", args=[article.pk]))
    assert "确定要删除" in page.content.decode() and PressArticle.objects.exists()
    client.post(reverse("media:article_delete", args=[article.pk]))
    assert not PressArticle.objects.exists()


def test_programme_page_adds_episodes(client, district, bob) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("media:programme_create"),
        {"unit": district.east.pk, "name": "纵横东城", "station": "区广播电视台", "channel": "综合频道", "kind": "tv"},
    )
    programme_url = response.url
    pk = int(programme_url.rstrip("/").rsplit("/", 1)[-1])
    client.post(
        reverse("media:episode_create", args=[pk]),
        {"aired_on": "2024-03-15", "title": "走进幸福社区", "duration_minutes": "15"},
    )
    page = client.get(programme_url)
    assert "走进幸福社区" in page.content.decode() and Episode.objects.count() == 1
    response = client.post(reverse("media:episode_create", args=[pk]), {"aired_on": "", "title": ""}, follow=True)
    assert "播出日期" in response.content.decode() and Episode.objects.count() == 1
    listing = client.get(reverse("media:programme_list"))
    assert listing.context["rows"][0][1][4] == 1  # its episode count


def test_import_page_imports_and_reports_errors(client, district, bob, wechat) -> None:
    client.force_login(bob)
    url = reverse("media:post_import")
    bad = csv_bytes(WECHAT_HEADER, [WECHAT_ROWS[0].replace(",1530,", ",一千,")])
    response = client.post(url, {"account": wechat.pk, "file": SimpleUploadedFile("bad.csv", bad)}, follow=True)
    assert "第2行“总阅读次数”列（D列）" in response.content.decode()
    assert not Post.objects.exists()
    good = SimpleUploadedFile("已通知内容.xls", csv_bytes(WECHAT_HEADER, WECHAT_ROWS))
    response = client.post(url, {"account": wechat.pk, "file": good}, follow=True)
    assert "新增 3 条" in response.content.decode()
    assert Post.objects.count() == 3 and ImportLog.objects.get().file_name == "已通知内容.xls"
    posts = client.get(reverse("media:post_list"), {"platform": "wechat"})
    assert posts.context["paginator"].count == 3
    log_page = client.get(reverse("media:import_list"))
    assert "已通知内容.xls" in log_page.content.decode()


def test_import_page_only_offers_visible_accounts(client, district, charlie, wechat) -> None:
    client.force_login(charlie)
    data = {"account": wechat.pk, "file": SimpleUploadedFile("a.csv", csv_bytes(WECHAT_HEADER, WECHAT_ROWS))}
    response = client.post(reverse("media:post_import"), data)
    assert response.status_code == 200 and not Post.objects.exists()
    assert client.get(reverse("media:account_detail", args=[wechat.pk])).status_code == 404


def test_campaign_page_totals_per_unit_and_export(
    client, verified_client, district, alice, bob, charlie, dora, campaign
) -> None:
    for unit, person, kind, quantity in (
        (district.east, bob, MaterialKind.BANNER, 12),
        (district.east, bob, MaterialKind.BANNER, 8),
        (district.east_community, dora, MaterialKind.LEAFLET, 3000),
        (district.west, charlie, MaterialKind.SMS, 50000),
    ):
        services.add_material(campaign, unit=unit, kind=kind, quantity=quantity, placed_on=DAY, by=person)
    admin = verified_client(alice)
    response = admin.get(campaign.get_absolute_url())
    rollup = response.context["rollup"]
    kinds = [kind for kind, _label, _unit in rollup.kinds]
    by_unit = {unit.name: dict(zip(kinds, values, strict=True)) for unit, values in rollup.rows}
    assert by_unit["东城街道"]["banner"] == 20 and by_unit["幸福社区"]["leaflet"] == 3000
    assert by_unit["西城街道"]["sms"] == 50000
    totals = dict(zip(kinds, rollup.totals, strict=True))
    assert (totals["banner"], totals["leaflet"], totals["sms"]) == (20, 3000, 50000)
    rows = xlsx_text(admin.get(campaign.get_absolute_url(), {"export": "xlsx"}))
    assert rows[0][0] == "单位" and rows[-1][0] == "合计" and 50000 in rows[-1]
    # charlie sees the campaign, and only his own street's material in it.
    client.force_login(charlie)
    page = client.get(campaign.get_absolute_url())
    assert [unit.name for unit, _values in page.context["rollup"].rows] == ["西城街道"]
    assert "东城街道" not in page.content.decode()


def test_campaign_page_queries_do_not_grow_with_units(verified_client, district, alice, bob, campaign) -> None:
    from xuanchuan.org.models import UnitType
    from xuanchuan.org.services import create_unit

    client = verified_client(alice)
    services.add_material(campaign, unit=district.east, kind="led", quantity=1, placed_on=DAY, by=bob)
    client.get(campaign.get_absolute_url())  # the first request of a session reads a few things once
    with CaptureQueriesContext(connection) as few:
        client.get(campaign.get_absolute_url())
    for number in range(10):
        unit = create_unit(
            parent=district.east, name=f"新社区{number}", unit_type=UnitType.COMMUNITY, code=f"N{number}"
        )
        services.add_material(campaign, unit=unit, kind="banner", quantity=2, placed_on=DAY, by=bob)
    with CaptureQueriesContext(connection) as many:
        response = client.get(campaign.get_absolute_url())
    assert len(response.context["rollup"].rows) == 11
    assert len(many) == len(few)


def test_reporter_enters_material_on_the_campaign_page(client, district, bob, campaign) -> None:
    client.force_login(bob)
    url = reverse("media:material_create", args=[campaign.pk])
    response = client.post(
        url,
        {"unit": district.east.pk, "kind": "banner", "quantity": "30", "placed_on": "2024-03-11", "again": "1"},
    )
    assert response.status_code == 302 and response.url == url
    response = client.post(
        url, {"unit": district.east.pk, "kind": "banner", "quantity": "-4", "placed_on": "2024-03-11"}
    )
    assert response.status_code == 200 and Material.objects.count() == 1
    assert "大于或等于" in response.content.decode()
    material = Material.objects.get()
    assert client.get(reverse("media:material_delete", args=[material.pk])).status_code == 200
    client.post(reverse("media:material_delete", args=[material.pk]))
    assert not Material.objects.exists()


def test_only_the_department_sets_up_a_campaign_through_the_page(client, verified_client, alice, bob) -> None:
    client.force_login(bob)
    assert client.get(reverse("media:campaign_create")).status_code == 403
    admin = verified_client(alice)
    response = admin.post(reverse("media:campaign_create"), {"name": "文明城市创建宣传", "starts_on": "2024-01-01"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name",
    ["media:article_list", "media:programme_list", "media:account_list", "media:post_list", "media:campaign_list",
     "media:material_list", "media:import_list", "media:article_create", "media:post_import"],
)  # fmt: skip
def test_pages_answer_for_a_reporter(client, district, bob, name) -> None:
    client.force_login(bob)
    assert client.get(reverse(name)).status_code == 200


def test_pages_need_sign_in(client) -> None:
    assert client.get(reverse("media:article_list")).status_code == 302


def test_a_running_campaign_waits_on_the_home_page_until_the_unit_reports(district, bob, campaign) -> None:
    from xuanchuan.core.navigation import todos_for

    def labels() -> list[str]:
        return [todo.label for todo in todos_for(bob) if "宣传活动" in todo.label]

    assert labels() == ["宣传活动“新冠肺炎疫情防控宣传”：本单位尚未登记投放的宣传品"]
    services.add_material(campaign, unit=district.east, kind="banner", quantity=3, placed_on=DAY, by=bob)
    assert labels() == []


def test_navigation_shows_the_module(client, district, bob) -> None:
    client.force_login(bob)
    page = client.get("/").content.decode()
    assert reverse("media:article_list") in page and "新闻宣传" in page


def test_material_and_episode_lists_link_to_deletion(client, district, bob, campaign) -> None:
    material = services.add_material(
        campaign, unit=district.east, kind="banner", quantity=3, placed_on=DAY, by=bob,
        photo=SimpleUploadedFile("p.png", PNG, "image/png"),
    )  # fmt: skip
    programme = services.create_programme(unit=district.east, name="纵横东城", station="区广播电视台", by=bob)
    episode = services.add_episode(programme, aired_on=DAY, title="第一期", by=bob)
    client.force_login(bob)
    page = client.get(reverse("media:material_list"), {"campaign": campaign.pk}).content.decode()
    assert reverse("media:material_delete", args=[material.pk]) in page
    assert reverse("media:material_photo", args=[material.pk]) in page
    photo = client.get(reverse("media:material_photo", args=[material.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    page = client.get(programme.get_absolute_url()).content.decode()
    assert reverse("media:episode_delete", args=[episode.pk]) in page
