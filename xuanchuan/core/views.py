"""Shared view classes: every list and detail page of the staff site is built on these.

They read data only through ``visible_to(request.user)``, so another unit's record is "not
there" (404), and give every list search, filters, pagination and Excel export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.navigation import todos_for
from xuanchuan.core.services import run_service

CONFIRM_TEMPLATE = "core/confirm.html"


def style_form(form: forms.Form, size: str = "sm") -> forms.Form:
    """Give a form's widgets Bootstrap's classes (selects and inputs look alike on every page)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"form-select form-select-{size}"
        else:
            css = f"form-control form-control-{size}"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def visible_or_404(queryset: QuerySet, user: Any, pk: Any, **lookups: Any) -> Any:
    """The row ``pk`` of ``queryset`` if ``user`` may see it, else 404 — the same answer as for a
    row that does not exist, and for a ``pk`` that is no key at all (``?form=x``, a huge number).
    ``queryset`` is a scoped queryset (or a model with one)."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset.objects.all()
    try:
        key = queryset.model._meta.pk.to_python(pk)
        if isinstance(key, int) and not -(2**63) <= key < 2**63:
            raise ValidationError("out of range")
    except ValidationError:
        raise Http404 from None
    return get_object_or_404(queryset.visible_to(user), pk=key, **lookups)


class ScopedQuerysetMixin(LoginRequiredMixin):
    """The single place where a staff view gets its rows."""

    model: Any = None

    def base_queryset(self) -> QuerySet:
        return self.model.objects.all()

    def get_queryset(self) -> QuerySet:
        return self.base_queryset().visible_to(self.request.user)


class ScopedListView(ScopedQuerysetMixin, ListView):
    """A list with search (``?q=``), django-filter filters, pagination and ``?export=xlsx``.

    ``columns`` lists ``(attribute path, heading)`` pairs shown in the table and the export;
    an attribute may be a callable on the row (``get_unit_type_display``).
    """

    paginate_by = 25
    template_name = "core/object_list.html"
    filterset_class: Any = None
    search_fields: Sequence[str] = ()
    columns: Sequence[tuple[str, str]] = ()
    export_name: str = ""
    title: str = ""

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            style_form(self.filterset.form)
            queryset = self.filterset.qs
        query = self.request.GET.get("q", "").strip()
        if query and self.search_fields:
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": query})
            queryset = queryset.filter(condition)
        return queryset

    def export_columns(self) -> Sequence[tuple[str, str]]:
        """The columns of the Excel export: the table's by default (a list may export others)."""
        return self.columns

    def row_values(self, row: Any, columns: Sequence[tuple[str, str]] | None = None) -> list[Any]:
        values = []
        for path, _heading in self.columns if columns is None else columns:
            value: Any = row
            for part in path.split("__"):
                value = getattr(value, part, None) if value is not None else None
                if callable(value):
                    value = value()
            values.append("" if value is None else value)
        return values

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            columns = self.export_columns()
            rows = (self.row_values(row, columns) for row in self.get_queryset().iterator(chunk_size=2000))
            headers = [str(heading) for _path, heading in columns]
            title = str(self.title or self.model._meta.verbose_name_plural)
            return xlsx_response(self.export_name or self.model._meta.model_name, title, headers, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "title": self.title or self.model._meta.verbose_name_plural,
                "filterset": self.filterset,
                "search_enabled": bool(self.search_fields),
                "headings": [heading for _path, heading in self.columns],
                "rows": [(row, self.row_values(row)) for row in context["object_list"]],
                "query_string": query.urlencode(),
            }
        )
        return context


def require_role(allowed: bool) -> None:
    """Refuse the page (403) where the user's role does not allow it; the unit scope is checked
    separately, by ``visible_or_404`` (404)."""
    if not allowed:
        raise PermissionDenied


class StaffListView(ScopedListView):
    """A staff list only for a role that ``permission(user)`` admits (403 otherwise; set it with
    ``staticmethod(may_view)``). An anonymous visitor is left to ``ScopedListView``, which sends
    them to the login page. With ``detail_url_name`` the first column links to that URL (by pk)."""

    permission: Callable[[Any], bool] | None = None
    detail_url_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and self.permission is not None:
            require_role(self.permission(request.user))
        return super().dispatch(request, *args, **kwargs)

    def row_values(self, row: Any, columns: Sequence[tuple[str, str]] | None = None) -> list[Any]:
        if self.detail_url_name:
            url = reverse(self.detail_url_name, kwargs={"pk": row.pk})
            row.get_absolute_url = lambda: url
        return super().row_values(row, columns)


def confirm_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    """The confirmation page (``core/confirm.html``): ``title``, ``question``, ``explain``,
    ``button``, ``back``, and optionally ``danger`` (a red button) and ``form`` (e.g. the reason
    asked for)."""
    return render(request, CONFIRM_TEMPLATE, context, status=status)


def confirm_then_run(
    request: HttpRequest,
    action: Callable[..., Any],
    *,
    success: str,
    done_url: str,
    form: forms.Form | None = None,
    invalid_status: int = 200,
    refused_status: int = 200,
    **page: Any,
) -> HttpResponse:
    """An action behind a confirmation page. GET shows the page; POST runs ``action`` through
    ``run_service`` (called with the form's ``cleaned_data`` where a ``form`` asks for something,
    e.g. a reason) and goes on to ``done_url``. Without a form it goes on whether the service did
    it or refused (the message says which: there is nothing to correct on the page); with a form
    a refusal shows the page again with what was typed, answered with ``invalid_status`` where the
    form was refused and ``refused_status`` where the service was."""
    status = 200
    if request.method == "POST" and (form is None or form.is_valid()):
        if form is None:
            run_service(request, action, success=success)
            return redirect(done_url)
        if run_service(request, lambda: action(form.cleaned_data), success=success) is not None:
            return redirect(done_url)
        status = refused_status
    elif request.method == "POST":
        status = invalid_status
    if form is not None:
        page["form"] = style_form(form)
    return confirm_page(request, back=done_url, status=status, **page)


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    """A record the user may see, or 404 — the same answer as for a record that does not exist."""


def home(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    context = {
        "title": _("工作台"),
        "unit": user.unit,
        "unit_ancestors": type(user.unit).objects.get_ancestors(user.unit) if user.unit_id else [],
        "roles": user.roles.all(),
        "todos": todos_for(user),
    }
    return render(request, "core/home.html", context)
