"""The second factor: who must pass it, enrolment, verification and the API's answer."""

from __future__ import annotations

import re
from base64 import b32encode
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuanchuan.conftest import PASSWORD
from xuanchuan.org.models import User

SETUP_URL = "/accounts/otp/setup/"
VERIFY_URL = "/accounts/otp/verify/"


def current_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code valid at no time step the device accepts now (the current one, one back, one ahead)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = set()
    for offset in (-1, 0, 1):
        totp.drift = device.drift + offset
        accepted.add(totp.token())
    return f"{next(code for code in range(1000000) if code not in accepted):06d}"


def sign_in(client, user: User):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def clear_throttle(device: TOTPDevice) -> None:
    device.refresh_from_db()
    device.throttle_reset()


@pytest.mark.django_db
def test_a_personal_data_role_must_enrol_then_reaches_home(client, settings, dora) -> None:
    assert dora.needs_second_factor
    sign_in(client, dora)
    detour = client.get("/")
    assert detour.status_code == 302 and detour.url == f"{SETUP_URL}?next=/"

    page = client.get(detour.url)
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=dora, confirmed=False)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in body
    assert " ".join(re.findall(".{1,4}", secret)) in body
    assert settings.OTP_TOTP_ISSUER in body
    # The page works under `script-src 'self'`: no inline script at all.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", body))
    # Reloading keeps the secret the phone may already have scanned.
    client.get(detour.url)
    assert TOTPDevice.objects.filter(user=dora).count() == 1

    done = client.post(SETUP_URL, {"token": current_code(device), "next": "/"})
    assert done.status_code == 302 and done.url == "/"
    device.refresh_from_db()
    assert device.confirmed
    home = client.get("/")
    assert home.status_code == 200
    assert "动态口令已启用" in home.content.decode()


@pytest.mark.django_db
def test_the_issuer_is_the_district_and_site_title(settings, dora) -> None:
    device = TOTPDevice.objects.create(user=dora, name="手机", confirmed=False)
    issuer = f"{settings.XUANCHUAN_DISTRICT_NAME}{settings.XUANCHUAN_SITE_TITLE}"
    assert issuer == settings.OTP_TOTP_ISSUER
    assert f"issuer={quote(issuer)}" in device.config_url


@pytest.mark.django_db
def test_enrolment_rejects_a_wrong_code(client, dora) -> None:
    client.force_login(dora)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=dora)
    response = client.post(SETUP_URL, {"token": wrong_code(device)})
    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/").url.startswith(SETUP_URL)


@pytest.mark.django_db
def test_enrolled_user_is_sent_to_verify_and_a_wrong_code_is_refused(client, dora) -> None:
    device = enrolled(dora)
    sign_in(client, dora)
    detour = client.get("/reports/")
    assert detour.status_code == 302 and detour.url == f"{VERIFY_URL}?next=/reports/"

    refused = client.post(VERIFY_URL, {"token": wrong_code(device), "next": "/"})
    assert refused.status_code == 200
    assert "动态口令不正确" in refused.content.decode()
    assert client.get("/").url.startswith(VERIFY_URL)

    malformed = client.post(VERIFY_URL, {"token": "12ab"})
    assert "动态口令应为 6 位数字" in malformed.content.decode()


@pytest.mark.django_db
def test_right_code_verifies_and_a_reused_code_is_refused(client, dora) -> None:
    device = enrolled(dora)
    sign_in(client, dora)
    code = current_code(device)
    session_before = client.session.session_key
    accepted = client.post(VERIFY_URL, {"token": code, "next": "/"})
    assert accepted.status_code == 302 and accepted.url == "/"
    assert client.session.session_key != session_before
    assert client.get("/").status_code == 200

    client.post(reverse("accounts:logout"))
    sign_in(client, dora)
    replay = client.post(VERIFY_URL, {"token": code})
    assert replay.status_code == 200
    assert "该动态口令已经使用过" in replay.content.decode()


@pytest.mark.django_db
def test_hasty_retries_are_throttled(client, dora) -> None:
    device = enrolled(dora)
    sign_in(client, dora)
    client.post(VERIFY_URL, {"token": wrong_code(device)})
    retry = client.post(VERIFY_URL, {"token": current_code(device)})
    assert "尝试过于频繁" in retry.content.decode()
    clear_throttle(device)
    assert client.post(VERIFY_URL, {"token": current_code(device)}).status_code == 302


@pytest.mark.django_db
def test_api_answers_json_403_until_verified(client, dora) -> None:
    client.force_login(dora)
    response = client.get("/api/anything/")
    assert response.status_code == 403
    assert response.json() == {"detail": "需要动态口令验证"}


@pytest.mark.django_db
def test_htmx_requests_are_told_to_load_the_whole_page(client, dora) -> None:
    client.force_login(dora)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{SETUP_URL}?next=/"


@pytest.mark.django_db
def test_a_verified_session_passes(verified_client, dora) -> None:
    client = verified_client(dora)
    assert client.get("/").status_code == 200
    assert client.get(VERIFY_URL).url == "/"


@pytest.mark.django_db
def test_logout_and_static_stay_open_before_the_second_factor(client, dora) -> None:
    client.force_login(dora)
    assert client.get("/static/core/css/site.css").status_code != 302
    assert client.post(reverse("accounts:logout")).url == reverse("accounts:login")


@pytest.mark.django_db
def test_password_change_waits_for_the_second_factor(client, dora) -> None:
    client.force_login(dora)
    assert client.get(reverse("accounts:password_change")).url.startswith(SETUP_URL)


@pytest.mark.django_db
def test_an_enrolled_device_cannot_be_replaced_with_the_password_alone(client, dora) -> None:
    device = enrolled(dora)
    sign_in(client, dora)
    response = client.get(SETUP_URL)
    assert response.status_code == 302 and response.url.startswith(VERIFY_URL)
    assert list(TOTPDevice.objects.filter(user=dora)) == [device]


@pytest.mark.django_db
def test_a_verified_user_may_replace_the_device(verified_client, dora) -> None:
    client = verified_client(dora)
    old = TOTPDevice.objects.get(user=dora)
    page = client.get(SETUP_URL)
    assert "更换绑定的手机" in page.content.decode()
    new = TOTPDevice.objects.get(user=dora, confirmed=False)
    assert client.post(SETUP_URL, {"token": current_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=dora)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_others_need_no_second_factor_but_may_enrol(client, bob) -> None:
    assert not bob.needs_second_factor
    sign_in(client, bob)
    assert client.get("/").status_code == 200
    page = client.get(SETUP_URL)
    assert page.status_code == 200 and "绑定手机验证器" in page.content.decode()
    device = TOTPDevice.objects.get(user=bob)
    assert client.post(SETUP_URL, {"token": current_code(device)}).url == "/"

    client.post(reverse("accounts:logout"))
    sign_in(client, bob)
    # Having chosen a second factor, bob is asked for it from now on.
    assert client.get("/").url == f"{VERIFY_URL}?next=/"
