"""Forms of the volunteers app's sites part: input checks only (the rules are in
``services.sites``), and the filters of the site and team lists."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.org.models import GRASSROOTS_TYPES, SUBDISTRICT_TYPES, Unit, UnitType
from xuanchuan.volunteers.models import Brand, MemberRole, Membership, PracticeSite, SiteLevel, Team
from xuanchuan.volunteers.queries import sites as queries

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATE_MIN, DATE_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
SITE_UNIT_TYPES = (UnitType.DISTRICT, *SUBDISTRICT_TYPES, *GRASSROOTS_TYPES)


def _units(user: Any, types: tuple[str, ...] | None = None) -> QuerySet[Unit]:
    units = Unit.objects.visible_to(user).active_on(timezone.localdate())
    return units.filter(unit_type__in=types) if types else units


class ServiceRulesForm(forms.ModelForm):
    """A model form whose uniqueness rules (one site per unit, names unique within a unit) are
    left to the service, which refuses them with a Chinese sentence naming the unit."""

    def _get_validation_exclusions(self) -> set[str]:
        # Django skips a constraint when one of its fields is excluded; the form fields still
        # check what was typed (required, length, a choice among the user's units).
        exclude = super()._get_validation_exclusions()
        for constraint in self._meta.model._meta.constraints:
            exclude.update(getattr(constraint, "fields", ()))
        return exclude


def _check_day(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not DATE_MIN <= value <= DATE_MAX:
        raise forms.ValidationError(_("日期应在 2000 年到 2100 年之间。"))
    return value


class SiteForm(ServiceRulesForm):
    class Meta:
        model = PracticeSite
        fields = ["unit", "level", "name", "address", "opening_hours", "phone", "description", "show_ranking", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "unit": _("区设中心，街道、乡镇设实践所，社区、村设实践站；每个单位只设一个。"),
            "show_ranking": _("只对实践站有效：勾选后在本社区（村）公开道德信贷积分排行（姓名隐去部分）。"),
            "opening_hours": _("例如：周一至周五 9:00—17:00"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user, SITE_UNIT_TYPES)
        self.fields["unit"].label = _("所在单位")
        style_form(self, "")


class BrandForm(ServiceRulesForm):
    class Meta:
        model = Brand
        fields = ["unit", "name", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"active": _("停用的品牌不能再被新队伍选用；已使用的品牌不能删除，只能停用。")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["unit"].label = _("所属单位")
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("unit", getattr(user, "unit_id", None))
        style_form(self, "")


class TeamForm(ServiceRulesForm):
    class Meta:
        model = Team
        fields = ["unit", "name", "brand", "site", "description", "founded_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["unit"].queryset = _units(user)
        self.fields["unit"].label = _("所属单位")
        keep_brand = Q(pk=instance.brand_id) if instance.brand_id else Q(pk__in=[])
        keep_site = Q(pk=instance.site_id) if instance.site_id else Q(pk__in=[])
        offered_brands = queries.offered_brands(user).values("pk")
        offered_sites = queries.offered_sites(user).values("pk")
        # scoping: allowed — the brands and sites offered to the user's teams, and the team's own.
        self.fields["brand"].queryset = Brand.objects.filter(Q(pk__in=offered_brands) | keep_brand).order_by("name")
        # scoping: allowed — same.
        self.fields["site"].queryset = PracticeSite.objects.filter(Q(pk__in=offered_sites) | keep_site).order_by(
            "unit__path"
        )
        if not self.is_bound and instance.pk is None:
            self.initial.setdefault("unit", getattr(user, "unit_id", None))
            self.initial.setdefault("founded_on", timezone.localdate())
        style_form(self, "")

    def clean_founded_on(self) -> Any:
        return _check_day(self.cleaned_data.get("founded_on"))


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(
        label=_("撤销日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("留空即为今天。"),
    )
    reason = forms.CharField(label=_("撤销原因"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")

    def clean_dissolved_on(self) -> Any:
        return _check_day(self.cleaned_data.get("dissolved_on"))


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("退出日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("留空即为今天。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")

    def clean_left_on(self) -> Any:
        return _check_day(self.cleaned_data.get("left_on"))


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("志愿者编号、身份证号码或手机号码"),
        max_length=40,
        help_text=_("须输入完整号码（不支持部分号码查找）。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_(
            "请使用下载的模板：姓名、身份证号码、手机号码、住址、技能特长、所在社区（村）。任何一行有错误，整个文件都不导入。"
        ),
    )
    consented = forms.BooleanField(
        label=_("本队已取得以上人员同意"),
        help_text=_("已告知名单中的每个人其个人信息将用于志愿服务记录、活动组织和证明出具，并取得其同意。"),
        error_messages={"required": _("请确认本队已取得以上人员同意后再导入。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"))
        return upload


class SiteFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("层级"), choices=SiteLevel.choices, empty_label=_("全部"))
    active = django_filters.ChoiceFilter(
        label=_("状态"), choices=[("yes", _("启用")), ("no", _("停用"))], method="filter_active", empty_label=_("全部")
    )

    class Meta:
        model = PracticeSite
        fields = ["level", "active"]

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(active=value == "yes") if value else queryset


class BrandFilterSet(django_filters.FilterSet):
    active = django_filters.ChoiceFilter(
        label=_("状态"), choices=[("yes", _("启用")), ("no", _("停用"))], method="filter_active", empty_label=_("全部")
    )

    class Meta:
        model = Brand
        fields = ["active"]

    filter_active = SiteFilterSet.filter_active


class TeamFilterSet(django_filters.FilterSet):
    brand = django_filters.ModelChoiceFilter(label=_("品牌"), queryset=Brand.objects.none(), empty_label=_("全部"))
    site = django_filters.ModelChoiceFilter(
        label=_("依托阵地"), queryset=PracticeSite.objects.none(), empty_label=_("全部")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("active", _("在册")), ("dissolved", _("已撤销"))],
        method="filter_state",
        empty_label=_("全部"),
    )

    leader = django_filters.ChoiceFilter(
        label=_("队长"), choices=[("none", _("未设队长"))], method="filter_leader", empty_label=_("全部")
    )

    class Meta:
        model = Team
        fields = ["brand", "site", "unit", "state", "leader"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["brand"].queryset = queries.offered_brands(user)
        self.filters["site"].queryset = PracticeSite.objects.visible_to(user).order_by("unit__path")
        self.filters["unit"].queryset = Unit.objects.visible_to(user)

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        """A unit and the units below it."""
        return queryset.within(value) if value else queryset

    def filter_leader(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value != "none":
            return queryset
        leader = Membership.objects.filter(  # scoping: allowed (the team's own memberships)
            team=OuterRef("pk"), role=MemberRole.LEADER, left_on__isnull=True
        )
        return queryset.exclude(Exists(leader))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "active":
            return queryset.filter(dissolved_on__isnull=True)
        if value == "dissolved":
            return queryset.filter(dissolved_on__isnull=False)
        return queryset
