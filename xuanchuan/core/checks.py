"""System checks of the configuration, with stable ids (``xuanchuan.E001`` …).

Run by ``manage.py check``/``migrate``/``runserver`` and, through ``fail_on_errors``, when the
WSGI application, a Celery worker or Celery beat starts (``xuanchuan.wsgi``, ``xuanchuan.celery``),
so a production process with unsafe settings refuses to start.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def _relaxed() -> bool:
    return bool(settings.DEBUG or settings.XUANCHUAN_DEMO)


def data_keys() -> list[bytes]:
    """The decoded personal-data keys, current first. Raises ``ValueError`` on a bad key."""
    keys = []
    for index, text in enumerate(item.strip() for item in settings.XUANCHUAN_DATA_KEY.split(",")):
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"key {index + 1} is not valid base64") from exc
        if len(raw) != 32:
            raise ValueError(f"key {index + 1} is {len(raw)} bytes, not 32")
        keys.append(raw)
    return keys


@checks.register(checks.Tags.security, deploy=False)
def check_secrets(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if settings.SECRET_KEY == settings.INSECURE_SECRET_KEY and not _relaxed():
        errors.append(
            checks.Error(
                "SECRET_KEY is not set.",
                hint="Set SECRET_KEY to a long random value: "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="xuanchuan.E001",
            )
        )
    try:
        data_keys()
    except ValueError as exc:
        errors.append(
            checks.Error(
                f"XUANCHUAN_DATA_KEY is invalid: {exc}.",
                hint="Use base64 of 32 random bytes: "
                "python -c 'import os,base64; print(base64.b64encode(os.urandom(32)).decode())'",
                id="xuanchuan.E002",
            )
        )
    if settings.XUANCHUAN_DATA_KEY.split(",")[0].strip() == settings.INSECURE_DATA_KEY and not _relaxed():
        errors.append(
            checks.Error(
                "XUANCHUAN_DATA_KEY is not set: personal data would be encrypted with a public key.",
                id="xuanchuan.E003",
            )
        )
    return errors


@checks.register(checks.Tags.compatibility)
def check_deployment_shape(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    warnings: list[checks.CheckMessage] = []
    if not settings.ALLOWED_HOSTS:
        warnings.append(checks.Error("ALLOWED_HOSTS is empty: no request would be served.", id="xuanchuan.E004"))
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3") and not _relaxed():
        warnings.append(
            checks.Warning(
                "The database is SQLite; production should use PostgreSQL (DATABASE_URL=postgres://…).",
                id="xuanchuan.W001",
            )
        )
    if not settings.REDIS_URL and not _relaxed():
        warnings.append(
            checks.Warning(
                "REDIS_URL is not set: background jobs run inside web requests and beat has no broker.",
                id="xuanchuan.W002",
            )
        )
    return warnings


def fail_on_errors() -> None:
    """Refuse to start with configuration errors (used by the WSGI entry point and Celery's start)."""
    problems = [
        message
        for message in checks.run_checks(include_deployment_checks=False)
        if message.level >= checks.ERROR and message.id and message.id.startswith("xuanchuan.")
    ]
    if problems:
        raise ImproperlyConfigured("; ".join(f"{message.id}: {message.msg}" for message in problems))
