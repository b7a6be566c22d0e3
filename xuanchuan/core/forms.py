"""Form pieces the apps share: several files in one field, and a date-time typed in the browser's
own picker. Input checks only; what a photo may be is ``core.photos`` (through each app's service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils import timezone

PHOTO_TYPES = "image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one field, at most ``max_count`` (a number, or a function giving it when
    the form is checked), ``too_many`` naming it as ``%(n)d``. An empty required field gives its
    ``required`` error message. The checks of each photo are the service's (``core.photos``)."""

    def __init__(
        self,
        *args: Any,
        max_count: int | Callable[[], int],
        too_many: Any,
        accept: str = PHOTO_TYPES,
        **kwargs: Any,
    ) -> None:
        self.max_count = max_count
        self.too_many = too_many
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        files = data if isinstance(data, list | tuple) else [data]
        limit = self.max_count() if callable(self.max_count) else self.max_count
        if len(files) > limit:
            raise forms.ValidationError(self.too_many % {"n": limit})
        return [super(MultiplePhotoField, self).clean(item) for item in files]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def datetime_field(label: Any) -> forms.DateTimeField:
    """A required date and time, typed in the browser's picker (or as ``YYYY-MM-DD HH:MM``)."""
    return forms.DateTimeField(
        label=label, widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )


def year_choices() -> list[tuple[str, str]]:
    """The years a list may be filtered by: next year, this year and the five before it (newest first)."""
    this = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this + 1, this - 6, -1)]
