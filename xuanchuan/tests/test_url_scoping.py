"""Walk every URL of the project as a user of one unit and prove no other unit's record leaks.

The outsider (charlie, 西城街道) asks for every page and API endpoint: pages without arguments
must not show a sibling unit's records (in HTML, JSON or the Excel export), and every object
URL given a sibling unit's record must answer 404, exactly like a record that does not exist.
A URL this walk does not know how to fill fails the test, so a new URL cannot skip the check.

Each app takes part through an optional module ``xuanchuan/<app>/tests/scoping.py`` with:

- ``create_records(district, people) -> list[str]``: make records of the sibling side (owned by
  ``district.east`` or ``district.east_community``; ``people`` has ``bob`` and ``dora``) and
  return words that would only appear on a page if one of them leaked;
- ``arguments(route_name, kwargs, district, people) -> list[dict] | None``: for a route of that
  app, the URL arguments naming those records (a ``"_query"`` key adds a query string, a
  ``"_method": "post"`` key asks for a POST); ``None`` for a route that is not its own;
- optionally ``PUBLIC_UNIT_LISTS: dict[str, str]``: routes that show every unit's name on purpose
  (a public form's choice of destination community), each with the reason; on those, unit names
  are not counted as a leak, everything else still is.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from xuanchuan.org.models import User
from xuanchuan.reports.registry import all_figures

# Namespaces not walked here, and why.
EXEMPT_NAMESPACES = {
    "admin": "配置后台只对 is_staff 开放，查询集由 ScopedAdminMixin 限定（见 org/tests/test_admin.py）",
}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    callback: Any


def iter_routes(patterns: list, namespace: str = "", kwargs: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        found = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from iter_routes(entry.url_patterns, inner or "", kwargs + found)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, kwargs + found, entry.callback)


def all_routes() -> list[Route]:
    return [
        route
        for route in iter_routes(get_resolver().url_patterns)
        if route.name.split(":", 1)[0] not in EXEMPT_NAMESPACES
    ]


def app_scoping_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        has_tests = config.name.startswith("xuanchuan.") and importlib.util.find_spec(f"{config.name}.tests")
        if has_tests and importlib.util.find_spec(f"{config.name}.tests.scoping") is not None:
            modules.append(importlib.import_module(f"{config.name}.tests.scoping"))
    return modules


RANDOM_TOKENS = re.compile(r'(?:csrfmiddlewaretoken" value=|X-CSRFToken": |nonce=)"[^"]*"')


def sentinels(district, bob: User, dora: User) -> list[str]:
    return [district.east.name, district.east_community.name, district.east.code, bob.full_name, dora.full_name, "bob"]


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
        )
    body = response.content.decode("utf-8", errors="replace")
    # Random tokens can spell a short sentinel ("bob") by chance: they are no leak, so they go.
    return RANDOM_TOKENS.sub("", body)


def objects_for(route: Route, district, bob: User, dora: User) -> list[dict[str, Any]]:
    """Argument sets that name the sibling unit's records, or None if the route is unknown."""
    if route.kwargs == ("content_type_id", "pk", "field"):
        people = ContentType.objects.get_for_model(User).pk
        return [{"content_type_id": people, "pk": person.pk, "field": "mobile"} for person in (bob, dora)]
    if route.kwargs == ("key",):
        # Figures: the key is public; asking for them with the sibling's unit must be refused.
        return [{"key": item.key, "_query": {"unit": district.east.pk}} for item in all_figures()]
    people = {"bob": bob, "dora": dora}
    for module in app_scoping_modules():
        found = module.arguments(route.name, route.kwargs, district, people)
        if found is not None:
            return found
    if route.kwargs == ("unit_id",):
        # Any other page "for a unit" (a daily report to fill, …): the sibling street and community.
        return [{"unit_id": district.east.pk}, {"unit_id": district.east_community.pk}]
    raise AssertionError(f"the scoping walk does not know how to fill {route.name} {route.kwargs}")


@pytest.mark.django_db
def test_outsider_sees_nothing_of_a_sibling_unit(client, district, alice, bob, charlie, dora) -> None:
    secret = sentinels(district, bob, dora)
    for module in app_scoping_modules():
        secret += module.create_records(district, {"bob": bob, "dora": dora})
    unit_words = {district.east.name, district.east_community.name, district.east.code}
    public_unit_lists = {name for module in app_scoping_modules() for name in getattr(module, "PUBLIC_UNIT_LISTS", {})}
    client.force_login(charlie)
    walked = 0
    for route in all_routes():
        if not route.kwargs:
            url = reverse(route.name)
            words = [word for word in secret if route.name not in public_unit_lists or word not in unit_words]
            for query in ({}, {"export": "xlsx"}, {"unit": district.east.pk}, {"q": "东城"}):
                response = client.get(url, query)
                walked += 1
                if response.status_code == 200:
                    body = text_of(response)
                    leaked = [word for word in words if word in body]
                    assert not leaked, f"{route.name} {query} shows {leaked}"
                else:
                    assert response.status_code in (302, 403, 404, 405), (route.name, query, response.status_code)
            continue
        for arguments in objects_for(route, district, bob, dora):
            query = arguments.pop("_query", {})
            method = arguments.pop("_method", "get")
            url = reverse(route.name, kwargs=arguments)
            response = getattr(client, method)(url, query)
            walked += 1
            assert response.status_code in (404, 405), f"{url} {query} answered {response.status_code}"
            if response.status_code == 405:
                response = client.post(url, query)
                assert response.status_code == 404, f"POST {url} answered {response.status_code}"
    assert walked > 10


@pytest.mark.django_db
def test_the_same_urls_answer_for_the_owner(client, district, bob, dora) -> None:
    """The 404s above are about scope, not broken URLs: bob sees his own records."""
    client.force_login(bob)
    assert client.get(reverse("org:unit_detail", args=[district.east_community.pk])).status_code == 200
    assert client.get(reverse("org:person_detail", args=[dora.pk])).status_code == 200
    assert client.get(reverse("api:get_unit", kwargs={"unit_id": district.east.pk})).status_code == 200
    assert client.get(reverse("org:unit_detail", args=[district.west.pk])).status_code == 404


def test_views_read_only_through_the_scoping_rule() -> None:
    """No view or API module queries a business model without ``visible_to`` (Zulip-style lint)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1]
    offenders = []
    # Views and API modules, also those split by part or topic (views/*.py, api_<part>.py, site/views.py).
    paths = {*root.glob("*/*views.py"), *root.glob("*/views/*.py"), *root.glob("*/*/views.py"), root / "api.py"}
    paths |= {*root.glob("*/api.py"), *root.glob("*/api_*.py")}
    for path in sorted(paths):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\b[A-Z]\w+\.objects\.(?!visible_to\b)", line) and "scoping: allowed" not in line:
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not offenders, "unscoped queries in views:\n" + "\n".join(offenders)


@pytest.mark.django_db
def test_not_yours_looks_like_not_there(client, settings, district, bob, charlie) -> None:
    """Another unit's record and a missing one get the same Chinese 404 page."""
    settings.DEBUG = False
    client.force_login(charlie)
    theirs = client.get(reverse("org:unit_detail", args=[district.east.pk]))
    missing = client.get(reverse("org:unit_detail", args=[999999]))
    assert theirs.status_code == missing.status_code == 404
    assert "页面或记录不存在" in theirs.content.decode()
    import re

    def without_tokens(body: bytes) -> str:
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", body.decode())

    assert without_tokens(theirs.content) == without_tokens(missing.content)
