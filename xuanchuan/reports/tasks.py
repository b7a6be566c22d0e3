"""Background jobs of the reports (Celery; inline when no Redis is configured)."""

from __future__ import annotations

import logging

from celery import shared_task

from xuanchuan.reports import services
from xuanchuan.reports.warming import warm_district_dashboards

logger = logging.getLogger(__name__)


@shared_task(name="xuanchuan.reports.tasks.generate_report")
def generate_report_task(report_id: int) -> str:
    """Generate one requested report; its progress is kept on the record for the status page.

    A failure is recorded on the report (status 失败 with the reason) and logged, not raised: the
    page that asked for it shows the reason instead of an error page.
    """
    try:
        return services.run_report(report_id).status
    except Exception:
        logger.exception("report %s failed", report_id)
        return "failed"


@shared_task(name="xuanchuan.reports.tasks.warm_dashboards")
def warm_dashboards_task() -> int:
    """After midnight (beat): the district dashboards' values computed ahead (see ``warming``)."""
    count = warm_district_dashboards()
    logger.info("dashboards warmed: %s values", count)
    return count
