"""The Celery application: a Redis broker when REDIS_URL is set, jobs run inline otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanchuan.settings")

app = Celery("xuanchuan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
