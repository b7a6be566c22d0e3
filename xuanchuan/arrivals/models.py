"""来返人员登记: registrations, the risk-area list, daily check-ins and the export log.

A registration belongs to the destination community (its ``unit``), so the one scoping rule
gives community staff their community's people, a street its communities' and the district
everyone. Name, document number, phone, address, health and trip details are encrypted; the
county codes of origin and route stay readable because classification and the district's
statistics need them (a county code is shared by hundreds of thousands of people).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import BlindIndexField, EncryptedCharField, EncryptedTextField, mask
from xuanchuan.org.models import UnitOwned, User


class RiskLevel(models.TextChoices):
    """Risk level of an area, and the level a registration is classified at."""

    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")
    NONE = "none", _("非风险地区")


# Higher number, higher risk: a person gets the highest level of every place they came through.
RISK_RANK = {RiskLevel.NONE: 0, RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class DocumentType(models.TextChoices):
    """The document a person registers with."""

    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    OTHER = "other", _("其他证件")


class Transport(models.TextChoices):
    """How the person travelled."""

    PLANE = "plane", _("飞机")
    TRAIN = "train", _("火车")
    BUS = "bus", _("长途客车")
    CAR = "car", _("自驾")
    SHIP = "ship", _("轮船")
    OTHER = "other", _("其他")


class HealthStatus(models.TextChoices):
    """What the person says of their health on arrival."""

    HEALTHY = "healthy", _("健康，无症状")
    SYMPTOMS = "symptoms", _("有发热、咳嗽等症状")


class FollowUpPlan(models.TextChoices):
    """What the destination community does for the person after arrival."""

    NONE = "none", _("无需跟踪")
    HEALTH_MONITORING = "health_monitoring", _("居家健康监测")
    HOME_OBSERVATION = "home_observation", _("居家隔离观察")


class FollowUpStatus(models.TextChoices):
    """Where a registration's follow-up stands; ``MERGED`` marks a folded duplicate."""

    NOT_REQUIRED = "not_required", _("无需跟踪")
    ACTIVE = "active", _("跟踪中")
    COMPLETED = "completed", _("已解除")
    MERGED = "merged", _("已合并")


class Source(models.TextChoices):
    """Who entered the registration."""

    SELF = "self", _("本人登记")
    STAFF = "staff", _("工作人员录入")


class RiskArea(UnitOwned):
    """An area declared at a risk level for a span of days, by division code.

    A code covers the divisions below it: a city declared high-risk makes all its districts so.
    Owned by the unit of the staff member who declared it (normally the district).
    """

    division_code = models.CharField(_("行政区划代码"), max_length=6)
    division_name = models.CharField(_("地区名称"), max_length=100)
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices[:3])
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("不填表示尚未解除"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("风险地区")
        verbose_name_plural = _("风险地区")
        ordering = ["-starts_on", "division_code"]

    def __str__(self) -> str:
        return f"{self.division_name}（{self.get_level_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("arrivals:riskarea_edit", args=[self.pk])

    def active_during(self, first: date, last: date) -> bool:
        """Whether the area was at risk on any day of ``[first, last]``."""
        return self.starts_on <= last and (self.ends_on is None or self.ends_on >= first)


class Registration(UnitOwned):
    """One person's arrival in the district: one row per person, arrival date and phone.

    ``dedupe_key`` (a keyed hash of the document number, the arrival date and the phone) is
    unique, so a resubmission — a double tap, a retry, a second thread — finds the row instead of
    adding one. ``day_key`` (a keyed hash of the document number and the arrival date, also
    unique) is held by one registration of a person and day: another one with a different phone
    is a registration of its own without it — a *possible duplicate* that community staff check
    and merge (the submitter is answered as any first registrant, so the answer never tells
    whether that ID arrived that day). A merged duplicate loses both keys and points at the
    record that was kept.
    """

    receipt_code = models.CharField(_("回执码"), max_length=32, unique=True)
    dedupe_key = models.CharField(_("去重键"), max_length=64, null=True, blank=True, unique=True, editable=False)
    day_key = models.CharField(
        _("同人同日键"), max_length=64, null=True, blank=True, unique=True, editable=False,
        help_text=_("同一证件号码同一到达日期只有一条登记持有；没有的（且未合并）即疑似重复登记"),
    )  # fmt: skip
    source = models.CharField(_("登记方式"), max_length=10, choices=Source.choices, default=Source.SELF)

    name = EncryptedCharField(_("姓名"), max_length=50, kind="name")
    document_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    id_number = EncryptedCharField(_("证件号码"), max_length=30, kind="id_number")
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedCharField(_("手机号码"), max_length=20, kind="phone")
    phone_index = BlindIndexField(source="phone")

    origin_code = models.CharField(_("出发地代码"), max_length=6, db_index=True)
    via_codes = models.CharField(_("途经地代码"), max_length=200, blank=True, help_text=_("以逗号分隔"))
    travel_notes = EncryptedTextField(_("行程说明"), kind="travel", blank=True)
    transport = models.CharField(_("交通方式"), max_length=10, choices=Transport.choices)
    trip_number = EncryptedCharField(_("车次/航班/车牌"), max_length=30, kind="travel", blank=True)
    arrival_date = models.DateField(_("到达日期"), db_index=True)
    address = EncryptedCharField(_("居住地址"), max_length=200, kind="text")
    health_status = EncryptedCharField(_("健康状况"), max_length=20, kind="health", choices=HealthStatus.choices)
    symptoms = EncryptedTextField(_("症状说明"), kind="health", blank=True)
    consent_at = models.DateTimeField(_("同意告知时间"), null=True, blank=True)

    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE)
    risk_reason = models.CharField(_("判定依据"), max_length=300, blank=True)
    classified_at = models.DateTimeField(_("判定时间"), null=True, blank=True)
    plan = models.CharField(_("跟踪措施"), max_length=30, choices=FollowUpPlan.choices, default=FollowUpPlan.NONE)
    follow_up_start = models.DateField(_("跟踪起始日"), null=True, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(_("跟踪天数"), default=0)
    follow_up_status = models.CharField(
        _("跟踪状态"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.NOT_REQUIRED
    )
    completed_on = models.DateField(_("解除日期"), null=True, blank=True)
    completed_by = models.ForeignKey(
        User, verbose_name=_("解除人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并到"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )

    class Meta:
        verbose_name = _("来返人员登记")
        verbose_name_plural = _("来返人员登记")
        ordering = ["-arrival_date", "-id"]
        indexes = [
            models.Index(fields=["follow_up_status", "follow_up_start"], name="arrivals_followup_idx"),
            models.Index(fields=["risk_level", "arrival_date"], name="arrivals_risk_idx"),
            # The report's figures count from these alone (index-only), for the district or a street.
            models.Index(
                fields=["arrival_date", "follow_up_status", "plan", "risk_level", "unit"],
                name="arrivals_reg_arrived_idx",
            ),
            models.Index(
                fields=["follow_up_status", "completed_on", "follow_up_start", "plan", "unit"],
                name="arrivals_reg_released_idx",
            ),
            # The daily list's counts and order over the people under follow-up, from the index
            # alone (a few per cent of the rows: partial).
            models.Index(
                fields=["follow_up_start", "unit", "follow_up_days", "id", "day_key"],
                condition=models.Q(follow_up_status="active"),
                name="arrivals_reg_active_idx",
            ),
            # The duplicates page groups unmerged registrations by document number from the index alone.
            models.Index(
                fields=["id_number_index", "unit"],
                condition=~models.Q(follow_up_status="merged") & ~models.Q(id_number_index=""),
                name="arrivals_reg_person_idx",
            ),
            # Possible duplicates (and merged rows): the few rows without a day key, for the to-do.
            models.Index(
                fields=["arrival_date", "unit"],
                condition=models.Q(day_key__isnull=True),
                name="arrivals_reg_no_day_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{mask(self.name, 'name')}（{self.arrival_date:%Y-%m-%d}到达）"

    def get_absolute_url(self) -> str:
        return reverse("arrivals:registration_detail", args=[self.pk])

    @property
    def follow_up_end(self) -> date | None:
        """The last day of the follow-up (day ``follow_up_days``)."""
        if self.follow_up_start is None or not self.follow_up_days:
            return None
        return self.follow_up_start + timedelta(days=self.follow_up_days - 1)

    def day_number(self, day: date | None = None) -> int | None:
        """Which day of the follow-up ``day`` is; day 1 is the official start date."""
        if self.follow_up_start is None:
            return None
        return ((day or timezone.localdate()) - self.follow_up_start).days + 1

    @property
    def possible_duplicate(self) -> bool:
        """Registered with the document number and arrival date of another record but another
        phone, and not merged yet (see ``POSSIBLE_DUPLICATE``)."""
        return self.day_key is None and self.follow_up_status != FollowUpStatus.MERGED and bool(self.id_number_index)

    @property
    def via_code_list(self) -> list[str]:
        return [code for code in self.via_codes.split(",") if code]

    @property
    def masked_name(self) -> str:
        return mask(self.name, "name")

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number, "id_number")

    @property
    def masked_phone(self) -> str:
        return mask(self.phone, "phone")

    @property
    def origin_name(self) -> str:
        from xuanchuan.arrivals.divisions import full_name

        return full_name(self.origin_code)


# The rows of ``Registration.possible_duplicate``, as a condition for queries (an erased row has no
# document number left to compare).
POSSIBLE_DUPLICATE = (
    models.Q(day_key__isnull=True) & ~models.Q(follow_up_status=FollowUpStatus.MERGED) & ~models.Q(id_number_index="")
)


class CheckIn(UnitOwned):
    """One day's health check of a person under follow-up (temperature and symptoms)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("登记"), on_delete=models.CASCADE, related_name="check_ins"
    )
    day = models.DateField(_("日期"))
    day_number = models.PositiveSmallIntegerField(_("第几天"))
    temperature = EncryptedCharField(_("体温（℃）"), max_length=5, kind="health")
    abnormal = models.BooleanField(_("异常"), default=False, help_text=_("体温不低于37.3℃或有症状"))
    symptoms = EncryptedTextField(_("症状"), kind="health", blank=True)

    class Meta:
        verbose_name = _("健康打卡")
        verbose_name_plural = _("健康打卡")
        ordering = ["registration", "day"]
        constraints = [models.UniqueConstraint(fields=["registration", "day"], name="arrivals_one_checkin_a_day")]
        # A day's check-ins of the people on the daily list, counted from the index alone.
        indexes = [models.Index(fields=["day", "registration"], name="arrivals_checkin_day_idx")]

    def __str__(self) -> str:
        return f"{self.registration} 第{self.day_number}天"


class CorrectionStatus(models.TextChoices):
    """Where a registrant's held correction stands."""

    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("已拒绝")


class PendingCorrection(UnitOwned):
    """A registrant's correction of the route or arrival date that would end or shorten an active
    follow-up: held here until community staff approve it (then applied) or refuse it.

    The registrant's other corrections apply at once; at most one is pending per registration (a
    newer correction replaces it). Owned by the registration's community.
    """

    registration = models.ForeignKey(
        Registration, verbose_name=_("登记"), on_delete=models.CASCADE, related_name="corrections"
    )
    origin_code = models.CharField(_("出发地代码"), max_length=6)
    via_codes = models.CharField(_("途经地代码"), max_length=200, blank=True)
    arrival_date = models.DateField(_("到达日期"))
    proposed_level = models.CharField(_("更正后风险等级"), max_length=10, choices=RiskLevel.choices)
    proposed_plan = models.CharField(_("更正后跟踪措施"), max_length=30, choices=FollowUpPlan.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待审核的登记更正")
        verbose_name_plural = _("待审核的登记更正")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(status="pending"),
                name="arrivals_one_pending_correction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.get_status_display()}"

    @property
    def origin_name(self) -> str:
        from xuanchuan.arrivals.divisions import full_name

        return full_name(self.origin_code)


class ExportLog(UnitOwned):
    """One Excel export of registrations: who, when, how many rows, masked or in full.

    ``query`` names the filters used, with a searched document number or phone masked.
    """

    rows = models.PositiveIntegerField(_("行数"))
    unmasked = models.BooleanField(_("含完整个人信息"), default=False)
    query = models.CharField(_("筛选条件"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_by} {self.created_at:%Y-%m-%d %H:%M} {self.rows}"
