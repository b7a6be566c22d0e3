"""The staff pages ``load_staff.py`` loads: every page (GET) of the staff site on the large demo,
with the user who opens it and, for detail pages, a record of that demo."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Page:
    """A staff page: a label, the user who opens it and its path."""

    label: str
    user: str
    path: str


def staff_pages() -> list[Page]:
    """Every staff page (GET) with records of the large demo for its detail pages."""
    from django.utils import timezone

    from xuanchuan.arrivals.models import Registration, RiskArea
    from xuanchuan.org.models import Unit, User
    from xuanchuan.outbreak.models import DailyReport, ReportForm
    from xuanchuan.passes.models import Pass

    admin = User.objects.get(username="xcb_admin")
    worker = User.objects.get(username="sq_s01_c01")
    year = timezone.localdate().year
    registration = Registration.objects.visible_to(worker).order_by("-id").first()
    daily_report = DailyReport.objects.filter(unit=worker.unit).order_by("-day").first()
    form = ReportForm.objects.order_by("pk").first()
    street = Unit.objects.get(pk=User.objects.get(username="tb_s01").unit_id)
    pages = [
        Page("home", "xcb_admin", "/"),
        Page("org: units", "xcb_admin", "/org/units/"),
        Page("org: unit (street)", "xcb_admin", f"/org/units/{street.pk}/"),
        Page("org: people", "xcb_admin", "/org/people/"),
        Page("org: people (street reporter)", "tb_s01", "/org/people/"),
        Page("org: person", "xcb_admin", f"/org/people/{worker.pk}/"),
        Page("reports: figure catalogue", "xcb_admin", "/reports/figures/"),
        Page("reports: figure detail", "xcb_admin", f"/reports/figures/arrivals.registrations/?period={year}"),
        Page("reports: documents", "xcb_admin", "/reports/documents/"),
        Page("reports: template", "xcb_admin", "/reports/templates/default/"),
        Page("reports: generate", "xcb_admin", "/reports/generate/"),
        Page("dashboards: overview", "xcb_admin", "/reports/dashboards/"),
        Page("dashboards: overview, street", "xcb_admin", f"/reports/dashboards/?unit={street.pk}"),
        Page("dashboards: arrivals", "xcb_admin", "/reports/dashboards/arrivals/"),
        Page("dashboards: passes", "xcb_admin", "/reports/dashboards/passes/"),
        Page("dashboards: outbreak", "xcb_admin", "/reports/dashboards/outbreak/"),
        Page("dashboards: org", "xcb_admin", "/reports/dashboards/org/"),
        Page("arrivals: registrations", "xcb_admin", "/arrivals/"),
        Page("arrivals: registrations (community)", "sq_s01_c01", "/arrivals/"),
        Page("arrivals: registration", "sq_s01_c01", f"/arrivals/{registration.pk}/"),
        Page("arrivals: daily (community)", "sq_s01_c01", "/arrivals/daily/"),
        Page("arrivals: daily (district)", "xcb_admin", "/arrivals/daily/"),
        Page("arrivals: grid entry", "sq_s01_c01", "/arrivals/grid/"),
        Page("arrivals: duplicates", "xcb_admin", "/arrivals/duplicates/"),
        Page("arrivals: risk areas", "xcb_admin", "/arrivals/risk-areas/"),
        Page("arrivals: risk area", "xcb_admin", f"/arrivals/risk-areas/{RiskArea.objects.order_by('pk').first().pk}/"),
        Page("arrivals: statistics", "xcb_admin", "/arrivals/statistics/"),
        Page("passes: passes", "xcb_admin", "/passes/"),
        Page("passes: pass", "xcb_admin", f"/passes/{Pass.objects.visible_to(admin).order_by('-id').first().pk}/"),
        Page("passes: new", "sq_s01_c01", "/passes/new/"),
        Page("passes: households", "xcb_admin", "/passes/households/"),
        Page("passes: verifications", "xcb_admin", "/passes/verifications/"),
        Page("passes: movements", "xcb_admin", "/passes/movements/"),
        Page("passes: keys", "xcb_admin", "/passes/keys/"),
        Page("outbreak: board", "xcb_admin", "/outbreak/"),
        Page("outbreak: fill (community)", "sq_s01_c01", f"/outbreak/fill/{worker.unit_id}/?form={form.pk}"),
        Page("outbreak: reports", "xcb_admin", "/outbreak/reports/"),
        Page("outbreak: report", "xcb_admin", f"/outbreak/reports/{daily_report.pk}/"),
        Page("outbreak: rollup", "xcb_admin", "/outbreak/rollup/"),
        Page("outbreak: rates", "xcb_admin", "/outbreak/rates/"),
        Page("outbreak: forms", "xcb_admin", "/outbreak/forms/"),
        Page("outbreak: form", "xcb_admin", f"/outbreak/forms/{form.pk}/edit/"),
    ]
    return pages


BASELINE = Page("baseline: password page", "xcb_admin", "/accounts/password/")
DASHBOARDS = ("/reports/dashboards/", "/reports/dashboards/arrivals/", "/reports/dashboards/passes/",
              "/reports/dashboards/outbreak/", "/reports/dashboards/org/")  # fmt: skip
