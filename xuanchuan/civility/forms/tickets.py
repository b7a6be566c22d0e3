"""Forms and filters of the tickets part: input checks only (the rules are in ``services.tickets``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanchuan.civility.models.cases import OPEN_TICKET_STATUSES, Ticket, TicketStatus
from xuanchuan.org.models import Unit

MAX_TEXT = 4000


class IssueForm(forms.Form):
    """The responsible unit (suggested) and the requirement of a new 交办单."""

    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    requirement = forms.CharField(
        label=_("整改要求"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("整改情况"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("复核意见"), required=False, max_length=MAX_TEXT)


def _years() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(year, f"{year}年") for year in range(this, this - 6, -1)]


class TicketFilterSet(django_filters.FilterSet):
    """Tickets by status, unit, problem category group, overdue and year."""

    status = django_filters.ChoiceFilter(label=_("状态"), choices=TicketStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(label=_("责任单位"), queryset=Unit.objects.none(), empty_label=_("全部"))
    group = django_filters.CharFilter(label=_("问题大类"), method="filter_group", max_length=30)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    year = django_filters.ChoiceFilter(label=_("年度"), choices=_years, method="filter_year", empty_label=_("全部"))

    class Meta:
        model = Ticket
        fields = ["status", "unit"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["unit"].queryset = Unit.objects.visible_to(user) if user else Unit.objects.none()
        self.form.fields["unit"].queryset = self.filters["unit"].queryset

    def filter_group(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(problems__category__group=value) | Q(problems__category__name=value)).distinct()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_TICKET_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_year(self, queryset: QuerySet, name: str, value: str | None) -> QuerySet:
        return queryset.filter(year=int(value)) if value and str(value).isdigit() else queryset
