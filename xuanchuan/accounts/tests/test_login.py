"""Signing in and out, and the lockout after repeated failures (django-axes)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from xuanchuan.conftest import PASSWORD
from xuanchuan.org.models import User

LOGIN_URL = reverse_lazy("accounts:login")


def sign_in(client, username: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def lock(client, user: User, limit: int):
    """Fail ``limit`` times; the last failure returns the lockout page."""
    for _attempt in range(limit - 1):
        assert sign_in(client, user.username, "wrong-password").status_code == 200
    return sign_in(client, user.username, "wrong-password")


def shown(moment: datetime) -> str:
    """The unlock time as the page shows it: local time, rounded up to the minute."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local.strftime("%Y-%m-%d %H:%M")


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_login_page_is_a_chinese_card(client) -> None:
    body = client.get(LOGIN_URL).content.decode()
    for marker in (
        'id="id_username"',
        'id="id_password"',
        'id="login-submit"',
        "login-card",
        "用户名",
        "密码",
    ):
        assert marker in body


@pytest.mark.django_db
def test_successful_login_reaches_home(client, bob) -> None:
    response = sign_in(client, "bob", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_user_id(client) == str(bob.pk)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_login_follows_a_safe_next_only(client, bob) -> None:
    assert client.post(f"{LOGIN_URL}?next=/accounts/password/", {"username": "bob", "password": PASSWORD}).url == (
        "/accounts/password/"
    )
    client.post(reverse("accounts:logout"))
    assert client.post(f"{LOGIN_URL}?next=https://evil.example/", {"username": "bob", "password": PASSWORD}).url == "/"


@pytest.mark.django_db
def test_wrong_password_says_so_and_counts_down(client, settings, bob) -> None:
    response = sign_in(client, "bob", "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in body
    assert f"再连续输错 {settings.AXES_FAILURE_LIMIT - 1} 次" in body
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_lockout_after_the_failure_limit_names_the_unlock_time(client, settings, bob) -> None:
    response = lock(client, bob, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="bob")
    body = response.content.decode()
    assert response.status_code == 429
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert f"账号已锁定，将于 {shown(attempt.attempt_time + settings.AXES_COOLOFF_TIME)} 自动解锁" in body
    assert 'id="lockout-message"' in body


@pytest.mark.django_db
def test_locked_account_refuses_the_right_password_until_the_cool_off_ends(client, settings, bob) -> None:
    lock(client, bob, settings.AXES_FAILURE_LIMIT)
    locked_at = (timezone.now() - timedelta(minutes=10)).replace(second=0, microsecond=0)
    AccessAttempt.objects.filter(username="bob").update(attempt_time=locked_at)

    refused = sign_in(client, "bob", PASSWORD)
    assert refused.status_code == 429
    assert f"将于 {shown(locked_at + settings.AXES_COOLOFF_TIME)} 自动解锁" in refused.content.decode()
    assert signed_in_user_id(client) is None
    # Trying during the lockout does not push the unlock time back.
    assert AccessAttempt.objects.get(username="bob").attempt_time == locked_at

    AccessAttempt.objects.filter(username="bob").update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    accepted = sign_in(client, "bob", PASSWORD)
    assert accepted.status_code == 302 and accepted.url == "/"
    assert signed_in_user_id(client) == str(bob.pk)
    assert not AccessAttempt.objects.filter(username="bob").exists()


@pytest.mark.django_db
def test_a_shorter_cool_off_setting_is_honoured(client, settings, bob) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    lock(client, bob, 2)
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    AccessAttempt.objects.filter(username="bob").update(attempt_time=timezone.now() - timedelta(seconds=5))
    assert sign_in(client, "bob", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_account(client, settings, bob, charlie) -> None:
    lock(client, bob, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, "charlie", PASSWORD).status_code == 302


ADDRESS_A, ADDRESS_B = "192.0.2.10", "198.51.100.20"


@pytest.mark.django_db
def test_nobody_can_lock_someone_else_out(client, settings, alice) -> None:
    """M7: five failed logins for the administrator from address A; the right password from B signs in."""
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong-password", REMOTE_ADDR=ADDRESS_A)
    assert sign_in(client, "alice", PASSWORD, REMOTE_ADDR=ADDRESS_A).status_code == 429
    owner = sign_in(client.__class__(), "alice", PASSWORD, REMOTE_ADDR=ADDRESS_B)
    assert owner.status_code == 302, owner.content.decode()[:500]


@pytest.mark.django_db
def test_many_addresses_meet_the_slower_per_account_limit(client, settings, bob) -> None:
    """A guessing attack spread over addresses: at the per-account limit the account locks everywhere,
    and the page still names the minute the lock lifts."""
    limit = settings.ACCOUNTS_USERNAME_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    responses = []
    for attempt in range(limit):
        address = f"203.0.113.{attempt // (settings.AXES_FAILURE_LIMIT - 1) + 1}"  # never 5 from one address
        responses.append(sign_in(client, "bob", "wrong-password", REMOTE_ADDR=address).status_code)
    assert responses[:-1] == [200] * (limit - 1) and responses[-1] == 429
    refused = sign_in(client.__class__(), "bob", PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert refused.status_code == 429
    newest = AccessAttempt.objects.filter(username="bob").latest("attempt_time").attempt_time
    assert f"将于 {shown(newest + settings.AXES_COOLOFF_TIME)} 自动解锁" in refused.content.decode()
    AccessAttempt.objects.filter(username="bob").update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert sign_in(client.__class__(), "bob", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 302


@pytest.mark.django_db
def test_the_countdown_counts_the_fewer_tries_left(client, settings, bob) -> None:
    settings.ACCOUNTS_USERNAME_FAILURE_LIMIT = 7
    for _attempt in range(4):
        sign_in(client, "bob", "wrong-password", REMOTE_ADDR=ADDRESS_A)
    body = sign_in(client, "bob", "wrong-password", REMOTE_ADDR=ADDRESS_B).content.decode()
    assert "再连续输错 2 次" in body  # 7 for the account, 5 of them used; 4 left at address B


@pytest.mark.django_db
def test_lockout_answers_scripts_in_json(client, settings, bob) -> None:
    response = lock(client, bob, settings.AXES_FAILURE_LIMIT)
    assert "text/html" in response["Content-Type"]
    scripted = sign_in(client, "bob", PASSWORD, headers={"X-Requested-With": "XMLHttpRequest"})
    assert scripted.status_code == 429
    assert scripted.json()["detail"].startswith("账号已锁定，将于")
    assert scripted.json()["unlock_at"]


@pytest.mark.django_db
def test_unlock_time_counts_attempts_from_several_addresses() -> None:
    from xuanchuan.accounts.lockout import lock_lifts_at

    now = timezone.now()
    for ip_address, failures, minutes_ago in (("10.0.0.1", 3, 5), ("10.0.0.2", 2, 20), ("10.0.0.3", 4, 25)):
        attempt = AccessAttempt.objects.create(
            username="bob", ip_address=ip_address, user_agent="test", failures_since_start=failures
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(minutes=minutes_ago))
    # Newest first: 3, then 3 + 2 = 5 reaches the limit at the attempt of 20 minutes ago.
    lifts = lock_lifts_at(AccessAttempt.objects.filter(username="bob"), 5, timedelta(minutes=30))
    assert lifts == now + timedelta(minutes=10)
    assert lock_lifts_at(AccessAttempt.objects.filter(username="bob"), 10, timedelta(minutes=30)) is None


@pytest.mark.django_db
def test_logout_needs_post(client, bob) -> None:
    client.force_login(bob)
    logout_url = reverse("accounts:logout")
    assert client.get(logout_url).status_code == 405
    assert signed_in_user_id(client) == str(bob.pk)
    response = client.post(logout_url)
    assert response.status_code == 302 and response.url == LOGIN_URL
    assert signed_in_user_id(client) is None
    assert "您已安全退出登录" in client.get(LOGIN_URL).content.decode()
