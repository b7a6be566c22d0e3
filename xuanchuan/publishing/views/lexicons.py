"""Lexicon pages of proofreading: staff entries and the shipped defaults, the allow-list ("not an
error"), and the leaders' names and titles. Keepers change them; others read the lexicon only."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import ServiceError, run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.forms.proofreading import (
    AllowedFindingFilterSet,
    DefaultTermFilter,
    EntryForm,
    ImportForm,
    LexiconEntryFilterSet,
    NameTitleFilterSet,
    NameTitleForm,
    ReasonForm,
)
from xuanchuan.publishing.models import AllowedFinding, EntryKind, EntrySource, LexiconEntry, NameTitle, Severity
from xuanchuan.publishing.permissions import may_edit_lexicons
from xuanchuan.publishing.services import lexicons as services
from xuanchuan.publishing.views.proofreading import keeper_or_404, safe_next

# --- Lexicon entries -------------------------------------------------------------------------------------


class LexiconEntryListView(ScopedListView):
    """词库: the entries staff added, imported, or changed of the shipped defaults."""

    model = LexiconEntry
    template_name = "publishing/proofreading/lexicon_list.html"
    filterset_class = LexiconEntryFilterSet
    search_fields = ("term", "suggestion", "reason")
    title = gettext_lazy("校对词库")
    export_name = "lexicon"
    columns = (
        ("term", gettext_lazy("词语")),
        ("get_kind_display", gettext_lazy("类别")),
        ("suggestion", gettext_lazy("建议改为")),
        ("category", gettext_lazy("分类")),
        ("get_severity_display", gettext_lazy("严重程度")),
        ("reason", gettext_lazy("说明")),
        ("get_source_display", gettext_lazy("来源")),
        ("is_active", gettext_lazy("启用")),
        ("updated_by__full_name", gettext_lazy("最后修改人")),
        ("updated_at", gettext_lazy("最后修改时间")),
    )

    def base_queryset(self) -> Any:
        return LexiconEntry.objects.select_related("updated_by")  # scoping: allowed (ScopedListView applies visible_to)

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        values = super().row_values(row, columns)
        return [(_("是") if value else _("否")) if isinstance(value, bool) else value for value in values]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(tab="entries", may_edit=may_edit_lexicons(self.request.user))
        return context


def _default_rows(request: HttpRequest, filters: DefaultTermFilter) -> list[dict[str, Any]]:
    """The shipped default terms as the list shows them, with what staff changed of them."""
    from xuanchuan.proofing import default_terms

    overrides = {
        (entry.kind, entry.term): entry
        for entry in LexiconEntry.objects.visible_to(request.user).exclude(source=EntrySource.STAFF)
    }
    kinds, severities = dict(EntryKind.choices), dict(Severity.choices)
    data = filters.cleaned_data if filters.is_valid() else {}
    query = (request.GET.get("q") or "").strip()[:100]
    rows = []
    for term in default_terms():
        entry = overrides.get((term.kind, term.term))
        own = entry is not None and entry.source != EntrySource.DEFAULT
        active = not own and (entry is None or entry.is_active)
        severity = entry.severity if entry is not None and not own else term.severity
        row = {
            "term": term.term,
            "kind": term.kind,
            "kind_label": kinds.get(term.kind, term.kind),
            "suggestion": term.suggestion,
            "category": term.category,
            "severity": severity,
            "severity_label": severities.get(severity, severity),
            "reason": term.reason,
            "active": active,
            "replaced": own,
            "entry": entry,
        }
        if query and not any(query in (row[name] or "") for name in ("term", "suggestion", "reason")):
            continue
        if data.get("kind") and term.kind != data["kind"]:
            continue
        if data.get("severity") and severity != data["severity"]:
            continue
        if data.get("category") and data["category"] not in term.category:
            continue
        if data.get("active") and active != (data["active"] == "1"):
            continue
        rows.append(row)
    return rows


DEFAULT_COLUMNS = (
    ("term", gettext_lazy("词语")),
    ("kind_label", gettext_lazy("类别")),
    ("suggestion", gettext_lazy("建议改为")),
    ("category", gettext_lazy("分类")),
    ("severity_label", gettext_lazy("严重程度")),
    ("reason", gettext_lazy("说明")),
    ("status", gettext_lazy("状态")),
)


@login_required
def lexicon_defaults(request: HttpRequest) -> HttpResponse:
    """默认词库: the terms shipped with the platform; keepers silence or turn them on again."""
    filters = style_form(DefaultTermFilter(request.GET or None))
    rows = _default_rows(request, filters)
    for row in rows:
        row["status"] = _("已由人工词条替代") if row["replaced"] else (_("启用") if row["active"] else _("已停用"))
    if request.GET.get("export") == "xlsx":
        headers = [str(heading) for _name, heading in DEFAULT_COLUMNS]
        values = ([row[name] for name, _heading in DEFAULT_COLUMNS] for row in rows)
        return xlsx_response("default-lexicon", _("系统默认词库"), headers, values)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": _("系统默认词库"),
        "tab": "defaults",
        "filters": filters,
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "query_string": query.urlencode(),
        "may_edit": may_edit_lexicons(request.user),
    }
    return render(request, "publishing/proofreading/lexicon_defaults.html", context)


@login_required
def lexicon_default_toggle(request: HttpRequest) -> HttpResponse:
    """Silence a shipped default term or turn it on again (asks first)."""
    keeper_or_404(request)
    source = request.POST if request.method == "POST" else request.GET
    kind, term = str(source.get("kind", ""))[:30], str(source.get("term", ""))[:100]
    shipped = services.shipped_term(kind, term)
    if shipped is None:
        raise Http404
    entry = LexiconEntry.objects.visible_to(request.user).filter(kind=kind, term=term).first()
    active = entry is None or entry.is_active
    back = safe_next(request, reverse("publishing:lexicon_defaults"))
    if request.method == "POST":
        done = run_service(
            request,
            lambda: services.set_default_term(kind, term, active=not active, by=request.user),
            success=(_("已停用默认词条“%(term)s”。") if active else _("已重新启用默认词条“%(term)s”。"))
            % {"term": term},
        )
        return HttpResponseRedirect(back if done is not None else reverse("publishing:lexicon_defaults"))
    context = {
        "title": _("停用默认词条") if active else _("启用默认词条"),
        "question": (
            _("停用后，“%(term)s”不再被提示（全站生效，可随时重新启用）。确定停用吗？")
            if active
            else _("重新启用后，“%(term)s”将再次被提示。确定启用吗？")
        )
        % {"term": term},
        "hidden": {"kind": kind, "term": term, "next": back},
        "confirm_label": _("停用") if active else _("启用"),
        "danger": active,
        "back": back,
    }
    return render(request, "publishing/proofreading/confirm.html", context)


def _entry_form_page(request: HttpRequest, entry: LexiconEntry | None) -> HttpResponse:
    default_row = entry is not None and entry.source == EntrySource.DEFAULT
    initial = {}
    if entry is not None:
        initial = {
            name: getattr(entry, name) for name in ("kind", "term", "suggestion", "category", "severity", "reason")
        }
    form = EntryForm(request.POST or None, initial=initial, default_row=default_row)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if entry is None:
            done = run_service(request, lambda: services.add_entry(by=request.user, **data), success=_("词条已添加。"))
        else:
            done = run_service(
                request, lambda: services.update_entry(entry, by=request.user, **data), success=_("词条已保存。")
            )
        if done is not None:
            return HttpResponseRedirect(reverse("publishing:lexicon_list"))
    context = {
        "title": _("添加词条") if entry is None else _("修改词条"),
        "form": style_form(form, "md"),
        "entry": entry,
        "back": reverse("publishing:lexicon_list"),
        "note": _("这是系统默认词条：只能修改建议、分类、严重程度和说明。") if default_row else "",
    }
    return render(request, "publishing/proofreading/form.html", context)


@login_required
def lexicon_add(request: HttpRequest) -> HttpResponse:
    """Add a term (lexicon keepers)."""
    keeper_or_404(request)
    return _entry_form_page(request, None)


@login_required
def lexicon_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a term (lexicon keepers)."""
    keeper_or_404(request)
    return _entry_form_page(request, visible_or_404(LexiconEntry, request.user, pk))


def _toggle_page(request: HttpRequest, active: bool, change, back_default: str, texts: dict) -> HttpResponse:
    """Disable or enable a row again, after a confirmation page: ``change(active, by=)`` is the
    service call; ``texts`` has the ``disable``/``enable`` questions and the ``done`` messages."""
    back = safe_next(request, back_default)
    if request.method == "POST":
        run_service(
            request,
            lambda: change(not active, by=request.user),
            success=texts["disabled"] if active else texts["enabled"],
        )
        return HttpResponseRedirect(back)
    context = {
        "title": _("停用") if active else _("启用"),
        "question": texts["disable"] if active else texts["enable"],
        "hidden": {"next": back},
        "confirm_label": _("停用") if active else _("启用"),
        "danger": active,
        "back": back,
    }
    return render(request, "publishing/proofreading/confirm.html", context)


@login_required
def lexicon_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Disable or enable an entry again (asks first)."""
    keeper_or_404(request)
    entry = visible_or_404(LexiconEntry, request.user, pk)
    texts = {
        "disable": _("停用后“%(term)s”不再被提示。确定停用吗？") % {"term": entry.term},
        "enable": _("确定重新启用“%(term)s”吗？") % {"term": entry.term},
        "disabled": _("词条已停用。"),
        "enabled": _("词条已启用。"),
    }
    change = partial(services.set_entry_active, entry)
    return _toggle_page(request, entry.is_active, change, reverse("publishing:lexicon_list"), texts)


def _import_page(request: HttpRequest, *, names: bool) -> HttpResponse:
    keeper_or_404(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    back = reverse("publishing:name_list" if names else "publishing:lexicon_list")
    if request.method == "POST" and form.is_valid():
        run = services.import_names if names else services.import_entries
        try:
            result = run(form.cleaned_data["file"].read(), by=request.user)
        except ServiceError as exc:
            errors = [str(message) for message in exc.messages]
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("导入完成：") + result.summary)
            return HttpResponseRedirect(back)
    context = {
        "title": _("从 Excel 导入领导姓名职务") if names else _("从 Excel 导入词条"),
        "form": style_form(form, "md"),
        "errors": errors,
        "names": names,
        "columns": services.NAME_COLUMNS if names else services.IMPORT_COLUMNS,
        "kinds": EntryKind.labels,
        "template_url": reverse("publishing:name_template" if names else "publishing:lexicon_template"),
        "back": back,
    }
    return render(request, "publishing/proofreading/import.html", context)


@login_required
def lexicon_import(request: HttpRequest) -> HttpResponse:
    """Import terms from Excel (columns 词语, 类别, 建议改为, 分类, 严重程度, 说明): all or nothing."""
    return _import_page(request, names=False)


@login_required
def name_import(request: HttpRequest) -> HttpResponse:
    """Import names and titles from Excel (columns 姓名, 现任职务): all or nothing."""
    return _import_page(request, names=True)


@login_required
def name_template(request: HttpRequest) -> HttpResponse:
    """An empty names-and-titles sheet with the headings and one example row."""
    keeper_or_404(request)
    return xlsx_response(
        "names-import", _("领导姓名职务导入"), list(services.NAME_COLUMNS), [["张三", "区委副书记、区长"]]
    )


@login_required
def lexicon_template(request: HttpRequest) -> HttpResponse:
    """An empty import sheet with the headings and one example row."""
    keeper_or_404(request)
    example = ["打黑除恶", str(EntryKind.FORMULATION.label), "扫黑除恶", _("时政"), str(Severity.HIGH.label), ""]
    return xlsx_response("lexicon-import", _("词条导入"), list(services.IMPORT_COLUMNS), [example])


# --- Allow-list ----------------------------------------------------------------------------------------------


class AllowedFindingListView(ScopedListView):
    """不是错误: findings marked "not an error", site-wide and for the publications one sees."""

    model = AllowedFinding
    template_name = "publishing/proofreading/allowed_list.html"
    filterset_class = AllowedFindingFilterSet
    search_fields = ("text", "reason")
    title = gettext_lazy("校对白名单（不是错误）")
    export_name = "allow-list"
    columns = (
        ("text", gettext_lazy("文字")),
        ("kind_label", gettext_lazy("问题类别")),
        ("get_scope_display", gettext_lazy("范围")),
        ("publication__title", gettext_lazy("稿件")),
        ("reason", gettext_lazy("说明")),
        ("created_by__full_name", gettext_lazy("标记人")),
        ("created_at", gettext_lazy("标记时间")),
    )

    def base_queryset(self) -> Any:
        related = ("publication", "created_by")
        return AllowedFinding.objects.select_related(*related)  # scoping: allowed (ScopedListView applies visible_to)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["removable"] = {row.pk for row, _values in context["rows"] if services.may_remove_allowed(user, row)}
        return context

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        row.kind_label = proofreading.kind_label(row.kind)
        return super().row_values(row, columns)


@login_required
def allowed_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a finding off the allow-list (asks first): it is flagged again."""
    related = AllowedFinding.objects.select_related("publication")  # scoping: allowed (visible_or_404 applies it)
    entry = visible_or_404(related, request.user, pk)
    if not services.may_remove_allowed(request.user, entry):
        raise Http404
    back = safe_next(request, reverse("publishing:allowed_list"))
    if request.method == "POST":
        run_service(
            request,
            lambda: services.remove_allowed(entry, by=request.user),
            success=_("已移出白名单，今后会再次提示。"),
        )
        return HttpResponseRedirect(back)
    context = {
        "title": _("移出白名单"),
        "question": _("移出后“%(text)s”（%(kind)s）会再次被提示。确定移出吗？")
        % {"text": entry.text, "kind": proofreading.kind_label(entry.kind)},
        "hidden": {"next": back},
        "confirm_label": _("移出"),
        "danger": True,
        "back": back,
    }
    return render(request, "publishing/proofreading/confirm.html", context)


@login_required
@require_POST
def allowed_add(request: HttpRequest) -> HttpResponse:
    """ "不是错误" from a review page: ``kind``, ``text``, optional ``publication`` (its id) and
    ``reason``; back to ``next``. Without a publication the mark is site-wide (lexicon keepers)."""
    from xuanchuan.publishing.models import Publication

    publication = None
    raw = request.POST.get("publication", "")
    if raw:
        publication = visible_or_404(Publication, request.user, raw)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.allow_finding(
            kind=request.POST.get("kind", "")[:30],
            text=request.POST.get("text", "")[:201],
            publication=publication,
            reason=reason,
            by=request.user,
        ),
        success=_("已标记为不是错误。"),
    )
    return HttpResponseRedirect(safe_next(request, reverse("publishing:allowed_list")))


# --- Names and titles --------------------------------------------------------------------------------------


class NameTitleListView(ScopedListView):
    """领导姓名职务: names with their current titles, so a wrong title next to a name is flagged."""

    model = NameTitle
    template_name = "publishing/proofreading/name_list.html"
    filterset_class = NameTitleFilterSet
    search_fields = ("name", "titles")
    title = gettext_lazy("领导姓名职务")
    export_name = "names-titles"
    columns = (
        ("name", gettext_lazy("姓名")),
        ("titles", gettext_lazy("现任职务")),
        ("is_active", gettext_lazy("启用")),
        ("updated_by__full_name", gettext_lazy("最后修改人")),
        ("updated_at", gettext_lazy("最后修改时间")),
    )

    def base_queryset(self) -> Any:
        return NameTitle.objects.select_related("updated_by")  # scoping: allowed (ScopedListView applies visible_to)

    def row_values(self, row: Any, columns: Any = None) -> list[Any]:
        values = super().row_values(row, columns)
        return [(_("是") if value else _("否")) if isinstance(value, bool) else value for value in values]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_edit"] = may_edit_lexicons(self.request.user)
        return context


def _name_form_page(request: HttpRequest, row: NameTitle | None) -> HttpResponse:
    initial = {"name": row.name, "titles": row.titles} if row is not None else {}
    form = NameTitleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if row is None:
            done = run_service(request, lambda: services.add_name(by=request.user, **data), success=_("已添加。"))
        else:
            done = run_service(
                request, lambda: services.update_name(row, by=request.user, **data), success=_("已保存。")
            )
        if done is not None:
            return HttpResponseRedirect(reverse("publishing:name_list"))
    context = {
        "title": _("添加领导姓名职务") if row is None else _("修改领导姓名职务"),
        "form": style_form(form, "md"),
        "back": reverse("publishing:name_list"),
        "note": "",
    }
    return render(request, "publishing/proofreading/form.html", context)


@login_required
def name_add(request: HttpRequest) -> HttpResponse:
    """Add a leader's name and titles (lexicon keepers)."""
    keeper_or_404(request)
    return _name_form_page(request, None)


@login_required
def name_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a leader's name or titles (lexicon keepers)."""
    keeper_or_404(request)
    return _name_form_page(request, visible_or_404(NameTitle, request.user, pk))


@login_required
def name_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Disable or enable a names-and-titles row again (asks first)."""
    keeper_or_404(request)
    row = visible_or_404(NameTitle, request.user, pk)
    texts = {
        "disable": _("停用后不再按“%(name)s”的职务核对。确定停用吗？") % {"name": row.name},
        "enable": _("确定重新启用“%(name)s”吗？") % {"name": row.name},
        "disabled": _("已停用。"),
        "enabled": _("已启用。"),
    }
    change = partial(services.set_name_active, row)
    return _toggle_page(request, row.is_active, change, reverse("publishing:name_list"), texts)
