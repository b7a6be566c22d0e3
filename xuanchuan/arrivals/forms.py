"""Forms of 来返人员登记: the public self-registration, the staff grid, check-ins, risk areas."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xuanchuan.arrivals.divisions import CITY, COUNTY, PROVINCE, divisions
from xuanchuan.arrivals.memo import VersionedMemo
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
LEVELS = ((PROVINCE, _("省")), (CITY, _("市")), (COUNTY, _("区县")))
PLACE_GROUPS = ("origin", *(f"via{slot}" for slot in range(1, VIA_SLOTS + 1)))


class FixedChoiceField(forms.ChoiceField):
    """A ``ChoiceField`` whose choice list is never changed in place (only replaced): each form
    shares it instead of deep-copying it (with its lazy labels) as ``ChoiceField`` does."""

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedChoiceField:
        return forms.Field.__deepcopy__(self, memo)


def _shallow(obj: Any) -> Any:
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


_PLAIN_COPIES = {forms.Field.__deepcopy__, FixedChoiceField.__deepcopy__}
_PLAIN_WIDGET_COPIES = {forms.Widget.__deepcopy__, forms.widgets.ChoiceWidget.__deepcopy__}


def copy_field(field: forms.Field, memo: dict[int, Any] | None = None) -> forms.Field:
    """The copy of ``field`` that ``copy.deepcopy`` makes, made directly when Django's copy is plain.

    For fields and widgets whose ``__deepcopy__`` is Django's plain one (``Field``, ``Widget``,
    ``ChoiceWidget``) or ``FixedChoiceField``'s, the copy is the same — the field and its widget
    copied, each with its own ``attrs``, ``error_messages`` and ``validators`` (choice lists shared:
    they are only ever replaced) — made directly instead of through ``copy``'s generic protocol.
    Any other field is deep-copied as usual.
    """
    widget = field.widget
    if type(field).__deepcopy__ not in _PLAIN_COPIES or type(widget).__deepcopy__ not in _PLAIN_WIDGET_COPIES:
        return copy.deepcopy(field, memo if memo is not None else {})
    copied = _shallow(field)
    copied.widget = _shallow(widget)
    copied.widget.attrs = widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


class LazilyCopiedFields(MutableMapping):
    """A form's ``fields``: each field copied from ``base_fields`` when it is first looked up.

    ``BaseForm.__init__`` deep-copies all of a form's fields so that one form can change its own;
    a submitted public registration changes five of its 28 (the community's copy of the list,
    the choices of the chosen cities and counties) and is not shown again when it is valid. Here
    a field is copied (``copy_field``) on its first look-up through the mapping — ``fields[name]``,
    ``get``, ``values()``, ``items()``, so before anything can change it — and the copy kept; a
    field set or deleted is simply set or deleted. Until then the form reads the shared field
    through ``unchanged(name)`` (which changes nothing): the form's own ``_clean_fields`` does.
    """

    __slots__ = ("_fields", "_copied")

    def __init__(self, base: dict[str, forms.Field]) -> None:
        self._fields = dict(base)
        self._copied: set[str] = set()

    def __getitem__(self, name: str) -> forms.Field:
        field = self._fields[name]
        if name not in self._copied:
            field = self._fields[name] = copy_field(field)
            self._copied.add(name)
        return field

    def __setitem__(self, name: str, field: forms.Field) -> None:
        self._fields[name] = field
        self._copied.add(name)

    def __delitem__(self, name: str) -> None:
        del self._fields[name]
        self._copied.discard(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __contains__(self, name: object) -> bool:
        return name in self._fields

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}

    def unchanged(self, name: str) -> forms.Field:
        """The field, copied or not yet: only to read (clean a value with it), never to change."""
        return self._fields[name]


class QuicklyCopiedFields(dict):
    """A form's ``base_fields``, which ``BaseForm.__init__`` deep-copies for every form: the
    "copy" is a ``LazilyCopiedFields`` over them (a field copied when first looked up). Copying
    all 28 fields up front cost a tenth of a public registration."""

    def __deepcopy__(self, memo: dict[int, Any]) -> LazilyCopiedFields:
        return LazilyCopiedFields(self)


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
        return community_label(obj)


def community_label(unit: Unit) -> str:
    parent_name = getattr(unit, "parent_name", None)
    return f"{parent_name} · {unit.name}" if parent_name and unit.depth > 2 else unit.name


@dataclass(frozen=True)
class Communities:
    """Every community and village, street by street, with its street's name; by ``pk`` too."""

    ordered: tuple[Unit, ...]
    by_pk: dict[str, Unit]

    @staticmethod
    def is_active(unit: Unit, day: date) -> bool:
        """``UnitQuerySet.active_on`` for one loaded unit."""
        return (unit.established_on is None or unit.established_on <= day) and (
            unit.dissolved_on is None or unit.dissolved_on > day
        )

    def active(self, pk: Any, day: date) -> Unit | None:
        unit = self.by_pk.get(str(pk))
        return unit if unit is not None and self.is_active(unit, day) else None

    def options(self, day: date) -> list[tuple[int, str]]:
        return [(unit.pk, community_label(unit)) for unit in self.ordered if self.is_active(unit, day)]


def _load_communities() -> Communities:
    units = tuple(Unit.objects.filter(unit_type__in=GRASSROOTS_TYPES).with_parent_name().order_by("path"))
    return Communities(units, {str(unit.pk): unit for unit in units})


# The public form's communities: a few hundred rows that change when the organisation does, kept
# per process and reloaded when a unit is saved or deleted (``signals.py``) — see ``memo.py``.
COMMUNITIES: VersionedMemo[Communities] = VersionedMemo("arrivals.communities", _load_communities)


def community_options() -> list[tuple[Any, str]]:
    return [("", _("请选择")), *COMMUNITIES.get().options(timezone.localdate())]


class PublicCommunityField(FixedChoiceField):
    """The destination community of the public form, checked against ``COMMUNITIES`` (no query).

    Cleans to the ``Unit`` (a shared, read-only instance); the options, labelled with the street
    like ``CommunityChoiceField``'s, are built only when the form is shown.
    """

    # The copy of COMMUNITIES the form was given (read with the request's other versions), if any.
    communities: Communities | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=community_options, **kwargs)

    def to_python(self, value: Any) -> Unit | None:
        if value in self.empty_values:
            return None
        unit = (self.communities or COMMUNITIES.get()).active(value, timezone.localdate())
        if unit is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return unit

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


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


def division_options(parent: str) -> list[tuple[str, str]]:
    """The options of a division select: 请选择, then the provinces (``parent`` empty) or the
    divisions below ``parent``. Called only when the select is rendered."""
    return [("", _("请选择")), *((item.code, item.name) for item in divisions().children(parent))]


class DivisionField(FixedChoiceField):
    """A province, city or county select of a place group, checked by a look-up in the divisions table.

    Its options are filled only when the form is shown: the provinces always, a lower level when
    the level above is chosen (the browser's script fills them as the person chooses, from
    ``arrivals:division_options``; the server when it shows the form again). A submitted code is
    valid when the table has it at this field's level; whether it lies below the upper level
    chosen is the form's check (``PlaceFieldsMixin.place_code``), which says which field is wrong.
    """

    default_error_messages = {
        "invalid_choice": _("请从列表中选择"),
        "unknown_code": _("行政区划代码“%(value)s”不存在，请从列表中选择"),
    }

    def __init__(self, level: str, level_label: Any, *, group: str, label: Any) -> None:
        self.level = level
        super().__init__(
            label=format_lazy("{}（{}）", label, level_label),
            choices=partial(division_options, "") if level == PROVINCE else (),
            required=False,
            widget=forms.Select(attrs={"data-division-level": level, "data-division-group": group}),
        )

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
        if value in self.empty_values:
            return
        division = divisions().get(value)
        if division is None:
            raise ValidationError(self.error_messages["unknown_code"], code="unknown_code", params={"value": value})
        if division.level != self.level:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


def place_fields(group: str, label: Any) -> dict[str, DivisionField]:
    """The three selects of one place group, by name (``origin_province``, …)."""
    return {
        f"{group}_{level}": DivisionField(level, level_label, group=group, label=label) for level, level_label in LEVELS
    }


class PlaceFieldsMixin:
    """Province → city → county selects for the origin and each place passed through.

    The options of a lower level are those below the chosen upper level (filled in the
    browser by ``arrivals/divisions.js``, and by the server when the form is shown again with a
    level chosen); the form checks the chain and returns the deepest code.
    """

    def list_places(self, group: str) -> None:
        """Give the city and county selects of ``group`` their options where the level above is chosen."""
        parent = self._chosen(f"{group}_{PROVINCE}")
        for upper_level, level in ((PROVINCE, CITY), (CITY, COUNTY)):
            upper = divisions().get(parent)
            if upper is None or upper.level != upper_level:
                return
            name = f"{group}_{level}"
            self.fields[name].choices = partial(division_options, parent)  # built only if the form is shown
            parent = self._chosen(name)

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        return str(self.initial.get(name, "") or "")

    def place_code(self, prefix: str, label: Any, required: bool) -> str:
        """The deepest code chosen for ``prefix``; adds an error to the first missing or misplaced level."""
        names = [f"{prefix}_{level}" for level, _label in LEVELS]
        if any(name in self.errors for name in names):
            return ""
        chosen = [self.cleaned_data.get(name) or "" for name in names]
        if not chosen[0]:
            if required or chosen[1] or chosen[2]:
                self.add_error(names[0], _("请选择%(label)s所在省份") % {"label": label})
            return ""
        code = chosen[0]
        for (_level, level_label), name, value in zip(LEVELS[1:], names[1:], chosen[1:], strict=True):
            if not divisions().children(code):
                break
            if not value:
                self.add_error(name, _("请选择%(label)s所在%(level)s") % {"label": label, "level": level_label})
                return ""
            if divisions().get(value).parent != code:
                self.add_error(name, _("所选%(level)s不在上一级之内，请从列表中选择") % {"level": level_label})
                return ""
            code = value
        return code


def _plainly_bound(field: forms.Field) -> bool:
    """Whether ``field``'s value is Django's default: its ``BoundField.data``, cleaned."""
    return (
        type(field)._clean_bound_field is forms.Field._clean_bound_field
        and type(field).get_bound_field is forms.Field.get_bound_field
        and field.bound_field_class is None
    )


class ArrivalForm(PlaceFieldsMixin, HumanCheckFormMixin, forms.Form):
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

    def _clean_fields(self) -> None:
        """``BaseForm._clean_fields``, without building a ``BoundField`` for each of the 28 fields
        only to read its data (a tenth of validating the form): a plain field is cleaned from
        ``_widget_data_value(widget, add_prefix(name))``, which is what ``BoundField.data`` returns
        and ``Field._clean_bound_field`` cleans. A disabled field, or one with its own
        ``_clean_bound_field`` or bound-field class, goes through its ``BoundField`` as in Django.
        The bound fields are still made when the form is shown."""
        fields = self.fields
        unchanged = fields.unchanged if isinstance(fields, LazilyCopiedFields) else fields.__getitem__
        plain_form = self.bound_field_class is None  # the form's, or its renderer's
        for name in fields:
            field = unchanged(name)
            try:
                if field.disabled or not plain_form or not _plainly_bound(field):
                    self.cleaned_data[name] = field._clean_bound_field(self[name])
                else:
                    self.cleaned_data[name] = field.clean(self._widget_data_value(field.widget, self.add_prefix(name)))
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

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


ArrivalForm.base_fields = QuicklyCopiedFields(ArrivalForm.base_fields)
