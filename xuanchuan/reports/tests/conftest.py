"""Fixtures shared by the reports tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xuanchuan.reports import registry


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    """Figures declared by a test disappear after it (``registry.scratch()``)."""
    with registry.scratch():
        yield
