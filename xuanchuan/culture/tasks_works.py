"""Background jobs of the culture app's works part (gathered by the app's ``tasks.py`` for Celery's
autodiscovery): once a day (``CELERY_BEAT_SCHEDULE``), the images of rejected works whose call
closed more than ``CULTURE_AUTHOR_RETENTION_DAYS`` ago are deleted (the authors' names and phones
go by the personal-data retention rule, ``services.works.register_retention``)."""

from __future__ import annotations

from celery import shared_task

__all__ = ["purge_rejected_work_images"]


@shared_task(name="xuanchuan.culture.tasks.purge_rejected_work_images")
def purge_rejected_work_images() -> int:
    """Delete expired images of rejected works; how many went."""
    from xuanchuan.culture.services import works

    return works.purge_rejected_images()
