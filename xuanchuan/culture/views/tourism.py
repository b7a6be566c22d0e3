"""Staff pages of the tourism part: the year-on-year table with the stat rows under it, the holidays'
dates by year, a stat's form and deletion, and the Excel import (template, upload, preview,
confirm).

Views are thin: forms check the input, ``services.tourism`` decides, ``run_service`` shows a
refusal as a message. Every page needs ``may_manage_tourism`` (403) and reads stats through
``visible_to`` (another unit's stat is 404). An upload waits for its confirmation in the
server-side session (the cells of the file, and the fingerprint of the preview shown), so the
confirmation trusts nothing the browser posts back but a token and the tick "skip error rows".
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import ServiceError, refusal_text, run_service
from xuanchuan.core.views import confirm_then_run, require_role, style_form, visible_or_404
from xuanchuan.culture.forms import tourism as forms
from xuanchuan.culture.models import Holiday, TourismStat
from xuanchuan.culture.permissions import may_manage_tourism
from xuanchuan.culture.queries import tourism as queries
from xuanchuan.culture.services import tourism as services
from xuanchuan.org.scoping import requested_unit, user_sees_all_units

FORM_TEMPLATE = "culture/tourism/form.html"
PENDING_KEY = "culture_tourism_imports"
PENDING_KEEP = 3  # uploads waiting for confirmation per session (the oldest goes first)
RECORDS_PER_PAGE = 25


def _require(request: HttpRequest) -> None:
    require_role(may_manage_tourism(request.user))


def _filters(request: HttpRequest) -> tuple[forms.TableFilterForm, dict[str, Any]]:
    form = forms.TableFilterForm(request.GET or None, user=request.user)
    style_form(form)
    chosen: dict[str, Any] = {"holiday": "", "year_from": None, "year_to": None, "unit": None}
    if form.is_bound and form.is_valid():
        chosen.update({name: form.cleaned_data.get(name) or chosen[name] for name in chosen})
    elif form.is_bound and "unit" in form.errors:
        raise Http404  # a unit that is not there or not visible: the same answer as everywhere
    if request.GET.get("unit") and chosen["unit"] is None:
        chosen["unit"] = requested_unit(request.user, request.GET.get("unit"))
    return form, chosen


def _records(request: HttpRequest, chosen: dict[str, Any]) -> Any:
    found = queries.stats(request.user)
    if chosen["unit"] is not None:
        found = found.within(chosen["unit"])
    if chosen["holiday"]:
        found = found.filter(holiday=chosen["holiday"])
    if chosen["year_from"]:
        found = found.filter(year__gte=chosen["year_from"])
    if chosen["year_to"]:
        found = found.filter(year__lte=chosen["year_to"])
    text = request.GET.get("q", "").strip()[:100]
    if text:
        found = found.filter(Q(unit__name__icontains=text) | Q(note__icontains=text))
    return found.order_by("-year", "holiday", "unit__path")


RECORD_HEADERS = ["单位", "假日", "年度", "旅游人数（人次）", "旅游综合收入（万元）", "来源", "说明"]


def _record_values(stat: TourismStat) -> list[Any]:
    return [
        stat.unit.name,
        stat.get_holiday_display(),
        stat.year,
        stat.visitors,
        float(stat.revenue),
        stat.get_source_display(),
        stat.note,
    ]


@login_required
@require_GET
def tourism_list(request: HttpRequest) -> HttpResponse:
    """Holiday tourism in scope: per holiday and year the days, visitors and revenue with their
    year-on-year change (raw and per holiday day); the stat rows under it. ``?export=xlsx`` gives
    the table, ``?export=records`` the rows."""
    _require(request)
    form, chosen = _filters(request)
    table = queries.yearly_table(
        request.user,
        holiday=chosen["holiday"],
        unit=chosen["unit"],
        year_from=chosen["year_from"],
        year_to=chosen["year_to"],
    )
    export = request.GET.get("export")
    if export == "xlsx":
        return xlsx_response("holiday-tourism", _("假日旅游同比"), queries.EXPORT_HEADERS, queries.export_rows(table))
    records = _records(request, chosen)
    if export == "records":
        rows = (_record_values(stat) for stat in records.iterator(chunk_size=2000))
        return xlsx_response("holiday-tourism-records", _("假日旅游统计"), RECORD_HEADERS, rows)
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "title": _("假日旅游统计"),
        "tab": "stats",
        "form": form,
        "table": table,
        "page_obj": page,
        "records": page.object_list,
        "query_string": query.urlencode(),
        "chosen_unit": chosen["unit"],
        "q": request.GET.get("q", "").strip()[:100],
    }
    return render(request, "culture/tourism/list.html", context)


@login_required
@require_GET
def holiday_list(request: HttpRequest) -> HttpResponse:
    """The six holidays' dates per year (with their length); district managers may set them.
    ``?export=xlsx`` gives the list."""
    _require(request)
    periods = queries.period_map()
    years = queries.holiday_years(recent=False)
    year_text = request.GET.get("year", "")
    if year_text:
        if not year_text.isdigit() or int(year_text) not in queries.holiday_years():
            raise Http404
        years = [int(year_text)]
    grid = [
        {
            "year": year,
            "holidays": [
                {"code": code, "label": label, "period": periods.get((code, year))} for code, label in Holiday.choices
            ],
        }
        for year in years
    ]
    if request.GET.get("export") == "xlsx":
        rows = [
            [item["year"], str(cell["label"]), cell["period"].starts_on, cell["period"].ends_on, cell["period"].days]
            for item in grid
            for cell in item["holidays"]
            if cell["period"]
        ]
        return xlsx_response("holidays", _("假日安排"), ["年度", "假日", "放假开始", "放假结束", "天数"], rows)
    context = {
        "title": _("假日放假安排"),
        "tab": "holidays",
        "grid": grid,
        "all_years": queries.holiday_years(),
        "latest_year": max(queries.holiday_years()),
        "year": year_text,
        "may_set": user_sees_all_units(request.user),
    }
    return render(request, "culture/tourism/holiday_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request: HttpRequest, year: int, holiday: str) -> HttpResponse:
    """Set or correct the days of ``holiday`` in ``year`` (district managers)."""
    _require(request)
    if holiday not in Holiday.values or not 2000 <= year <= 2100:
        raise Http404
    require_role(user_sees_all_units(request.user))
    period = queries.period_map({year}).get((holiday, year))
    initial = {"starts_on": period.starts_on, "ends_on": period.ends_on} if period else {}
    form = forms.HolidayPeriodForm(request.POST or None, initial=initial)
    label = Holiday(holiday).label
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("culture:holiday_list") + f"?year={year}"
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            lambda: services.set_holiday_period(
                holiday=holiday,
                year=year,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            ),
            success=_("已保存%(year)d年%(holiday)s的放假日期。") % {"year": year, "holiday": label},
        )
        if done is not None:
            return redirect(back)
    title = _("%(year)d年%(holiday)s放假日期") % {"year": year, "holiday": label}
    return _form_page(request, form, title=title, back=back)


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str, **extra: Any) -> HttpResponse:
    style_form(form)
    context = {"form": form, "title": title, "back": back, **extra}
    status = 400 if form.errors or request.method == "POST" else 200
    return render(request, FORM_TEMPLATE, context, status=status)


def _missing_dates(request: HttpRequest, form: forms.StatForm) -> dict[str, Any] | None:
    """The holiday's dates that must be entered before this stat, with where to enter them."""
    data = form.cleaned_data
    if (data["holiday"], data["year"]) in queries.period_map({data["year"]}):
        return None
    url = ""
    if user_sees_all_units(request.user):
        url = reverse("culture:holiday_edit", kwargs={"year": data["year"], "holiday": data["holiday"]})
        url += f"?next={request.path}"
    return {"text": services.missing_dates_message(data["holiday"], data["year"]), "url": url}


def _save_stat(request: HttpRequest, form: forms.StatForm, action: Any, success: str) -> Any:
    missing = _missing_dates(request, form)
    if missing is not None:
        form.add_error(None, missing["text"])
        return None, missing
    return run_service(request, lambda: action(form.stat_input()), success=success), None


@login_required
@require_http_methods(["GET", "POST"])
def stat_create(request: HttpRequest) -> HttpResponse:
    """Enter a unit's visitors and revenue over a holiday (``?holiday=&year=`` preselect them)."""
    _require(request)
    initial = {key: request.GET[key] for key in ("holiday", "year") if request.GET.get(key, "").isalnum()}
    form = forms.StatForm(request.POST or None, user=request.user, initial=initial)
    missing = None
    if request.method == "POST" and form.is_valid():
        stat, missing = _save_stat(
            request, form, lambda data: services.create_stat(data, by=request.user), _("已保存假日旅游数据。")
        )
        if stat is not None:
            return redirect(reverse("culture:tourism_list") + f"?holiday={stat.holiday}")
    back = reverse("culture:tourism_list")
    return _form_page(request, form, title=_("填报假日旅游数据"), back=back, missing=missing)


def _stat(request: HttpRequest, pk: Any) -> TourismStat:
    _require(request)
    return visible_or_404(queries.stats(request.user), request.user, pk)


@login_required
@require_http_methods(["GET", "POST"])
def stat_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stat = _stat(request, pk)
    form = forms.StatForm(request.POST or None, user=request.user, initial=forms.StatForm.initial_for(stat))
    missing = None
    if request.method == "POST" and form.is_valid():
        done, missing = _save_stat(
            request, form, lambda data: services.update_stat(stat, data, by=request.user), _("已保存修改。")
        )
        if done is not None:
            return redirect(reverse("culture:tourism_list") + f"?holiday={done.holiday}")
    title = _("修改假日旅游数据：%(unit)s %(stat)s") % {"unit": stat.unit.name, "stat": stat}
    return _form_page(request, form, title=title, back=reverse("culture:tourism_list"), missing=missing)


@login_required
@require_http_methods(["GET", "POST"])
def stat_delete(request: HttpRequest, pk: int) -> HttpResponse:
    stat = _stat(request, pk)
    return confirm_then_run(
        request,
        lambda: services.delete_stat(stat, by=request.user),
        success=_("已删除。"),
        done_url=reverse("culture:tourism_list"),
        title=_("删除假日旅游数据"),
        question=_("删除%(unit)s %(stat)s的旅游数据？") % {"unit": stat.unit.name, "stat": stat},
        explain=_("旅游人数 %(visitors)s 人次，旅游综合收入 %(revenue)s 万元。删除后不能恢复，报告中的数字随之变化。")
        % {"visitors": stat.visitors, "revenue": stat.revenue},
        button=_("删除"),
        danger=True,
    )


# --- Excel import ---------------------------------------------------------------------------------


@login_required
@require_GET
def tourism_import_template(request: HttpRequest) -> HttpResponse:
    """The import template: the columns, empty (no example row that could be imported by mistake)."""
    _require(request)
    return xlsx_response("holiday-tourism-template", _("假日旅游数据"), list(services.IMPORT_COLUMNS), [])


def _pending(request: HttpRequest) -> dict[str, Any]:
    return request.session.get(PENDING_KEY) or {}


def _keep_pending(request: HttpRequest, token: str, entry: dict[str, Any]) -> None:
    pending = {key: value for key, value in _pending(request).items() if key != token}
    while len(pending) >= PENDING_KEEP:
        pending.pop(next(iter(pending)))
    pending[token] = entry
    request.session[PENDING_KEY] = pending


def _drop_pending(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    pending.pop(token, None)
    request.session[PENDING_KEY] = pending


@login_required
@require_http_methods(["GET", "POST"])
def tourism_import(request: HttpRequest) -> HttpResponse:
    """Upload a filled template (POST), then its preview (``?preview=<token>``): every row as new,
    update (old → new) or error (row and reason); nothing is saved until confirmed."""
    _require(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    token = request.GET.get("preview", "")
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                cells = services.read_import_file(upload.read(services.IMPORT_MAX_BYTES + 1))
            except ServiceError as exc:
                form.add_error("file", refusal_text(exc))
            else:
                token = secrets.token_urlsafe(16)
                _keep_pending(request, token, {"cells": cells, "name": upload.name[:100], "fingerprint": ""})
                return redirect(reverse("culture:tourism_import") + f"?preview={token}")
        style_form(form)
        return render(
            request,
            "culture/tourism/import.html",
            {"title": _("导入假日旅游数据"), "tab": "import", "form": form},
            status=400,
        )
    if token:
        return _preview(request, token)
    style_form(form)
    return render(
        request, "culture/tourism/import.html", {"title": _("导入假日旅游数据"), "tab": "import", "form": form}
    )


def _preview(request: HttpRequest, token: str) -> HttpResponse:
    entry = _pending(request).get(token)
    if entry is None:
        messages.error(request, _("预览已过期或不存在，请重新上传文件。"))
        return redirect("culture:tourism_import")
    plan = services.plan_import(entry["cells"], by=request.user)
    # What was shown is what a confirmation may write.
    _keep_pending(request, token, {**entry, "fingerprint": plan.fingerprint})
    context = {
        "title": _("核对导入内容"),
        "tab": "import",
        "plan": plan,
        "file_name": entry["name"],
        "confirm_form": forms.ConfirmImportForm(initial={"token": token}),
        "token": token,
    }
    return render(request, "culture/tourism/import_preview.html", context)


@login_required
@require_POST
def tourism_import_confirm(request: HttpRequest) -> HttpResponse:
    """Write the previewed rows in one transaction (source: Excel 导入), or say why not and show the
    preview again."""
    _require(request)
    form = forms.ConfirmImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("预览已过期或不存在，请重新上传文件。"))
        return redirect("culture:tourism_import")
    token = form.cleaned_data["token"]
    entry = _pending(request).get(token)
    if entry is None or not entry.get("fingerprint"):
        messages.error(request, _("预览已过期或不存在，请重新上传文件。"))
        return redirect("culture:tourism_import")
    result = run_service(
        request,
        lambda: services.confirm_import(
            entry["cells"],
            fingerprint=entry["fingerprint"],
            skip_errors=form.cleaned_data["skip_errors"],
            by=request.user,
        ),
    )
    if result is None:
        return redirect(reverse("culture:tourism_import") + f"?preview={token}")
    _drop_pending(request, token)
    text = _("已导入：新增 %(created)d 条，更新 %(updated)d 条。") % {
        "created": result.created,
        "updated": result.updated,
    }
    if result.skipped:
        text += _("跳过错误行 %(skipped)d 行。") % {"skipped": result.skipped}
    messages.success(request, text)
    return redirect("culture:tourism_list")
