"""What the one scoping rule costs: a page of people as a unit reporter sees it.

Baseline: the same page (25 people of one street's subtree, with their unit, and the total)
read with hand-written SQL through the database cursor. Against it, in the same process:
``User.objects.visible_to(user)`` through the ORM, and the whole stack — the people list page
rendered through Django's test client (middleware, session, template, pagination).

    .venv/bin/python benchmarks/bench_scoping.py [--postgres] [--size small|large] [--seconds 2]
"""

from __future__ import annotations

import argparse
import platform

from _django import rate, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    setup(postgres=args.postgres, size=args.size)

    from django.db import connection
    from django.test import Client

    from xuanchuan.org.models import RoleCode, Unit, UnitType, User

    street = Unit.objects.filter(unit_type=UnitType.STREET).order_by("path").first()
    reporter = User.objects.filter(unit=street, roles__code=RoleCode.UNIT_REPORTER).first()
    total_people = User.objects.count()
    visible = User.objects.visible_to(reporter).count()
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"# {total_people} people in {Unit.objects.count()} units; the reporter of {street} sees {visible}")

    like = street.path + "%"
    sql_page = (
        "SELECT u.id, u.full_name, u.username, n.name FROM org_user u JOIN org_unit n ON n.id = u.unit_id "
        "WHERE n.path LIKE %s ORDER BY n.path, u.username LIMIT 25"
    )
    sql_count = "SELECT COUNT(*) FROM org_user u JOIN org_unit n ON n.id = u.unit_id WHERE n.path LIKE %s"

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql_page, [like])
            cursor.fetchall()
            cursor.execute(sql_count, [like])
            cursor.fetchone()

    def orm() -> None:
        people = User.objects.visible_to(reporter).select_related("unit")
        list(people[:25])
        people.count()

    client = Client()
    client.force_login(reporter)

    def page() -> None:
        response = client.get("/org/people/")
        assert response.status_code == 200

    base = rate(baseline, seconds=args.seconds)
    print(f"{'case':<34}{'per second':>12}{'vs baseline':>14}")
    print(f"{'baseline: hand-written SQL':<34}{base:>12.0f}{1:>13.2f}x")
    for name, function in (("ORM: visible_to(user)", orm), ("full stack: /org/people/ page", page)):
        value = rate(function, seconds=args.seconds)
        print(f"{name:<34}{value:>12.0f}{base / value:>13.2f}x slower")


if __name__ == "__main__":
    main()
