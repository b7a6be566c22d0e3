"""Periods far outside the platform's years (``?period=0001``, ``9999``) answer with a message,
never a server error, wherever a period is read: the figure pages, the dashboards, generation,
the template preview, the API and the command line (security review L4)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from xuanchuan.reports.models import GeneratedReport
from xuanchuan.reports.registry import MAX_YEAR, MIN_YEAR, Period, PeriodError

FAR_OFF = ("0001", "9999", "0001-01", "9999-12", "0001-01-01..0001-01-02", "9999-12-30..9999-12-31", "1999")


@pytest.mark.parametrize("text", FAR_OFF)
def test_a_period_outside_the_platforms_years_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(PeriodError, match=f"{MIN_YEAR} 年至 {MAX_YEAR} 年"):
        Period.parse(text)


def test_the_bounds_themselves_and_the_year_before_them_work() -> None:
    first, last = Period.parse(str(MIN_YEAR)), Period.parse(f"{MAX_YEAR}-12-01..{MAX_YEAR}-12-31")
    assert first.previous_year() == Period.year(MIN_YEAR - 1)
    assert last.end_datetime.year == MAX_YEAR + 1
    assert Period.parse(f"{MIN_YEAR}-02").previous_year() == Period.month(MIN_YEAR - 1, 2)
    assert Period.parse("2024-02-29..2024-03-01").previous_year().start == date(2023, 2, 28)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ("0001", "9999"))
@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:figure_list"),
        reverse("reports:figure_detail", args=["org.agency_units"]),
        reverse("reports:dashboard"),
        reverse("reports:dashboard_module", args=["outbreak"]),
    ],
)
def test_figure_pages_fall_back_to_this_year_and_say_why(verified_client, alice, url: str, text: str) -> None:
    response = verified_client(alice).get(url, {"period": text})
    assert response.status_code == 200
    assert f"期间须在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ("0001", "9999"))
def test_the_figure_export_falls_back_too(verified_client, alice, text: str) -> None:
    response = verified_client(alice).get(reverse("reports:figure_list"), {"period": text, "export": "xlsx"})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("text", ("0001", "9999"))
def test_generation_and_preview_refuse_the_period_in_the_form(verified_client, alice, text: str) -> None:
    client = verified_client(alice)
    response = client.post(reverse("reports:generate"), {"template": "default", "period": text, "unit": ""})
    assert response.status_code == 200 and "期间须在" in response.content.decode()
    assert not GeneratedReport.objects.exists()
    preview = client.post(reverse("reports:template_preview"), {"body": "x", "preview_period": text})
    assert preview.status_code == 200 and "期间须在" in preview.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ("0001", "9999", "2025-13", "x" * 500))
def test_the_api_answers_422_with_the_reason(verified_client, alice, text: str) -> None:
    response = verified_client(alice).get("/api/figures/org.agency_units", {"period": text})
    assert response.status_code == 422
    assert response.json()["detail"].startswith(("期间须在", "无法识别的期间"))


@pytest.mark.django_db
def test_the_api_tells_an_unknown_figure_from_a_bad_period(verified_client, alice) -> None:
    client = verified_client(alice)
    # A figure that is not there is 404 even when its key mentions 指标 or the period is bad too.
    assert client.get("/api/figures/org.nothing", {"period": "9999"}).status_code == 404
    assert client.get("/api/figures/org.agency_units", {"period": "2025"}).status_code == 200


@pytest.mark.django_db
def test_the_command_refuses_the_period(tmp_path) -> None:
    with pytest.raises(CommandError, match="期间须在"):
        call_command("report_generate", "--period", "0001", "--out", str(tmp_path / "r.docx"))
