"""Cheaper form construction and validation for a large public form: fields copied lazily, and
``_clean_fields`` without a ``BoundField`` per field.

Django deep-copies every field of a form for each instance (``BaseForm.__init__`` does
``copy.deepcopy(self.base_fields)``), and ``_clean_fields`` builds a ``BoundField`` per field
to read its data. For arrivals' 28-field public form each cost about a tenth of a submission
(``benchmarks/README.md``). The pieces here do the same work, shorter:

- ``FixedChoiceField``: a ``ChoiceField`` whose choices are only ever replaced, never changed in
  place, so its copy shares them (``Field.__deepcopy__`` instead of ``ChoiceField.__deepcopy__``);
- ``copy_field``: the copy ``Field.__deepcopy__``/``Widget.__deepcopy__`` make (the field and its
  widget shallow-copied with their own ``attrs``, ``error_messages`` and ``validators``), made
  directly for fields whose ``__deepcopy__`` is Django's plain one; any other field deep-copied;
- ``QuicklyCopiedFields`` (a form's ``base_fields``) whose deep copy is a ``LazilyCopiedFields``:
  a field is copied on its first look-up, so a valid submission copies only what it changes;
- ``LeanCleanMixin._clean_fields``: ``BaseForm._clean_fields`` cleaning a plain field from
  ``_widget_data_value(widget, add_prefix(name))`` — what ``BoundField.data`` returns.

Django internals relied on (checked by ``tests/test_django_internals.py``, pinned to the Django
minor version in ``SUPPORTED_DJANGO``): the attributes ``Field.__deepcopy__`` and
``Widget.__deepcopy__`` copy; ``BaseForm.__init__`` deep-copying ``base_fields``;
``BaseForm._clean_fields`` calling ``Field._clean_bound_field(bf)`` on ``self[name]`` and
``clean_<name>()``; ``BaseForm._widget_data_value``, ``Field.get_bound_field`` and the
``bound_field_class`` attributes of forms, fields and renderers (new in Django 5.2).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, MutableMapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The Django minor version these copies were checked against; the internals test fails on another.
SUPPORTED_DJANGO = (5, 2)


class FixedChoiceField(forms.ChoiceField):
    """A ``ChoiceField`` whose choice list is never changed in place (only replaced): each form
    shares it instead of deep-copying it (with its lazy labels) as ``ChoiceField`` does."""

    def __deepcopy__(self, memo: dict[int, Any]) -> FixedChoiceField:
        return forms.Field.__deepcopy__(self, memo)


def _shallow(obj: Any) -> Any:
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


PLAIN_FIELD_COPIES = {forms.Field.__deepcopy__, FixedChoiceField.__deepcopy__}
PLAIN_WIDGET_COPIES = {forms.Widget.__deepcopy__, forms.widgets.ChoiceWidget.__deepcopy__}


def copy_field(field: forms.Field, memo: dict[int, Any] | None = None) -> forms.Field:
    """The copy of ``field`` that ``copy.deepcopy`` makes, made directly when Django's copy is plain.

    For fields and widgets whose ``__deepcopy__`` is Django's plain one (``Field``, ``Widget``,
    ``ChoiceWidget``) or ``FixedChoiceField``'s, the copy is the same — the field and its widget
    copied, each with its own ``attrs``, ``error_messages`` and ``validators`` (choice lists shared:
    they are only ever replaced) — made directly instead of through ``copy``'s generic protocol.
    Any other field is deep-copied as usual.
    """
    widget = field.widget
    if type(field).__deepcopy__ not in PLAIN_FIELD_COPIES or type(widget).__deepcopy__ not in PLAIN_WIDGET_COPIES:
        return copy.deepcopy(field, memo if memo is not None else {})
    copied = _shallow(field)
    copied.widget = _shallow(widget)
    copied.widget.attrs = widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


class LazilyCopiedFields(MutableMapping):
    """A form's ``fields``: each field copied from ``base_fields`` when it is first looked up.

    A field is copied (``copy_field``) on its first look-up through the mapping — ``fields[name]``,
    ``get``, ``values()``, ``items()``, so before anything can change it — and the copy kept; a
    field set or deleted is simply set or deleted. Until then the form reads the shared field
    through ``unchanged(name)`` (which changes nothing): ``LeanCleanMixin._clean_fields`` does.
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
    "copy" is a ``LazilyCopiedFields`` over them (a field copied when first looked up)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> LazilyCopiedFields:
        return LazilyCopiedFields(self)


def copy_fields_lazily(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """Class decorator: give ``form_class`` fields copied on first look-up (``QuicklyCopiedFields``)."""
    form_class.base_fields = QuicklyCopiedFields(form_class.base_fields)
    return form_class


def plainly_bound(field: forms.Field) -> bool:
    """Whether ``field``'s value is Django's default: its ``BoundField.data``, cleaned."""
    return (
        type(field)._clean_bound_field is forms.Field._clean_bound_field
        and type(field).get_bound_field is forms.Field.get_bound_field
        and field.bound_field_class is None
    )


class LeanCleanMixin:
    """``_clean_fields`` without building a ``BoundField`` for each field only to read its data."""

    def _clean_fields(self) -> None:
        """``BaseForm._clean_fields``: a plain field is cleaned from ``_widget_data_value(widget,
        add_prefix(name))``, which is what ``BoundField.data`` returns and
        ``Field._clean_bound_field`` cleans. A disabled field, or one with its own
        ``_clean_bound_field`` or bound-field class, goes through its ``BoundField`` as in Django.
        The bound fields are still made when the form is shown."""
        fields = self.fields
        unchanged = fields.unchanged if isinstance(fields, LazilyCopiedFields) else fields.__getitem__
        plain_form = self.bound_field_class is None  # the form's, or its renderer's
        for name in fields:
            field = unchanged(name)
            try:
                if field.disabled or not plain_form or not plainly_bound(field):
                    self.cleaned_data[name] = field._clean_bound_field(self[name])
                else:
                    self.cleaned_data[name] = field.clean(self._widget_data_value(field.widget, self.add_prefix(name)))
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)
