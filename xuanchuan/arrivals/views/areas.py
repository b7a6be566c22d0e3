"""Risk areas (declared by district staff) and the district's statistics of arrivals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanchuan.arrivals import services
from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.models import FollowUpStatus, Registration, RiskArea, RiskLevel
from xuanchuan.arrivals.staff_forms import RiskAreaForm
from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.views import ScopedListView, style_form

STATS_DEFAULT_DAYS = 30
STATS_MAX_DAYS = 3 * 366


def may_manage_risk_areas(user: Any) -> bool:
    """District-wide staff keep the risk-area list."""
    return bool(user.is_authenticated and (user.is_superuser or user.sees_all_units))


class RiskAreaListView(ScopedListView):
    """The declared risk areas."""

    model = RiskArea
    title = gettext_lazy("风险地区")
    template_name = "arrivals/riskarea_list.html"
    search_fields = ("division_name", "division_code")
    columns = (
        ("division_name", gettext_lazy("地区")),
        ("division_code", gettext_lazy("行政区划代码")),
        ("get_level_display", gettext_lazy("风险等级")),
        ("starts_on", gettext_lazy("开始日期")),
        ("ends_on", gettext_lazy("结束日期")),
        ("note", gettext_lazy("说明")),
    )
    export_name = "risk-areas"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = may_manage_risk_areas(self.request.user)
        return context


def _reclassified(result: services.Reclassification) -> str:
    if result.changed is None:
        return _("涉及 %(n)s 条登记，正在后台重新判定，稍后刷新即可看到结果。") % {"n": result.candidates}
    return _("%(n)s 条登记的风险等级或跟踪措施随之改变。") % {"n": result.changed}


def _area_form_page(request: HttpRequest, form: RiskAreaForm, area: RiskArea | None) -> HttpResponse:
    context = {"title": _("修改风险地区") if area else _("新增风险地区"), "form": style_form(form, "md"), "area": area}
    return render(request, "arrivals/riskarea_form.html", context, status=400 if form.errors else 200)


@login_required
def riskarea_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Declare, change or lift a risk area; everyone it touches is classified again at once."""
    area = get_object_or_404(RiskArea.objects.visible_to(request.user), pk=pk) if pk else None
    if not may_manage_risk_areas(request.user):
        raise PermissionDenied(_("只有区级工作人员可以维护风险地区。"))
    if request.method == "POST" and request.POST.get("delete") and area is not None:
        result = services.delete_risk_area(area)
        messages.success(request, _("已删除该风险地区。") + _reclassified(result))
        return redirect("arrivals:riskarea_list")
    form = RiskAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        saved, result = services.save_risk_area(form.instance, user=request.user)
        messages.success(request, _("已保存“%(area)s”。") % {"area": saved} + _reclassified(result))
        return redirect("arrivals:riskarea_list")
    return _area_form_page(request, form, area)


def _counts(rows: QuerySet, field: str) -> list[tuple[Any, int]]:
    return [(row[field], row["n"]) for row in rows.values(field).annotate(n=Count("pk")).order_by(field)]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts by day, origin province, risk level and community, with charts."""
    today = timezone.localdate()
    end = parse_date(request.GET.get("end") or "") or today
    start = parse_date(request.GET.get("start") or "") or end - timedelta(days=STATS_DEFAULT_DAYS - 1)
    start = max(start, end - timedelta(days=STATS_MAX_DAYS))
    rows = (
        Registration.objects.visible_to(request.user)
        .exclude(follow_up_status=FollowUpStatus.MERGED)
        .filter(arrival_date__range=(start, end))
    )
    levels = dict(RiskLevel.choices)
    per_day = dict(_counts(rows, "arrival_date"))
    days = ((start + timedelta(days=offset)) for offset in range((end - start).days + 1))
    by_day = [(day.isoformat(), per_day.get(day, 0)) for day in days]
    by_province = [
        (divisions().full_name(f"{code}0000") or code, n)
        for code, n in _counts(rows.annotate(province=Substr("origin_code", 1, 2)), "province")
    ]
    by_province.sort(key=lambda item: -item[1])
    by_level = [(str(levels.get(level, level)), n) for level, n in _counts(rows, "risk_level")]
    by_community = sorted(_counts(rows, "unit__name"), key=lambda item: -item[1])
    chart_data = {
        "day": by_day,
        "province": by_province[:15],
        "level": by_level,
        "community": by_community[:20],
    }
    if request.GET.get("export") == "xlsx":
        return _statistics_workbook(request, start, end, by_day, by_province, by_level, by_community)
    context = {
        "title": _("来返人员统计"),
        "start": start,
        "end": end,
        "total": sum(n for _day, n in by_day),
        "under_follow_up": Registration.objects.visible_to(request.user)
        .filter(follow_up_status=FollowUpStatus.ACTIVE)
        .count(),
        "by_province": by_province,
        "by_level": by_level,
        "by_community": by_community,
        "chart_data": chart_data,
    }
    return render(request, "arrivals/statistics.html", context)


def _statistics_workbook(
    request: HttpRequest,
    start: date,
    end: date,
    *tables: list[tuple[Any, int]],
) -> HttpResponse:
    """The four tables of the page in one sheet (counts only: nothing personal), logged."""
    names = (_("到达日期"), _("出发地（省）"), _("风险等级"), _("目的地社区"))
    rows = [(str(name), str(item), count) for name, table in zip(names, tables, strict=True) for item, count in table]
    services.log_export(request.user, rows=len(rows), unmasked=False, query=f"statistics {start}..{end}")
    title = _("来返人员统计 %(start)s至%(end)s") % {"start": start, "end": end}
    return xlsx_response("arrivals-statistics", title, [_("维度"), _("项目"), _("人数")], rows)
