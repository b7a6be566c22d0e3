"""The reports app's part of the URL scoping walk (``xuanchuan/tests/test_url_scoping.py``)."""

from __future__ import annotations

from typing import Any

from xuanchuan.reports import services
from xuanchuan.reports.models import GeneratedReport, ReportTemplate, TemplateImport
from xuanchuan.reports.registry import Period
from xuanchuan.reports.tests.dashboard_scoping import module_arguments

SECRET_TEMPLATE = "东城街道内部汇报模板"
SECRET_FILE = "东城街道年终总结涂黑稿.txt"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    """A template, an imported document and a generated report of the east street."""
    template = ReportTemplate.objects.create(
        unit=district.east,
        created_by=people["bob"],
        name=SECRET_TEMPLATE,
        body="# 东城机密标题\n{{ org.platform_users }}",
    )
    TemplateImport.objects.create(unit=district.east, created_by=people["bob"], file_name=SECRET_FILE, text="×场次")
    report = GeneratedReport.objects.create(
        unit=district.east, created_by=people["bob"], template=template, template_name=SECRET_TEMPLATE,
        body=template.body, period="2026",
    )  # fmt: skip
    services.run_report(report.pk)
    assert Period.parse(report.period)
    return [SECRET_TEMPLATE, SECRET_FILE, "东城机密标题"]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    templates = [{"pk": item.pk} for item in ReportTemplate.objects.filter(unit=district.east)]
    reports = [{"pk": item.pk} for item in GeneratedReport.objects.filter(unit=district.east)]
    found = {
        "reports:template_detail": templates,
        "reports:template_copy": [{**item, "_method": "post"} for item in templates],
        "reports:template_edit": templates,
        "reports:template_delete": templates,
        "reports:import_review": [{"pk": item.pk} for item in TemplateImport.objects.filter(unit=district.east)],
        "reports:report_detail": reports,
        "reports:report_progress": reports,
        "reports:report_docx": reports,
        "reports:report_xlsx": reports,
        "reports:report_delete": reports,
        "reports:dashboard_module": module_arguments(district),
    }
    return found.get(route_name)
