"""The Django internals ``core.perf`` relies on are still what it was written against.

Fails first on a Django upgrade: the minor version is pinned, and each internal is checked by its
shape (signatures, attributes, the statement Django's compiler builds) and by comparing the fast
result with Django's own. Run on SQLite and on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

import django
import pytest
from django import forms
from django.db import connection, models
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler
from django.forms.renderers import BaseRenderer

from xuanchuan.core.perf import fastinsert
from xuanchuan.core.perf.forms import (
    SUPPORTED_DJANGO,
    FixedChoiceField,
    LazilyCopiedFields,
    QuicklyCopiedFields,
    copy_field,
    plainly_bound,
)


def test_django_is_the_minor_version_the_fast_paths_were_checked_against() -> None:
    assert django.VERSION[:2] == SUPPORTED_DJANGO, (
        "core/perf relies on Django internals: check each point in core/perf/*.py against this "
        "Django version, then update SUPPORTED_DJANGO"
    )


# --- form fields ------------------------------------------------------------------------------------


def sample_fields() -> list[forms.Field]:
    return [
        forms.CharField(max_length=5, widget=forms.TextInput(attrs={"class": "x"})),
        forms.DateField(widget=forms.DateInput(attrs={"type": "date"})),
        forms.BooleanField(),
        FixedChoiceField(choices=[("a", "A")], widget=forms.RadioSelect),
        FixedChoiceField(choices=[("a", "A")]),
    ]


def identity_pattern(original: Any, copied: Any) -> dict[str, bool]:
    """For each attribute, whether the copy shares the original's object."""
    return {name: copied.__dict__[name] is value for name, value in original.__dict__.items()}


@pytest.mark.parametrize("field", sample_fields(), ids=lambda field: type(field).__name__)
def test_copy_field_copies_what_deepcopy_copies(field: forms.Field) -> None:
    deep, fast = copy.deepcopy(field), copy_field(field)
    assert set(fast.__dict__) == set(deep.__dict__)
    expected = identity_pattern(field, deep)
    if isinstance(field, FixedChoiceField):
        expected["_choices"] = True  # shared on purpose: only ever replaced
    assert identity_pattern(field, fast) == expected
    expected_widget = identity_pattern(field.widget, deep.widget)
    if isinstance(field, FixedChoiceField) and "_choices" in expected_widget:
        expected_widget["_choices"] = True  # the widget's too: ChoiceField.choices replaces both
    assert identity_pattern(field.widget, fast.widget) == expected_widget


def test_fields_and_widgets_deepcopy_as_the_fast_copy_assumes() -> None:
    source = inspect.getsource(forms.Field.__deepcopy__)
    for part in ("copy.copy(self)", "result.widget = copy.deepcopy(self.widget", "error_messages.copy()",
                 "self.validators[:]"):  # fmt: skip
        assert part in source, part
    assert "self._choices" in inspect.getsource(forms.ChoiceField.__deepcopy__)
    widget_source = inspect.getsource(forms.Widget.__deepcopy__)
    assert "copy.copy(self)" in widget_source and "self.attrs.copy()" in widget_source


def test_forms_copy_base_fields_and_clean_through_bound_fields() -> None:
    assert "copy.deepcopy(self.base_fields)" in inspect.getsource(forms.BaseForm.__init__)
    clean_source = inspect.getsource(forms.BaseForm._clean_fields)
    assert "_clean_bound_field(bf)" in clean_source and "clean_%s" in clean_source
    assert list(inspect.signature(forms.BaseForm._widget_data_value).parameters) == ["self", "widget", "html_name"]
    assert "self.form._widget_data_value(self.field.widget, self.html_name)" in inspect.getsource(
        forms.BoundField.data.fget
    )
    assert "bf.data" in inspect.getsource(forms.Field._clean_bound_field)
    assert hasattr(forms.Field, "bound_field_class") and hasattr(forms.BaseForm, "bound_field_class")
    assert hasattr(BaseRenderer, "bound_field_class")
    assert plainly_bound(forms.CharField())


def test_lazily_copied_fields_are_copied_on_first_look_up() -> None:
    class Sample(forms.Form):
        name = forms.CharField()
        kind = FixedChoiceField(choices=[("a", "A")])

    Sample.base_fields = QuicklyCopiedFields(Sample.base_fields)
    form = Sample({"name": "x", "kind": "a"})
    assert isinstance(form.fields, LazilyCopiedFields)
    assert form.fields.unchanged("name") is Sample.base_fields["name"]
    assert form.fields["name"] is not Sample.base_fields["name"]
    assert form.is_valid() and form.cleaned_data == {"name": "x", "kind": "a"}


# --- the prepared INSERT -------------------------------------------------------------------------


class Sample(models.Model):
    """A model of the shape the prepared INSERT supports (never migrated: only compiled)."""

    name = models.CharField(max_length=10)
    day = models.DateField(null=True)

    class Meta:
        app_label = "core"
        managed = False

    def __str__(self) -> str:
        return self.name


def test_the_orm_internals_the_prepared_insert_calls_keep_their_shape() -> None:
    assert "operation_name" in inspect.signature(models.Model._prepare_related_fields_for_save).parameters
    insert_parameters = inspect.signature(models.Manager._insert).parameters
    assert {"objs", "fields", "returning_fields", "using"} <= set(insert_parameters)
    assert list(inspect.signature(models.Field.pre_save).parameters) == ["self", "model_instance", "add"]
    assert hasattr(models.Field, "generated")
    meta = Sample._meta
    assert list(meta.db_returning_fields) == [meta.pk] and meta.auto_field is meta.pk
    assert hasattr(connection.ops, "return_insert_columns") and hasattr(connection.ops, "last_insert_id")
    assert hasattr(connection.features, "can_return_columns_from_insert")
    assert hasattr(SQLInsertCompiler, "returning_fields") and hasattr(SQLInsertCompiler, "returning_params")
    assert "returning_fields" in inspect.getsource(SQLInsertCompiler.as_sql)
    assert fastinsert.supports(Sample)


def test_the_prepared_insert_is_the_statement_djangos_compiler_builds() -> None:
    """The compiler's own INSERT for one row, with the same fields, is the prepared statement."""
    prepared = fastinsert.statement(Sample, connection.alias)
    query = InsertQuery(Sample)
    query.insert_values(list(prepared.fields), [Sample(name="a")])
    compiler = query.get_compiler(using=connection.alias)
    compiler.returning_fields = [Sample._meta.pk] if prepared.returning else None
    ((sql, params),) = compiler.as_sql()
    assert sql == prepared.sql
    assert len(params) == len(prepared.fields)
