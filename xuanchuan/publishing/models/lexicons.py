"""What staff keep for the proofreading engine (``xuanchuan.proofing``): lexicon entries added to
or disabling the shipped defaults, the allow-list of findings marked "not an error", and the
leaders' names-and-titles list. District-wide configuration kept by the department; every
change is in the audit trail (who changed what)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import User


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", False)


class DistrictConfigQuerySet(models.QuerySet):
    """District-wide configuration: every signed-in member of staff reads all of it (what gets
    flagged must be the same for everyone); only lexicon keepers change it (``services.lexicons``)."""

    def visible_to(self, user) -> models.QuerySet:
        return self.all() if _signed_in(user) else self.none()


class AllowedFindingQuerySet(models.QuerySet):
    """Site-wide entries are seen by all staff; a publication's entries by whoever sees it."""

    def visible_to(self, user) -> models.QuerySet:
        if not _signed_in(user):
            return self.none()
        from xuanchuan.publishing.models.publications import Publication

        visible = Publication.objects.visible_to(user).values("pk")
        return self.filter(models.Q(scope=AllowScope.SITE) | models.Q(publication__in=visible))


class EntryKind(models.TextChoices):
    SENSITIVE = "sensitive", _("敏感词")
    FORMULATION = "formulation", _("规范表述")
    MISUSED = "misused", _("易错词")


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class EntrySource(models.TextChoices):
    DEFAULT = "default", _("系统默认词库")
    STAFF = "staff", _("人工添加")
    IMPORT = "import", _("Excel 导入")


class LexiconEntry(models.Model):
    """A term of a lexicon. An entry with ``source=default`` mirrors a shipped default term and
    exists only to disable it or change its severity (``is_active=False`` silences it)."""

    kind = models.CharField(_("类别"), max_length=20, choices=EntryKind.choices)
    term = models.CharField(_("词语"), max_length=100)
    suggestion = models.CharField(_("建议改为"), max_length=200, blank=True)
    category = models.CharField(_("分类"), max_length=50, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=EntrySource.choices, default=EntrySource.STAFF)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("添加人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        User, verbose_name=_("最后修改人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    objects = DistrictConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("校对词条")
        verbose_name_plural = _("校对词条")
        ordering = ["kind", "term"]
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="publishing_lexicon_unique_term")]

    def __str__(self) -> str:
        return self.term


class AllowScope(models.TextChoices):
    SITE = "site", _("全站")
    PUBLICATION = "publication", _("本稿件")


class AllowedFinding(models.Model):
    """A finding marked "not an error": the same kind and text stays quiet from then on, in every
    text (``site``) or in one publication."""

    scope = models.CharField(_("范围"), max_length=20, choices=AllowScope.choices)
    publication = models.ForeignKey(
        "publishing.Publication",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="allowed_findings",
    )
    kind = models.CharField(_("问题类别"), max_length=30)
    text = models.CharField(_("文字"), max_length=200)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("标记人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("标记时间"), default=timezone.now)

    objects = AllowedFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("校对白名单")
        verbose_name_plural = _("校对白名单")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "text"], condition=models.Q(scope="site"), name="publishing_allow_site_unique"
            ),
            models.UniqueConstraint(
                fields=["publication", "kind", "text"],
                condition=models.Q(scope="publication"),
                name="publishing_allow_publication_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(scope="site", publication__isnull=True)
                | models.Q(scope="publication", publication__isnull=False),
                name="publishing_allow_scope_matches",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class NameTitle(models.Model):
    """A leader's name with their current titles (职务), so a text naming them with a wrong
    title is flagged ("张三副区长" when 张三 is 区长)."""

    name = models.CharField(_("姓名"), max_length=20)
    titles = models.CharField(_("现任职务"), max_length=200, help_text=_("多个职务用、或空格分开"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        User, verbose_name=_("最后修改人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)

    objects = DistrictConfigQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导姓名职务")
        verbose_name_plural = _("领导姓名职务")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="publishing_nametitle_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.titles}）"
