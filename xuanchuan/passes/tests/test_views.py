"""Pages and API of the pass system: the owner sees and acts, an outsider gets 404."""

from __future__ import annotations

import io
import time
import uuid

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from xuanchuan.passes import services
from xuanchuan.passes.models import Movement, Pass, PassStatus

pytestmark = pytest.mark.django_db

OBJECT_PAGES = ("pass_detail", "pass_qr", "pass_print")
OBJECT_ACTIONS = ("pass_approve", "pass_refuse", "pass_revoke", "pass_reissue")


def test_list_and_detail_for_the_owner(client, approved_pass, bob) -> None:
    client.force_login(bob)
    listing = client.get(reverse("passes:pass_list"))
    assert listing.status_code == 200 and approved_pass.public_id in listing.content.decode()
    assert "张三丰" not in listing.content.decode()
    detail = client.get(reverse("passes:pass_detail", args=[approved_pass.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and "data:image/png;base64," in body and approved_pass.signed_text in body
    assert "张三丰" not in body and "13800138000" not in body
    png = client.get(reverse("passes:pass_qr", args=[approved_pass.pk]))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(reverse("passes:pass_print", args=[approved_pass.pk])).status_code == 200
    export = client.get(reverse("passes:pass_list"), {"export": "xlsx"})
    assert export.status_code == 200


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_outsider_gets_404_on_object_pages(client, approved_pass, charlie, name) -> None:
    client.force_login(charlie)
    assert client.get(reverse(f"passes:{name}", args=[approved_pass.pk])).status_code == 404


@pytest.mark.parametrize("name", OBJECT_ACTIONS)
def test_outsider_gets_404_on_actions(client, approved_pass, charlie, name) -> None:
    client.force_login(charlie)
    assert client.post(reverse(f"passes:{name}", args=[approved_pass.pk]), {"reason": "x"}).status_code == 404
    approved_pass.refresh_from_db()
    assert approved_pass.status == PassStatus.APPROVED


def test_outsider_lists_are_empty(client, approved_pass, charlie, gina) -> None:
    services.check(approved_pass.signed_text, by=gina)
    services.record_event(
        services.CheckpointEvent(uuid.uuid4(), approved_pass.signed_text, "exit", timezone.now()), by=gina
    )
    client.force_login(charlie)
    for name in ("pass_list", "household_list", "movement_list", "verification_list"):
        body = client.get(reverse(f"passes:{name}")).content.decode()
        assert approved_pass.public_id not in body and "1栋101" not in body, name


def test_approve_refuse_revoke_reissue_through_the_pages(client, pending_pass, bob) -> None:
    client.force_login(bob)
    response = client.post(reverse("passes:pass_approve", args=[pending_pass.pk]))
    assert response.status_code == 302
    pending_pass.refresh_from_db()
    assert pending_pass.status == PassStatus.APPROVED and pending_pass.signed_text
    assert client.post(reverse("passes:pass_revoke", args=[pending_pass.pk]), {"reason": ""}).status_code == 302
    pending_pass.refresh_from_db()
    assert pending_pass.status == PassStatus.APPROVED  # a reason is required
    response = client.post(reverse("passes:pass_reissue", args=[pending_pass.pk]), {"reason": "手机遗失"})
    successor = Pass.objects.get(replaces=pending_pass)
    assert response["Location"] == successor.get_absolute_url()
    page = client.get(reverse("passes:pass_detail", args=[pending_pass.pk]), follow=True).content.decode()
    assert "已撤销" in page and successor.public_id in page


def test_refuse_with_reason(client, pending_pass, bob) -> None:
    client.force_login(bob)
    client.post(reverse("passes:pass_refuse", args=[pending_pass.pk]), {"reason": "非本户成员"})
    pending_pass.refresh_from_db()
    assert pending_pass.status == PassStatus.REFUSED and pending_pass.refusal_reason == "非本户成员"


def test_staff_application_form(client, district, bob) -> None:
    client.force_login(bob)
    page = client.get(reverse("passes:pass_create")).content.decode()
    assert district.east_community.name in page and district.west_community.name not in page
    data = {
        "community": district.east_community.pk,
        "household_number": "8栋801",
        "address": "幸福路8号",
        "holder_name": "李八",
        "holder_phone": "138 0013 8008",
    }
    response = client.post(reverse("passes:pass_create"), data)
    created = Pass.objects.get(household__number="8栋801")
    assert response["Location"] == created.get_absolute_url()
    assert created.holder_phone == "13800138008" and created.status == PassStatus.PENDING
    bad = client.post(reverse("passes:pass_create"), {**data, "community": district.west_community.pk})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()


def test_a_guard_and_a_reporter_cannot_apply_or_approve_outside_their_role(client, pending_pass, gina) -> None:
    client.force_login(gina)
    assert client.get(reverse("passes:pass_create")).status_code == 403
    client.post(reverse("passes:pass_approve", args=[pending_pass.pk]))
    pending_pass.refresh_from_db()
    assert pending_pass.status == PassStatus.PENDING


def test_import_xlsx(client, district, bob) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["户号", "住址", "姓名", "手机号码"])
    sheet.append(["6栋601", "幸福路6号", "钱九", "13900000009"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "households.xlsx"
    client.force_login(bob)
    response = client.post(reverse("passes:pass_import"), {"community": district.east_community.pk, "file": buffer})
    assert response.status_code == 302
    assert Pass.objects.filter(household__number="6栋601", channel="import").count() == 1


def test_checkpoint_page_is_for_guards(client, gina, bob) -> None:
    client.force_login(gina)
    page = client.get(reverse("passes:checkpoint"))
    body = page.content.decode()
    assert page.status_code == 200 and "passes/checkpoint.js" in body and "/api/passes/keys" in body
    assert "<script>" not in body  # no inline script under the CSP
    client.force_login(bob)
    assert client.get(reverse("passes:checkpoint")).status_code == 403


def test_key_page_for_administrators_only(client, approved_pass, verified_client, alice, bob) -> None:
    client.force_login(bob)
    assert client.get(reverse("passes:key_list")).status_code == 403
    assert client.post(reverse("passes:key_rotate")).status_code == 302
    assert approved_pass.signing_key.superseded_at is None
    admin = verified_client(alice)
    assert approved_pass.signing_key.kid in admin.get(reverse("passes:key_list")).content.decode()
    admin.post(reverse("passes:key_rotate"))
    approved_pass.signing_key.refresh_from_db()
    assert approved_pass.signing_key.superseded_at is not None


def test_resident_applies_and_sees_the_pass_once_approved(client, district, bob) -> None:
    url = reverse("passes:resident_apply", args=[district.east_community.code])
    page = client.get(url)
    assert page.status_code == 200 and district.east_community.name in page.content.decode()
    started = signing.dumps(time.time() - 10, salt="xuanchuan.core.public.human-check")
    data = {
        "household_number": "9栋901",
        "address": "幸福路9号",
        "holder_name": "孙十",
        "holder_phone": "13700000010",
        "hp_started": started,
    }
    response = client.post(url, data)
    pass_obj = Pass.objects.get(household__number="9栋901")
    assert pass_obj.channel == "resident" and response["Location"].endswith(f"/p/{pass_obj.access_token}/")
    assert "等待社区审批" in client.get(response["Location"]).content.decode()
    services.approve(pass_obj, by=bob)
    body = client.get(response["Location"]).content.decode()
    assert "data:image/png;base64," in body and "孙*" in body and "孙十" not in body
    assert client.get(reverse("passes:resident_pass", args=["wrong-token"])).status_code == 404
    assert client.get(reverse("passes:resident_apply", args=["NO-SUCH"])).status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_key_set_and_revocation_list_are_public_and_hold_no_personal_data(client, approved_pass, bob) -> None:
    services.revoke(approved_pass, by=bob, reason="违反规定")
    keys = client.get(reverse("api:passes_key_set"))
    revocations = client.get(reverse("api:passes_revocation_list"))
    assert keys.status_code == revocations.status_code == 200
    assert keys.json()["keys"][0]["kid"] == approved_pass.signing_key.kid
    assert revocations.json()["revoked"] == [approved_pass.public_id]
    for response in (keys, revocations):
        assert "张" not in response.content.decode() and "幸福" not in response.content.decode()


def test_api_verify_and_events(client, approved_pass, gina) -> None:
    client.force_login(gina)
    verdict = client.post(
        reverse("api:passes_verify"), {"text": approved_pass.signed_text}, content_type="application/json"
    )
    assert verdict.status_code == 200 and verdict.json()["result"] == "valid"
    assert verdict.json()["masked_name"] == "张**"
    event = {
        "event_id": str(uuid.uuid4()),
        "text": approved_pass.signed_text,
        "direction": "exit",
        "occurred_at": timezone.now().isoformat(),
        "offline": True,
    }
    for expected in ("recorded", "duplicate"):
        response = client.post(reverse("api:passes_events"), {"events": [event]}, content_type="application/json")
        assert response.json()["results"][0]["outcome"] == expected
    assert Movement.objects.count() == 1


def test_api_verify_refuses_non_guards(client, approved_pass, bob) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("api:passes_verify"), {"text": approved_pass.signed_text}, content_type="application/json"
    )
    assert response.status_code == 403


def test_api_needs_a_session(client, approved_pass) -> None:
    response = client.post(reverse("api:passes_verify"), {"text": "x"}, content_type="application/json")
    assert response.status_code == 401


def test_api_pass_detail_outsider_404(client, approved_pass, bob, charlie) -> None:
    client.force_login(bob)
    url = reverse("api:passes_pass_detail", kwargs={"pass_id": approved_pass.pk})
    assert client.get(url).json()["holder_name"] == "张**"
    assert approved_pass.public_id in client.get(reverse("api:passes_pass_list")).content.decode()
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:passes_pass_list")).json()["count"] == 0


def test_list_query_count_does_not_grow(client, district, bob, django_assert_max_num_queries) -> None:
    from xuanchuan.passes.tests.conftest import apply_for

    for number in range(12):
        services.approve(apply_for(district.east_community, bob, number=f"{number}号"), by=bob)
    client.force_login(bob)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("passes:pass_list")).status_code == 200


def test_detail_query_count_does_not_grow(client, approved_pass, gina, bob, django_assert_max_num_queries) -> None:
    for _ in range(8):
        services.check(approved_pass.signed_text, by=gina)
        services.record_event(
            services.CheckpointEvent(uuid.uuid4(), approved_pass.signed_text, "entry", timezone.now()), by=gina
        )
    client.force_login(bob)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("passes:pass_detail", args=[approved_pass.pk])).status_code == 200


def test_service_worker_keeps_the_checkpoint_page_and_its_assets(client) -> None:
    response = client.get(reverse("passes:service_worker"))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert '"/passes/checkpoint/"' in body and "passes/verify.js" in body and "jsQR.js" in body
    assert "/api/" not in body.split("const ASSETS")[1].split(";")[0]  # the API is never cached
