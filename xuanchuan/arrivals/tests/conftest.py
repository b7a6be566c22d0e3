"""Fixtures of the arrivals tests: valid form data, a clean rate-limit cache, no time check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from xuanchuan.arrivals.forms import ArrivalForm
from xuanchuan.core.pii.validators import id_check_character


def resident_id(first17: str = "11010119900307123") -> str:
    """A resident ID number with a correct check character."""
    return first17 + id_check_character(first17)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch) -> None:
    # Rate-limit counters live in the cache, which outlives one test.
    cache.clear()
    # The human check refuses forms sent back within 2 seconds; tests post at once.
    monkeypatch.setattr(ArrivalForm, "min_seconds", 0)
    # Tests post one prepared submission several times; the stamp's single use is core's test.
    monkeypatch.setattr(ArrivalForm, "single_use", False, raising=False)


@pytest.fixture
def one_rate_window(monkeypatch) -> None:
    """Keep every request of a test in one rate-limit window (windows are aligned to the clock,
    so a slow run could otherwise straddle two and see the count start again)."""
    import time

    window = int(time.time()) + 3600
    monkeypatch.setattr("django_ratelimit.core._get_window", lambda value, period: window)


@pytest.fixture
def form_data(district) -> dict[str, Any]:
    """A complete, valid submission of the public form."""
    form = ArrivalForm()
    return {
        "hp_started": form.fields["hp_started"].initial,
        "hp_website": "",
        "name": "张三",
        "document_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13812345678",
        "origin_province": "420000",
        "origin_city": "420100",
        "origin_county": "420102",
        "transport": "train",
        "trip_number": "g1234",
        "arrival_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "community": str(district.east_community.pk),
        "address": "幸福小区3栋2单元",
        "health_status": "healthy",
        "symptoms": "",
        "travel_notes": "",
        "consent": "on",
    }
