"""The outbreak app's part of the URL scoping walk (``xuanchuan/tests/test_url_scoping.py``)."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.utils import timezone

from xuanchuan.outbreak.models import DailyReport, Indicator, ReportForm, ReportValue, ValueCorrection

SECRET_REASON = "东城幸福社区核对更正原因"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    """A form every street and community files, and the east side's reports with a correction."""
    today = timezone.localdate()
    form = ReportForm.objects.create(
        name="疫情防控日报", unit=district.root, deadline=time(10), lock_time=time(18),
        starts_on=today - timedelta(days=7),
    )  # fmt: skip
    form.required_units.set([district.east, district.east_community, district.west, district.west_community])
    indicator = Indicator.objects.create(form=form, name="体温检测", measure_unit="人次")
    for unit, person in ((district.east, people["bob"]), (district.east_community, people["dora"])):
        for day in (today, today - timedelta(days=1)):
            report = DailyReport.objects.create(
                form=form, unit=unit, day=day, created_by=person, submitted_at=timezone.now()
            )
            ReportValue.objects.create(report=report, indicator=indicator, value=987654)
            ValueCorrection.objects.create(
                unit=unit, report=report, indicator=indicator, old_value=1, new_value=987654,
                reason=SECRET_REASON, created_by=person,
            )  # fmt: skip
    # A street's own daily report for its communities: not the outsider's to see or change.
    own = ReportForm.objects.create(
        name="东城街道自查日报", unit=district.east, deadline=time(9), lock_time=time(17), starts_on=today
    )
    own.required_units.set([district.east_community])
    return [SECRET_REASON, "987654", own.name]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if route_name == "outbreak:report_detail":
        reports = DailyReport.objects.filter(unit__in=[district.east, district.east_community])
        return [{"pk": report.pk} for report in reports]
    if route_name == "outbreak:form_edit":
        return [{"pk": form.pk} for form in ReportForm.objects.filter(unit=district.east)]
    if route_name.endswith(":outbreak_report"):  # the API, wherever it is mounted
        reports = DailyReport.objects.filter(unit__in=[district.east, district.east_community])
        return [{"report_id": report.pk} for report in reports]
    return None
