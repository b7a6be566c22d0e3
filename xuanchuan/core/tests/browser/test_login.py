"""Signing in and out in a real browser, as a unit reporter would."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xuanchuan.org.models import Role, RoleCode, UnitType, User
from xuanchuan.org.services import create_unit

PASSWORD = "Browser-Test-2026!"

# live_server serves from another thread, so the data must be committed (transaction=True);
# serialized_rollback puts back the rows the data migrations made (roles) after the flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def reporter() -> User:
    district = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="D")
    street = create_unit(parent=district, name="东城街道", unit_type=UnitType.STREET, code="D-S01")
    role, _created = Role.objects.get_or_create(code=RoleCode.UNIT_REPORTER, defaults={"name": "单位填报员"})
    user = User.objects.create_user(username="reporter", password=PASSWORD, full_name="张晓明", unit=street)
    user.roles.set([role])
    return user


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")


def test_login_shows_my_unit_then_logout(page, phone_page, live_server, reporter, screenshot_dir):
    # The login page on a phone: the public-facing size.
    phone_page.goto(live_server.url + reverse("accounts:login"))
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("#id_username").is_visible()
    assert phone_page.locator("#login-submit").is_visible()
    phone_page.screenshot(path=str(screenshot_dir / "login-phone.png"), full_page=True)

    # Opening the home page unsigned leads to the login page, which leads back home.
    page.goto(live_server.url + reverse("core:home"))
    assert reverse("accounts:login") in page.url
    page.fill("#id_username", "reporter")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == (live_server.url + reverse("core:home")).rstrip("/"), page.url

    my_unit = page.locator("#my-unit")
    assert my_unit.is_visible()
    assert "东城街道" in my_unit.inner_text()
    assert "张晓明" in page.locator("#user-menu").inner_text()
    # Static files (Bootstrap) were served: the navigation bar is styled, not a bare list.
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
    page.screenshot(path=str(screenshot_dir / "login-home.png"), full_page=True)

    # Log out through the user menu: back on the login page, and home asks to sign in again.
    page.click("#user-menu")
    page.locator("#logout").wait_for(state="visible")
    page.click("#logout")
    page.wait_for_load_state("networkidle")
    assert reverse("accounts:login") in page.url
    assert page.locator("#login-submit").is_visible()
    page.goto(live_server.url + reverse("core:home"))
    assert reverse("accounts:login") in page.url


def test_home_on_a_phone_shows_my_unit(phone_page, live_server, reporter, screenshot_dir):
    sign_in(phone_page, live_server, "reporter", PASSWORD)

    assert phone_page.locator("#my-unit").is_visible()
    assert "东城街道" in phone_page.locator("#my-unit").inner_text()
    # Nothing is wider than the screen: no sideways scrolling on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=str(screenshot_dir / "home-phone.png"), full_page=True)


def test_wrong_password_shows_an_error(page, live_server, reporter, screenshot_dir):
    sign_in(page, live_server, "reporter", "not-the-password")

    assert reverse("accounts:login") in page.url
    error = page.locator("#form-errors")
    assert error.first.is_visible()
    assert re.search(r"用户名|密码|username|password", error.first.inner_text(), re.IGNORECASE)
    assert page.locator("#my-unit").count() == 0
    page.screenshot(path=str(screenshot_dir / "login-wrong-password.png"), full_page=True)


def test_signed_in_the_api_docs_render_from_the_platforms_own_files(page, live_server, reporter, screenshot_dir):
    """Swagger UI (vendored) runs under the strict CSP and asks nothing of any other host."""
    hosts, messages = set(), []
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + "/api/docs")
    assert reverse("accounts:login") in page.url  # not without signing in
    sign_in(page, live_server, "reporter", PASSWORD)
    page.goto(live_server.url + "/api/docs")
    page.locator(".opblock").first.wait_for(state="visible")
    assert page.locator(".opblock").count() >= 10
    assert "/api/units" in page.locator("#swagger-ui").inner_text()
    assert hosts == {live_server.url.split("/")[2]}
    assert not [text for text in messages if "Content Security Policy" in text]
    page.screenshot(path=str(screenshot_dir / "api-docs.png"))
