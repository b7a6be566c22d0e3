"""Fixtures of the pass tests: a checkpoint guard per street, passes."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode, User
from xuanchuan.passes import services
from xuanchuan.passes.models import ApplicationChannel, Pass


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """No cache entry of another test (an SMS rate limit, a token's state) for the same ids."""
    cache.clear()


@pytest.fixture
def gina(district) -> User:
    """Checkpoint guard of 东城街道."""
    return make_person("gina", district.east, RoleCode.CHECKPOINT_GUARD, full_name="葛娜")


@pytest.fixture
def oscar(district) -> User:
    """Checkpoint guard of 西城街道 (an outsider to 东城's records)."""
    return make_person("oscar", district.west, RoleCode.CHECKPOINT_GUARD, full_name="欧思")


def apply_for(community, by: User, *, number: str = "1栋101", name: str = "张三丰") -> Pass:
    application = services.Application(community, number, "幸福路1号1栋101", name, "13800138000")
    return services.apply(application, channel=ApplicationChannel.STAFF, by=by)


@pytest.fixture
def pending_pass(district, bob) -> Pass:
    return apply_for(district.east_community, bob)


@pytest.fixture
def approved_pass(pending_pass, bob) -> Pass:
    return services.approve(pending_pass, by=bob)
