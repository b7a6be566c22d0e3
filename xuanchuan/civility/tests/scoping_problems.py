"""The problems part of the civility app's share of the URL walk (see ``tests/scoping.py``): a
problem handled by 东城街道 in its own area, with a photo, and a second one to merge it into."""

from __future__ import annotations

from typing import Any

from xuanchuan.civility.models import Category, Photo, PhotoStage, Problem, ProblemStatus

DESCRIPTION = "东城秘密问题描述"
ADDRESS = "东城秘密问题地址9号"
PUBLIC_ID = "W2026-7654321"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    category = Category.objects.filter(standard__is_current=True).first()
    problem = Problem.objects.create(
        unit=district.east,
        area=district.east,
        public_id=PUBLIC_ID,
        category=category,
        address=ADDRESS,
        description=DESCRIPTION,
        status=ProblemStatus.UNVERIFIED,
    )
    Problem.objects.create(
        unit=district.east,
        area=district.east,
        public_id="W2026-7654322",
        category=category,
        address=ADDRESS,
        description=DESCRIPTION,
    )
    # A photo row naming a file that need not exist: the outsider must get 404 before any file is read.
    Photo.objects.create(problem=problem, stage=PhotoStage.FOUND, image="civility/none.jpg", width=1, height=1)
    return [DESCRIPTION, ADDRESS, PUBLIC_ID]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if not route_name.startswith(("civility:problem_", "api:civility_problem")):
        return None
    problem = Problem.objects.filter(public_id=PUBLIC_ID).first()
    other = Problem.objects.filter(public_id="W2026-7654322").first()
    if route_name == "civility:problem_photo":
        return [{"pk": Photo.objects.filter(problem=problem).first().pk}]
    if route_name == "civility:problem_merge":
        return [
            {"pk": problem.pk, "target": other.pk},
            {"pk": problem.pk, "target": other.pk, "_method": "post"},
        ]
    if kwargs == ("pk",):
        return [{"pk": problem.pk}, {"pk": problem.pk, "_method": "post"}]
    if kwargs == ("problem_id",):
        return [{"problem_id": problem.pk}]
    return None
