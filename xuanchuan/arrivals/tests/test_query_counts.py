"""The public form's cost does not grow with the number of communities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.org.models import UnitType
from xuanchuan.org.services import create_unit


@pytest.mark.django_db
def test_registration_page_queries_do_not_grow_with_communities(
    client, district, django_assert_max_num_queries
) -> None:
    for number in range(30):
        create_unit(parent=district.west, name=f"新区{number:02d}社区", unit_type=UnitType.COMMUNITY, code=f"Q{number}")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("arrivals:register"))
    assert response.status_code == 200
    assert "西城街道 · 新区00社区" in response.content.decode()


@pytest.mark.django_db
def test_the_daily_list_needs_the_same_queries_for_any_number_of_people(
    verified_client, dora, alice, district
) -> None:
    """The daily list reads its counts and its page of people in a fixed number of queries,
    however many people and check-ins there are."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.models import RiskArea, RiskLevel
    from xuanchuan.arrivals.tests.scoping import make_registration

    today = timezone.localdate()
    area = RiskArea(division_code="420100", level=RiskLevel.HIGH, starts_on=today - timedelta(days=30))
    services.save_risk_area(area, by=alice)
    client = verified_client(dora)
    client.get(reverse("arrivals:daily_list"))  # the session's first request does its own writes

    def page_queries(people: int) -> int:
        for number in range(people):
            registration = make_registration(
                district.east_community, id_number=f"E{people}{number:06d}", arrival_date=today - timedelta(days=3)
            )
            services.record_check_in(registration, by=dora, day=today - timedelta(days=1), temperature=36.5)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("arrivals:daily_list"))
        assert response.status_code == 200
        return len(queries)

    few, more = page_queries(2), page_queries(20)
    assert few == more
    assert more <= 12
    # Three queries for the list, whatever the number of people and check-ins: the counts over
    # everyone, the day's check-ins among them, and the page of 100 (with its check-ins).
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("arrivals:daily_list"))
    assert sum("arrivals_registration" in query["sql"] for query in queries.captured_queries) <= 3
