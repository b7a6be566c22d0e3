"""The small demo gives every arrivals figure data in the current year and both years before it
(so a generated report of any of the three years flags none of them as empty)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from xuanchuan.core.demo import DemoContext
from xuanchuan.reports.registry import Period, all_figures


@pytest.mark.django_db
def test_every_arrivals_figure_has_data_in_each_demo_year(settings) -> None:
    settings.XUANCHUAN_DEMO = True
    call_command("seed_demo", stdout=io.StringIO())
    figures = [figure for figure in all_figures() if figure.key.startswith("arrivals.")]
    assert len(figures) >= 5
    empty = [
        (figure.key, year)
        for year in DemoContext().years
        for figure in figures
        if not figure.compute(Period.year(year)).value
    ]
    assert not empty, empty
