"""Personas and settings shared by every test of the platform.

A small district: 示范区 with 区委宣传部, 区教育局, two streets with a community each.
- alice: 部管理员 of 区委宣传部 (sees the whole district, may read personal data)
- bob: 单位填报员 of 东城街道 (sees 东城街道 and 幸福社区)
- charlie: 单位填报员 of 西城街道 — the outsider, who must see nothing of bob's
- dora: 社区工作人员 of 幸福社区 (below bob; may read personal data)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from xuanchuan.org.models import Role, RoleCode, Unit, UnitType, User
from xuanchuan.org.services import create_unit

PASSWORD = "Xuanchuan-Test-2026!"  # noqa: S105 (test personas only)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The session's test database, plus the table of the personal-data tests' own model.

    ``xuanchuan/core/tests/piimodels.py`` declares a model outside INSTALLED_APPS; once collected it
    is one of the encrypted models every re-encryption walks, whichever test runs first on a worker,
    so its table is made here for every worker, not only where the core tests happen to run first.
    """
    from django.db import connection

    from xuanchuan.core.tests.piimodels import Resident

    with django_db_blocker.unblock():
        if Resident._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Resident)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory) -> None:
    # Uploaded files of a test go to a folder of its own, never to var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A deliberately slow password hash is the point in production and a waste of minutes here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class District:
    """The units of the test district."""

    root: Unit
    publicity: Unit
    education: Unit
    east: Unit
    east_community: Unit
    west: Unit
    west_community: Unit


def role(code: str) -> Role:
    defaults = {
        RoleCode.DEPARTMENT_ADMIN: {"name": "部管理员", "sees_all_units": True, "can_view_personal_data": True},
        RoleCode.COMMUNITY_WORKER: {"name": "社区工作人员", "can_view_personal_data": True},
    }.get(code, {"name": code})
    return Role.objects.get_or_create(code=code, defaults=defaults)[0]


@pytest.fixture
def district(db) -> District:
    root = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="T-D")

    def child(parent: Unit, name: str, unit_type: str, code: str) -> Unit:
        return create_unit(parent=parent, name=name, unit_type=unit_type, code=code)

    publicity = child(root, "区委宣传部", UnitType.PARTY_DEPARTMENT, "T-D01")
    education = child(root, "区教育局", UnitType.GOVERNMENT_DEPARTMENT, "T-D02")
    east = child(root, "东城街道", UnitType.STREET, "T-S01")
    west = child(root, "西城街道", UnitType.STREET, "T-S02")
    east_community = child(east, "幸福社区", UnitType.COMMUNITY, "T-S01-C01")
    west_community = child(west, "和平社区", UnitType.COMMUNITY, "T-S02-C01")
    return District(root, publicity, education, east, east_community, west, west_community)


def make_person(username: str, unit: Unit | None, *role_codes: str, **fields) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=fields.pop("full_name", username), unit=unit, **fields
    )
    user.roles.set([role(code) for code in role_codes])
    return user


@pytest.fixture
def alice(district: District) -> User:
    return make_person("alice", district.publicity, RoleCode.DEPARTMENT_ADMIN, full_name="艾丽思")


@pytest.fixture
def bob(district: District) -> User:
    return make_person("bob", district.east, RoleCode.UNIT_REPORTER, full_name="包博", mobile="13800138001")


@pytest.fixture
def charlie(district: District) -> User:
    return make_person("charlie", district.west, RoleCode.UNIT_REPORTER, full_name="程理")


@pytest.fixture
def dora(district: District) -> User:
    return make_person(
        "dora", district.east_community, RoleCode.COMMUNITY_WORKER, full_name="杜拉", mobile="13900139002"
    )


def verified_login(client, user: User, device_name: str = "test"):
    """Sign ``user`` in on ``client`` as if they had passed the second factor; the client back."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name=device_name, confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_client(client):
    """Log a user in as if they had passed the second factor (for roles that need one)."""

    def login(user: User):
        return verified_login(client, user)

    return login
