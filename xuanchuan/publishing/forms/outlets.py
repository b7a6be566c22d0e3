"""Forms and filters of the outlet registry: input checks only; the rules (scope, one news site,
unique names, dates) are the services' (``services.outlets``), which refuse in Chinese."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.views import style_form
from xuanchuan.org.models import Unit, User
from xuanchuan.publishing.models import Column, Outlet, OutletKind, OutletStatus
from xuanchuan.publishing.queries.outlets import stale_ids
from xuanchuan.publishing.services.outlets import MAX_PERIOD_DAYS, may_set_news_site

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ServiceRulesForm(forms.ModelForm):
    """A model form whose rules are left to the service: Django's own checks of the model's
    constraints would answer in the database's words ("违反约束 …"); the service answers in Chinese."""

    def _post_clean(self) -> None:
        return None


class OutletForm(_ServiceRulesForm):
    """Register or change an outlet. Units and responsible people are those the user sees; the
    news-site mark is offered to department administrators only."""

    update_period_days = forms.IntegerField(
        label=_("更新周期（天）"), min_value=1, max_value=MAX_PERIOD_DAYS, initial=14,
        help_text=_("超过这么多天没有更新即显示为“长期未更新”（检查指标：两周）"),
    )  # fmt: skip
    url = forms.URLField(label=_("链接"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Outlet
        fields = [
            "name", "kind", "unit", "account", "url", "responsible", "responsible_name", "operator",
            "registration_no", "registered_on", "filed_on", "status", "update_period_days", "is_news_site", "note",
        ]  # fmt: skip
        widgets = {"registered_on": DATE, "filed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user)
        self.fields["unit"].label = _("主管（主办）单位")
        self.fields["responsible"].queryset = User.objects.visible_to(user).filter(is_active=True)
        self.fields["responsible"].required = False
        self.fields["status"].choices = [choice for choice in OutletStatus.choices if choice[0] != OutletStatus.CLOSED]
        self.fields["name"].max_length = 100
        if not may_set_news_site(user):
            del self.fields["is_news_site"]
        if not self.instance.pk and not self.is_bound and getattr(user, "unit_id", None):
            self.initial.setdefault("unit", user.unit_id)
        style_form(self)


class ColumnForm(_ServiceRulesForm):
    """Open or change a column of an outlet (a blank address is made from the name's pinyin)."""

    class Meta:
        model = Column
        fields = ["name", "is_topic", "slug", "position", "opened_on", "description"]
        widgets = {"opened_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["opened_on"].required = False
        self.fields["opened_on"].help_text = _("留空即为今天")
        self.fields["slug"].help_text = _("用于新闻网站的栏目网址，留空则按栏目名称的拼音生成")
        self.fields["position"].min_value = 0
        self.fields["position"].max_value = 9999
        self.fields["position"].help_text = _("数字小的排在前面")
        style_form(self)


class CloseOutletForm(forms.Form):
    closed_on = forms.DateField(label=_("关停日期"), required=False, widget=DATE)
    reason = forms.CharField(label=_("关停原因"), max_length=200, required=False)


class CloseColumnForm(forms.Form):
    closed_on = forms.DateField(label=_("关闭日期"), required=False, widget=DATE)


class OutletFilterSet(django_filters.FilterSet):
    """Outlets by kind, status, owner unit (and the units below it) and staleness."""

    kind = django_filters.ChoiceFilter(label=_("类型"), choices=OutletKind.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=OutletStatus.choices, empty_label=_("全部"))
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级）"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("全部")
    )
    stale = django_filters.ChoiceFilter(
        label=_("更新情况"),
        choices=[("yes", _("长期未更新")), ("no", _("按期更新"))],
        method="filter_stale",
        empty_label=_("全部"),
    )

    class Meta:
        model = Outlet
        fields = ["kind", "status", "unit", "stale"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.visible_to(self.request.user)

    def filter_unit(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.within(value) if value else queryset

    def filter_stale(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        ids = stale_ids(queryset)
        return queryset.filter(pk__in=ids) if value == "yes" else queryset.exclude(pk__in=ids)
