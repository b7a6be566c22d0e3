"""The figure registry: periods, declaration, computation and the catalogue pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit
from xuanchuan.reports.registry import FigureError, Measure, Period, all_figures, compute, figure, get_figure


def test_periods_parse_and_label() -> None:
    assert Period.parse("2025") == Period(date(2025, 1, 1), date(2025, 12, 31), "2025年")
    assert Period.parse("2024-02").end == date(2024, 2, 29)
    assert Period.parse("2025-05-01..2025-05-05").key == "2025-05-01..2025-05-05"
    assert Period.parse("2025-05").key == "2025-05"
    assert Period.parse("2024-02").previous_year() == Period.month(2023, 2)
    assert Period.parse("2024-02-29..2024-03-01").previous_year().start == date(2023, 2, 28)
    for bad in ("25", "2025-13", "2025-05-05..2025-05-01", "yesterday"):
        with pytest.raises(FigureError):
            Period.parse(bad)


def test_figure_keys_are_checked_and_unique(scratch_registry) -> None:
    with pytest.raises(ValueError):
        figure("NoDot", label="x", unit="个")

    @figure("testing.sample", label="样例", unit="个")
    def sample(period, unit):
        return Measure(3)

    with pytest.raises(ValueError):

        @figure("testing.sample", label="样例", unit="个")
        def other(period, unit):
            return Measure(4)

    assert compute("testing.sample", Period.year(2025)).value == 3
    with pytest.raises(FigureError):
        get_figure("testing.missing")


def test_org_figures_are_registered() -> None:
    keys = {item.key for item in all_figures()}
    assert {"org.agency_units", "org.subdistricts", "org.grassroots_units", "org.platform_users"} <= keys
    for item in all_figures():
        assert item.label and item.unit and item.description, item.key


@pytest.mark.django_db
def test_org_figures_count_the_records_in_time_and_scope(district) -> None:
    this_year = Period.year(2026)
    assert compute("org.agency_units", this_year).value == 2
    assert compute("org.subdistricts", this_year).value == 2
    assert compute("org.subdistricts", this_year, district.east).value == 1
    assert compute("org.grassroots_units", this_year, district.west).value == 1
    # A community merged away in 2025 still counts for 2024, no longer for 2025.
    merged = create_unit(
        parent=district.west,
        name="旧村",
        unit_type=UnitType.VILLAGE,
        code="T-OLD",
        established_on=date(2010, 1, 1),
        dissolved_on=date(2025, 6, 30),
    )
    assert compute("org.grassroots_units", Period.year(2024)).records.filter(pk=merged.pk).exists()
    assert not compute("org.grassroots_units", Period.year(2025)).records.filter(pk=merged.pk).exists()
    # A unit set up in 2026 does not count for 2025.
    create_unit(
        parent=district.root,
        name="区新设局",
        unit_type=UnitType.GOVERNMENT_DEPARTMENT,
        code="T-NEW",
        established_on=date(2026, 3, 1),
    )
    assert compute("org.agency_units", Period.year(2025)).value == 2
    assert compute("org.agency_units", Period.year(2026)).value == 3


@pytest.mark.django_db
def test_platform_users_follow_joining_and_deactivation(district, bob, charlie) -> None:
    from django.utils import timezone

    period = Period.year(timezone.localdate().year)
    assert compute("org.platform_users", period).value == 2
    charlie.is_active = False
    charlie.save(update_fields=["is_active"])
    charlie.refresh_from_db()
    assert charlie.deactivated_at is not None
    assert compute("org.platform_users", period).value == 1
    assert compute("org.platform_users", period, district.east).value == 1


@pytest.mark.django_db
def test_catalogue_page_shows_values_and_drills_down(verified_client, district, alice) -> None:
    client = verified_client(alice)
    response = client.get(reverse("reports:figure_list"), {"period": "2026"})
    assert response.status_code == 200
    assert "机关单位数" in response.content.decode()
    detail = client.get(reverse("reports:figure_detail", args=["org.agency_units"]), {"period": "2026"})
    assert {str(record) for record in detail.context["page_obj"]} == {"区委宣传部", "区教育局"}
    export = client.get(reverse("reports:figure_list"), {"period": "2026", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_catalogue_reports_a_bad_period_and_unknown_figure(verified_client, district, alice) -> None:
    client = verified_client(alice)
    response = client.get(reverse("reports:figure_list"), {"period": "2025-13"})
    assert "无法识别的期间" in response.content.decode()
    assert client.get(reverse("reports:figure_detail", args=["nope.nothing"])).status_code == 404


@pytest.mark.django_db
def test_unit_reporter_sees_figures_of_own_unit_only(client, district, bob) -> None:
    client.force_login(bob)
    response = client.get(reverse("reports:figure_detail", args=["org.grassroots_units"]), {"period": "2026"})
    body = response.content.decode()
    assert "幸福社区" in body and "和平社区" not in body
    refused = client.get(reverse("reports:figure_list"), {"unit": district.west.pk})
    assert refused.status_code == 404


def test_every_figure_explains_itself_in_chinese() -> None:
    """The catalogue's 口径说明 is read by staff: every figure's description is Chinese."""
    import re

    from xuanchuan.reports.registry import all_figures

    english = [
        item.key for item in all_figures(with_parameters=True) if not re.search(r"[\u4e00-\u9fff]{4}", item.description)
    ]
    assert not english, english
