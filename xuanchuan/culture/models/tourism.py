"""Holiday tourism: the dates of each statutory holiday per year, and per unit, holiday and year the
visitors and the tourism revenue, entered or imported from Excel. Year-on-year changes are
computed from two years' rows (raw, and per day of holiday where the lengths differ), never typed;
a missing year stays missing."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned


class Holiday(models.TextChoices):
    SPRING_FESTIVAL = "spring", _("春节")
    QINGMING = "qingming", _("清明节")
    MAY_DAY = "mayday", _("劳动节")
    DRAGON_BOAT = "dragonboat", _("端午节")
    MID_AUTUMN = "midautumn", _("中秋节")
    NATIONAL_DAY = "national", _("国庆节")


class HolidayPeriod(models.Model):
    """The days of a holiday in a year (e.g. 劳动节 2025: 5月1日–5日, 5 days), as announced."""

    holiday = models.CharField(_("假日"), max_length=12, choices=Holiday.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("放假开始"))
    ends_on = models.DateField(_("放假结束"))

    class Meta:
        verbose_name = _("假日安排")
        verbose_name_plural = _("假日安排")
        ordering = ["-year", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["holiday", "year"], name="culture_holiday_once_a_year"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="culture_holiday_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_holiday_display()}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Source(models.TextChoices):
    ENTERED = "entered", _("录入")
    IMPORTED = "imported", _("Excel 导入")


class TourismStat(UnitOwned):
    """Visitors (人次) and tourism revenue (万元) of ``unit`` over a holiday of a year."""

    holiday = models.CharField(_("假日"), max_length=12, choices=Holiday.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    visitors = models.PositiveBigIntegerField(_("旅游人数（人次）"))
    revenue = models.DecimalField(_("旅游综合收入（万元）"), max_digits=14, decimal_places=2)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.ENTERED)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("假日旅游统计")
        verbose_name_plural = _("假日旅游统计")
        ordering = ["-year", "holiday"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "holiday", "year"], name="culture_one_stat_per_holiday"),
            models.CheckConstraint(condition=Q(revenue__gte=0), name="culture_revenue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_holiday_display()}"
