"""The GeoReport v2 endpoints: discovery, services, service definitions, requests (list, one,
POST). Plain views, no session; POST is csrf-exempt (a client proves itself with its api_key)
and limited per client address. Every answer is JSON or XML by the URL's extension; errors are
arrays of ``{code, description}``."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from xuanchuan.civility.models import Category
from xuanchuan.civility.open311 import formats
from xuanchuan.civility.open311.keys import authenticate
from xuanchuan.civility.open311.requests import (
    BadArgument,
    jurisdiction_ok,
    published,
    read_filters,
    request_object,
    select,
)
from xuanchuan.civility.queries.standards import current_categories
from xuanchuan.civility.services.problems import report_from_client
from xuanchuan.core.http import client_ip
from xuanchuan.core.services import refusal_text

MAX_DESCRIPTION = 4000
FIELD_LIMITS = {
    "service_code": 30,
    "address_string": 200,
    "address_id": 100,
    "email": 100,
    "phone": 30,
    "first_name": 25,
    "last_name": 25,
    "device_id": 200,
    "account_id": 100,
    "media_url": 500,
    "lat": 30,
    "long": 30,
}
JURISDICTION_UNKNOWN = "jurisdiction_id not found"
CHANGESET = "2026-12-05T00:00:00+08:00"  # when the endpoints last changed (discovery)
KEY_SERVICE = "api_key: ask the district's civility office (see contact); keys are issued on the staff site"


def _jurisdiction_error(fmt: str, request: HttpRequest) -> HttpResponse | None:
    """404 for another jurisdiction (checked first on every endpoint); 400 for a NUL character in
    any argument (no database stores one)."""
    params = request.POST if request.method == "POST" else request.GET
    if any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists()):
        return formats.errors(fmt, 400, "arguments may not contain NUL characters")
    if not jurisdiction_ok(params.get("jurisdiction_id")):
        return formats.errors(fmt, 404, JURISDICTION_UNKNOWN)
    return None


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": str(category.code),
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(word for word in (category.group, category.name) if word),
        "group": category.group,
    }


def _category(code: str) -> Category | None:
    return current_categories().filter(code=code).first()


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Where the endpoints are, in which formats, and how a client gets a key."""
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": settings.CIVILITY_OPEN311_CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": [formats.MEDIA_TYPES["xml"], formats.MEDIA_TYPES["json"]],
            }
        ],
    }
    return formats.render(fmt, "discovery", data)


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current standard's categories as services (code = category code)."""
    if (error := _jurisdiction_error(fmt, request)) is not None:
        return error
    return formats.render(fmt, "services", [_service(category) for category in current_categories()])


@require_GET
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    """A service's definition: no extra attributes (every service has ``metadata`` false)."""
    if (error := _jurisdiction_error(fmt, request)) is not None:
        return error
    category = _category(service_code)
    if category is None:
        return formats.errors(fmt, 404, "service_code not found")
    return formats.render(fmt, "service_definition", {"service_code": str(category.code), "attributes": []})


@require_GET
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    """One request, as an array of one."""
    if (error := _jurisdiction_error(fmt, request)) is not None:
        return error
    problem = published().filter(public_id=service_request_id).first()
    if problem is None:
        return formats.errors(fmt, 404, "service_request_id not found")
    return formats.render(fmt, "service_requests", [request_object(problem)])


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the request list with its filters. POST: a citizen's report from a client."""
    if (error := _jurisdiction_error(fmt, request)) is not None:
        return error
    if request.method == "POST":
        return _create(request, fmt)
    try:
        filters = read_filters(request.GET)
    except BadArgument as exc:
        return formats.errors(fmt, 400, str(exc))
    return formats.render(fmt, "service_requests", [request_object(problem) for problem in select(filters)])


def _client_key(client: Any, params: Any) -> str | None:
    """A re-sent request (same device, same content) is stored once."""
    device = params.get("device_id", "").strip()
    if not device:
        return None
    names = ("service_code", "lat", "long", "address_string", "address_id", "description", "media_url")
    names += ("email", "phone")
    material = "\x1f".join([str(client.pk), device, *(params.get(name, "").strip() for name in names)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    limited = is_ratelimited(
        request,
        group="civility-open311-post",
        key=lambda _group, req: client_ip(req) or "unknown",
        rate=settings.CIVILITY_OPEN311_POST_RATE,
        method=["POST"],
        increment=True,
    )
    if limited:
        return formats.errors(fmt, 429, "Too many requests from this address; try again later")
    params = request.POST
    client = authenticate(params.get("api_key", "").strip())
    if client is None:
        return formats.errors(fmt, 403, "Invalid api_key" if params.get("api_key") else "api_key required")
    code = params.get("service_code", "").strip()
    if not code:
        return formats.errors(fmt, 400, "service_code required")
    too_long = [name for name, limit in FIELD_LIMITS.items() if len(params.get(name, "")) > limit]
    if too_long:
        return formats.errors(fmt, 400, *(f"{name} is too long" for name in too_long))
    category = _category(code)
    if category is None:
        return formats.errors(fmt, 404, "service_code not found")
    problems = []
    lat, lon = params.get("lat", "").strip(), params.get("long", "").strip()
    address = params.get("address_string", "").strip()
    address_id = params.get("address_id", "").strip()
    if bool(lat) != bool(lon):
        problems.append("lat and long must be sent together")
    if not (lat and lon) and not address and not address_id:
        problems.append("location required: lat+long, address_string or address_id")
    description = params.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"description may not be longer than {MAX_DESCRIPTION} characters")
    media_url = params.get("media_url", "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append("media_url must be an http or https URL")
    if problems:
        return formats.errors(fmt, 400, *problems)
    name = (params.get("last_name", "").strip() + params.get("first_name", "").strip()).strip()
    contact = " ".join(part for part in (params.get("phone", "").strip(), params.get("email", "").strip()) if part)
    if not address and address_id:
        address = f"address_id {address_id}"
    try:
        problem = report_from_client(
            client=client,
            category=category,
            description=description.strip() or category.name,
            address=address,
            latitude=lat or None,
            longitude=lon or None,
            media_url=media_url,
            reporter_name=name,
            reporter_contact=contact,
            client_key=_client_key(client, params),
        )
    except PermissionDenied:
        return formats.errors(fmt, 403, "Invalid api_key")
    except ValidationError as exc:
        return formats.errors(fmt, 400, refusal_text(exc))
    notice = f"已收到，核实后交办责任单位整改（{category.name}的整改期限为 {category.deadline_days} 天）。"
    return formats.render(
        fmt,
        "service_requests",
        [{"service_request_id": str(problem.public_id), "service_notice": notice, "account_id": None}],
    )
