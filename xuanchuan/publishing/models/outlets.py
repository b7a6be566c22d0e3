"""The outlets the district answers for (谁开办、谁主管，谁发布、谁负责): its websites and
new-media accounts, and the columns (栏目, 专题专栏) they run."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import UnitOwned, User


class OutletKind(models.TextChoices):
    WEBSITE = "website", _("网站")
    WECHAT = "wechat", _("微信公众号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    TOUTIAO = "toutiao", _("今日头条")
    CHANNELS = "channels", _("微信视频号")
    APP = "app", _("客户端")
    OTHER = "other", _("其他")


class OutletStatus(models.TextChoices):
    ACTIVE = "active", _("运行中")
    SUSPENDED = "suspended", _("暂停更新")
    CLOSED = "closed", _("已关停")


class Outlet(UnitOwned):
    """A website or new-media account run by a unit (the unit is its 主管/主办单位).

    ``is_news_site``: the district news site this platform serves to the public (one outlet);
    ``update_period_days``: an active outlet that has published nothing for longer is stale
    (《政府网站与政务新媒体检查指标》: two weeks without an update); ``closed_on``: the day a
    closed outlet stopped (so a past year's count of registered outlets stays right).
    """

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=OutletKind.choices)
    account = models.CharField(
        _("账号或网址"), max_length=200, blank=True, help_text=_("公众号原始ID、微博账号、网站域名等")
    )
    url = models.URLField(_("链接"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        User, verbose_name=_("负责人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responsible_name = models.CharField(_("负责人姓名"), max_length=50, blank=True)
    operator = models.CharField(_("运营单位或运营人"), max_length=100, blank=True)
    registration_no = models.CharField(_("备案或登记编号"), max_length=100, blank=True)
    registered_on = models.DateField(_("开设日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=OutletStatus.choices, default=OutletStatus.ACTIVE)
    closed_on = models.DateField(_("关停日期"), null=True, blank=True)
    update_period_days = models.PositiveSmallIntegerField(_("更新周期（天）"), default=14)
    last_published_on = models.DateField(_("最近更新日期"), null=True, blank=True, db_index=True)
    is_news_site = models.BooleanField(_("本平台托管的新闻网站"), default=False)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("发布平台")
        verbose_name_plural = _("发布平台")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="publishing_outlet_unique_name"),
            models.UniqueConstraint(
                fields=["is_news_site"], condition=models.Q(is_news_site=True), name="publishing_one_news_site"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("publishing:outlet_detail", args=[self.pk])

    @property
    def keeper_name(self) -> str:
        """The responsible person's name as registered (or the linked account's name)."""
        if self.responsible_name:
            return self.responsible_name
        return self.responsible.get_full_name() if self.responsible_id else ""

    @property
    def state_label(self) -> str:
        """The status, and “长期未更新” for an active outlet past its update period."""
        if self.is_stale:
            return f"{self.get_status_display()}（{_('长期未更新')}）"
        return str(self.get_status_display())

    def stale_since(self, today: date | None = None) -> date | None:
        """The day from which an active outlet counts as stale, or ``None`` when it is not stale."""
        if self.status != OutletStatus.ACTIVE:
            return None
        today = today or timezone.localdate()
        start = self.last_published_on or self.registered_on or self.created_at.date()
        due = start + timedelta(days=self.update_period_days)
        return due if due < today else None

    @property
    def is_stale(self) -> bool:
        return self.stale_since() is not None


class Column(UnitOwned):
    """A column (栏目) of an outlet; ``is_topic`` marks a topic column (专题专栏) opened for a
    campaign, e.g. “新时代文明实践”. Its unit is the outlet's unit."""

    outlet = models.ForeignKey(Outlet, verbose_name=_("发布平台"), on_delete=models.PROTECT, related_name="columns")
    name = models.CharField(_("栏目名称"), max_length=60)
    slug = models.SlugField(_("网址名"), max_length=60, allow_unicode=False)
    is_topic = models.BooleanField(_("专题专栏"), default=False)
    description = models.TextField(_("简介"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    opened_on = models.DateField(_("开设日期"), default=timezone.localdate)
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["outlet", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "slug"], name="publishing_column_unique_slug"),
            models.UniqueConstraint(fields=["outlet", "name"], name="publishing_column_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
