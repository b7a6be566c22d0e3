"""The JSON API of the daily reports, on a test mount of its router."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import DailyReport, ValueCorrection
from xuanchuan.outbreak.tests.conftest import DAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.urls("xuanchuan.outbreak.tests.api_urls")]
NS = "outbreak_api_test"


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
    assert refused.status_code == 409 and "更正原因" in refused.json()["detail"]
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
        form=form, unit=district.east, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, user=bob,
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
        form=form, unit=district.east, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, user=bob,
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
