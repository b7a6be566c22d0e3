"""A round trip through the live test server with a client written from the specification
(``open311_client.py``): read the services, post a citizen's report form-urlencoded, find it as an
unverified problem for an inspector, and follow it until it is closed."""

from __future__ import annotations

import pytest

from xuanchuan.civility.models import Problem, ProblemStatus
from xuanchuan.civility.services import problems as problem_services
from xuanchuan.civility.services import tickets as ticket_services
from xuanchuan.civility.services.open311 import create_client
from xuanchuan.civility.tests.open311_client import GeoReportClient, Open311Error
from xuanchuan.civility.tests.standard import restore_default_standard
from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.django_db(transaction=True)
def test_round_trip_with_a_client_written_from_the_spec(live_server, district, alice, bob, fmt) -> None:
    restore_default_standard()
    inspector = make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR)
    _client, key = create_client(name="市民随手拍", by=alice)
    geo = GeoReportClient(
        endpoint=f"{live_server.url}/open311/v2", api_key=key, jurisdiction_id="district.example.cn", fmt=fmt
    )

    codes = {service["service_code"]: service for service in geo.services()}
    assert "ORD_PARKING" in codes and codes["ORD_PARKING"]["type"] == "realtime"

    with pytest.raises(Open311Error) as refused:
        GeoReportClient(endpoint=geo.endpoint, api_key="BAD", fmt=fmt).post_request(
            service_code="ORD_PARKING", address_string="幸福路1号"
        )
    assert refused.value.status == 403 and str(refused.value.errors[0]["code"]) == "403"

    [created] = geo.post_request(
        service_code="ORD_PARKING",
        lat="30.5728",
        long="104.0668",
        address_string="幸福路1号，东城街道，示范区",
        description="消防通道停满了车\n第二行",
        device_id="android-42",
        media_url="https://img.example.cn/p.jpg",
    )
    request_id = created["service_request_id"]
    assert request_id and created["service_notice"]

    # The citizen's report waits for an inspector as an unverified problem.
    problem = Problem.objects.visible_to(inspector).get(public_id=request_id)
    assert problem.status == ProblemStatus.UNVERIFIED and problem.description == "消防通道停满了车\n第二行"

    followed = geo.request(request_id)
    assert followed["status"] == "open" and followed["service_code"] == "ORD_PARKING"

    problem_services.verify_report(problem, by=inspector, area=district.east)
    ticket = ticket_services.issue_ticket([problem], unit=district.east, by=inspector)
    assert geo.request(request_id)["agency_responsible"] == "东城街道"
    assert geo.request(request_id)["expected_datetime"]
    ticket_services.reply(ticket, text="已清理", by=bob)
    assert geo.request(request_id)["status"] == "open"
    ticket_services.accept(ticket, by=inspector)

    closed = geo.request(request_id)
    assert closed["status"] == "closed"
    assert request_id in {item["service_request_id"] for item in geo.requests(status="closed")}
    assert request_id not in {item["service_request_id"] for item in geo.requests(status="open")}
