"""Forms of the people part: registering and signing in on a phone, the profile, staff entering
volunteers and their training, awards and evaluations, certificates, the public check; the
filters of the staff list."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import MobileField, ResidentIDField, lookup
from xuanchuan.core.public import HumanCheckFormMixin
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit
from xuanchuan.volunteers.models import AwardLevel, Gender, Volunteer, VolunteerSource, VolunteerStatus
from xuanchuan.volunteers.queries.people import AGE_BANDS, communities_for_join
from xuanchuan.volunteers.services.identity import CONSENT_TEXT, Person

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PersonFieldsMixin(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = ResidentIDField(label=_("身份证号码"))
    phone = MobileField(label=_("手机号码"))
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    skills = forms.CharField(label=_("技能特长"), max_length=200, required=False)
    availability = forms.CharField(label=_("可服务时间"), max_length=200, required=False)

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data.get("address", ""),
            skills=data.get("skills", ""),
            availability=data.get("availability", ""),
        )


class JoinForm(HumanCheckFormMixin, PersonFieldsMixin):
    """A resident registers on their phone: the community is chosen under its street."""

    community = forms.TypedChoiceField(label=_("所在社区（村）"), coerce=int)
    consent = forms.BooleanField(label=_("我已阅读并同意以上个人信息使用说明"), required=True)

    field_order = ["name", "id_number", "phone", "community", "address", "skills", "availability", "consent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = communities_for_join()
        self.fields["community"].choices = [("", _("请选择街道（乡镇）下的社区（村）")), *groups]
        self.fields["consent"].error_messages["required"] = _("请先阅读并同意个人信息使用说明。")
        self.consent_text = CONSENT_TEXT

    def unit(self) -> Unit:
        # scoping: allowed — the resident chooses their community from the public list.
        return Unit.objects.get(pk=self.cleaned_data["community"], unit_type__in=GRASSROOTS_TYPES)


class SignInPhoneForm(forms.Form):
    phone = MobileField(label=_("登记的手机号码"))


class SignInCodeForm(forms.Form):
    phone = MobileField(label=_("登记的手机号码"))
    code = forms.RegexField(label=_("短信验证码"), regex=r"^\d{6}$", max_length=6)


class ProfileForm(forms.Form):
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    skills = forms.CharField(label=_("技能特长"), max_length=200, required=False)
    availability = forms.CharField(label=_("可服务时间"), max_length=200, required=False)


class PhoneChangeForm(forms.Form):
    new_phone = MobileField(label=_("新手机号码"))
    code = forms.RegexField(label=_("发到新手机的验证码"), regex=r"^\d{6}$", max_length=6, required=False)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("我确认注销志愿者登记"), required=True)


class SignOutForm(forms.Form):
    everywhere = forms.BooleanField(label=_("同时退出所有手机"), required=False)


def staff_units(user: Any) -> QuerySet:
    return Unit.objects.visible_to(user).filter(unit_type__in=GRASSROOTS_TYPES).order_by("path")


class VolunteerCreateForm(PersonFieldsMixin):
    unit = forms.ModelChoiceField(label=_("所在社区（村）"), queryset=Unit.objects.none())
    consented_on_paper = forms.BooleanField(
        label=_("本人已书面签署同意个人信息使用说明（纸质件由本单位留存）"), required=True
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = staff_units(user)


class VolunteerEditForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所在社区（村）"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = MobileField(label=_("手机号码"))
    address = forms.CharField(label=_("住址"), max_length=200, required=False)
    skills = forms.CharField(label=_("技能特长"), max_length=200, required=False)
    availability = forms.CharField(label=_("可服务时间"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = staff_units(user)


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("培训内容"), max_length=200)
    held_on = forms.DateField(label=_("培训日期"), widget=DATE)
    minutes = forms.IntegerField(label=_("培训时长（分钟）"), min_value=1, max_value=43200)
    result = forms.CharField(label=_("培训结果"), max_length=100, required=False)


class AwardForm(forms.Form):
    honour = forms.CharField(label=_("荣誉名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=AwardLevel.choices)
    issuer = forms.CharField(label=_("授予单位"), max_length=100)
    awarded_on = forms.DateField(label=_("授予日期"), widget=DATE)


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[(i, f"{i}") for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("服务起始日期"), widget=DATE)
    period_end = forms.DateField(label=_("服务截止日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(month=1, day=1)
        self.fields["period_end"].initial = today


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class VerifyForm(HumanCheckFormMixin, forms.Form):
    code = forms.CharField(label=_("证明上的验证码"), max_length=24, min_length=8)


class VolunteerFilterSet(django_filters.FilterSet):
    """Filters of the staff list; the search box (``?q=``) finds a volunteer number, or an exact
    ID number or mobile number through the blind index."""

    community = django_filters.ModelChoiceFilter(label=_("社区（村）"), queryset=Unit.objects.none(), field_name="unit")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=VolunteerStatus.choices)
    source = django_filters.ChoiceFilter(label=_("登记方式"), choices=VolunteerSource.choices)
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices)
    age = django_filters.ChoiceFilter(
        label=_("年龄段"), choices=[(str(i), label) for i, (_l, _h, label) in enumerate(AGE_BANDS)], method="by_age"
    )

    class Meta:
        model = Volunteer
        fields: list[str] = []

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request is not None:
            self.filters["community"].queryset = staff_units(request.user)

    def by_age(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        low, high, _label = AGE_BANDS[int(value)]
        year = timezone.localdate().year
        return queryset.filter(birth_year__lte=year - low, birth_year__gte=year - high)


def search_condition(query: str) -> Q:
    """A volunteer number, or an exact ID number or mobile (by their blind indexes)."""
    query = query.strip()
    condition = Q(number__iexact=query)
    for name in ("id_number", "phone"):
        try:
            condition |= Q(**lookup(Volunteer, name, query))
        except ValueError:
            continue
    return condition
