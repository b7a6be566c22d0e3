"""Figures of the standards part: responsibilities count for a period they overlap, per unit."""

import datetime

import pytest

from xuanchuan.civility.models import Assignment, Place, PlaceKind
from xuanchuan.reports.registry import Period, get_figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(district):
    return [
        Place.objects.create(unit=district.publicity, area=district.east, name=f"点{n}", kind=PlaceKind.ALLEY)
        for n in range(3)
    ]


def test_units_and_places_under_responsibility_by_period(district, places):
    Assignment.objects.create(place=places[0], unit=district.east, starts_on=datetime.date(2024, 3, 1))
    Assignment.objects.create(
        place=places[1],
        unit=district.education,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    Assignment.objects.create(place=places[1], unit=district.east_community, starts_on=datetime.date(2026, 1, 1))
    units = get_figure("civility.responsible_units")
    covered = get_figure("civility.places_covered")
    assert units.compute(Period.year(2023)).value == 0
    assert units.compute(Period.year(2024)).value == 2
    assert units.compute(Period.year(2025)).value == 1
    assert units.compute(Period.year(2026)).value == 2
    assert covered.compute(Period.year(2024)).value == 2
    assert covered.compute(Period.year(2025)).value == 1
    # A street's report counts its own line: 东城街道 and 幸福社区 below it.
    assert units.compute(Period.year(2026), district.east).value == 2
    assert units.compute(Period.year(2026), district.education).value == 0


def test_the_reference_sentence_binds_to_the_responsibility_figure():
    from xuanchuan.reports.placeholders import find_placeholders

    text = "制定了工作方案，全区×个机关单位认真落实“包帮”“包街”工作责任制，有力推进文明城市建设。"
    (blank,) = [item for item in find_placeholders(text) if item.figure]
    assert blank.figure == "civility.responsible_units"
