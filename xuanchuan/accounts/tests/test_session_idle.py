"""The idle timeout: a session in use is kept alive, written at most once a minute."""

from __future__ import annotations

from unittest import mock

from django.contrib.sessions.models import Session
from django.urls import reverse

from xuanchuan.accounts.middleware import SessionIdleRefreshMiddleware


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_pushed_back_at_most_once_a_minute(client, bob, settings) -> None:
    client.force_login(bob)
    url = reverse("core:home")
    with mock.patch("xuanchuan.accounts.middleware.time.time", return_value=1_000_000):
        client.get(url)
    first = expiry(client)
    with mock.patch("xuanchuan.accounts.middleware.time.time", return_value=1_000_030):
        client.get(url)  # 30 s later: no write
    assert expiry(client) == first
    assert client.session[SessionIdleRefreshMiddleware.KEY] == 1_000_000
    with mock.patch("xuanchuan.accounts.middleware.time.time", return_value=1_000_061):
        client.get(url)  # past a minute: written, the expiry moves on
    assert client.session[SessionIdleRefreshMiddleware.KEY] == 1_000_061
    assert expiry(client) >= first
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_an_anonymous_visit_writes_no_session(client, db) -> None:
    client.get(reverse("accounts:login"))
    assert not Session.objects.exists()
