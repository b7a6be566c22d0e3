"""Forms and filters of the study part: input checks only (the rules are in ``services.study``);
choices limited to what the user sees."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.org.models import Unit, User
from xuanchuan.theory.models import (
    Leave,
    LeaveStatus,
    MemberRole,
    PlannedSession,
    SessionKind,
    SessionStatus,
    StudyGroup,
    StudyPlan,
    StudySession,
)


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this + 1, this - 5, -1)]


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


class GroupForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
        if editing:
            del self.fields["unit"]


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("人员"), queryset=User.objects.none(), empty_label=_("请选择"))
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("加入日期"), widget=_date())

    def __init__(self, *args: Any, by: Any, unit: Unit, search: str = "", **kwargs: Any) -> None:
        """Without a search, the people of the group's unit and the units below it (a district's
        list of everyone would be thousands long); a search looks in every unit the user sees."""
        super().__init__(*args, **kwargs)
        people = (
            User.objects.visible_to(by).filter(is_active=True).select_related("unit").order_by("full_name", "username")
        )
        if search:
            people = people.filter(Q(full_name__icontains=search) | Q(username__icontains=search))
        else:
            people = people.filter(unit__path__startswith=unit.path)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.username} · {u.unit}）"
        self.fields["joined_on"].initial = timezone.localdate()


class MemberEditForm(forms.Form):
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices)
    joined_on = forms.DateField(label=_("加入日期"), widget=_date())


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("退出日期"), widget=_date())


class PlanForm(forms.Form):
    group = forms.ModelChoiceField(label=_("中心组"), queryset=StudyGroup.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=120)
    note = forms.CharField(label=_("说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = StudyGroup.objects.visible_to(user).filter(active=True)
        self.fields["year"].initial = timezone.localdate().year
        if editing:
            del self.fields["group"]


class PlannedItemForm(forms.Form):
    topic = forms.CharField(label=_("学习专题"), max_length=200)
    kind = forms.ChoiceField(label=_("形式"), choices=SessionKind.choices)
    month = forms.IntegerField(label=_("计划月份"), min_value=1, max_value=12)
    speakers = forms.CharField(label=_("主讲或重点发言人"), required=False, max_length=200)
    materials = forms.CharField(
        label=_("学习材料"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(forms.Form):
    group = forms.ModelChoiceField(label=_("中心组"), queryset=StudyGroup.objects.none())
    planned = forms.ModelChoiceField(
        label=_("对应计划专题"), queryset=PlannedSession.objects.none(), required=False, empty_label=_("（计划外）")
    )
    topic = forms.CharField(label=_("学习专题"), max_length=200)
    kind = forms.ChoiceField(label=_("形式"), choices=SessionKind.choices)
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=_datetime(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=_datetime(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    speakers = forms.CharField(label=_("主讲或重点发言人"), required=False, max_length=200)
    materials = forms.CharField(
        label=_("学习材料"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = StudyGroup.objects.visible_to(user).filter(active=True)
        self.fields["planned"].queryset = (
            PlannedSession.objects.visible_to(user).select_related("plan").order_by("-plan__year", "month")
        )
        self.fields["planned"].label_from_instance = lambda p: f"{p.plan.year}年{p.month}月 · {p.topic}"
        if editing:
            del self.fields["group"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("结束时间应晚于开始时间。"))
        return data


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议纪要"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))


class RecordByHandForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class LeaveRequestForm(forms.Form):
    reason = forms.CharField(label=_("请假事由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class LeaveDecideForm(forms.Form):
    makeup_due = forms.DateField(
        label=_("补学期限"), required=False, widget=_date(), help_text=_("准假时有效；留空为会议后 30 天。")
    )


class MakeupForm(forms.Form):
    note = forms.CharField(
        label=_("补学情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("学习了哪些材料、有何体会。"),
    )


class SpeechForm(forms.Form):
    title = forms.CharField(label=_("题目"), max_length=200)
    text = forms.CharField(label=_("正文"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(
        label=_("附件（PDF 或 .docx，20 MB 以内）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("签到码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}),
    )


class GroupFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(label=_("启用"))
    unit = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Unit.objects.none(), empty_label=_("全部"))

    class Meta:
        model = StudyGroup
        fields = ["active", "unit"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        units = Unit.objects.visible_to(_user(request)).order_by("path")
        self.filters["unit"].queryset = units
        self.form.fields["unit"].queryset = units


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(label=_("年度"), choices=_years, empty_label=_("全部"))
    group = django_filters.ModelChoiceFilter(
        label=_("中心组"), queryset=StudyGroup.objects.none(), empty_label=_("全部")
    )

    class Meta:
        model = StudyPlan
        fields = ["year", "group"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        groups = StudyGroup.objects.visible_to(_user(request))
        self.filters["group"].queryset = groups
        self.form.fields["group"].queryset = groups


class SessionFilterSet(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(
        label=_("中心组"), queryset=StudyGroup.objects.none(), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(label=_("形式"), choices=SessionKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SessionStatus.choices, empty_label=_("全部"))
    year = django_filters.ChoiceFilter(
        label=_("年度"), choices=_years, field_name="starts_at", lookup_expr="year", empty_label=_("全部")
    )

    class Meta:
        model = StudySession
        fields = ["group", "kind", "status", "year"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        groups = StudyGroup.objects.visible_to(_user(request))
        self.filters["group"].queryset = groups
        self.form.fields["group"].queryset = groups


class LeaveFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LeaveStatus.choices, empty_label=_("全部"))
    overdue = django_filters.ChoiceFilter(
        label=_("补学"), choices=[("true", _("仅看逾期未补学"))], method="filter_overdue", empty_label=_("全部")
    )

    class Meta:
        model = Leave
        fields = ["status"]

    def filter_overdue(self, queryset: Any, name: str, value: Any) -> Any:
        if value != "true":
            return queryset
        return queryset.filter(
            status=LeaveStatus.APPROVED, made_up_at__isnull=True, makeup_due__lt=timezone.localdate()
        )
