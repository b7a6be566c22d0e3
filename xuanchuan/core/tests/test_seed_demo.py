"""``manage.py seed_demo``: the demo district, its people, determinism and ``--reset``."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from xuanchuan.core.demo import DEMO_PASSWORD, DemoContext, discover_parts
from xuanchuan.org import demo as org_demo
from xuanchuan.org.models import AGENCY_TYPES, Role, RoleCode, Unit, UnitType, User

ALL_ROLES = RoleCode.ALL


def seed_demo(*args: str) -> str:
    """``seed_demo`` as a test database is seeded: outside demo mode, hence ``--force``."""
    out = io.StringIO()
    call_command("seed_demo", *args, "--force", stdout=out)
    return out.getvalue()


def demo_logins(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_logins", *args, stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple[str, ...]]:
    """What must come out the same for the same seed: the tree and the people (not ids or dates)."""
    units = [("unit", unit.code, unit.name, unit.unit_type, unit.path) for unit in Unit.objects.order_by("code")]
    people = [
        ("person", user.username, user.full_name, user.unit.code, user.job_title, *sorted(user.role_codes))
        for user in User.objects.select_related("unit").order_by("username")
    ]
    return units + people


@pytest.mark.django_db
def test_small_seed_builds_the_district_tree() -> None:
    seed_demo("--seed", "7")

    root = Unit.objects.get_root_nodes().get()
    assert (root.code, root.unit_type) == ("DIST", UnitType.DISTRICT)
    departments = Unit.objects.get_children(root)
    assert Unit.objects.filter(unit_type__in=AGENCY_TYPES).count() >= 20
    assert departments.filter(unit_type=UnitType.STREET).count() == 6
    assert departments.filter(unit_type=UnitType.TOWN).count() == 4
    assert departments.get(name="区委宣传部").unit_type == UnitType.PARTY_DEPARTMENT
    assert departments.get(name="区融媒体中心").unit_type == UnitType.INSTITUTION
    for street in departments.filter(unit_type=UnitType.STREET):
        communities = Unit.objects.get_children(street)
        assert 4 <= communities.count() <= 8
        assert set(communities.values_list("unit_type", flat=True)) == {UnitType.COMMUNITY}
    for town in departments.filter(unit_type=UnitType.TOWN):
        assert set(Unit.objects.get_children(town).values_list("unit_type", flat=True)) == {UnitType.VILLAGE}
    assert not Unit.objects.filter(established_on__gt=timezone.localdate()).exists()


@pytest.mark.django_db
def test_grassroots_figures_differ_between_years() -> None:
    seed_demo("--seed", "7")
    ctx = DemoContext()
    before_last, last = (date(year, 12, 31) for year in ctx.years[:2])

    merged = Unit.objects.get(dissolved_on__isnull=False)
    assert merged.unit_type == UnitType.VILLAGE
    assert merged.dissolved_on.year == ctx.years[1]
    villages = Unit.objects.filter(unit_type=UnitType.VILLAGE)
    assert villages.active_on(before_last).count() == villages.active_on(last).count() + 1
    communities = Unit.objects.filter(unit_type=UnitType.COMMUNITY)
    assert communities.active_on(last).count() == communities.active_on(before_last).count() + 1
    assert not User.objects.filter(unit=merged, is_active=True).exists()
    assert User.objects.filter(unit=merged, deactivated_at__isnull=False).exists()


@pytest.mark.django_db
def test_small_seed_creates_people_in_every_role() -> None:
    output = seed_demo("--seed", "7")

    for code in ALL_ROLES:
        assert User.objects.filter(roles__code=code, is_active=True).exists(), code
    assert not User.objects.filter(is_superuser=True).exists()
    admins = User.objects.filter(roles__code=RoleCode.DEPARTMENT_ADMIN)
    assert set(admins.values_list("username", flat=True)) == {"xcb_admin", "xcb_admin2"}
    assert all(admin.is_staff and admin.unit.name == "区委宣传部" for admin in admins)
    assert User.objects.get(username="shenhe3").has_role(RoleCode.REVIEWER_FINAL)
    assert User.objects.get(username="kk_s01").unit.unit_type == UnitType.STREET
    assert User.objects.get(username="sq_s01_c01").unit.code == "DIST-S01-C01"
    reporters = User.objects.filter(roles__code=RoleCode.UNIT_REPORTER)
    for unit in Unit.objects.exclude(unit_type__in=(UnitType.DISTRICT, UnitType.COMMUNITY, UnitType.VILLAGE)):
        assert reporters.filter(unit=unit).exists(), unit.code
    assert User.objects.get(username="tb_s01").check_password(DEMO_PASSWORD)
    years = DemoContext().years
    joined_years = set(User.objects.values_list("date_joined__year", flat=True))
    assert set(years[:2]) <= joined_years <= set(years)
    assert "demo_logins" in output and "xcb_admin" not in output  # the table is demo_logins' alone


@pytest.mark.django_db
def test_outside_demo_mode_seed_demo_refuses_without_force(settings) -> None:
    """L8: run against a production database, it would create ~280 accounts with a published password."""
    assert not settings.XUANCHUAN_DEMO
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--seed", "7", stdout=io.StringIO())
    assert not User.objects.exists() and not Unit.objects.exists()
    settings.XUANCHUAN_DEMO = True
    call_command("seed_demo", "--seed", "7", stdout=io.StringIO())
    assert User.objects.filter(username="xcb_admin").exists()


@pytest.mark.django_db
def test_demo_logins_is_the_one_table_of_the_showcase_accounts() -> None:
    """One account per role, the same as the README's (the unit reporter is tb_s01), each once."""
    assert "seed_demo" in demo_logins()
    seed_demo("--seed", "7")
    output = demo_logins("--url", "http://127.0.0.1:8000/")
    assert "http://127.0.0.1:8000/" in output and DEMO_PASSWORD in output
    table = [line.split() for line in output.splitlines() if line.startswith("    ")]
    usernames = [row[1] for row in table]
    assert usernames[0] == "用户名"
    assert usernames[1:] == list(org_demo.SHOWCASE_ACCOUNTS.values())
    assert dict(zip((row[0] for row in table[1:]), usernames[1:], strict=True)) == {
        Role.objects.get(code=code).name: username for code, username in org_demo.SHOWCASE_ACCOUNTS.items()
    }
    assert [row for row in table if row[1] == "tb_s01"][0][0] == Role.objects.get(code=RoleCode.UNIT_REPORTER).name
    assert sorted(org_demo.SHOWCASE_ACCOUNTS) == sorted(ALL_ROLES)
    needs_totp = [row[1] for row in table if row[-1] == "首次登录须绑定"]
    assert needs_totp == [
        username for username in usernames[1:] if User.objects.get(username=username).needs_second_factor
    ]


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_other_names() -> None:
    seed_demo("--seed", "7")
    first = fingerprint()
    seed_demo("--seed", "7", "--reset")
    assert fingerprint() == first

    seed_demo("--seed", "8", "--reset")
    other = fingerprint()
    names = {row[2] for row in first if row[0] == "person"}
    other_names = {row[2] for row in other if row[0] == "person"}
    assert names != other_names
    assert User.objects.filter(username="xcb_admin").exists()


@pytest.mark.django_db
def test_names_do_not_depend_on_the_day_of_the_run() -> None:
    def people(now: datetime) -> list[tuple[str, str]]:
        ctx = DemoContext(seed=7, now=now, write=lambda line: None)
        org_demo.seed(ctx)
        names = sorted(User.objects.values_list("username", "full_name"))
        org_demo.reset(ctx)
        return names

    assert people(timezone.now()) == people(timezone.now() - timedelta(days=500))


@pytest.mark.django_db
def test_refuses_to_seed_twice_without_reset() -> None:
    seed_demo("--seed", "7")
    counts = (Unit.objects.count(), User.objects.count())

    with pytest.raises(CommandError, match="--reset"):
        seed_demo("--seed", "7")
    assert (Unit.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_reset_keeps_roles_and_superusers() -> None:
    seed_demo("--seed", "7")
    roles = Role.objects.count()
    root = User.objects.create_superuser("root", password="x-Root-2026!", unit=Unit.objects.get(code="DIST-D03"))

    seed_demo("--seed", "7", "--reset")

    root.refresh_from_db()
    assert root.unit is None
    assert Role.objects.count() == roles
    assert User.objects.filter(is_superuser=False).count() > 100


@pytest.mark.django_db
def test_large_gives_the_same_district_more_people() -> None:
    small = DemoContext(seed=7, size="small", write=lambda line: None)
    org_demo.seed(small)
    small_people = User.objects.count()
    small_units = sorted(Unit.objects.values_list("code", flat=True))
    key_people = {user.username: user.full_name for user in User.objects.filter(username__in=["xcb_admin", "tb_s01"])}
    org_demo.reset(small)

    large = DemoContext(seed=7, size="large", write=lambda line: None)
    org_demo.seed(large)

    assert sorted(Unit.objects.values_list("code", flat=True)) == small_units
    assert User.objects.count() >= 3 * small_people
    assert {user.username: user.full_name for user in User.objects.filter(username__in=key_people)} == key_people


@pytest.mark.django_db
def test_org_part_shares_units_and_people() -> None:
    ctx = DemoContext(seed=7, write=lambda line: None)
    org_demo.seed(ctx)

    assert ctx.shared["district"].code == "DIST"
    assert ctx.shared["publicity_department"].name == "区委宣传部"
    assert set(ctx.shared["units_by_code"]) == set(Unit.objects.values_list("code", flat=True))
    assert ctx.shared["users_by_role"][RoleCode.DEPARTMENT_ADMIN][0].username == "xcb_admin"
    assert set(ctx.shared["users_by_role"]) == set(ALL_ROLES)
    assert ctx.shared["staff_by_unit"]["DIST-S01"][0].username == "tb_s01"
    assert all(user.pk and user.is_active for users in ctx.shared["users_by_role"].values() for user in users)
    assert len(ctx.shared["units_by_type"][UnitType.STREET]) == 6


def test_discovery_finds_app_parts_and_not_the_framework() -> None:
    parts = discover_parts()
    names = [part.module.__name__ for part in parts]
    assert "xuanchuan.org.demo" in names
    assert "xuanchuan.core.demo" not in names
    assert [part.order for part in parts] == sorted(part.order for part in parts)


def test_dates_are_spread_over_three_years_and_never_in_the_future() -> None:
    ctx = DemoContext(seed=3)
    moments = [ctx.random_datetime() for _ in range(500)]
    assert all(moment <= ctx.now for moment in moments)
    assert set(ctx.years[:2]) <= {moment.year for moment in moments} <= set(ctx.years)
    assert all(ctx.random_date(ctx.years[-1]) <= ctx.today for _ in range(100))
    assert DemoContext(seed=3).for_part("org").rng.random() == DemoContext(seed=3).for_part("org").rng.random()
    assert DemoContext(seed=3).for_part("org").rng.random() != DemoContext(seed=3).for_part("media").rng.random()
