"""A NUL in the query string is a 400 for every page, never a database error."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "unit=1&q=%00x"])
def test_a_nul_in_the_query_string_is_refused(client, alice, query) -> None:
    from xuanchuan.conftest import verified_login

    verified_login(client, alice)
    response = client.get(reverse("org:unit_list") + "?" + query)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
def test_an_ordinary_search_still_runs(client, alice) -> None:
    from xuanchuan.conftest import verified_login

    verified_login(client, alice)
    assert client.get(reverse("org:unit_list") + "?q=%E4%B8%9C%E5%9F%8E").status_code == 200
