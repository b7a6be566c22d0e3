"""The JSON API of the daily reports, where the platform mounts it (``/api/outbreak/``)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport, ValueCorrection
from xuanchuan.outbreak.tests.conftest import DAY, at

pytestmark = pytest.mark.django_db
NS = "api"


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(services, "now", lambda: at(DAY, 9, 30))


def body(form, unit, *numbers, reason=""):
    values = {str(i.pk): n for i, n in zip(form.indicators.all(), numbers, strict=True)}
    payload = {"form_id": form.pk, "unit_id": unit.pk, "day": DAY.isoformat(), "values": values, "reason": reason}
    return json.dumps(payload)


def test_file_correct_and_read_a_report(client, clock, form, district, bob) -> None:
    client.force_login(bob)
    url = reverse(f"{NS}:outbreak_submit")
    created = client.post(url, body(form, district.east, 1, 2, 3), content_type="application/json")
    assert created.status_code == 201 and created.json()["is_late"] is False
    refused = client.post(url, body(form, district.east, 1, 5, 3), content_type="application/json")
    assert refused.status_code == 422 and "更正原因" in refused.json()["detail"]
    corrected = client.post(url, body(form, district.east, 1, 5, 3, reason="笔误"), content_type="application/json")
    assert corrected.status_code == 200
    assert corrected.json()["corrections"][0] | {"at": None} == {
        "indicator": "体温检测", "old_value": 2, "new_value": 5, "reason": "笔误", "by": "包博", "at": None,
    }  # fmt: skip
    report = DailyReport.objects.get()
    detail = client.get(reverse(f"{NS}:outbreak_report", args=[report.pk])).json()
    assert [v["value"] for v in detail["values"]] == [1, 5, 3]
    assert ValueCorrection.objects.count() == 1


def test_board_and_forms(client, clock, form, district, bob) -> None:
    services.submit_report(
        form=form, unit=district.east, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, by=bob,
        at=at(DAY, 9),
    )  # fmt: skip
    client.force_login(bob)
    board = client.get(reverse(f"{NS}:outbreak_board"), {"form": form.pk, "day": DAY.isoformat()}).json()
    assert [(r["unit_name"], r["status"]) for r in board["rows"]] == [("东城街道", "按时上报"), ("幸福社区", "未报")]
    assert (board["required"], board["reported"], board["approved"]) == (2, 1, False)
    forms = client.get(reverse(f"{NS}:outbreak_forms")).json()
    assert [i["name"] for i in forms[0]["indicators"]] == ["新增来返人员", "体温检测", "通行证出行"]


def test_outsider_gets_404_from_the_api(client, clock, form, district, bob, charlie) -> None:
    report = services.submit_report(
        form=form, unit=district.east, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, by=bob,
        at=at(DAY, 9),
    ).report  # fmt: skip
    client.force_login(charlie)
    assert client.get(reverse(f"{NS}:outbreak_report", args=[report.pk])).status_code == 404
    assert client.get(reverse(f"{NS}:outbreak_board"), {"unit": district.east.pk}).status_code == 404
    posted = client.post(
        reverse(f"{NS}:outbreak_submit"), body(form, district.east, 9, 9, 9), content_type="application/json"
    )
    assert posted.status_code == 404
    board = client.get(reverse(f"{NS}:outbreak_board"), {"form": form.pk, "day": DAY.isoformat()}).json()
    assert [r["unit_name"] for r in board["rows"]] == ["西城街道", "和平社区"]
    client.logout()
    assert client.get(reverse(f"{NS}:outbreak_forms")).status_code == 401


# --- the page form's bounds hold for the API too (security review L3) ---------------------------------------


def post(client, form, unit, values, reason=""):
    payload = {"form_id": form.pk, "unit_id": unit.pk, "day": DAY.isoformat(), "values": values, "reason": reason}
    return client.post(reverse(f"{NS}:outbreak_submit"), json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize("number", [10_000_001, 2**31, 2**63, 10**30, -1])
def test_a_value_beyond_the_page_forms_bounds_is_refused_not_stored(client, clock, form, district, bob, number) -> None:
    client.force_login(bob)
    values = {str(indicator.pk): 1 for indicator in form.indicators.all()}
    values[str(form.indicators.first().pk)] = number
    response = post(client, form, district.east, values)
    assert response.status_code == 422, response.content
    assert not DailyReport.objects.exists()


def test_the_largest_allowed_value_is_stored(client, clock, form, district, bob) -> None:
    client.force_login(bob)
    values = {str(indicator.pk): services.MAX_VALUE for indicator in form.indicators.all()}
    assert post(client, form, district.east, values).status_code == 201


def test_an_overlong_reason_is_refused_before_the_database(client, clock, form, district, bob) -> None:
    client.force_login(bob)
    values = {str(indicator.pk): 1 for indicator in form.indicators.all()}
    assert post(client, form, district.east, values).status_code == 201
    values[str(form.indicators.first().pk)] = 2
    response = post(client, form, district.east, values, reason="改" * 201)
    assert response.status_code == 422
    assert not ValueCorrection.objects.exists()
    assert post(client, form, district.east, values, reason="改" * 200).status_code == 200


def test_a_huge_values_object_and_far_off_ids_or_days_are_refused(client, clock, form, district, bob) -> None:
    client.force_login(bob)
    values = {str(number): 1 for number in range(1, 5001)}
    assert post(client, form, district.east, values).status_code == 422
    payload = {"form_id": 2**70, "unit_id": district.east.pk, "day": DAY.isoformat(), "values": {}}
    url = reverse(f"{NS}:outbreak_submit")
    assert client.post(url, json.dumps(payload), content_type="application/json").status_code == 422
    payload = {"form_id": form.pk, "unit_id": district.east.pk, "day": "0001-01-01", "values": {}}
    assert client.post(url, json.dumps(payload), content_type="application/json").status_code == 422
    board = reverse(f"{NS}:outbreak_board")
    for query in ({"day": "9999-12-31"}, {"day": "0001-01-01"}, {"form": 2**70}, {"unit": 2**70}):
        assert client.get(board, query).status_code == 422, query
    assert client.get(reverse(f"{NS}:outbreak_report", args=[2**70])).status_code == 422


def test_a_refused_permission_is_403(client, clock, form, district, bob) -> None:
    from xuanchuan.conftest import make_person
    from xuanchuan.org.models import RoleCode

    guard = make_person("guard", district.east, RoleCode.CHECKPOINT_GUARD)
    client.force_login(guard)
    values = {str(indicator.pk): 1 for indicator in form.indicators.all()}
    response = post(client, form, district.east, values)
    assert response.status_code == 403 and "权限" in response.json()["detail"]
