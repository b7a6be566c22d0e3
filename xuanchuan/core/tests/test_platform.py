"""The platform's wiring: security headers, configuration checks, background jobs, navigation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.urls import reverse

from xuanchuan.core.navigation import nav_for

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_security_headers_outside_the_demo(client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_the_admin_alone_may_be_framed_by_the_site(client, alice) -> None:
    client.force_login(alice)
    response = client.get(reverse("admin:login"))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with ``env`` (and no .env file)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("XUANCHUAN", "SECRET", "DEBUG"))}
    clean.update({"PYTHON_DOTENV_DISABLED": "1", "DJANGO_SETTINGS_MODULE": "xuanchuan.settings", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SESSION_IDLE_MINUTES": "ten"}, "SESSION_IDLE_MINUTES='ten' is not an integer"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL must be an sqlite:/// or postgres://"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"XUANCHUAN_CRYPTO": "des"}, "XUANCHUAN_CRYPTO='des' must be one of"),
    ],
)
def test_bad_configuration_stops_the_process(env: dict[str, str], message: str) -> None:
    result = run_settings(env, "pass")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_unsafe_keys_fail_the_checks_and_the_wsgi_start() -> None:
    result = run_settings({}, "import xuanchuan.wsgi")
    assert result.returncode != 0 and "xuanchuan.E001" in result.stderr and "xuanchuan.E003" in result.stderr
    bad_key = run_settings({"SECRET_KEY": "x" * 60, "XUANCHUAN_DATA_KEY": "not-base64!"}, "import xuanchuan.wsgi")
    assert "xuanchuan.E002" in bad_key.stderr
    good = run_settings(
        {"SECRET_KEY": "x" * 60, "XUANCHUAN_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="},
        "import xuanchuan.wsgi; print('started')",
    )
    assert good.returncode == 0, good.stderr
    assert "started" in good.stdout


def test_system_checks_name_their_ids(settings) -> None:
    settings.SECRET_KEY = settings.INSECURE_SECRET_KEY
    settings.XUANCHUAN_DEMO = False
    settings.DEBUG = False
    ids = {message.id for message in checks.run_checks()}
    assert {"xuanchuan.E001", "xuanchuan.E003", "xuanchuan.W002"} <= ids
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    assert ("xuanchuan.W001" in ids) == on_sqlite
    settings.XUANCHUAN_DEMO = True
    relaxed = {message.id for message in checks.run_checks()}
    assert not relaxed & {"xuanchuan.E001", "xuanchuan.E003", "xuanchuan.W001"}


def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on PostgreSQL here; the SQLite options are checked on the SQLite run")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] >= 1


def test_jobs_run_inline_without_redis_and_the_purge_is_scheduled() -> None:
    from xuanchuan.celery import app

    assert not settings.REDIS_URL
    assert app.conf.task_always_eager
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired-personal-data"]
    assert schedule["task"] == "xuanchuan.core.tasks.purge_expired_personal_data"
    app.loader.import_default_modules()  # what a worker does when it starts
    assert schedule["task"] in app.tasks


def test_with_redis_the_broker_is_redis_and_jobs_are_queued() -> None:
    result = run_settings(
        {"REDIS_URL": "redis://127.0.0.1:6379/0"},
        "from xuanchuan.celery import app; from django.conf import settings;"
        "print(app.conf.broker_url, app.conf.task_always_eager, settings.CACHES['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://127.0.0.1:6379/0", "False", "django.core.cache.backends.redis.RedisCache"]


@pytest.mark.django_db
def test_navigation_shows_working_modules_only(client, bob) -> None:
    """Every entry a unit reporter is shown opens a working page."""
    items = nav_for(bob)
    labels = [str(item.label) for item in items]
    assert labels[0] == "组织机构" and "指标目录" in labels
    client.force_login(bob)
    for item in items:
        for entry in (item, *item.children):
            assert client.get(entry.url()).status_code == 200, entry.url_name


GOOD_KEYS = {"SECRET_KEY": "x" * 60, "XUANCHUAN_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_a_celery_worker_and_beat_refuse_to_start_with_the_built_in_keys(command: str, tmp_path) -> None:
    """L7: the same checks as the web process, when a worker or beat starts (no demo mode)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("XUANCHUAN", "SECRET", "DEBUG"))}
    clean.update({"PYTHON_DOTENV_DISABLED": "1", "DJANGO_SETTINGS_MODULE": "xuanchuan.settings"})
    # Never --schedule=/dev/null: beat's shelve replaces its file, and /dev/null became a plain file.
    schedule = f"--schedule={tmp_path / 'beat-schedule'}"
    arguments = ["--pool=solo", "--concurrency=1"] if command == "worker" else [schedule]
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "xuanchuan", command, "--loglevel=warning", *arguments],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Refusing to start" in output and "xuanchuan.E001" in output and "xuanchuan.E003" in output


@pytest.mark.parametrize("signal", ["worker_init", "beat_init"])
def test_the_celery_start_hook_refuses_the_public_fallback_key_outside_demo_mode(signal: str) -> None:
    result = run_settings(
        {}, f"from celery import signals; import xuanchuan.celery; signals.{signal}.send(sender=None)"
    )
    assert result.returncode != 0 and "Refusing to start" in result.stderr and "xuanchuan.E003" in result.stderr
    demo = run_settings({"XUANCHUAN_DEMO": "true"}, f"from celery import signals; signals.{signal}.send(sender=None)")
    assert demo.returncode == 0, demo.stderr
    configured = run_settings(GOOD_KEYS, f"from celery import signals; signals.{signal}.send(sender=None)")
    assert configured.returncode == 0, configured.stderr
