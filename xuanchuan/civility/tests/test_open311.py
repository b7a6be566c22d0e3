"""The Open311 GeoReport v2 endpoints against the specification's field lists
(``shared/reference/open311_georeport_v2.md``), its conformance examples E1–E5, the date rules and
what may be published."""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.civility.models import ApiClient, Problem, ProblemSource, ProblemStatus
from xuanchuan.civility.services import problems as problem_services
from xuanchuan.civility.services import tickets as ticket_services
from xuanchuan.civility.services.open311 import create_client, revoke_client
from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode

# The specification's field lists (reference §1, §2, §4, §5), written out here on purpose.
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
DEFINITION_FIELDS = {"service_code", "attributes"}
POST_FIELDS = {"service_request_id", "service_notice", "account_id"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
ERROR_FIELDS = {"code", "description"}
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
W3C = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture
def inspector(district):
    return make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员甲")


@pytest.fixture
def api_key(alice) -> str:
    return create_client(name="随手拍", contact="王工", by=alice)[1]


def url(name: str, fmt: str = "json", **kwargs) -> str:
    return reverse(f"open311:{name}", kwargs={"fmt": fmt, **kwargs})


def post(client, fmt: str = "json", **fields):
    return client.post(url("requests", fmt), data=urlencode(fields), content_type=FORM)


def parse(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 (our own answer, in a test)


def xml_items(response) -> list[dict]:
    return [{child.tag: child.text for child in item} for item in parse(response.content)]


def submit(client, api_key: str, **extra) -> str:
    fields = {
        "api_key": api_key,
        "service_code": "ENV_GARBAGE",
        "lat": "30.5728",
        "long": "104.0668",
        "description": "人行道上堆着垃圾袋",
        "first_name": "小明",
        "last_name": "李",
        "phone": "13912345678",
        "email": "li@example.cn",
        **extra,
    }
    response = post(client, **fields)
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def test_discovery_in_json_and_xml(client, db) -> None:
    response = client.get(url("discovery"))
    assert response.status_code == 200 and response["Content-Type"] == JSON_TYPE
    data = response.json()
    assert set(data) == DISCOVERY_FIELDS
    assert set(data["endpoints"][0]) == ENDPOINT_FIELDS
    assert set(data["endpoints"][0]["formats"]) == {"text/xml", "application/json"}
    assert data["endpoints"][0]["url"].endswith("/open311/v2")
    response = client.get(url("discovery", "xml"))
    assert response["Content-Type"] == XML_TYPE
    root = parse(response.content)
    assert root.tag == "discovery" and {child.tag for child in root} == DISCOVERY_FIELDS
    endpoint = root.find("endpoints/endpoint")
    assert {child.tag for child in endpoint} == ENDPOINT_FIELDS
    assert [item.text for item in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_e1_services_are_the_current_categories(client, db) -> None:
    response = client.get(url("services"), {"jurisdiction_id": "district.example.cn"})
    assert response.status_code == 200 and response["Content-Type"] == JSON_TYPE
    services = response.json()
    assert isinstance(services, list) and len(services) >= 10
    garbage = next(item for item in services if item["service_code"] == "ENV_GARBAGE")
    assert set(garbage) == SERVICE_FIELDS
    assert garbage["metadata"] is False and garbage["type"] == "realtime" and garbage["group"] == "市容环境"
    assert all(isinstance(item["service_code"], str) for item in services)
    response = client.get(url("services", "xml"))
    assert response["Content-Type"] == XML_TYPE
    root = parse(response.content)
    assert root.tag == "services" and all(child.tag == "service" for child in root)
    assert all({field.tag for field in child} == SERVICE_FIELDS for child in root)
    assert len(root) == len(services)


def test_e2_service_definition_and_unknown_code(client, db) -> None:
    response = client.get(url("service", service_code="ENV_GARBAGE"))
    assert response.status_code == 200
    assert response.json() == {"service_code": "ENV_GARBAGE", "attributes": []}
    root = parse(client.get(url("service", "xml", service_code="ENV_GARBAGE")).content)
    assert root.tag == "service_definition" and {child.tag for child in root} == DEFINITION_FIELDS
    missing = client.get(url("service", service_code="NOPE"))
    assert missing.status_code == 404 and missing["Content-Type"] == JSON_TYPE
    assert missing.json() == [{"code": 404, "description": "service_code not found"}]


def test_unknown_jurisdiction_is_404_everywhere(client, db, api_key) -> None:
    for name, kwargs in (("services", {}), ("requests", {}), ("service", {"service_code": "ENV_GARBAGE"})):
        response = client.get(url(name, **kwargs), {"jurisdiction_id": "other.example.cn"})
        assert response.status_code == 404, name
        assert set(response.json()[0]) == ERROR_FIELDS
    response = post(client, api_key=api_key, service_code="ENV_GARBAGE", address_string="x", jurisdiction_id="x.cn")
    assert response.status_code == 404
    assert not Problem.objects.exists()


def test_e3_a_post_makes_an_unverified_problem_for_an_inspector(client, alice, inspector, api_key) -> None:
    response = post(
        client,
        api_key=api_key,
        service_code="ENV_GARBAGE",
        lat="30.5728",
        long="104.0668",
        description="Bags on pavement",
        first_name="小明",
        last_name="李",
        phone="13912345678",
        email="li@example.cn",
        media_url="https://img.example.cn/1.jpg",
        jurisdiction_id="district.example.cn",
    )
    assert response.status_code == 200 and response["Content-Type"] == JSON_TYPE
    [answer] = response.json()
    assert set(answer) == POST_FIELDS and isinstance(answer["service_request_id"], str)
    assert "token" not in answer
    problem = Problem.objects.get(public_id=answer["service_request_id"])
    assert problem.status == ProblemStatus.UNVERIFIED and problem.source == ProblemSource.OPEN311
    assert problem.media_url == "https://img.example.cn/1.jpg"
    assert problem.reporter_name == "李小明" and "13912345678" in problem.reporter_contact
    assert problem.api_client.name == "随手拍"
    assert Problem.objects.visible_to(inspector).filter(pk=problem.pk, status=ProblemStatus.UNVERIFIED).exists()
    assert ApiClient.objects.get().last_used_at is not None


def test_post_in_xml(client, db, api_key) -> None:
    response = post(client, "xml", api_key=api_key, service_code="ENV_GARBAGE", address_string="幸福路1号")
    assert response.status_code == 200 and response["Content-Type"] == XML_TYPE
    root = parse(response.content)
    assert root.tag == "service_requests" and [child.tag for child in root] == ["request"]
    assert {child.tag for child in root[0]} == POST_FIELDS
    assert Problem.objects.get().address == "幸福路1号"


@pytest.mark.parametrize(
    ("fields", "status", "description"),
    [
        ({"lat": None, "long": None}, 400, "location required: lat+long, address_string or address_id"),
        ({"api_key": "BAD"}, 403, "Invalid api_key"),
        ({"api_key": None}, 403, "api_key required"),
        ({"service_code": "NOPE"}, 404, "service_code not found"),
        ({"service_code": None}, 400, "service_code required"),
        ({"long": None}, 400, "lat and long must be sent together"),
        ({"description": "长" * 4001}, 400, "description may not be longer than 4000 characters"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url must be an http or https URL"),
        ({"description": "a\x00b"}, 400, "arguments may not contain NUL characters"),
    ],
)
def test_e4_errors(client, db, api_key, fields, status, description) -> None:
    data = {"api_key": api_key, "service_code": "ENV_GARBAGE", "lat": "30.5728", "long": "104.0668"}
    data.update(fields)
    response = post(client, **{key: value for key, value in data.items() if value is not None})
    assert response.status_code == status
    assert response["Content-Type"] == JSON_TYPE
    errors = response.json()
    assert isinstance(errors, list) and all(set(item) == ERROR_FIELDS for item in errors)
    assert {"code": status, "description": description} in errors
    assert not Problem.objects.exists()
    xml = post(client, "xml", **{key: value for key, value in data.items() if value is not None})
    root = parse(xml.content)
    assert xml.status_code == status and root.tag == "errors" and root[0].tag == "error"
    assert {child.tag for child in root[0]} == ERROR_FIELDS


def test_bad_coordinates_are_a_400(client, db, api_key) -> None:
    response = post(client, api_key=api_key, service_code="ENV_GARBAGE", lat="91", long="200")
    assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_a_revoked_key_is_refused(client, alice, api_key) -> None:
    revoke_client(ApiClient.objects.get(), by=alice)
    response = post(client, api_key=api_key, service_code="ENV_GARBAGE", address_string="幸福路1号")
    assert response.status_code == 403


def test_a_resent_request_is_stored_once(client, db, api_key) -> None:
    first = submit(client, api_key, device_id="phone-1")
    again = submit(client, api_key, device_id="phone-1")
    assert first == again and Problem.objects.count() == 1
    other = submit(client, api_key, device_id="phone-2")
    assert other != first and Problem.objects.count() == 2


def test_post_is_rate_limited_per_address(client, db, api_key, settings) -> None:
    settings.CIVILITY_OPEN311_POST_RATE = "2/m"
    fields = {"api_key": api_key, "service_code": "ENV_GARBAGE", "address_string": "幸福路1号"}
    answers = [
        client.post(url("requests"), data=urlencode(fields), content_type=FORM, REMOTE_ADDR="203.0.113.9")
        for _ in range(3)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()[0]["code"] == 429


def close(problem: Problem, inspector, bob, district, at: datetime.datetime) -> None:
    """Verify the report, issue a ticket to 东城街道, reply, and accept at ``at`` (the real services)."""
    problem_services.verify_report(problem, by=inspector, area=district.east)
    ticket = ticket_services.issue_ticket([problem], unit=district.east, requirement="内部整改要求甲", by=inspector)
    ticket_services.reply(ticket, text="内部整改情况乙", by=bob)
    ticket_services.accept(ticket, by=inspector, note="内部复核意见丙", at=at)


def test_e5_fetch_follow_and_find_a_closed_request(client, district, inspector, bob, api_key) -> None:
    request_id = submit(client, api_key, media_url="https://img.example.cn/2.jpg")
    response = client.get(url("request", service_request_id=request_id))
    assert response.status_code == 200 and response["Content-Type"] == JSON_TYPE
    [found] = response.json()
    assert set(found) == REQUEST_FIELDS
    assert found["status"] == "open" and found["service_code"] == "ENV_GARBAGE"
    assert found["service_request_id"] == request_id and found["lat"] == 30.5728 and found["long"] == 104.0668
    assert found["media_url"] == "https://img.example.cn/2.jpg" and found["agency_responsible"] is None
    import re

    assert re.match(W3C, found["requested_datetime"]) and re.match(W3C, found["updated_datetime"])
    xml = client.get(url("request", "xml", service_request_id=request_id))
    assert xml["Content-Type"] == XML_TYPE and [set(item) for item in xml_items(xml)] == [REQUEST_FIELDS]
    assert client.get(url("request", service_request_id="W2026-0000000")).json() == [
        {"code": 404, "description": "service_request_id not found"}
    ]

    closing = timezone.now().replace(microsecond=0)
    close(Problem.objects.get(public_id=request_id), inspector, bob, district, closing)
    [closed] = client.get(url("request", service_request_id=request_id)).json()
    assert closed["status"] == "closed" and closed["agency_responsible"] == "东城街道"
    assert closed["updated_datetime"] == closing.astimezone(datetime.timezone(datetime.timedelta(hours=8))).isoformat()
    assert re.match(W3C, closed["expected_datetime"])
    day = timezone.localdate()
    window = {
        "status": "closed",
        "start_date": f"{day - datetime.timedelta(days=1)}T00:00:00+08:00",
        "end_date": f"{day + datetime.timedelta(days=1)}T23:59:59+08:00",
    }
    listed = client.get(url("requests"), window).json()
    assert [item["service_request_id"] for item in listed] == [request_id]
    assert client.get(url("requests"), {**window, "status": "open"}).json() == []
    # Only what is safe to publish: no reporter, no internal notes, in either format.
    for fmt in ("json", "xml"):
        for body in (
            client.get(url("requests", fmt)).content.decode(),
            client.get(url("request", fmt, service_request_id=request_id)).content.decode(),
        ):
            for secret in ("李小明", "小明", "13912345678", "li@example.cn", "内部整改要求甲", "内部整改情况乙"):
                assert secret not in body
            assert "内部复核意见丙" not in body and "随手拍" not in body and "督查员甲" not in body


def test_request_list_filters(client, district, inspector, api_key) -> None:
    garbage = submit(client, api_key)
    parking = submit(client, api_key, service_code="ORD_PARKING")
    old = submit(client, api_key, service_code="ORD_PARKING")
    Problem.objects.filter(public_id=old).update(found_at=timezone.now() - datetime.timedelta(days=120))
    ids = lambda response: {item["service_request_id"] for item in response.json()}  # noqa: E731
    assert ids(client.get(url("requests"))) == {garbage, parking}  # default: the last 90 days
    assert ids(client.get(url("requests"), {"service_code": "ORD_PARKING"})) == {parking}
    assert ids(client.get(url("requests"), {"service_code": "ORD_PARKING,ENV_GARBAGE"})) == {garbage, parking}
    assert ids(client.get(url("requests"), {"status": "open"})) == {garbage, parking}
    assert ids(client.get(url("requests"), {"status": "open,closed", "service_code": ""})) == {garbage, parking}
    # service_request_id overrides every other filter (the old one too)
    overriding = {"service_request_id": f"{old},{garbage}", "service_code": "NOPE", "status": "closed"}
    assert ids(client.get(url("requests"), overriding)) == {old, garbage}
    long_ago = timezone.localdate() - datetime.timedelta(days=150)
    start = {"start_date": f"{long_ago}T00:00:00Z", "end_date": f"{long_ago + datetime.timedelta(days=89)}T00:00:00Z"}
    assert ids(client.get(url("requests"), start)) == {old}
    assert len(client.get(url("requests", "xml")).content) > 0


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-05-01"},
        {"start_date": "2026-05-01T00:00:00"},
        {"start_date": "2026-05-01T00:00:00.5+08:00"},
        {"end_date": "2026-13-01T00:00:00+08:00"},
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-04-01T00:00:01+08:00"},
        {"start_date": "2026-05-01T00:00:00+08:00", "end_date": "2026-04-01T00:00:00+08:00"},
        {"status": "pending"},
        {"service_request_id": ",".join(["W1"] * 201)},
        {"service_request_id": "W2026\x001"},
    ],
)
def test_bad_request_filters_are_a_400(client, db, query) -> None:
    for fmt in ("json", "xml"):
        response = client.get(url("requests", fmt), query)
        assert response.status_code == 400, (query, response.content)
    assert response["Content-Type"] == XML_TYPE and parse(response.content).tag == "errors"


def test_ninety_days_exactly_is_allowed(client, db) -> None:
    query = {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-04-01T00:00:00+08:00"}
    assert client.get(url("requests"), query).status_code == 200


def test_inspection_findings_are_not_published(client, district, inspector, api_key) -> None:
    citizen = submit(client, api_key)
    Problem.objects.filter(public_id=citizen).update(source=ProblemSource.INSPECTION)
    assert client.get(url("requests")).json() == []
    assert client.get(url("request", service_request_id=citizen)).status_code == 404


def test_json_is_valid_json_with_string_ids(client, db, api_key) -> None:
    request_id = submit(client, api_key)
    body = client.get(url("requests")).content.decode("utf-8")
    [item] = json.loads(body)
    assert isinstance(item["service_request_id"], str) and item["service_request_id"] == request_id


def test_a_code_with_a_dot_has_its_definition(client, db) -> None:
    from xuanchuan.civility.models import Category, Standard

    Category.objects.create(standard=Standard.objects.get(is_current=True), code="A.1", name="示例", group="其他")
    assert "A.1" in {item["service_code"] for item in client.get(url("services")).json()}
    response = client.get(url("service", "xml", service_code="A.1"))
    assert response.status_code == 200 and parse(response.content).findtext("service_code") == "A.1"
    missing = client.get(url("request", service_request_id="no such id"))
    assert missing.status_code == 404 and missing.json()[0]["description"] == "service_request_id not found"
