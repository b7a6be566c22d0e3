"""Forms and list filters of the venues part: input checks only, the rules are the services'
(``services.venues``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import MobileField
from xuanchuan.culture.models import Association, AssociationStatus, Venue, VenueKind
from xuanchuan.culture.services import venues as services
from xuanchuan.org.models import Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"required": _("请填写%(label)s。") % {"label": label}, "invalid": _("请填写正确的日期。")},
    )


class NotFutureMixin:
    """Dates that cannot lie ahead (founded, dissolved, joined, left): said next to the field."""

    not_future: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        today = timezone.localdate()
        for name in self.not_future:
            if data.get(name) and data[name] > today:
                self.add_error(name, _("日期不能晚于今天。"))  # type: ignore[attr-defined]
        return data


def _units(user: Any) -> QuerySet:
    return Unit.objects.visible_to(user).filter(dissolved_on__isnull=True).order_by("path")


# --- Venues ------------------------------------------------------------------------------------


class VenueForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(label=_("场馆名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("请选择")), *VenueKind.choices])
    address = forms.CharField(label=_("地址"), max_length=200)
    opening_hours = forms.CharField(
        label=_("开放时间"), max_length=200, required=False, help_text=_("如：周二至周日 9:00—17:00，周一闭馆")
    )
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=services.MAX_CAPACITY, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("场馆的办公电话（公开），不填个人手机")
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = _units(user)
            self.fields["unit"].initial = getattr(user, "unit_id", None)

    def venue_input(self) -> services.VenueInput:
        data = self.cleaned_data
        return services.VenueInput(
            name=data["name"],
            kind=data["kind"],
            address=data["address"],
            opening_hours=data["opening_hours"],
            capacity=data["capacity"],
            phone=data["phone"],
        )

    @staticmethod
    def initial_for(venue: Venue) -> dict[str, Any]:
        fields = ("name", "kind", "address", "opening_hours", "capacity", "phone")
        return {name: getattr(venue, name) for name in fields}


# --- Associations -------------------------------------------------------------------------------


def art_form_choices(current: str = "") -> list[tuple[str, str]]:
    forms_ = list(services.ART_FORMS)
    if current and current not in forms_:
        forms_.append(current)  # a value recorded before the list changed stays choosable
    return [("", _("请选择")), *((item, item) for item in forms_)]


class AssociationForm(NotFutureMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none(), empty_label=_("请选择"))
    name = forms.CharField(label=_("协会名称"), max_length=120, help_text=_("如：××区美术家协会"))
    art_form = forms.ChoiceField(label=_("门类"), choices=art_form_choices)
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[(AssociationStatus.PREPARING, _("筹备中")), (AssociationStatus.ESTABLISHED, _("已成立"))],
        initial=AssociationStatus.PREPARING,
    )
    established_on = date_field(_("成立日期"), required=False, help_text=_("已成立的协会必填"))
    leader = forms.CharField(label=_("负责人"), max_length=50, required=False)
    description = forms.CharField(label=_("简介"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3}))

    not_future = ("established_on",)

    def __init__(self, *args: Any, user: Any, association: Association | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        if association is None:
            self.fields["unit"].queryset = _units(user)
            self.fields["unit"].initial = getattr(user, "unit_id", None)
            return
        del self.fields["unit"], self.fields["status"]
        self.fields["art_form"].choices = art_form_choices(association.art_form)
        if association.established_on is None:  # set by "mark established", not here
            del self.fields["established_on"]
        else:
            self.fields["established_on"].required = True
            self.fields["established_on"].help_text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == AssociationStatus.ESTABLISHED and not data.get("established_on"):
            self.add_error("established_on", _("已成立的协会请填写成立日期。"))
        return data

    def association_input(self) -> services.AssociationInput:
        data = self.cleaned_data
        return services.AssociationInput(
            name=data["name"], art_form=data["art_form"], leader=data["leader"], description=data["description"]
        )

    def founding_date(self) -> Any:
        """The founding date the form gives (None: in preparation)."""
        data = self.cleaned_data
        if "status" in self.fields and data.get("status") != AssociationStatus.ESTABLISHED:
            return None
        return data.get("established_on")

    @staticmethod
    def initial_for(association: Association) -> dict[str, Any]:
        fields = ("name", "art_form", "leader", "description", "established_on")
        return {name: getattr(association, name) for name in fields}


class DateForm(NotFutureMixin, forms.Form):
    """One date asked for on a confirmation page (founded, dissolved, left)."""

    on = date_field(_("日期"))
    not_future = ("on",)

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.fields["on"].error_messages["required"] = _("请填写%(label)s。") % {"label": label}
        self.fields["on"].initial = timezone.localdate()


class MemberForm(NotFutureMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("职务"), choices=[(role, role) for role in services.MEMBER_ROLES], initial="会员")
    phone = MobileField(label=_("手机号码"), required=False)
    joined_on = date_field(_("入会日期"))

    not_future = ("joined_on",)

    def member_input(self) -> services.MemberInput:
        data = self.cleaned_data
        return services.MemberInput(
            name=data["name"], joined_on=data["joined_on"], role=data["role"], phone=data["phone"]
        )


# --- List filters --------------------------------------------------------------------------------


class _UnitFilterMixin:
    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        """A unit and the units below it."""
        return queryset.within(value) if value else queryset


def _unit_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("所属单位"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )


class VenueFilterSet(_UnitFilterMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=VenueKind.choices, empty_label=_("全部"))
    unit = _unit_filter()
    active = django_filters.BooleanFilter(
        label=_("开放"), widget=forms.Select(choices=[("", _("全部")), ("true", _("开放中")), ("false", _("已关闭"))])
    )

    class Meta:
        model = Venue
        fields = ["kind", "unit", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")


class AssociationFilterSet(_UnitFilterMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssociationStatus.choices, empty_label=_("全部"))
    art_form = django_filters.ChoiceFilter(
        label=_("门类"), choices=[(item, item) for item in services.ART_FORMS], empty_label=_("全部")
    )
    unit = _unit_filter()

    class Meta:
        model = Association
        fields = ["status", "art_form", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user).order_by("path")
