"""The Celery application: a Redis broker when REDIS_URL is set, jobs run inline otherwise.

A worker and beat refuse to start with unsafe configuration, as the web process does
(``xuanchuan.wsgi``): the same system checks (built-in ``SECRET_KEY``, the public fallback data
key outside demo mode, an invalid data key …) run when either starts.
"""

import os
import sys
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanchuan.settings")

app = Celery("xuanchuan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_unsafe_configuration(**kwargs: Any) -> None:
    """Stop a starting worker or beat on a configuration error of the platform's system checks.

    Celery logs and swallows an ``Exception`` raised by a signal handler, so the refusal is a
    ``SystemExit``; its message is written to standard error first, since beat's command line
    leaves a ``SystemExit`` without printing it.
    """
    import django
    from django.core.exceptions import ImproperlyConfigured

    django.setup()
    from xuanchuan.core.checks import fail_on_errors

    try:
        fail_on_errors()
    except ImproperlyConfigured as exc:
        message = f"Refusing to start: {exc}"
        print(message, file=sys.__stderr__, flush=True)  # not a logging proxy Celery may have put in place
        raise SystemExit(message) from exc
