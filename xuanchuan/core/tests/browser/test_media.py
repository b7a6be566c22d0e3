"""新闻宣传 in a real browser: a street reporter enters the material put up for a campaign (on a
phone) and a press article; the department imports a WeChat export and reads the campaign's
totals per unit. The app's own tests are in ``xuanchuan/media/tests``."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.media import services
from xuanchuan.media.models import Material, Post, PressArticle
from xuanchuan.media.tests.conftest import PNG, WECHAT_HEADER, WECHAT_ROWS, csv_bytes

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


def test_street_reporter_enters_campaign_material_on_a_phone_and_a_press_article(
    phone_page, page, live_server, screenshot_dir, district, alice, bob, tmp_path
) -> None:
    campaign = services.create_campaign(name="新冠肺炎疫情防控宣传", starts_on=date(2024, 1, 1), by=alice)
    problems = _watch(phone_page)
    phone_page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    phone_page.goto(live_server.url + reverse("media:campaign_detail", args=[campaign.pk]))
    phone_page.click("#add-material")
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("#id_unit").input_value() == str(district.east.pk)
    phone_page.select_option("#id_kind", "banner")
    phone_page.fill("#id_quantity", "35")
    phone_page.fill("#id_placed_on", "2024-03-11")
    phone_page.fill("#id_note", "幸福路沿线")
    photo = tmp_path / "横幅.png"
    photo.write_bytes(PNG)
    phone_page.set_input_files("#id_photo", str(photo))
    phone_page.screenshot(path=str(screenshot_dir / "media-material-phone.png"), full_page=True)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the entry form is wider than the phone ({width}px)"
    phone_page.click("#save")
    phone_page.wait_for_load_state("networkidle")
    assert "已登记" in phone_page.content()
    assert phone_page.locator("#campaign-totals tbody tr").first.inner_text().split()[:1] == ["东城街道"]
    phone_page.screenshot(path=str(screenshot_dir / "media-campaign-phone.png"), full_page=True)
    material = Material.objects.get()
    assert (material.unit, material.quantity, material.kind) == (district.east, 35, "banner") and material.photo

    problems += _watch(page)
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("media:article_list"))
    page.click("text=登记见报稿件")
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "东城街道：新时代文明实践点亮百姓生活")
    page.fill("#id_outlet", "省日报")
    page.select_option("#id_level", "provincial")
    page.fill("#id_published_on", "2024-03-12")
    page.fill("#id_topic", "新时代文明实践")
    page.select_option("#id_campaign", str(campaign.pk))
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "请填写链接或上传剪报" in page.content()  # refused, the form kept
    assert page.locator("#id_title").input_value() == "东城街道：新时代文明实践点亮百姓生活"
    page.fill("#id_url", "https://example.org/news/1")
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "已保存" in page.content()
    page.screenshot(path=str(screenshot_dir / "media-article.png"), full_page=True)
    article = PressArticle.objects.get()
    assert (article.level, article.campaign, article.unit) == ("provincial", campaign, district.east)
    assert not problems, problems


def test_department_imports_a_wechat_export_and_reads_the_campaign_totals(
    page, live_server, screenshot_dir, district, alice, bob, charlie, tmp_path
) -> None:
    campaign = services.create_campaign(name="新冠肺炎疫情防控宣传", starts_on=date(2024, 1, 1), by=alice)
    for unit, person, kind, quantity in (
        (district.east, bob, "led", 12),
        (district.east, bob, "leaflet", 20000),
        (district.west, charlie, "led", 8),
        (district.west, charlie, "sms", 50000),
    ):
        services.add_material(campaign, unit=unit, kind=kind, quantity=quantity, placed_on=date(2024, 3, 1), by=person)
    account = services.create_account(unit=district.publicity, name="示范宣传", platform="wechat", by=alice)
    problems = _watch(page)
    page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.goto(live_server.url + reverse("media:account_list"))
    page.click("#import-link")
    page.wait_for_load_state("networkidle")
    page.select_option("#id_account", str(account.pk))
    bad = tmp_path / "坏文件.xls"
    bad.write_bytes(csv_bytes(WECHAT_HEADER, [WECHAT_ROWS[0].replace(",1530,", ",一千五,")]))
    page.set_input_files("#id_file", str(bad))
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "第2行“总阅读次数”列（D列）" in page.content()
    page.screenshot(path=str(screenshot_dir / "media-import-refused.png"), full_page=True)
    good = tmp_path / "已通知内容.xls"
    good.write_bytes(csv_bytes(WECHAT_HEADER, WECHAT_ROWS))
    page.select_option("#id_account", str(account.pk))
    page.set_input_files("#id_file", str(good))
    page.click("#save")
    page.wait_for_load_state("networkidle")
    assert "新增 3 条" in page.content()
    assert "共 3 条发布" in page.locator("#account-totals").inner_text()
    page.screenshot(path=str(screenshot_dir / "media-account.png"), full_page=True)
    assert Post.objects.count() == 3

    page.goto(live_server.url + reverse("media:campaign_detail", args=[campaign.pk]))
    footer = page.locator("#campaign-totals tfoot tr").inner_text().split()
    assert footer[0] == "合计" and footer[1] == "20"  # LED screens of both streets
    assert "50000" in footer and "20000" in footer
    assert page.locator("#campaign-totals tbody tr").count() == 2
    page.screenshot(path=str(screenshot_dir / "media-campaign-totals.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not problems, problems
