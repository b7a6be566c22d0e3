"""Forms and list filters of the lectures part: input checks only, the rules are the services'
(``services.lectures``)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.forms import MultiplePhotoField, datetime_field, year_choices
from xuanchuan.core.pii import MobileField
from xuanchuan.core.public import HumanCheckFormMixin
from xuanchuan.org.models import Unit
from xuanchuan.theory.models import (
    Lecture,
    Lecturer,
    LectureRequest,
    LectureStatus,
    LectureTeam,
    RequestStatus,
    TeamLevel,
)
from xuanchuan.theory.queries import lectures as queries
from xuanchuan.theory.services import lectures as services

CONSENT_TEXT = _(
    "您填写的联系人姓名和手机号码只用于宣讲工作人员与您联系、安排宣讲，以及在安排队伍后向您发送一条短信通知；"
    "工作人员查看时默认隐去部分号码，查看全文留有记录；点单办结后一段时间内将自动删除。"
)


def offered_teams(user: Any) -> QuerySet:
    """Active teams a user may choose for a lecture: those in scope and those serving the user's
    unit (``services.teams_serving``: above it, and the district departments' teams)."""
    visible = LectureTeam.objects.visible_to(user).filter(active=True).values("pk")
    condition = Q(pk__in=visible)
    if getattr(user, "unit_id", None):
        condition |= Q(pk__in=services.teams_serving(user.unit).values("pk"))
    # scoping: allowed — the teams serving the user's unit are offered on purpose (see docstring).
    return LectureTeam.objects.filter(condition).select_related("unit").order_by("level", "name")


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LectureTeam) -> str:
        return f"{obj.name}（{obj.get_level_display()} · {obj.unit.name}）"


class LecturerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Lecturer) -> str:
        return f"{obj.name}（{obj.team.name}）"


# --- Teams and lecturers ------------------------------------------------------------------------


class TeamForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(label=_("队伍名称"), max_length=100)
    level = forms.ChoiceField(label=_("层级"), choices=[("", _("请选择")), *TeamLevel.choices])
    description = forms.CharField(label=_("简介"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
            self.fields["unit"].initial = getattr(user, "unit_id", None)


class LecturerForm(forms.Form):
    team = TeamChoiceField(label=_("宣讲队伍"), queryset=LectureTeam.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务或职称"), max_length=100, required=False)
    phone = MobileField(label=_("联系电话"), required=False)
    topics = forms.CharField(label=_("擅长宣讲内容"), max_length=300, required=False)
    active = forms.BooleanField(label=_("在队"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            LectureTeam.objects.visible_to(user).filter(active=True).select_related("unit").order_by("level", "name")
        )


# --- Lectures -----------------------------------------------------------------------------------


class LectureForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("宣讲所在单位"),
        queryset=Unit.objects.none(),
        empty_label=_("请选择"),
        help_text=_("在哪个街道、社区或单位宣讲"),
    )
    team = TeamChoiceField(label=_("宣讲队伍"), queryset=LectureTeam.objects.none(), empty_label=_("请选择"))
    lecturers = LecturerChoiceField(
        label=_("宣讲员"),
        queryset=Lecturer.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("只能选择所选队伍的宣讲员"),
    )
    topic = forms.CharField(label=_("宣讲主题"), max_length=200)
    starts_at = datetime_field(_("时间"))
    place = forms.CharField(label=_("地点"), max_length=200)
    event = forms.CharField(
        label=_("依托活动"), max_length=120, required=False, help_text=_("如：孝善宴、德润生日会、道德讲堂")
    )

    field_order = ["unit", "team", "topic", "starts_at", "place", "event", "lecturers"]

    def __init__(self, *args: Any, user: Any, team: LectureTeam | None = None, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = offered_teams(user)
        self.fields["team"].queryset = teams
        # scoping: allowed — lecturers of the offered teams (names are shown with their lectures).
        self.fields["lecturers"].queryset = (
            Lecturer.objects.filter(team__in=teams.values("pk"), active=True)
            .select_related("team")
            .order_by("team__name", "name")
        )
        if unit is not None:  # fixed by a request: the lecture is for the request's unit
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = Unit.objects.visible_to(user).order_by("path")
            self.fields["unit"].initial = getattr(user, "unit_id", None)
        if team is not None:  # fixed by a request: the assigned team
            del self.fields["team"]
            self.fields["lecturers"].queryset = Lecturer.objects.filter(team=team, active=True).select_related("team")
        self.fixed_team, self.fixed_unit = team, unit

    def lecture_input(self) -> services.LectureInput:
        data = self.cleaned_data
        return services.LectureInput(
            unit=self.fixed_unit or data["unit"],
            team=self.fixed_team or data["team"],
            topic=data["topic"],
            starts_at=data["starts_at"],
            place=data["place"],
            event=data.get("event", ""),
            lecturers=list(data.get("lecturers") or []),
        )

    @classmethod
    def initial_for(cls, lecture: Lecture) -> dict[str, Any]:
        return {
            "unit": lecture.unit_id,
            "team": lecture.team_id,
            "lecturers": [lecturer.pk for lecturer in lecture.lecturers.all()],
            "topic": lecture.topic,
            "starts_at": timezone.localtime(lecture.starts_at),
            "place": lecture.place,
            "event": lecture.event,
        }


class RecordForm(forms.Form):
    audience = forms.IntegerField(
        label=_("受众人数"),
        min_value=1,
        max_value=services.MAX_AUDIENCE,
        error_messages={"required": _("请填写受众人数。")},
    )
    summary = forms.CharField(
        label=_("宣讲内容摘要"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultiplePhotoField(
        label=_("照片"),
        required=False,
        help_text=_("JPEG 或 PNG，最多 %(n)d 张") % {"n": services.MAX_PHOTOS},
        max_count=services.MAX_PHOTOS,
        too_many=_("每场宣讲最多上传 %(n)d 张照片。"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


# --- Requests ------------------------------------------------------------------------------------


class RequestForm(HumanCheckFormMixin, forms.Form):
    """The public request (点单) on a phone."""

    unit = forms.TypedChoiceField(label=_("宣讲所在街道或社区"), coerce=int)
    topic = forms.CharField(label=_("希望宣讲的内容"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    preferred_on = forms.DateField(label=_("希望日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200)
    audience_estimate = forms.IntegerField(
        label=_("预计听众人数"), required=False, min_value=1, max_value=services.MAX_AUDIENCE
    )
    requester_org = forms.CharField(label=_("单位或群体"), max_length=100, required=False)
    requester_name = forms.CharField(label=_("联系人"), max_length=50)
    requester_phone = MobileField(label=_("手机号码"))
    consent = forms.BooleanField(label=_("我已阅读并同意以上个人信息使用说明"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("请选择")), *queries.request_units()]
        self.fields["consent"].error_messages["required"] = _("请先阅读并同意个人信息使用说明。")
        self.consent_text = CONSENT_TEXT

    def clean_preferred_on(self) -> Any:
        value = self.cleaned_data.get("preferred_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("希望日期不能早于今天。"))
        return value

    def clean_unit(self) -> Unit:
        unit = queries.request_unit(self.cleaned_data["unit"])
        if unit is None:
            raise forms.ValidationError(_("请选择所在的街道或社区。"))
        return unit

    def request_input(self) -> services.RequestInput:
        data = self.cleaned_data
        return services.RequestInput(
            unit=data["unit"],
            requester_name=data["requester_name"],
            requester_phone=data["requester_phone"],
            requester_org=data.get("requester_org", ""),
            topic=data["topic"],
            preferred_on=data.get("preferred_on"),
            place=data["place"],
            audience_estimate=data.get("audience_estimate"),
        )


class AssignForm(forms.Form):
    team = TeamChoiceField(label=_("安排的队伍"), queryset=LectureTeam.objects.none(), empty_label=_("请选择"))
    note = forms.CharField(label=_("处理说明"), max_length=300, required=False)

    def __init__(self, *args: Any, item: LectureRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = services.teams_serving(item.unit).order_by("level", "name")
        self.fields["team"].initial = item.team_id


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("未能安排的原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def schedule_initial(item: LectureRequest) -> dict[str, Any]:
    starts = None
    if item.preferred_on:
        starts = datetime.combine(item.preferred_on, time(9, 0), tzinfo=timezone.get_current_timezone())
    return {"topic": item.topic, "place": item.place, "starts_at": starts}


# --- List filters --------------------------------------------------------------------------------


def _within(queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
    """A unit and the units below it."""
    return queryset.within(value) if value else queryset


class TeamFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("层级"), choices=TeamLevel.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    active = django_filters.BooleanFilter(
        label=_("启用"), widget=forms.Select(choices=[("", _("全部")), ("true", _("启用")), ("false", _("已停用"))])
    )

    class Meta:
        model = LectureTeam
        fields = ["level", "unit", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return _within(queryset, name, value)


class LecturerFilterSet(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(
        label=_("宣讲队伍"), queryset=LectureTeam.objects.none(), empty_label=_("全部")
    )
    level = django_filters.ChoiceFilter(
        label=_("层级"), field_name="team__level", choices=TeamLevel.choices, empty_label=_("全部")
    )
    active = django_filters.BooleanFilter(
        label=_("在队"), widget=forms.Select(choices=[("", _("全部")), ("true", _("在队")), ("false", _("已离队"))])
    )

    class Meta:
        model = Lecturer
        fields = ["team", "level", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = LectureTeam.objects.visible_to(self.request.user).order_by("level", "name")


class LectureFilterSet(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(
        label=_("宣讲队伍"), queryset=LectureTeam.objects.none(), empty_label=_("全部")
    )
    level = django_filters.ChoiceFilter(
        label=_("层级"), field_name="team__level", choices=TeamLevel.choices, empty_label=_("全部")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LectureStatus.choices, empty_label=_("全部"))
    year = django_filters.ChoiceFilter(
        label=_("年度"), choices=year_choices, method="filter_year", empty_label=_("全部")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    due = django_filters.ChoiceFilter(
        label=_("登记"), choices=[("overdue", _("时间已过未登记"))], method="filter_due", empty_label=_("全部")
    )

    class Meta:
        model = Lecture
        fields = ["team", "level", "status", "year", "unit", "due"]

    def filter_year(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(starts_at__year=int(value)) if str(value).isdigit() else queryset

    def filter_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            return queryset.filter(status=LectureStatus.PLANNED, starts_at__lt=timezone.now())
        return queryset

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["team"].queryset = offered_teams(user) | LectureTeam.objects.visible_to(user)
        self.filters["unit"].queryset = Unit.objects.visible_to(user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return _within(queryset, name, value)


class RequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )

    class Meta:
        model = LectureRequest
        fields = ["status", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return _within(queryset, name, value)
