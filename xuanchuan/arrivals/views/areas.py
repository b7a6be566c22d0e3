"""Risk areas (declared by district staff) and the district's statistics of arrivals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanchuan.arrivals import queries, services
from xuanchuan.arrivals.forms.staff import RiskAreaForm
from xuanchuan.arrivals.models import RiskArea
from xuanchuan.arrivals.permissions import may_manage_risk_areas
from xuanchuan.core.exports import xlsx_response
from xuanchuan.core.services import require, run_service
from xuanchuan.core.views import ScopedListView, style_form, visible_or_404

STATS_DEFAULT_DAYS = 30
STATS_MAX_DAYS = 3 * 366


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
    area = visible_or_404(RiskArea, request.user, pk) if pk else None
    require(may_manage_risk_areas(request.user), _("只有区级工作人员可以维护风险地区。"))
    if request.method == "POST" and request.POST.get("delete") and area is not None:
        result = run_service(request, lambda: services.delete_risk_area(area, by=request.user))
        if result is not None:
            messages.success(request, _("已删除该风险地区。") + _reclassified(result))
        return redirect("arrivals:riskarea_list")
    form = RiskAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, lambda: services.save_risk_area(form.instance, by=request.user))
        if saved is not None:
            area, result = saved
            messages.success(request, _("已保存“%(area)s”。") % {"area": area} + _reclassified(result))
            return redirect("arrivals:riskarea_list")
    return _area_form_page(request, form, area)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts by day, origin province, risk level and community, with charts (and as Excel)."""
    end = parse_date(request.GET.get("end") or "") or timezone.localdate()
    start = parse_date(request.GET.get("start") or "") or end - timedelta(days=STATS_DEFAULT_DAYS - 1)
    stats = queries.statistics(request.user, max(start, end - timedelta(days=STATS_MAX_DAYS)), end)
    if request.GET.get("export") == "xlsx":
        return _statistics_workbook(request, stats)
    context = {"title": _("来返人员统计"), "stats": stats, "chart_data": stats.chart_data()}
    return render(request, "arrivals/statistics.html", context)


def _statistics_workbook(request: HttpRequest, stats: queries.Statistics) -> HttpResponse:
    """The four tables of the page in one sheet (counts only: nothing personal), logged."""
    names = (_("到达日期"), _("出发地（省）"), _("风险等级"), _("目的地社区"))
    tables = stats.tables()
    rows = [(str(name), str(item), count) for name, table in zip(names, tables, strict=True) for item, count in table]
    query = f"statistics {stats.start}..{stats.end}"
    services.log_export(by=request.user, rows=len(rows), unmasked=False, query=query)
    title = _("来返人员统计 %(start)s至%(end)s") % {"start": stats.start, "end": stats.end}
    return xlsx_response("arrivals-statistics", title, [_("维度"), _("项目"), _("人数")], rows)
