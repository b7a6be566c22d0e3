"""The public self-registration: validation messages, receipt, idempotent resubmission,
correction, the human check, rate limits and the division options."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals.models import FollowUpPlan, Registration, RiskLevel
from xuanchuan.arrivals.tests.conftest import resident_id
from xuanchuan.core.pii import lookup

pytestmark = pytest.mark.django_db
REGISTER = "arrivals:register"


def errors_of(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def test_the_form_is_public_and_titled_with_the_configured_district(client, district, settings) -> None:
    settings.XUANCHUAN_DISTRICT_NAME = "青云区"
    body = client.get(reverse(REGISTER)).content.decode()
    assert "青云区来返人员登记" in body
    assert "示范区" not in body
    assert "arrivals/divisions.js" in body


def test_an_empty_form_says_what_each_field_needs(client, form_data) -> None:
    response = client.post(reverse(REGISTER), {"hp_started": form_data["hp_started"]})
    assert response.status_code == 400
    errors = errors_of(response)
    assert errors["name"] == ["请填写姓名"]
    assert errors["id_number"] == ["请填写证件号码"]
    assert errors["phone"] == ["请填写手机号码"]
    assert errors["arrival_date"] == ["请填写到达日期"]
    assert errors["community"] == ["请选择目的地社区（村）"]
    assert errors["address"] == ["请填写详细居住地址"]
    assert errors["health_status"] == ["请选择目前健康状况"]
    assert errors["consent"] == ["请阅读并同意个人信息处理规则后再提交"]
    assert errors["origin_province"] == ["请选择出发地所在省份"]
    assert "请按提示修改标红的项目后再提交" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "110101199003071230"}, "id_number", "身份证号码校验位不正确"),
        ({"id_number": "11010119900307"}, "id_number", "身份证号码应为18位"),
        ({"document_type": "passport", "id_number": "E12"}, "id_number", "护照号码应为5至20位字母或数字"),
        ({"phone": "1231234"}, "phone", "手机号码应为11位数字"),
        ({"trip_number": ""}, "trip_number", "请填写航班号或车次"),
        ({"health_status": "symptoms"}, "symptoms", "请说明有哪些症状"),
        ({"origin_city": "", "origin_county": ""}, "origin_city", "请选择出发地所在市"),
        ({"origin_county": ""}, "origin_county", "请选择出发地所在区县"),
        ({"origin_county": "110105"}, "origin_county", "请从列表中选择"),
        ({"arrival_date": "2020-01-01"}, "arrival_date", "到达日期已超过30天，无需登记"),
        ({"arrival_date": "26/11/2026"}, "arrival_date", "请按“年-月-日”填写到达日期"),
    ],
)
def test_each_bad_value_gets_its_own_message(client, form_data, changes, field, message) -> None:
    response = client.post(reverse(REGISTER), {**form_data, **changes})
    assert response.status_code == 400
    assert any(message in error for error in errors_of(response)[field]), errors_of(response)
    assert not Registration.objects.exists()


def test_an_arrival_too_far_ahead_is_refused(client, form_data) -> None:
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(reverse(REGISTER), {**form_data, "arrival_date": day.isoformat()})
    assert errors_of(response)["arrival_date"] == ["到达日期最多可提前3天登记"]


def test_a_place_without_counties_is_complete_at_the_city(client, form_data) -> None:
    data = {**form_data, "origin_province": "440000", "origin_city": "441900", "origin_county": ""}
    assert client.post(reverse(REGISTER), data).status_code == 302
    assert Registration.objects.get().origin_code == "441900"


def test_registering_gives_a_receipt_with_masked_data(client, form_data, district) -> None:
    response = client.post(reverse(REGISTER), form_data)
    registration = Registration.objects.get()
    assert response["Location"] == reverse("arrivals:receipt", args=[registration.receipt_code])
    assert len(registration.receipt_code) >= 20
    assert registration.unit == district.east_community
    assert registration.origin_code == "420102"
    assert registration.trip_number == "G1234"
    assert registration.consent_at is not None
    answer = client.get(response["Location"])
    assert "no-store" in answer["Cache-Control"]  # a shared phone or proxy keeps no copy
    page = answer.content.decode()
    assert "登记成功" in page
    assert registration.receipt_code in page
    assert "湖北省武汉市江岸区" in page
    assert "13812345678" not in page and "138****5678" in page
    assert form_data["id_number"] not in page
    assert "张三" not in page


def test_personal_data_is_encrypted_in_the_database(client, form_data) -> None:
    from django.db import connection

    client.post(reverse(REGISTER), form_data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone, address, health_status FROM arrivals_registration")
        row = cursor.fetchone()
    assert all(value.startswith("v1$") for value in row), row
    assert Registration.objects.filter(**lookup(Registration, "id_number", form_data["id_number"])).count() == 1


def test_submitting_again_finds_the_first_record_without_showing_it(client, form_data) -> None:
    client.post(reverse(REGISTER), form_data)
    again = client.post(reverse(REGISTER), form_data)
    assert Registration.objects.count() == 1
    assert again.status_code == 200
    page = again.content.decode()
    assert "已有登记" in page and "没有重复登记" in page
    assert Registration.objects.get().receipt_code not in page


def test_the_same_person_with_a_lower_case_x_is_the_same_person(client, form_data) -> None:
    form_data["id_number"] = resident_id("11010119900307109")
    assert form_data["id_number"].endswith("X")
    client.post(reverse(REGISTER), form_data)
    client.post(reverse(REGISTER), {**form_data, "id_number": " " + form_data["id_number"].lower() + " "})
    assert Registration.objects.count() == 1


def test_another_arrival_date_is_another_registration(client, form_data) -> None:
    client.post(reverse(REGISTER), form_data)
    other_day = (timezone.localdate() - timedelta(days=5)).isoformat()
    client.post(reverse(REGISTER), {**form_data, "arrival_date": other_day})
    assert Registration.objects.count() == 2


def test_the_same_id_and_date_with_another_phone_is_a_registration_of_its_own(client, form_data) -> None:
    client.post(reverse(REGISTER), form_data)
    first = Registration.objects.get()
    response = client.post(reverse(REGISTER), {**form_data, "phone": "13900001111"})
    second = Registration.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("arrivals:receipt", args=[second.receipt_code])
    assert second.possible_duplicate and not first.possible_duplicate
    # That person's resubmission is "already registered" like anyone's.
    again = client.post(reverse(REGISTER), {**form_data, "phone": "139 0000 1111"})
    assert again.status_code == 200 and "已有登记" in again.content.decode()
    assert Registration.objects.count() == 2


def test_the_person_corrects_their_record_by_receipt(client, form_data, district) -> None:
    client.post(reverse(REGISTER), form_data)
    registration = Registration.objects.get()
    url = reverse("arrivals:receipt_edit", args=[registration.receipt_code])
    page = client.get(url).content.decode()
    assert 'value="420100" selected' in page  # the cascade opens on the stored place
    assert f'value="{registration.arrival_date:%Y-%m-%d}"' in page
    changed = {**form_data, "address": "幸福小区5栋", "community": str(district.west_community.pk)}
    assert client.post(url, changed).status_code == 302
    registration.refresh_from_db()
    assert registration.address == "幸福小区5栋"
    assert registration.unit == district.west_community
    assert Registration.objects.count() == 1


def test_an_unknown_receipt_code_is_not_found(client, district) -> None:
    assert client.get(reverse("arrivals:receipt", args=["no-such-code"])).status_code == 404
    assert client.get(reverse("arrivals:receipt_edit", args=["no-such-code"])).status_code == 404


def test_a_risky_origin_gets_its_plan_on_the_receipt(client, form_data, alice) -> None:
    from xuanchuan.arrivals import services
    from xuanchuan.arrivals.models import RiskArea

    area = RiskArea(division_code="420100", level=RiskLevel.HIGH, starts_on=timezone.localdate() - timedelta(days=20))
    services.save_risk_area(area, by=alice)
    response = client.post(reverse(REGISTER), form_data)
    registration = Registration.objects.get()
    assert registration.risk_level == RiskLevel.HIGH
    assert registration.plan == FollowUpPlan.HOME_OBSERVATION
    assert "居家隔离观察" in client.get(response["Location"]).content.decode()


def test_the_honeypot_stops_robots(client, form_data) -> None:
    response = client.post(reverse(REGISTER), {**form_data, "hp_website": "http://spam.example"})
    assert response.status_code == 400
    assert "提交未通过自动校验" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_without_its_signed_time_stamp_is_refused(client, form_data) -> None:
    response = client.post(reverse(REGISTER), {**form_data, "hp_started": "forged"})
    assert "页面已过期" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_form_sent_back_too_fast_is_refused(client, form_data, monkeypatch) -> None:
    from xuanchuan.arrivals.forms import ArrivalForm

    monkeypatch.setattr(ArrivalForm, "min_seconds", 60)
    response = client.post(reverse(REGISTER), form_data)
    assert "提交过快" in response.content.decode()


def test_registration_is_rate_limited_per_client(client, form_data, one_rate_window) -> None:
    for _attempt in range(20):
        assert client.post(reverse(REGISTER), {"name": "x"}).status_code == 400
    response = client.post(reverse(REGISTER), form_data)
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not Registration.objects.exists()
    # Another client address is not affected.
    assert client.post(reverse(REGISTER), form_data, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_guessing_receipt_codes_is_rate_limited(client, district, one_rate_window) -> None:
    for number in range(30):
        assert client.get(reverse("arrivals:receipt", args=[f"guess{number}"])).status_code == 404
    assert client.get(reverse("arrivals:receipt", args=["guess-more"])).status_code == 429


def test_division_options_cascade(client) -> None:
    provinces = client.get(reverse("arrivals:division_options")).json()["options"]
    assert {"code": "420000", "name": "湖北省"} in provinces
    assert len(provinces) == 34
    cities = client.get(reverse("arrivals:division_options"), {"parent": "420000"}).json()["options"]
    assert {"code": "420100", "name": "武汉市"} in cities
    beijing = client.get(reverse("arrivals:division_options"), {"parent": "110000"}).json()["options"]
    assert beijing == [{"code": "110100", "name": "北京市"}]
    counties = client.get(reverse("arrivals:division_options"), {"parent": "110100"}).json()["options"]
    assert {"code": "110105", "name": "朝阳区"} in counties
    assert client.get(reverse("arrivals:division_options"), {"parent": "999999"}).status_code == 404
