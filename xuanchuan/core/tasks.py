"""Background jobs of the platform core (run by Celery beat, or inline without Redis)."""

from __future__ import annotations

from celery import shared_task

from xuanchuan.core.pii.retention import purge_expired


@shared_task(name="xuanchuan.core.tasks.purge_expired_personal_data")
def purge_expired_personal_data(dry_run: bool = False) -> dict[str, int]:
    """Delete or erase personal data past its retention period; ``{label: rows}``."""
    return purge_expired(dry_run=dry_run)
