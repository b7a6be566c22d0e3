from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xuanchuan.reports"
    label = "reports"
    verbose_name = _("报告与指标")

    def ready(self) -> None:
        # Every app's metrics.py registers its figures on import.
        autodiscover_modules("metrics")
        # ... and its report_text.py adds its paragraphs to the default report template.
        autodiscover_modules("report_text")
        from xuanchuan.core.audit import register_for_audit
        from xuanchuan.core.navigation import NavItem, register_nav
        from xuanchuan.reports.models import GeneratedReport, TemplateImport

        # org audits every unit-owned record; a report's snapshot and progress ticks are not worth a log
        # entry each (the snapshot is the report itself), nor is an imported document's whole text.
        register_for_audit(GeneratedReport, exclude=("content", "progress", "message", "body"))
        register_for_audit(TemplateImport, exclude=("text",))

        register_nav(NavItem(_("工作报告"), "reports:home", icon="bi-file-earmark-text", order=890))
        register_nav(NavItem(_("指标目录"), "reports:figure_list", icon="bi-bar-chart", order=900))
        register_nav(NavItem(_("数据看板"), "reports:dashboard", icon="bi-speedometer2", order=905))
