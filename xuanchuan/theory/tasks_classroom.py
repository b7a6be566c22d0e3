"""Background job of the classroom part (scheduled hourly by ``CELERY_BEAT_SCHEDULE``): uploads
nobody finished, or finished but never made into an item, are deleted with their bytes after
``THEORY_UPLOAD_EXPIRY_HOURS``."""

from __future__ import annotations

from celery import shared_task

__all__ = ["purge_unfinished_uploads"]


@shared_task(name="xuanchuan.theory.tasks_classroom.purge_unfinished_uploads")
def purge_unfinished_uploads() -> int:
    from xuanchuan.theory.services.classroom import purge_unfinished_uploads as purge

    return purge()
