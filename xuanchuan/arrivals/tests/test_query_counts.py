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
