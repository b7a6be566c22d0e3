"""Who answers for which place (包街、包帮): a unit, for some or all categories, for a period."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.civility.models.standards import Category, Place
from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager, ScopedQuerySet


class AssignmentKind(models.TextChoices):
    STREET = "street", _("包街")
    SUPPORT = "support", _("包帮")
    PLACE = "place", _("包点")


class AssignmentQuerySet(ScopedQuerySet):
    """An assignment is seen by its responsible unit's line, the line keeping the place list and the
    line of the unit whose area the place lies in."""

    def scope_q(self, unit_path: str) -> Q:
        return (
            Q(unit__path__startswith=unit_path)
            | Q(place__unit__path__startswith=unit_path)
            | Q(place__area__path__startswith=unit_path)
        )


class Assignment(UnitOwned):
    """``unit`` answers for ``place`` from ``starts_on`` to ``ends_on`` (open-ended when empty), for the
    listed categories (all when none); ``leader`` receives the 督办 notices of its overdue tickets."""

    place = models.ForeignKey(Place, verbose_name=_("点位"), on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField(_("责任形式"), max_length=10, choices=AssignmentKind.choices, default=AssignmentKind.STREET)
    categories = models.ManyToManyField(Category, verbose_name=_("负责的问题类别"), blank=True, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    leader = models.ForeignKey(
        User, verbose_name=_("责任领导"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ScopedManager.from_queryset(AssignmentQuerySet)()

    class Meta:
        verbose_name = _("包街包帮责任")
        verbose_name_plural = _("包街包帮责任")
        ordering = ["place", "unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="civility_assignment_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.place}"
