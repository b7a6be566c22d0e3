"""This app's part of the URL walk in ``xuanchuan/tests/test_url_scoping.py``: records of the
sibling side (bob's street and dora's community) and the arguments naming them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import HealthStatus, PendingCorrection, Registration, RiskArea, RiskLevel, Transport
from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode

# The public form lists every community of the district for the resident to choose from.
PUBLIC_UNIT_LISTS = {"arrivals:register": "公众登记页按设计列出全区社区（村）供选择目的地，单位名称是公开信息"}

SECRET_NAME = "东城来返者"
SECRET_ADDRESS = "幸福小区9栋"


def make_registration(community: Any, *, id_number: str = "110101199003071234", **overrides: Any) -> Registration:
    data = {
        "name": SECRET_NAME,
        "document_type": "passport",
        "id_number": id_number,
        "phone": "13912345678",
        "origin_code": "420102",
        "via_codes": "",
        "travel_notes": "",
        "transport": Transport.TRAIN,
        "trip_number": "G1234",
        "arrival_date": timezone.localdate() - timedelta(days=2),
        "address": SECRET_ADDRESS,
        "health_status": HealthStatus.HEALTHY,
        "symptoms": "",
    }
    data.update(overrides)
    return services.register_arrival(data, community=community).registration


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    area = RiskArea(
        unit=district.east, division_code="420100", level=RiskLevel.HIGH,
        starts_on=timezone.localdate() - timedelta(days=10), note="东城自定风险区",
    )  # fmt: skip
    admin = make_person("arrivals_walk_admin", district.publicity, RoleCode.DEPARTMENT_ADMIN)
    services.save_risk_area(area, by=admin)
    registration = make_registration(district.east_community, id_number="E12345678")
    services.record_check_in(registration, by=people["dora"], day=timezone.localdate(), temperature=36.6)
    # A correction that would end the follow-up, held for staff.
    services.correct_registration(registration, {"origin_code": "110105"}, community=district.east_community)
    return [SECRET_NAME, SECRET_ADDRESS, "东城自定风险区", registration.receipt_code]


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if not route_name.startswith("arrivals:"):
        return None
    registration = Registration.objects.filter(unit=district.east_community).first()
    area = RiskArea.objects.filter(unit=district.east).first()
    if route_name == "arrivals:correction_decide":
        correction = PendingCorrection.objects.get(unit=district.east_community)
        return [{"pk": correction.pk}]
    if kwargs == ("pk",) and route_name == "arrivals:riskarea_edit":
        return [{"pk": area.pk}, {"pk": area.pk, "_method": "post", "_query": {"delete": "1"}}]
    if kwargs == ("pk",):
        # GET first; the POST-only views answer 405 and the walk then POSTs, which must be 404.
        return [{"pk": registration.pk}]
    if kwargs == ("code",):
        # The receipt code is the credential: a wrong code is 404 for everyone.
        return [{"code": registration.receipt_code[:-2] + "xx"}]
    return None
