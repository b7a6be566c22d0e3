"""数据看板 in a real browser on the small demo: ECharts draws under the site's CSP, 导出图片 saves a PNG.

(Kept beside the other browser tests because the ``browser``/``page`` fixtures live in this folder's
conftest; the dashboards' own tests are in ``xuanchuan/reports/tests/test_dashboards.py``.)
"""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from xuanchuan.core.tests.browser.test_pii_reveal import signed_in_cookie
from xuanchuan.org.models import User

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_overview_and_a_module_dashboard_draw_and_export(page, live_server, screenshot_dir, tmp_path) -> None:
    cache.clear()
    # A transactional test elsewhere on this worker may have flushed the roles the migrations made.
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())
    admin = User.objects.get(username="xcb_admin")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.context.add_cookies([{**signed_in_cookie(admin), "url": live_server.url}])

    page.goto(live_server.url + reverse("reports:dashboard"))
    charts = page.locator(".dashboard-chart")
    assert charts.count() >= 6
    for index in range(charts.count()):
        charts.nth(index).locator("canvas").wait_for(state="attached")
    assert page.locator(".dashboard-chart canvas").count() == charts.count()
    assert "数据看板" in page.title()
    assert page.locator("#dashboard-kpis .card").count() >= 6
    page.screenshot(path=str(screenshot_dir / "dashboard-overview.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator('.dashboard-png[data-chart="trend-arrivals-registrations"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(PNG_SIGNATURE) and len(content) > 5_000
    (screenshot_dir / "dashboard-exported-chart.png").write_bytes(content)

    # The Excel link of a chart answers a workbook.
    href = page.locator('.dashboard-xlsx[href*="chart=trend-arrivals-registrations"]').get_attribute("href")
    response = page.request.get(live_server.url + reverse("reports:dashboard") + href)
    assert response.status == 200 and response.headers["content-type"].startswith("application/vnd.openxmlformats")

    page.locator("#dashboard-modules").get_by_role("link", name="疫情上报管理").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(reverse("reports:dashboard_module", args=["outbreak"]))
    charts = page.locator(".dashboard-chart")
    assert charts.count() >= 6
    for index in range(charts.count()):
        charts.nth(index).locator("canvas").wait_for(state="attached")
    page.screenshot(path=str(screenshot_dir / "dashboard-outbreak.png"), full_page=True)

    # A click on a point of the chart opens the records behind it: this year's highest month.
    page.locator('.dashboard-chart[data-chart="trend-outbreak-reports_submitted"]').scroll_into_view_if_needed()
    point = page.evaluate(
        """() => {
            const element = document.querySelector('.dashboard-chart[data-chart="trend-outbreak-reports_submitted"]');
            const chart = echarts.getInstanceByDom(element);
            const data = chart.getOption().series[0].data;
            const index = data.indexOf(Math.max(...data.filter((value) => value !== null)));
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [index, data[index]]);
            const box = element.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y, month: index + 1};
        }"""
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert reverse("reports:figure_detail", args=["outbreak.reports_submitted"]) in page.url
    assert f"-{point['month']:02d}" in page.url
    assert page.locator("#figure-value").inner_text() != "0"
    assert not problems, problems
