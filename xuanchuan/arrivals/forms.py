"""Forms of 来返人员登记: the public self-registration, the staff grid, check-ins, risk areas."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.models import DocumentType, HealthStatus, Registration, Transport
from xuanchuan.core.pii import MobileField, validate_resident_id
from xuanchuan.core.pii.kinds import normalize_id_number
from xuanchuan.core.public import HumanCheckFormMixin
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit

# How far ahead a person may register, and how far back an arrival is still worth registering.
DAYS_AHEAD = 3
DAYS_BACK = 30
VIA_SLOTS = 2
TRIP_REQUIRED = (Transport.PLANE, Transport.TRAIN, Transport.BUS, Transport.SHIP)
PASSPORT_PATTERN = re.compile(r"^[A-Z0-9]{5,20}$")
LEVELS = (("province", _("省")), ("city", _("市")), ("county", _("区县")))


def community_queryset(units: Any = None) -> Any:
    """Active communities and villages (of ``units`` when given), street by street."""
    rows = units if units is not None else Unit.objects.all()
    return rows.filter(unit_type__in=GRASSROOTS_TYPES).active_on(timezone.localdate()).order_by("path")


class CommunityChoiceField(forms.ModelChoiceField):
    """A community, labelled with its street so two 幸福社区 can be told apart."""

    def _set_queryset(self, queryset: Any) -> None:
        # The parent's name comes with each community, not from one query per option.
        if queryset is not None and "parent_name" not in queryset.query.annotations:
            queryset = queryset.with_parent_name()
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj: Unit) -> str:
        parent_name = getattr(obj, "parent_name", None)
        return f"{parent_name} · {obj.name}" if parent_name and obj.depth > 2 else obj.name


def check_document_and_trip(form: forms.Form, cleaned: dict[str, Any]) -> None:
    """The document number normalised for its type, and a trip number where the transport has one."""
    if "id_number" in cleaned:
        try:
            cleaned["id_number"] = clean_document(cleaned.get("document_type", ""), cleaned["id_number"])
        except ValidationError as error:
            form.add_error("id_number", error)
    if cleaned.get("transport") in TRIP_REQUIRED and not cleaned.get("trip_number", "").strip():
        form.add_error("trip_number", _("乘坐飞机、火车、客车或轮船的，请填写航班号或车次"))


def clean_document(document_type: str, number: str) -> str:
    """The document number normalised, or a ``ValidationError`` saying what is wrong."""
    number = normalize_id_number(number or "")
    if not number:
        raise ValidationError(_("请填写证件号码"), code="required")
    if document_type == DocumentType.RESIDENT_ID:
        validate_resident_id(number)
    elif document_type == DocumentType.PASSPORT and not PASSPORT_PATTERN.match(number):
        raise ValidationError(_("护照号码应为5至20位字母或数字"), code="passport_format")
    elif not 4 <= len(number) <= 30:
        raise ValidationError(_("证件号码应为4至30个字符"), code="document_length")
    return number


def clean_arrival_date(day: Any) -> Any:
    today = timezone.localdate()
    if day and day > today + timedelta(days=DAYS_AHEAD):
        raise ValidationError(_("到达日期最多可提前%(days)s天登记") % {"days": DAYS_AHEAD}, code="too_early")
    if day and day < today - timedelta(days=DAYS_BACK):
        raise ValidationError(_("到达日期已超过%(days)s天，无需登记") % {"days": DAYS_BACK}, code="too_late")
    return day


class PlaceFieldsMixin:
    """Province → city → county selects for the origin and each place passed through.

    The options of a lower level are those below the chosen upper level (filled in the
    browser by ``arrivals/divisions.js``); the form checks the chain and returns the deepest code.
    """

    def add_place(self, prefix: str, label: str) -> None:
        parent = ""
        for index, (level, level_label) in enumerate(LEVELS):
            name = f"{prefix}_{level}"
            listed = index == 0 or bool(parent)
            options = [(d.code, d.name) for d in divisions().children(parent)] if listed else []
            self.fields[name] = forms.ChoiceField(
                label=f"{label}（{level_label}）",
                choices=[("", _("请选择"))] + options,
                required=False,
                error_messages={"invalid_choice": _("请从列表中选择")},
                widget=forms.Select(attrs={"data-division-level": level, "data-division-group": prefix}),
            )
            parent = self._chosen(name) if listed else ""

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        return str(self.initial.get(name, "") or "")

    def place_code(self, prefix: str, label: str, required: bool) -> str:
        """The deepest code chosen for ``prefix``; adds an error to the first missing level."""
        chosen = [self.cleaned_data.get(f"{prefix}_{level}") or "" for level, _label in LEVELS]
        if not chosen[0]:
            if required:
                self.add_error(f"{prefix}_province", _("请选择%(label)s所在省份") % {"label": label})
            return ""
        code = chosen[0]
        for (level, level_label), value in zip(LEVELS[1:], chosen[1:], strict=True):
            if not divisions().children(code):
                break
            if not value:
                self.add_error(
                    f"{prefix}_{level}", _("请选择%(label)s所在%(level)s") % {"label": label, "level": level_label}
                )
                return ""
            code = value
        return code


class ArrivalForm(PlaceFieldsMixin, HumanCheckFormMixin, forms.Form):
    """The public self-registration form (also used to correct a record by its receipt code)."""

    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    id_number = forms.CharField(
        label=_("证件号码"), max_length=30, error_messages={"required": _("请填写证件号码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    phone = MobileField(label=_("手机号码"), error_messages={"required": _("请填写手机号码")})
    transport = forms.ChoiceField(label=_("交通方式"), choices=[("", _("请选择"))] + Transport.choices,
                                  error_messages={"required": _("请选择交通方式")})  # fmt: skip
    trip_number = forms.CharField(label=_("车次/航班号/车牌号"), max_length=30, required=False)
    arrival_date = forms.DateField(
        label=_("到达日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写到达日期"), "invalid": _("请按“年-月-日”填写到达日期")},
    )  # fmt: skip
    community = CommunityChoiceField(
        label=_("目的地社区（村）"), queryset=Unit.objects.none(), empty_label=_("请选择"),
        error_messages={"required": _("请选择目的地社区（村）"), "invalid_choice": _("请从列表中选择社区（村）")},
    )  # fmt: skip
    address = forms.CharField(
        label=_("详细居住地址"), max_length=200, error_messages={"required": _("请填写详细居住地址")}
    )
    health_status = forms.ChoiceField(
        label=_("目前健康状况"), choices=HealthStatus.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择目前健康状况")},
    )  # fmt: skip
    symptoms = forms.CharField(label=_("症状说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    travel_notes = forms.CharField(
        label=_("其他行程说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("近14天到过的其他地方，可不填"),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("我已阅读并同意上述个人信息处理规则"),
        error_messages={"required": _("请阅读并同意个人信息处理规则后再提交")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = community_queryset()
        self.add_place("origin", str(_("出发地")))
        for slot in range(1, VIA_SLOTS + 1):
            self.add_place(f"via{slot}", str(_("途经地%(n)s") % {"n": slot}))

    def clean_arrival_date(self) -> Any:
        return clean_arrival_date(self.cleaned_data.get("arrival_date"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_document_and_trip(self, cleaned)
        if cleaned.get("health_status") == HealthStatus.SYMPTOMS and not cleaned.get("symptoms", "").strip():
            self.add_error("symptoms", _("请说明有哪些症状"))
        cleaned["origin_code"] = self.place_code("origin", str(_("出发地")), required=True)
        via = [self.place_code(f"via{slot}", str(_("途经地")), required=False) for slot in range(1, VIA_SLOTS + 1)]
        cleaned["via_codes"] = ",".join(dict.fromkeys(code for code in via if code))
        return cleaned

    def person_data(self) -> dict[str, Any]:
        """The cleaned values in the shape ``services.register_arrival`` takes."""
        data = dict(self.cleaned_data)
        data["trip_number"] = data.get("trip_number", "").strip().upper()
        return data

    @classmethod
    def initial_from(cls, registration: Registration) -> dict[str, Any]:
        """Initial values for correcting ``registration``."""
        initial = {name: getattr(registration, name) for name in (
            "name", "document_type", "id_number", "phone", "transport", "trip_number", "arrival_date",
            "address", "health_status", "symptoms", "travel_notes",
        )}  # fmt: skip
        initial["community"] = registration.unit_id
        initial["consent"] = True
        places = {"origin": registration.origin_code}
        places.update({f"via{n}": code for n, code in enumerate(registration.via_code_list[:VIA_SLOTS], 1)})
        for prefix, code in places.items():
            for division, (level, _label) in zip(divisions().lineage(code), LEVELS, strict=False):
                initial[f"{prefix}_{level}"] = division.code
        return initial

    def origin_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The place selects by group, for the template."""
        groups = ["origin"] + [f"via{slot}" for slot in range(1, VIA_SLOTS + 1)]
        return [(group, [self[f"{group}_{level}"] for level, _label in LEVELS]) for group in groups]
