"""Fixtures of the personal-data tests: the test model's table, residents, a second key."""

from __future__ import annotations

import base64

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from xuanchuan.core.audit import register_for_audit
from xuanchuan.core.tests.piimodels import Resident

register_for_audit(Resident)

OTHER_KEY = base64.b64encode(b"another-32-byte-key-for-rotation").decode()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The session's test database, plus the table and content type of the test-only model.

    The content type is committed here, like those ``migrate`` creates for installed apps:
    created inside a test, it would be rolled back while staying in ContentType's cache.
    """
    with django_db_blocker.unblock():
        if Resident._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Resident)
        ContentType.objects.clear_cache()
        ContentType.objects.get_for_model(Resident)


@pytest.fixture(autouse=True)
def _forget_cached_content_types():
    """Drop ContentType's process-wide cache after each test.

    A transactional test elsewhere in the run flushes the database, taking the test model's
    content type with it; recreated inside a rolled-back test, a cached id would dangle.
    """
    yield
    ContentType.objects.clear_cache()


def valid_id(prefix17: str) -> str:
    """Append the GB 11643-1999 check character to 17 digits."""
    from xuanchuan.core.pii.validators import id_check_character

    return prefix17 + id_check_character(prefix17)


@pytest.fixture
def resident(district) -> Resident:
    """A resident of 幸福社区 (below bob's 东城街道)."""
    return Resident.objects.create(
        name="张三丰",
        id_number=valid_id("11010519491231002"),
        phone="13812345678",
        health_note="无发热，无咳嗽",
        unit=district.east_community,
    )
