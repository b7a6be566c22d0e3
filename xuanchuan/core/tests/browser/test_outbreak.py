"""疫情日报 in a real browser: a unit reporter files the daily report, and the district's roll-up
draws its charts from the JSON element with the vendored ECharts (no inline script, CSP enforced).

Uses the shared ``page`` and ``screenshot_dir`` fixtures of this folder's conftest; the app's own
tests are in ``xuanchuan/outbreak/tests``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.conftest import PASSWORD
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport
from xuanchuan.outbreak.tests.conftest import DAY, at, create_form

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reporter_files_and_sees_the_trend(
    page, live_server, screenshot_dir, district, bob, charlie, monkeypatch
) -> None:
    monkeypatch.setattr(services, "now", lambda: at(DAY, 9, 15))
    form = create_form(district)
    values = {indicator.pk: 3 for indicator in form.indicators.all()}
    services.submit_report(form=form, unit=district.west, day=DAY, values=values, by=charlie, at=at(DAY, 8))
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}{reverse('outbreak:board')}?form={form.pk}&end={DAY:%Y-%m-%d}")
    assert page.locator("#count-missing").inner_text() == "2"
    page.screenshot(path=str(screenshot_dir / "outbreak-board-browser.png"), full_page=True)
    page.locator("#board-table a", has_text="填报").first.click()
    page.wait_for_load_state("networkidle")
    for index, field in enumerate(page.locator("#entry-form input[type=number]").all()):
        field.fill(str(10 + index))
    page.click("#submit-report")
    page.wait_for_load_state("networkidle")
    assert "已上报" in page.content()
    page.goto(f"{live_server.url}{reverse('outbreak:rollup')}?form={form.pk}&start=2026-03-04&end={DAY:%Y-%m-%d}")
    page.wait_for_selector("#trend-chart canvas")
    page.wait_for_selector("#rate-chart canvas")
    page.screenshot(path=str(screenshot_dir / "outbreak-rollup-browser.png"), full_page=True)

    report = DailyReport.objects.get(unit=district.east, day=DAY)
    assert sorted(report.values.values_list("value", flat=True)) == [10, 11, 12]
    assert not problems, problems
