"""The public self-registration form (also used to correct a record by its receipt code), and
the two small forms that recover a receipt: send it again to the registered phone, or type it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.forms.fields import (
    LEVELS,
    Communities,
    PlaceFieldsMixin,
    PublicCommunityField,
    check_document_and_trip,
    clean_arrival_date,
    place_fields,
)
from xuanchuan.arrivals.models import DocumentType, HealthStatus, Registration, Transport
from xuanchuan.core.perf.forms import FixedChoiceField, LeanCleanMixin, copy_fields_lazily
from xuanchuan.core.pii import MobileField
from xuanchuan.core.public import HumanCheckFormMixin

VIA_SLOTS = 2
PLACE_GROUPS = ("origin", *(f"via{slot}" for slot in range(1, VIA_SLOTS + 1)))


@copy_fields_lazily
class ArrivalForm(LeanCleanMixin, PlaceFieldsMixin, HumanCheckFormMixin, forms.Form):
    """The public self-registration form (also used to correct a record by its receipt code)."""

    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    document_type = FixedChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    id_number = forms.CharField(
        label=_("证件号码"), max_length=30, error_messages={"required": _("请填写证件号码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    phone = MobileField(label=_("手机号码"), error_messages={"required": _("请填写手机号码")})
    transport = FixedChoiceField(label=_("交通方式"), choices=[("", _("请选择"))] + Transport.choices,
                                  error_messages={"required": _("请选择交通方式")})  # fmt: skip
    trip_number = forms.CharField(label=_("车次/航班号/车牌号"), max_length=30, required=False)
    arrival_date = forms.DateField(
        label=_("到达日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写到达日期"), "invalid": _("请按“年-月-日”填写到达日期")},
    )  # fmt: skip
    community = PublicCommunityField(
        label=_("目的地社区（村）"),
        error_messages={"required": _("请选择目的地社区（村）"), "invalid_choice": _("请从列表中选择社区（村）")},
    )
    address = forms.CharField(
        label=_("详细居住地址"), max_length=200, error_messages={"required": _("请填写详细居住地址")}
    )
    health_status = FixedChoiceField(
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

    # The place groups of PLACE_GROUPS: where the person came from, and up to two places passed through.
    origin_province, origin_city, origin_county = place_fields("origin", _("出发地")).values()
    via1_province, via1_city, via1_county = place_fields("via1", format_lazy("{}{}", _("途经地"), 1)).values()
    via2_province, via2_city, via2_county = place_fields("via2", format_lazy("{}{}", _("途经地"), 2)).values()

    def __init__(self, *args: Any, communities: Communities | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].communities = communities
        for group in PLACE_GROUPS:
            self.list_places(group)

    def clean_arrival_date(self) -> Any:
        return clean_arrival_date(self.cleaned_data.get("arrival_date"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        check_document_and_trip(self, cleaned)
        if cleaned.get("health_status") == HealthStatus.SYMPTOMS and not cleaned.get("symptoms", "").strip():
            self.add_error("symptoms", _("请说明有哪些症状"))
        # The labels stay lazy: they are put into a message only when a place is wrong.
        cleaned["origin_code"] = self.place_code("origin", _("出发地"), required=True)
        via = [self.place_code(group, _("途经地"), required=False) for group in PLACE_GROUPS[1:]]
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
        return [(group, [self[f"{group}_{level}"] for level, _label in LEVELS]) for group in PLACE_GROUPS]


RESEND_SALT = "xuanchuan.arrivals.receipt-resend"
RESEND_MAX_AGE = 30 * 60


def resend_token(registration: Registration) -> str:
    """A signed, time-limited reference to a record for the "send my receipt again" button.

    It names the record by its keyed ``dedupe_key`` (no personal data, no row number) and lets
    its holder only ask for a text message to the phone on the record.
    """
    return signing.dumps({"k": registration.dedupe_key}, salt=RESEND_SALT, compress=True)


class ResendForm(forms.Form):
    """ "Send my receipt again": the token from the "already registered" answer."""

    token = forms.CharField(max_length=300, widget=forms.HiddenInput)

    def clean_token(self) -> str:
        try:
            value = signing.loads(self.cleaned_data["token"], salt=RESEND_SALT, max_age=RESEND_MAX_AGE)
        except signing.BadSignature:
            raise ValidationError(_("页面已过期，请重新提交登记。"), code="expired") from None
        return str(value.get("k", ""))


class ReceiptCodeForm(forms.Form):
    """Open one's record by the receipt code one kept."""

    code = forms.CharField(
        label=_("回执码"), max_length=64, error_messages={"required": _("请填写回执码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
