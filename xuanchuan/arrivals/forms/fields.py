"""Fields and checks the public form and the staff grid share: the destination community, the
province → city → county selects of a place, the document number and the arrival date."""

from __future__ import annotations

import re
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
from xuanchuan.arrivals.models import DocumentType, Transport
from xuanchuan.core.memo import VersionedMemo
from xuanchuan.core.perf.forms import FixedChoiceField
from xuanchuan.core.pii import validate_resident_id
from xuanchuan.core.pii.kinds import normalize_id_number
from xuanchuan.org.models import GRASSROOTS_TYPES, Unit

# How far ahead a person may register, and how far back an arrival is still worth registering.
DAYS_AHEAD = 3
DAYS_BACK = 30
TRIP_REQUIRED = (Transport.PLANE, Transport.TRAIN, Transport.BUS, Transport.SHIP)
PASSPORT_PATTERN = re.compile(r"^[A-Z0-9]{5,20}$")
LEVELS = ((PROVINCE, _("省")), (CITY, _("市")), (COUNTY, _("区县")))


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
# per process and reloaded when a unit is saved or deleted (``signals.py``) — see ``core/memo.py``.
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
