"""A unit reporter files the daily report in a real browser; the district's roll-up draws its
charts from the JSON element with the vendored ECharts (no inline script, CSP enforced).

Chromium runs in a thread of its own: the platform's session-wide browser fixture lives in
``core/tests/browser`` and Playwright's sync API allows one instance per thread, so this test
neither depends on that fixture nor disturbs it when both run in one worker.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from xuanchuan.conftest import PASSWORD
from xuanchuan.core.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport
from xuanchuan.outbreak.tests.conftest import DAY, at

# live_server serves from another thread, so the data must be committed (transaction=True).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM}"),
]


def screenshot_dir() -> Path:
    directory = Path(os.environ.get("XUANCHUAN_SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "var" / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def in_browser(steps: Callable) -> list[str]:
    """Run ``steps(page)`` in a fresh chromium in its own thread; returns the page's errors."""
    outcome: dict[str, object] = {"errors": []}

    def run() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
                context.set_default_timeout(15_000)
                page = context.new_page()
                page.on("pageerror", lambda error: outcome["errors"].append(str(error)))
                page.on("console", lambda m: outcome["errors"].append(m.text) if m.type == "error" else None)
                steps(page)
                browser.close()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["exception"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if "exception" in outcome:
        raise outcome["exception"]  # type: ignore[misc]
    return outcome["errors"]  # type: ignore[return-value]


def test_reporter_files_and_sees_the_trend(live_server, form, district, bob, charlie, monkeypatch) -> None:
    monkeypatch.setattr(services, "now", lambda: at(DAY, 9, 15))
    values = {indicator.pk: 3 for indicator in form.indicators.all()}
    services.submit_report(form=form, unit=district.west, day=DAY, values=values, user=charlie, at=at(DAY, 8))
    shots = screenshot_dir()
    board = f"{live_server.url}{reverse('outbreak:board')}?form={form.pk}&end={DAY:%Y-%m-%d}"
    rollup = f"{live_server.url}{reverse('outbreak:rollup')}?form={form.pk}&start=2026-03-04&end={DAY:%Y-%m-%d}"
    seen: dict[str, str] = {}

    def steps(page) -> None:
        page.goto(live_server.url + reverse("accounts:login"))
        page.fill("#id_username", "bob")
        page.fill("#id_password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_load_state("networkidle")
        page.goto(board)
        seen["missing"] = page.locator("#count-missing").inner_text()
        page.screenshot(path=str(shots / "outbreak-board-browser.png"), full_page=True)
        page.locator("#board-table a", has_text="填报").first.click()
        page.wait_for_load_state("networkidle")
        for index, field in enumerate(page.locator("#entry-form input[type=number]").all()):
            field.fill(str(10 + index))
        page.click("#submit-report")
        page.wait_for_load_state("networkidle")
        seen["after_submit"] = page.content()
        page.goto(rollup)
        page.wait_for_selector("#trend-chart canvas")
        page.wait_for_selector("#rate-chart canvas")
        page.screenshot(path=str(shots / "outbreak-rollup-browser.png"), full_page=True)

    errors = in_browser(steps)
    assert seen["missing"] == "2"
    assert "已上报" in seen["after_submit"]
    report = DailyReport.objects.get(unit=district.east, day=DAY)
    assert sorted(report.values.values_list("value", flat=True)) == [10, 11, 12]
    assert not errors, errors
