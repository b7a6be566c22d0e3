"""Units, roles and people: who works where, and so who may see what."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from xuanchuan.core.pii.fields import BlindIndexField, EncryptedCharField
from xuanchuan.core.pii.validators import validate_mobile
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet


class UnitType(models.TextChoices):
    DISTRICT = "district", _("区")
    PARTY_DEPARTMENT = "party_dept", _("区委部门")
    GOVERNMENT_DEPARTMENT = "gov_dept", _("政府部门")
    STREET = "street", _("街道")
    TOWN = "town", _("乡镇")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    INSTITUTION = "institution", _("企事业单位")
    OTHER = "other", _("其他")


# Units that count as the "机关单位" of the report (departments of the district's Party
# committee and government); the grass-roots levels are counted separately.
AGENCY_TYPES = (UnitType.PARTY_DEPARTMENT, UnitType.GOVERNMENT_DEPARTMENT)
GRASSROOTS_TYPES = (UnitType.COMMUNITY, UnitType.VILLAGE)
SUBDISTRICT_TYPES = (UnitType.STREET, UnitType.TOWN)


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    """Units, ordered as a tree, scoped by their own path."""

    def with_parent_name(self) -> UnitQuerySet:
        """Annotate ``parent_name`` in the same query (no query per row for the parent)."""
        parent = Unit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen))
        return self.annotate(parent_name=Subquery(parent.values("name")[:1]))

    def active_on(self, day):
        return self.filter(models.Q(established_on__isnull=True) | models.Q(established_on__lte=day)).filter(
            models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=day)
        )


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):  # type: ignore[misc]
    """treebeard's tree operations (``add_root``, ``add_child``, ``move``) plus scoping."""

    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """A unit of the district: the district itself, a department, a street or town, a community
    or village, or an institution. The tree's materialised ``path`` is what scoping compares."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    unit_type = models.CharField(_("类型"), max_length=20, choices=UnitType.choices)
    code = models.CharField(
        _("单位代码"), max_length=32, unique=True, help_text=_("统一社会信用代码或本区内部编码，全区唯一")
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("设立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    node_order_by = None
    scope_unit_path = "path"

    objects = UnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["unit_type"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None or self.dissolved_on > timezone.localdate()

    def subtree(self) -> UnitQuerySet:
        return Unit.objects.filter(path__startswith=self.path)


class Role(models.Model):
    """A role a person holds. Flags on the role decide district-wide sight, access to personal
    data and whether a second factor is required; modules check roles by ``code``."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sees_all_units = models.BooleanField(_("可查看全区数据"), default=False)
    can_view_personal_data = models.BooleanField(
        _("可查看个人信息全文"),
        default=False,
        help_text=_("持有此角色的人员登录时必须使用动态口令（第二因素）"),
    )
    permissions = models.ManyToManyField(
        "auth.Permission",
        verbose_name=_("权限"),
        blank=True,
        related_name="roles",
        help_text=_("持有此角色的人员在系统配置中拥有的权限"),
    )

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RoleCode:
    """Codes of the roles every installation has (created by a data migration)."""

    DEPARTMENT_ADMIN = "dept_admin"
    UNIT_REPORTER = "unit_reporter"
    REVIEWER_FIRST = "reviewer_first"
    REVIEWER_SECOND = "reviewer_second"
    REVIEWER_FINAL = "reviewer_final"
    COMMUNITY_WORKER = "community_worker"
    CHECKPOINT_GUARD = "checkpoint_guard"
    NETWORK_ADMIN = "network_admin"
    CIVILITY_INSPECTOR = "civility_inspector"
    POINTS_CLERK = "points_clerk"

    ALL = (
        DEPARTMENT_ADMIN,
        UNIT_REPORTER,
        REVIEWER_FIRST,
        REVIEWER_SECOND,
        REVIEWER_FINAL,
        COMMUNITY_WORKER,
        CHECKPOINT_GUARD,
        NETWORK_ADMIN,
        CIVILITY_INSPECTOR,
        POINTS_CLERK,
    )


class UserQuerySet(ScopedQuerySet):
    """People, scoped by the unit they work in."""


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Keeps ``create_user`` and adds ``visible_to``."""


class User(AbstractUser):
    """A person who signs in: a member of one unit, holding one or more roles."""

    full_name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="users")
    job_title = models.CharField(_("职务"), max_length=50, blank=True)
    mobile = EncryptedCharField(_("手机号码"), max_length=20, kind="phone", blank=True, validators=[validate_mobile])
    mobile_index = BlindIndexField(source="mobile")
    deactivated_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    scope_unit_path = "unit__path"
    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("org:person_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_names(self) -> str:
        return "、".join(role.name for role in self.roles.all())

    @property
    def status_label(self) -> str:
        return str(_("启用") if self.is_active else _("停用"))

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(self.roles.values_list("code", flat=True))

    def has_role(self, *codes: str) -> bool:
        return self.is_superuser or bool(self.role_codes.intersection(codes))

    @cached_property
    def _role_flags(self) -> dict[str, bool]:
        flags = self.roles.aggregate(
            all_units=models.Count("pk", filter=models.Q(sees_all_units=True)),
            personal=models.Count("pk", filter=models.Q(can_view_personal_data=True)),
        )
        return {"all_units": bool(flags["all_units"]), "personal": bool(flags["personal"])}

    @property
    def sees_all_units(self) -> bool:
        return self._role_flags["all_units"]

    @property
    def can_view_personal_data(self) -> bool:
        return self.is_superuser or self._role_flags["personal"]

    @property
    def needs_second_factor(self) -> bool:
        """People who may read personal data in full must sign in with a second factor."""
        return self.can_view_personal_data

    @cached_property
    def unit_path(self) -> str | None:
        return self.unit.path if self.unit_id else None

    def save(self, *args, **kwargs) -> None:
        # The retention of a former member's personal data runs from the day the account stopped.
        stamp = None if self.is_active else (self.deactivated_at or timezone.now())
        if stamp != self.deactivated_at:
            self.deactivated_at = stamp
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "deactivated_at"}
        super().save(*args, **kwargs)


class UnitOwned(models.Model):
    """Base of every business record: owned by a unit, scoped through it, stamped in time."""

    unit = models.ForeignKey(Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        User, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    scope_unit_path = "unit__path"
    objects = ScopedManager()

    class Meta:
        abstract = True
