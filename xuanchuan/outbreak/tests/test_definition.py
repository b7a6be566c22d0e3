"""The district defines the daily report: times, required units and indicators."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from xuanchuan.org.models import Unit
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import Indicator, ReportForm
from xuanchuan.outbreak.tests.conftest import DAY, at

pytestmark = pytest.mark.django_db


def definition(district, **changes) -> dict:
    data = {
        "name": "重点场所日报",
        "deadline": "09:30",
        "lock_time": "17:00",
        "reminder_minutes": "30",
        "starts_on": "2026-03-01",
        "ends_on": "",
        "is_active": "on",
        "required_units": [district.east_community.pk, district.west_community.pk],
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "1",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-position": "1",
        "indicators-0-name": "新增来返人员",
        "indicators-0-measure_unit": "人",
        "indicators-0-figure_key": "org.platform_users",
        "indicators-1-position": "2",
        "indicators-1-name": "排查场所",
        "indicators-1-measure_unit": "处",
        "indicators-1-figure_key": "",
    }
    data.update(changes)
    return data


def test_the_district_defines_a_daily_report(verified_client, district, alice) -> None:
    client = verified_client(alice)
    page = client.get(reverse("outbreak:form_create"))
    assert page.status_code == 200 and "org.platform_users" in page.content.decode()
    response = client.post(reverse("outbreak:form_create"), definition(district))
    assert response.status_code == 302
    form = ReportForm.objects.get()
    assert (form.unit, form.created_by, form.deadline, form.lock_time) == (district.root, alice, time(9, 30), time(17))
    assert set(form.required_units.all()) == {district.east_community, district.west_community}
    assert [(i.name, i.measure_unit, i.figure_key) for i in form.indicators.all()] == [
        ("新增来返人员", "人", "org.platform_users"),
        ("排查场所", "处", ""),
    ]
    listing = client.get(reverse("outbreak:form_list")).content.decode()
    assert "重点场所日报" in listing and reverse("outbreak:form_edit", args=[form.pk]) in listing


def test_definition_errors_are_in_chinese(verified_client, district, alice) -> None:
    client = verified_client(alice)
    response = client.post(reverse("outbreak:form_create"), definition(district, lock_time="09:00", required_units=[]))
    body = response.content.decode()
    assert response.status_code == 400
    assert "锁定时间必须晚于截止时间" in body and "请至少选择一个应报单位" in body
    assert not ReportForm.objects.exists()


def test_only_a_supervisor_defines_and_an_indicator_in_use_stays(
    verified_client, client, form, district, alice, bob
) -> None:
    client.force_login(bob)
    assert client.get(reverse("outbreak:form_create")).status_code == 403
    assert client.get(reverse("outbreak:form_edit", args=[form.pk])).status_code == 403
    assert "新建日报表" not in client.get(reverse("outbreak:form_list")).content.decode()
    used = form.indicators.get(position=2)
    services.submit_report(
        form=form, unit=district.east, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, by=bob,
        at=at(DAY, 9),
    )  # fmt: skip
    admin = verified_client(alice)
    data = definition(district, name=form.name, deadline="10:00", lock_time="18:00")
    data.update({"indicators-TOTAL_FORMS": "3", "indicators-INITIAL_FORMS": "3"})
    for index, indicator in enumerate(form.indicators.all()):
        data.update({
            f"indicators-{index}-id": indicator.pk, f"indicators-{index}-form": form.pk,
            f"indicators-{index}-position": indicator.position, f"indicators-{index}-name": indicator.name,
            f"indicators-{index}-measure_unit": indicator.measure_unit, f"indicators-{index}-figure_key": "",
        })  # fmt: skip
    data["indicators-1-DELETE"] = "on"
    response = admin.post(reverse("outbreak:form_edit", args=[form.pk]), data)
    assert response.status_code == 400 and "已有填报数据的指标不能删除" in response.content.decode()
    assert Indicator.objects.filter(pk=used.pk).exists()


def test_outsider_cannot_reach_another_units_form(client, district, charlie, bob) -> None:
    own = ReportForm.objects.create(name="东城自查", unit=district.east, starts_on=DAY)
    own.required_units.set([district.east_community])
    client.force_login(charlie)
    assert client.get(reverse("outbreak:form_edit", args=[own.pk])).status_code == 404
    assert "东城自查" not in client.get(reverse("outbreak:form_list")).content.decode()
    client.force_login(bob)
    assert "东城自查" in client.get(reverse("outbreak:form_list")).content.decode()


def test_the_edit_page_ticks_the_required_units(verified_client, district, alice, form) -> None:
    """The units' checkboxes (written in the template, not rendered one template per unit) post
    the units' keys and show which units must report."""
    body = verified_client(alice).get(reverse("outbreak:form_edit", args=[form.pk])).content.decode()
    required = set(form.required_units.values_list("pk", flat=True))
    for unit in Unit.objects.exclude(depth=1):
        box = f'name="required_units" value="{unit.pk}" class="form-check-input" id="id_required_units_'
        assert box in body, unit.name
        start = body.index(box)
        assert (" checked>" in body[start : body.index(">", start) + 1]) == (unit.pk in required), unit.name
