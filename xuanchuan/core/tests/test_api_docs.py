"""The API's document and Swagger UI need a login and load nothing from outside (security review L11)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

DOCS, DOCUMENT = "/api/docs", "/api/openapi.json"


@pytest.mark.django_db
def test_anonymous_visitors_get_neither_the_document_nor_its_page(client) -> None:
    page = client.get(DOCS)
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/?next=/api/docs")
    document = client.get(DOCUMENT)
    assert document.status_code == 401 and document.json()["detail"] == "请先登录。"


@pytest.mark.django_db
def test_the_docs_page_loads_only_the_platforms_own_files(client, bob) -> None:
    client.force_login(bob)
    page = client.get(DOCS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in asset for asset in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    assert '"validatorUrl": null' in html and '"url": "/api/openapi.json"' in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "<script>" not in html  # no inline script: the settings travel as JSON
    document = client.get(DOCUMENT)
    assert document.status_code == 200 and "/api/units" in document.json()["paths"]


@pytest.mark.django_db
def test_list_pages_state_their_bounds_in_the_document(client, bob) -> None:
    client.force_login(bob)
    parameters = client.get(DOCUMENT).json()["paths"]["/api/units"]["get"]["parameters"]
    bounds = {item["name"]: item["schema"] for item in parameters if item["name"] in ("limit", "offset")}
    assert bounds["limit"]["maximum"] == 500 and bounds["offset"]["maximum"] == 1_000_000_000
    too_far = client.get("/api/units", {"offset": 2**64})
    assert too_far.status_code == 422
