"""WSGI entry point for gunicorn. Runs the system checks first, so that a deployment with bad
configuration refuses to start instead of serving errors."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanchuan.settings")

application = get_wsgi_application()

from xuanchuan.core.checks import fail_on_errors  # noqa: E402

fail_on_errors()
