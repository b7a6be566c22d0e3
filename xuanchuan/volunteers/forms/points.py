"""Forms and filters of the points part: input checks only; the rules of the work are in
``services.points``. Choices are always limited to what the user (or the volunteer) may use."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit
from xuanchuan.volunteers.models import (
    Goods,
    Household,
    Merchant,
    MerchantKind,
    PointRule,
    Redemption,
    RedemptionStatus,
    RuleKind,
    Volunteer,
    VolunteerStatus,
)
from xuanchuan.volunteers.services.points import usable_rule_units, usable_rules
from xuanchuan.volunteers.services.shop import eligible_clerks

MAX_POINTS = 100_000


def _units(user: Any) -> Any:
    return Unit.objects.visible_to(user).order_by("path")


def rules_for_staff(user: Any, kind: str | None, *, active_only: bool = True) -> Any:
    """Rules (of ``kind``, active ones only unless told) the user works with: those of their scope
    and of the units above their unit."""
    above = usable_rule_units(user.unit) if user.unit_id else []
    visible = PointRule.objects.visible_to(user).values("pk")
    rules = PointRule.objects.filter(Q(pk__in=visible) | Q(unit__in=above))
    if kind:
        rules = rules.filter(kind=kind)
    if active_only:
        rules = rules.filter(active=True)
    return rules.select_related("unit").order_by("kind", "unit__path", "name")


class RuleForm(forms.ModelForm):
    """An item of the points catalogue and the unit that keeps it."""

    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none())

    class Meta:
        model = PointRule
        fields = ["unit", "kind", "name", "points", "evidence", "yearly_cap", "for_households", "active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["points"].validators.append(_max(MAX_POINTS))
        self.fields["yearly_cap"].validators.append(_max(MAX_POINTS * 10))
        if self.instance.pk:
            del self.fields["unit"]
        style_form(self)


def _max(limit: int) -> Any:
    from django.core.validators import MaxValueValidator

    return MaxValueValidator(limit)


class RuleFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=RuleKind.choices)
    active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = PointRule
        fields = ["kind", "active"]


def _check_day(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("发生日期不能晚于今天。"))
    if value < datetime.date(2000, 1, 1):
        raise forms.ValidationError(_("日期不正确。"))
    return value


class PhoneClaimForm(forms.Form):
    """A volunteer's own report of a good deed (on the phone)."""

    rule = forms.ModelChoiceField(label=_("事项"), queryset=PointRule.objects.none(), empty_label=_("请选择"))
    description = forms.CharField(label=_("事迹经过"), max_length=500, widget=forms.Textarea(attrs={"rows": 4}))
    happened_on = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, volunteer: Volunteer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = usable_rules(volunteer.unit, kind=RuleKind.GOOD_DEED)
        self.fields["happened_on"].initial = timezone.localdate()
        style_form(self, "lg")

    def clean_happened_on(self) -> datetime.date:
        return _check_day(self.cleaned_data["happened_on"])


class StaffClaimForm(forms.Form):
    """Staff enter a good deed for a volunteer (by their volunteer number) or a household."""

    rule = forms.ModelChoiceField(label=_("事项"), queryset=PointRule.objects.none())
    volunteer_number = forms.CharField(label=_("志愿者编号"), max_length=16, required=False)
    household = forms.ModelChoiceField(label=_("或家庭户"), queryset=Household.objects.none(), required=False)
    description = forms.CharField(label=_("事迹经过"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    happened_on = forms.DateField(label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["rule"].queryset = rules_for_staff(user, RuleKind.GOOD_DEED)
        self.fields["household"].queryset = Household.objects.visible_to(user).order_by("unit__path", "number")
        style_form(self)

    def clean_happened_on(self) -> datetime.date:
        return _check_day(self.cleaned_data["happened_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number = (data.get("volunteer_number") or "").strip().upper()
        household = data.get("household")
        if bool(number) == bool(household):
            raise forms.ValidationError(_("请填写志愿者编号或选择家庭户（二选一）。"))
        data["volunteer"] = None
        if number:
            volunteer = (
                Volunteer.objects.visible_to(self.user).filter(number=number, status=VolunteerStatus.ACTIVE).first()
            )
            if volunteer is None:
                self.add_error("volunteer_number", _("没有找到该编号的志愿者。"))
            data["volunteer"] = volunteer
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        style_form(self)


class DeductForm(forms.Form):
    """A deduction under a rule or of a free amount, with the reason (required)."""

    rule = forms.ModelChoiceField(label=_("扣分规则"), queryset=PointRule.objects.none(), required=False)
    amount = forms.IntegerField(label=_("或扣分分值"), min_value=1, max_value=MAX_POINTS, required=False)
    reason = forms.CharField(label=_("扣分理由"), max_length=200)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = usable_rules(unit, kind=RuleKind.DEDUCTION)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("rule")) == bool(data.get("amount")):
            raise forms.ValidationError(_("请选择扣分规则或填写扣分分值（二选一）。"))
        return data


class HouseholdForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所在社区（村）"), queryset=Unit.objects.none())
    number = forms.CharField(label=_("户号"), max_length=30)
    head_name = forms.CharField(label=_("户主姓名"), max_length=50)
    address = forms.CharField(label=_("住址"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user).filter(unit_type__in=GRASSROOTS_TYPES)
        if editing:
            del self.fields["unit"]
        style_form(self)


class MemberForm(forms.Form):
    volunteer_number = forms.CharField(label=_("志愿者编号"), max_length=16)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        style_form(self)

    def clean_volunteer_number(self) -> Volunteer:
        number = self.cleaned_data["volunteer_number"].strip().upper()
        # scoping: allowed — a member must be of the household's own community (checked here and by the service).
        volunteer = Volunteer.objects.filter(unit=self.household.unit, number=number).first()
        if volunteer is None:
            raise forms.ValidationError(_("本社区没有该编号的志愿者。"))
        return volunteer


class MerchantForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none())

    class Meta:
        model = Merchant
        fields = ["unit", "kind", "name", "address", "opening_hours", "staff", "active"]
        widgets = {"staff": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        scope = self.instance.unit if self.instance.pk else user.unit
        self.fields["staff"].queryset = eligible_clerks(user, scope) if scope else self.fields["staff"].queryset.none()
        self.fields["staff"].label_from_instance = lambda person: f"{person.full_name}（{person.username}）"
        self.fields["kind"].initial = MerchantKind.SHOP
        if self.instance.pk:
            del self.fields["unit"]
        style_form(self)
        self.fields["staff"].widget.attrs["class"] = ""


class GoodsForm(forms.ModelForm):
    class Meta:
        model = Goods
        fields = ["name", "points", "stock", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"].validators.append(_max(MAX_POINTS))
        self.fields["stock"].validators.append(_max(MAX_POINTS))
        style_form(self)


class RedemptionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RedemptionStatus.choices)

    class Meta:
        model = Redemption
        fields = ["status"]


class LookupForm(forms.Form):
    code = forms.CharField(label=_("核销码"), max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, "lg")


class RankingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("社区（村）"), queryset=Unit.objects.none())
    start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user).filter(unit_type__in=GRASSROOTS_TYPES)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > 3 * 366):
            raise forms.ValidationError(_("日期范围不正确（最长三年）。"))
        return data
