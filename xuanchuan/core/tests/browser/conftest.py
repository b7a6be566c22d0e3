"""Browser tests: Debian's chromium driven by Playwright's sync API against pytest-django's live server.

Only the chromium at /usr/bin/chromium is used; Playwright never downloads a browser here. Where it
is missing (``apt-get install chromium fonts-noto-cjk``) every browser test is skipped.
Screenshots go to ``var/screenshots/`` (override with ``XUANCHUAN_SCREENSHOT_DIR``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # This machine's network is closed: without these chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread while it is started,
    # so Django would take every ORM call made meanwhile (the test's set-up, the flush after it) for
    # one made from async code. Allowed for as long as Playwright runs, then put back.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A fresh browser context (no cookies) with a desktop-sized window, in Chinese."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    """A fresh browser context the size of a phone (390×844, touch, high density)."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    directory = Path(os.environ.get("XUANCHUAN_SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "var" / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def signed_in_cookie(user: Any) -> dict[str, str]:
    """A session that has passed the second factor, as a cookie for the browser (add it with
    ``page.context.add_cookies([{**signed_in_cookie(user), "url": live_server.url}])``)."""
    from django.test import Client

    from xuanchuan.conftest import verified_login

    client = verified_login(Client(), user, "browser")
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def images_loaded(page: Any, selector: str, *, first: bool = False, seconds: float = 10) -> None:
    """Wait until every image ``selector`` matches (``first``: the first one; a lazy image below the
    fold may never load) has loaded, not just until it is in the page. Polled from the test:
    ``wait_for_function`` compiles its predicate in the page, which the pages'
    Content-Security-Policy (no eval) refuses as soon as it has to poll."""
    page.wait_for_selector(selector)
    images = f"[document.querySelector({selector!r})]" if first else f"[...document.querySelectorAll({selector!r})]"
    check = f"{images}.every(i => i.complete && i.naturalWidth > 0)"
    for _ in range(int(seconds * 10)):
        if page.evaluate(check):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} did not load within {seconds} s")
