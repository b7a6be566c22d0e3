"""Shared records for the tickets part's tests: a standard, a place in 东城街道 with its
responsibility, an inspector (督查员) in 区委宣传部 and open problems."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from xuanchuan.civility.models.cases import Problem, ProblemStatus
from xuanchuan.civility.models.responsibility import Assignment
from xuanchuan.civility.models.standards import Category, Place, PlaceKind, Severity, Standard
from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode

_numbers = count(1)


@pytest.fixture
def inspector(district):
    return make_person("ducha_t", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="杜查")


@pytest.fixture
def east_inspector(district):
    return make_person("east_insp", district.east, RoleCode.CIVILITY_INSPECTOR, full_name="东督查")


@pytest.fixture
def standard(db):
    standard = Standard.objects.create(name="测评体系", version="T-2021")  # a migration may hold the current one
    Category.objects.create(standard=standard, code="SR", name="乱堆乱放", group="市容环境", deadline_days=3)
    Category.objects.create(standard=standard, code="GG", name="公益广告缺失", group="公益广告", deadline_days=15)
    return standard


@pytest.fixture
def east_place(district, standard, bob):
    place = Place.objects.create(unit=district.publicity, name="幸福路", area=district.east, kind=PlaceKind.ALLEY)
    Assignment.objects.create(unit=district.east, place=place, starts_on=date(2020, 1, 1), leader=bob)
    return place


def make_problem(place, unit, code="SR", severity=Severity.MINOR, description="垃圾乱堆乱放", **fields):
    category = Category.objects.get(standard__version="T-2021", code=code)
    number = next(_numbers)
    return Problem.objects.create(
        unit=unit,
        public_id=f"T{number:06d}",
        category=category,
        place=place,
        area=place.area if place else None,
        description=description,
        severity=severity,
        status=fields.pop("status", ProblemStatus.OPEN),
        **fields,
    )
