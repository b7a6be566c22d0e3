"""The small demo gives every registered figure data in each of the three years it covers (this
year and the two before it), so that a report of any of them has no gaps to flag."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from xuanchuan.reports.registry import Period, all_figures, catalogue


@pytest.fixture
def small_demo(db) -> None:
    # A transactional test elsewhere on this worker may have flushed the roles the migrations made.
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())


def test_every_figure_has_data_in_each_of_the_demos_three_years(small_demo) -> None:
    """Every figure, and every figure with a parameter for each of its choices (each holiday; each
    series recorded, in one year at least: a series may be of one year only)."""
    this_year = timezone.localdate().year
    years = (this_year - 2, this_year - 1, this_year)
    empty = [
        f"{item.key} {year}"
        for item in catalogue(None)
        if item.parameter is None or item.parameter.closed
        for year in years
        if not item.compute(Period.year(year)).value
    ]
    empty += [
        item.key
        for item in catalogue(None)
        if item.parameter is not None and not item.parameter.closed
        if not any(item.compute(Period.year(year)).value for year in years)
    ]
    assert not empty, f"figures without data on the small demo: {empty}"
    assert {item.base_key for item in catalogue(None)} == {item.key for item in all_figures(with_parameters=True)}
