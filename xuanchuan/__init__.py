"""宣传思想工作平台 — the working platform of a district Publicity Department."""

from xuanchuan.celery import app as celery_app

__all__ = ("celery_app",)
