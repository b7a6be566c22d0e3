"""The proofreading page in a real browser: a text pasted with a disguised spelling (扫H除E) and a
half-width comma, the findings marked in the text, one suggestion accepted with one click, a
placeholder marked "not an error", the corrected text downloaded; and the same on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode, UnitType
from xuanchuan.org.services import create_unit
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.models import AllowedFinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXT = "我们要坚持扫H除E专项斗争,深入推进平安建设。\n全区共有XX个单位参加。"


@pytest.fixture(autouse=True)
def _fresh_checker():
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()
    yield
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()


def units():
    district = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="B-D")
    publicity = create_unit(parent=district, name="区委宣传部", unit_type=UnitType.PARTY_DEPARTMENT, code="B-D01")
    street = create_unit(parent=district, name="东城街道", unit_type=UnitType.STREET, code="B-S01")
    return publicity, street


def finding_item(page, text: str):
    return page.locator(".pf-item").filter(has=page.locator(".pf-found", has_text=f"“{text}”"))


def test_check_accept_allow_and_download(page, live_server, screenshot_dir: Path) -> None:
    publicity, _street = units()
    keeper = make_person("kate", publicity, RoleCode.REVIEWER_FIRST, full_name="柯特")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.context.add_cookies([{**signed_in_cookie(keeper), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:proofread"))
    page.locator("#id_text").fill(TEXT)
    page.locator("#pf-check").click()

    marked = page.locator("#pf-text mark.pf-high", has_text="扫H除E")
    expect(marked).to_be_visible()
    expect(page.locator("#pf-text mark.pf-low", has_text=",")).to_be_visible()
    expect(finding_item(page, "扫H除E").locator(".pf-suggestion")).to_have_text("扫黑除恶")
    marked.click()  # the script shows its finding in the list
    expect(page.locator(".pf-item.pf-focus .pf-found")).to_have_text("“扫H除E”")
    page.screenshot(path=str(screenshot_dir / "proofreading-findings.png"), full_page=True)

    finding_item(page, "扫H除E").locator(".pf-accept").click()
    expect(page.locator("#id_text")).to_have_value(
        "我们要坚持扫黑除恶专项斗争,深入推进平安建设。\n全区共有XX个单位参加。"
    )
    expect(page.locator("#pf-text mark", has_text="扫H除E")).to_have_count(0)
    expect(page.locator("#pf-text mark.pf-low", has_text=",")).to_be_visible()  # later offsets still right

    finding_item(page, "XX").locator(".pf-allow").click()
    expect(page.locator(".alert-success")).to_contain_text("不是错误")
    expect(page.locator("#pf-text mark", has_text="XX")).to_have_count(0)
    assert AllowedFinding.objects.filter(scope="site", text="XX").exists()

    finding_item(page, ",").locator(".pf-accept").click()
    expect(page.locator("#id_text")).to_have_value(
        "我们要坚持扫黑除恶专项斗争，深入推进平安建设。\n全区共有XX个单位参加。"
    )
    expect(page.locator("#pf-list")).to_have_count(0)
    expect(page.get_by_text("未发现问题。")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "proofreading-clean.png"), full_page=True)

    with page.expect_download() as info:
        page.locator("#pf-download").click()
    download = info.value
    content = Path(download.path()).read_bytes().decode("utf-8")
    assert content == "我们要坚持扫黑除恶专项斗争，深入推进平安建设。\r\n全区共有XX个单位参加。"
    assert download.suggested_filename.endswith(".txt")
    assert not problems, problems


def test_on_a_phone(phone_page, live_server, screenshot_dir: Path) -> None:
    _publicity, street = units()
    reporter = make_person("reporter", street, RoleCode.UNIT_REPORTER, full_name="包博")
    page = phone_page
    page.context.add_cookies([{**signed_in_cookie(reporter), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:proofread"))
    page.locator("#id_text").fill(TEXT)
    page.locator("#pf-check").click()
    expect(page.locator("#pf-text mark.pf-high", has_text="扫H除E")).to_be_visible()
    expect(page.locator(".pf-allow")).to_have_count(0)  # not a lexicon keeper: no site-wide "not an error"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    page.screenshot(path=str(screenshot_dir / "proofreading-phone.png"), full_page=True)
    finding_item(page, "扫H除E").locator(".pf-accept").tap()
    expect(page.locator("#id_text")).to_have_value(
        "我们要坚持扫黑除恶专项斗争,深入推进平安建设。\n全区共有XX个单位参加。"
    )
    page.screenshot(path=str(screenshot_dir / "proofreading-phone-accepted.png"), full_page=True)


def test_a_keeper_silences_a_default_term(page, live_server, screenshot_dir: Path) -> None:
    from xuanchuan.proofing import default_terms

    publicity, _street = units()
    keeper = make_person("kate", publicity, RoleCode.DEPARTMENT_ADMIN, full_name="柯特")
    term = default_terms()[0]
    page.context.add_cookies([{**signed_in_cookie(keeper), "url": live_server.url}])
    page.goto(live_server.url + reverse("publishing:lexicon_defaults"))
    page.screenshot(path=str(screenshot_dir / "proofreading-defaults.png"), full_page=True)
    page.locator("#id_q").fill(term.term)
    page.get_by_role("button", name="查询").click()
    row = page.locator("tbody tr", has_text=term.term).first
    row.locator(".pf-default-toggle").click()
    expect(page.locator("h1")).to_have_text("停用默认词条")
    page.locator("#confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("已停用默认词条")
    expect(page.locator("tbody tr", has_text=term.term).first).to_contain_text("已停用")
    page.goto(live_server.url + reverse("publishing:lexicon_list"))
    expect(page.locator("tbody tr", has_text=term.term)).to_contain_text("系统默认词库")
    page.screenshot(path=str(screenshot_dir / "proofreading-lexicon.png"), full_page=True)
