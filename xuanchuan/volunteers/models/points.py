"""Good-deed points (道德信贷 / 文明实践积分): an account per person or per household, a ledger of
entries that is never changed (the balance is always the sum of the entries, and never negative),
rules for good deeds and deductions, claims reviewed by staff, expiry, and redemption at the
points shop and partner merchants.

Points are whole numbers (1 point is what a scheme says it is worth). They are kept apart from
service hours: hours earn points at a configurable rate when a ``ServiceRecord`` is confirmed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.screen_codes import normalise, random_code
from xuanchuan.org.models import UnitOwned, User
from xuanchuan.org.scoping import ScopedManager


class PointsAccount(UnitOwned):
    """The points account of one volunteer or one household (exactly one of the two). ``balance`` is
    kept with the entries under a row lock and a database check keeps it from going below zero, so
    two redemptions at the same moment cannot both spend the same points."""

    volunteer = models.OneToOneField(
        "volunteers.Volunteer",
        verbose_name=_("志愿者"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="points_account",
    )
    household = models.OneToOneField(
        "volunteers.Household",
        verbose_name=_("家庭户"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="points_account",
    )
    balance = models.IntegerField(_("积分余额"), default=0)

    class Meta:
        verbose_name = _("积分账户")
        verbose_name_plural = _("积分账户")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="volunteers_balance_not_negative"),
            models.CheckConstraint(
                condition=(Q(volunteer__isnull=False) & Q(household__isnull=True))
                | (Q(volunteer__isnull=True) & Q(household__isnull=False)),
                name="volunteers_account_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id or ''}{self.household_id or ''}: {self.balance}"


class RuleKind(models.TextChoices):
    GOOD_DEED = "good_deed", _("加分项")
    DEDUCTION = "deduction", _("扣分项")


class PointRule(UnitOwned):
    """An item of the points catalogue: a good deed that earns or misconduct that loses ``points``,
    with the evidence it needs and a yearly cap per account (0: none). ``unit`` keeps the rule; a
    community uses its own rules and those of the units above it."""

    kind = models.CharField(_("类别"), max_length=10, choices=RuleKind.choices)
    name = models.CharField(_("事项"), max_length=120)
    points = models.PositiveIntegerField(_("分值"))
    evidence = models.CharField(_("所需证明"), max_length=200, blank=True)
    yearly_cap = models.PositiveIntegerField(_("每年上限（分，0为不限）"), default=0)
    for_households = models.BooleanField(_("计入家庭户"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "name"], name="volunteers_rule_name_per_unit"),
            models.CheckConstraint(condition=Q(points__gt=0), name="volunteers_rule_points_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


class GoodDeedClaim(UnitOwned):
    """A good deed reported (by the volunteer on their phone or by staff) for points under a rule;
    points are entered only when someone other than the reporter approves it."""

    account = models.ForeignKey(
        PointsAccount, verbose_name=_("积分账户"), on_delete=models.PROTECT, related_name="claims"
    )
    rule = models.ForeignKey(PointRule, verbose_name=_("积分规则"), on_delete=models.PROTECT, related_name="claims")
    description = models.CharField(_("事迹"), max_length=500)
    happened_on = models.DateField(_("发生日期"))
    by_volunteer = models.BooleanField(_("本人申报"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("好人好事申报")
        verbose_name_plural = _("好人好事申报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.description[:30]


class EntryKind(models.TextChoices):
    HOURS = "hours", _("志愿服务时长")
    GOOD_DEED = "good_deed", _("好人好事")
    DEDUCTION = "deduction", _("扣分")
    EXPIRY = "expiry", _("过期清零")
    REDEMPTION = "redemption", _("兑换")
    REFUND = "refund", _("兑换取消退回")
    CORRECTION = "correction", _("时长更正调整")


class PointEntry(models.Model):
    """One line of an account's ledger, never changed or deleted: ``amount`` is positive for points
    earned, negative for points spent, deducted or expired. Earned points expire on ``expires_on``
    (none when expiry is off); what is spent is taken from the oldest first."""

    account = models.ForeignKey(
        PointsAccount, verbose_name=_("积分账户"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    amount = models.IntegerField(_("积分变动"))
    balance_after = models.IntegerField(_("变动后余额"))
    expires_on = models.DateField(_("到期日"), null=True, blank=True)
    record = models.ForeignKey(
        "volunteers.ServiceRecord",
        verbose_name=_("服务记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="point_entries",
    )
    claim = models.ForeignKey(
        GoodDeedClaim, verbose_name=_("申报"), on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    rule = models.ForeignKey(
        PointRule, verbose_name=_("积分规则"), on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    redemption = models.ForeignKey(
        "volunteers.Redemption",
        verbose_name=_("兑换"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    by = models.ForeignKey(
        User, verbose_name=_("经办人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), db_index=True)

    scope_unit_path = "account__unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("积分明细")
        verbose_name_plural = _("积分明细")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="volunteers_entry_not_zero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="volunteers_entry_balance_not_negative"),
        ]
        indexes = [models.Index(fields=["account", "at"], name="volunteers_entry_account_idx")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount:+d}"


class MerchantKind(models.TextChoices):
    SHOP = "shop", _("积分超市")
    PARTNER = "partner", _("合作商户")


class Merchant(UnitOwned):
    """The points shop of a station or a partner merchant; ``staff`` are the accounts that may
    confirm redemptions there by scanning the volunteer's code."""

    kind = models.CharField(_("类型"), max_length=10, choices=MerchantKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("营业时间"), max_length=100, blank=True)
    staff = models.ManyToManyField(User, verbose_name=_("核销人员"), blank=True, related_name="+")
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("兑换点")
        verbose_name_plural = _("兑换点")
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class Goods(UnitOwned):
    """An item that can be had for points at a merchant: its price in points and its stock."""

    merchant = models.ForeignKey(Merchant, verbose_name=_("兑换点"), on_delete=models.PROTECT, related_name="goods")
    name = models.CharField(_("名称"), max_length=100)
    points = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    active = models.BooleanField(_("上架"), default=True)

    class Meta:
        verbose_name = _("兑换物品")
        verbose_name_plural = _("兑换物品")
        ordering = ["points", "name"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="volunteers_goods_points_positive")]

    def __str__(self) -> str:
        return self.name


class RedemptionStatus(models.TextChoices):
    RESERVED = "reserved", _("待核销")
    CONFIRMED = "confirmed", _("已核销")
    CANCELLED = "cancelled", _("已取消")
    EXPIRED = "expired", _("已过期")


def redemption_code() -> str:
    """The code the volunteer shows at the merchant (as a QR code and in writing): 12 characters
    (60 bits) of ``core.screen_codes.ALPHABET``, so a clerk typing it cannot mistake I for 1."""
    return random_code(12)


def normalise_redemption_code(typed: str) -> str:
    """A code as typed (``ab12 cd34-ef56``, lower case, O for 0) in the form it is stored."""
    return normalise(typed)


class Redemption(UnitOwned):
    """Points exchanged for goods: the points are taken and the stock held when the volunteer asks
    (so the balance can never be spent twice), and the merchant confirms by scanning ``code``; a
    cancelled or expired redemption gives the points and the stock back."""

    account = models.ForeignKey(
        PointsAccount, verbose_name=_("积分账户"), on_delete=models.PROTECT, related_name="redemptions"
    )
    goods = models.ForeignKey(Goods, verbose_name=_("物品"), on_delete=models.PROTECT, related_name="redemptions")
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    points = models.PositiveIntegerField(_("积分"))
    code = models.CharField(_("核销码"), max_length=16, unique=True, default=redemption_code)
    status = models.CharField(
        _("状态"), max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.RESERVED
    )
    expires_at = models.DateTimeField(_("核销截止时间"))
    confirmed_at = models.DateTimeField(_("核销时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("核销人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="volunteers_redemption_quantity")]

    def __str__(self) -> str:
        return self.code
