"""The reads other parts use: the current categories and who answers for a place."""

import datetime

import pytest

from xuanchuan.civility.models import Assignment, Category, Place, PlaceKind, Standard
from xuanchuan.civility.queries.standards import (
    current_categories,
    places_without_responsibility,
    responsible_assignment,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def test_the_default_standard_ships_19_categories_with_deadlines():
    standard = Standard.objects.get(is_current=True)
    categories = list(current_categories())
    assert len(categories) == 19
    assert {c.standard_id for c in categories} == {standard.pk}
    by_code = {c.code: c for c in categories}
    assert by_code["ENV_GARBAGE"].deadline_days == 1
    assert by_code["ENV_WATER"].deadline_days == 15
    assert by_code["SAFE_FIRE"].default_severity == "severe"
    assert {"市容环境", "集贸市场", "公共设施", "交通秩序", "公益广告", "社区环境"} <= {c.group for c in categories}


def test_current_categories_leave_out_disabled_ones_and_other_versions():
    Category.objects.filter(code="ENV_WATER").update(is_active=False)
    old = Standard.objects.create(name="旧版", version="2015")
    Category.objects.create(standard=old, code="OLD", name="旧类别", group="市容环境")
    codes = {c.code for c in current_categories()}
    assert "ENV_WATER" not in codes and "OLD" not in codes
    assert len(codes) == 18


@pytest.fixture
def place(district, alice):
    return Place.objects.create(
        unit=district.publicity, area=district.east, name="人民路", kind=PlaceKind.ROAD_MAIN, created_by=alice
    )


def assign(place, unit, starts_on, ends_on=None, categories=()):
    assignment = Assignment.objects.create(place=place, unit=unit, starts_on=starts_on, ends_on=ends_on)
    assignment.categories.set(categories)
    return assignment


def test_the_assignment_naming_the_category_comes_before_the_general_one(district, place):
    garbage = Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")
    parking = Category.objects.get(standard__is_current=True, code="ORD_PARKING")
    general = assign(place, district.east, datetime.date(2025, 1, 1))
    specific = assign(place, district.education, datetime.date(2024, 1, 1), categories=[garbage])
    assert responsible_assignment(place, garbage, DAY) == specific
    assert responsible_assignment(place, parking, DAY) == general
    assert responsible_assignment(place, None, DAY) == general


def test_nobody_answers_outside_the_period(district, place):
    garbage = Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")
    ended = assign(place, district.east, datetime.date(2025, 1, 1), datetime.date(2026, 5, 31))
    assert responsible_assignment(place, garbage, DAY) is None
    assert responsible_assignment(place, garbage, datetime.date(2026, 5, 31)) == ended
    assert responsible_assignment(place, garbage, datetime.date(2024, 12, 31)) is None


def test_a_category_of_another_version_counts_by_its_code(district, place):
    garbage = Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")
    newer = Standard.objects.create(name="新版", version="2027")
    new_garbage = Category.objects.create(standard=newer, code="ENV_GARBAGE", name="暴露垃圾", group="市容环境")
    specific = assign(place, district.east, datetime.date(2025, 1, 1), categories=[garbage])
    assert responsible_assignment(place, new_garbage, DAY) == specific


def test_gaps_are_active_places_without_an_assignment_in_force(district, place, alice):
    other = Place.objects.create(
        unit=district.publicity, area=district.west, name="和平市场", kind=PlaceKind.MARKET, created_by=alice
    )
    Place.objects.create(
        unit=district.publicity, area=district.west, name="旧市场", kind=PlaceKind.MARKET, is_active=False
    )
    assign(place, district.east, datetime.date(2025, 1, 1))
    assert list(places_without_responsibility(alice, DAY)) == [other]
    assert set(places_without_responsibility(alice, datetime.date(2024, 1, 1))) == {place, other}


def test_the_gap_to_do_is_for_standard_keepers_only(district, place, alice, bob):
    from xuanchuan.civility.todos_standards import todos

    (todo,) = todos(alice)
    assert todo.count == 1 and todo.url.endswith("?gap=yes")
    assert list(todos(bob)) == []
    assign(place, district.east, datetime.date(2020, 1, 1))
    assert list(todos(alice)) == []
