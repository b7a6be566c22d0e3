"""Report templates, imported documents waiting for their bindings, and generated reports."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned


class TemplateSource(models.TextChoices):
    COPY = "copy", _("复制")
    IMPORT = "import", _("导入")


class ReportTemplate(UnitOwned):
    """A template of staff's own: text with figure references (see ``reports.templating``).

    The default template is not a row: it is built from the code (``reports.defaults``) and
    copied into a row when staff want to change it.
    """

    name = models.CharField(_("模板名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    body = models.TextField(_("模板正文"))
    variables = models.JSONField(_("模板变量"), default=dict, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=TemplateSource.choices, default=TemplateSource.COPY)
    source_name = models.CharField(_("来源文件或模板"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报告模板")
        verbose_name_plural = _("报告模板")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    REVIEW = "review", _("待确认绑定")
    DONE = "done", _("已生成模板")


class TemplateImport(UnitOwned):
    """A document whose figures were blanked, its placeholders and the bindings staff confirm.

    ``placeholders`` is the importer's list (``Placeholder.as_dict()`` of each), each with a
    ``binding`` (what the blank becomes: a figure key, a setting, a variable, or empty while
    unbound) and ``style`` (template options such as ``about`` or ``wan``) added.
    """

    file_name = models.CharField(_("文件名"), max_length=200)
    text = models.TextField(_("文档文字"))
    placeholders = models.JSONField(_("空白及绑定"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.REVIEW)
    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("生成的模板"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("文档导入")
        verbose_name_plural = _("文档导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class GeneratedReport(UnitOwned):
    """A report rendered for a period and a unit: a snapshot of its text and numbers.

    ``unit`` is the unit the report is about (the district's root unit for the whole district;
    ``for_district`` says so), which also scopes who may read it. The .docx, the HTML preview and
    the Excel appendix are all made from ``content`` (``RenderedReport.as_dict()``), so they agree
    with each other and stay as they were when the report was generated.
    """

    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("模板"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    template_name = models.CharField(_("模板名称"), max_length=100)
    body = models.TextField(_("生成时的模板正文"))
    variables = models.JSONField(_("模板变量"), default=dict, blank=True)
    period = models.CharField(_("期间"), max_length=30)
    for_district = models.BooleanField(_("全区报告"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    content: Any = models.JSONField(_("报告内容"), null=True, blank=True)
    flag_count = models.PositiveIntegerField(_("待核实处"), default=0)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("生成的报告")
        verbose_name_plural = _("生成的报告")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template_name} {self.period}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
