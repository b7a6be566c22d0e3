"""The pass system in a real browser: a pass approved and shown, then checked at the checkpoint
page on a phone: online, and offline with WebCrypto in the page, the exit queued and sent when
the network returns. The in-page verifier also gets every ``passes_testdata`` sample right."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode, UnitType, User
from xuanchuan.org.services import create_unit
from xuanchuan.passes import cose, services
from xuanchuan.passes.models import ApplicationChannel, Movement, Verification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _log_at_once(settings) -> None:
    """The checks' log rows written at once, so that the counts below need no waiting."""
    settings.PASSES_VERIFICATION_LOG_DELAY_MS = 0


def session_cookie(user: User, url: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key, "url": url}


def test_approve_show_and_verify_at_the_checkpoint(browser, page, live_server, screenshot_dir: Path) -> None:
    district = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="B-D")
    street = create_unit(parent=district, name="东城街道", unit_type=UnitType.STREET, code="B-S01")
    community = create_unit(parent=street, name="幸福社区", unit_type=UnitType.COMMUNITY, code="B-S01-C01")
    reporter = make_person("reporter", street, RoleCode.UNIT_REPORTER, full_name="包博")
    guard = make_person("guard", street, RoleCode.CHECKPOINT_GUARD, full_name="葛娜")
    application = services.Application(community, "3栋2单元501", "幸福路3号", "张三丰", "13800138000")
    pending = services.apply(application, channel=ApplicationChannel.STAFF, by=reporter)
    problems: list[str] = []

    # Staff: approve and show the pass.
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.context.add_cookies([session_cookie(reporter, live_server.url)])
    page.goto(live_server.url + reverse("passes:pass_detail", args=[pending.pk]))
    page.locator("#approve").click()
    page.locator("#pass-qr").wait_for(state="visible")
    assert "已签发" in page.locator("#pass-status").inner_text()
    text = page.locator("#pass-text").input_value()
    assert text.startswith("XC1:")
    page.screenshot(path=str(screenshot_dir / "passes-detail.png"), full_page=True)
    # The QR image holds exactly the signed text (read back with the vendored jsQR).
    page.add_script_tag(url=settings.STATIC_URL + "passes/vendor/jsqr-1.4.0/jsQR.js")
    decoded = page.evaluate(
        """async (script) => {
            const { decodeImage } = await import(script);
            return decodeImage(document.getElementById("pass-qr"));
        }""",
        settings.STATIC_URL + "passes/scanner.js",
    )
    assert decoded == text
    page.goto(live_server.url + reverse("passes:pass_print", args=[pending.pk]))
    page.screenshot(path=str(screenshot_dir / "passes-print.png"), full_page=True)
    page.goto(live_server.url + reverse("passes:pass_list"))
    assert pending.public_id in page.locator("table").inner_text()
    page.screenshot(path=str(screenshot_dir / "passes-list.png"), full_page=True)

    # Checkpoint, on a phone.
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    phone.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    # The page's verifications go with its checkpoint token and no cookies (passes/checkers.py).
    verifications: list[dict[str, str]] = []
    phone.on("request", lambda r: verifications.append(r.headers) if r.url.endswith("/api/passes/verify") else None)
    context.add_cookies([session_cookie(guard, live_server.url)])
    phone.goto(live_server.url + reverse("passes:checkpoint"))
    phone.locator("#checkpoint[data-ready='1']").wait_for(state="attached")
    expect(phone.locator("#scan-button")).to_be_visible()  # localhost is a secure context
    assert "刚刚更新" in phone.locator("#keys-age").inner_text()

    phone.locator("#pass-input").fill(text)
    phone.locator("#verify-button").click()
    expect(phone.locator("#verdict-mode")).to_contain_text("在线核验")
    assert phone.locator("#verdict").get_attribute("data-reason") == "valid"
    assert phone.locator("#d-name").inner_text() == "张**"
    assert verifications and all(h.get("authorization", "").startswith("Bearer ") for h in verifications)
    assert not any("cookie" in headers for headers in verifications)
    phone.screenshot(path=str(screenshot_dir / "passes-checkpoint-valid.png"), full_page=True)

    # Offline: the page verifies with WebCrypto alone and queues the exit.
    context.set_offline(True)
    phone.evaluate("window.dispatchEvent(new Event('offline'))")
    phone.locator("#verify-button").click()
    expect(phone.locator("#verdict-mode")).to_contain_text("网络不可用")
    assert phone.locator("#verdict").get_attribute("data-reason") == "valid"
    assert "本机核验" in phone.locator("#verdict-mode").inner_text()
    phone.locator("#record-exit").click()
    expect(phone.locator("#queue-count")).to_have_text("1")
    phone.screenshot(path=str(screenshot_dir / "passes-checkpoint-offline.png"), full_page=True)

    # A pass whose household number was changed after signing: refused on the device alone.
    parts = cose.decode(text)
    altered = cose.encode_cose(parts.protected, parts.payload.replace(b"501", b"502"), parts.signature)
    phone.locator("#pass-input").fill(altered)
    phone.locator("#verify-button").click()
    expect(phone.locator("#verdict")).to_have_attribute("data-reason", "bad_signature")
    assert phone.locator("#verdict").inner_text() == "签名无效：通行证被伪造或篡改"
    phone.screenshot(path=str(screenshot_dir / "passes-checkpoint-refused.png"), full_page=True)
    assert Movement.objects.count() == 0

    # The network returns: the queue is sent once.
    context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#queue-count")).to_have_text("0")
    movement = Movement.objects.get()
    assert movement.offline and movement.direction == "exit" and movement.pass_obj_id == pending.pk
    assert Verification.objects.filter(result="valid").count() == 2
    # The offline check of the altered pass reached the verification log too.
    assert Verification.objects.get(result="bad_signature").offline

    # Over the limit: a second exit of the household the same day is refused in large text.
    phone.locator("#pass-input").fill(text)
    phone.locator("#verify-button").click()
    expect(phone.locator("#verdict-mode")).to_contain_text("在线核验")
    phone.locator("#record-exit").click()
    expect(phone.locator("#verdict")).to_have_attribute("data-reason", "over_used")
    assert phone.locator("#verdict").inner_text() == "超出外出次数限制"
    expect(phone.locator("#verdict-extra")).to_contain_text("本户上次外出")
    phone.screenshot(path=str(screenshot_dir / "passes-checkpoint-over-used.png"), full_page=True)
    assert Movement.objects.count() == 1
    # With no network at all the page still opens (service worker) and verifies on the device.
    # (bounded: Playwright's evaluate has no time-out of its own, and a worker that never gets
    # ready would hang the run instead of failing it)
    assert phone.evaluate(
        "() => Promise.race([navigator.serviceWorker.ready.then(Boolean),"
        " new Promise((resolve) => setTimeout(() => resolve(false), 15000))])"
    ), "the service worker did not become ready"
    context.set_offline(True)
    phone.reload()
    phone.locator("#checkpoint[data-ready='1']").wait_for(state="attached")
    expect(phone.locator("#net-status")).to_have_text("离线")
    phone.locator("#pass-input").fill(text)
    phone.locator("#verify-button").click()
    expect(phone.locator("#verdict")).to_have_attribute("data-reason", "valid")
    expect(phone.locator("#verdict-mode")).to_contain_text("本机核验")
    phone.screenshot(path=str(screenshot_dir / "passes-checkpoint-no-network.png"), full_page=True)
    context.set_offline(False)

    context.close()

    # The resident's own page, on the resident's phone (no account), shows the same pass.
    resident = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    resident_page = resident.new_page()
    resident_page.goto(live_server.url + reverse("passes:resident_pass", args=[pending.access_token]))
    expect(resident_page.locator(".pass-card")).to_contain_text("张**")
    resident_page.screenshot(path=str(screenshot_dir / "passes-resident.png"), full_page=True)
    resident.close()
    # The requests made while the phone was offline fail by design; nothing else may.
    assert not [problem for problem in problems if "ERR_INTERNET_DISCONNECTED" not in problem], problems


def test_in_page_verifier_agrees_with_the_test_data(page, live_server, tmp_path) -> None:
    call_command("passes_testdata", "--out", str(tmp_path))
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    key_set = json.loads((tmp_path / "keys.json").read_text(encoding="utf-8"))
    revoked = json.loads((tmp_path / "revocations.json").read_text(encoding="utf-8"))["revoked"]
    page.goto(live_server.url + reverse("accounts:login"))
    script = settings.STATIC_URL + "passes/verify.js"
    verdicts = page.evaluate(
        """async ([script, samples, keySet, revoked, now]) => {
            const { verifyPass } = await import(script);
            const out = [];
            for (const sample of samples) {
                out.push((await verifyPass(sample.text, keySet, new Set(revoked), now)).reason);
            }
            return out;
        }""",
        [script, manifest, key_set, revoked, int(time.time())],
    )
    assert verdicts == [entry["expected"] for entry in manifest]
