"""Open311 clients in a real browser: a department administrator issues a key (shown once), a
client written from the specification submits a citizen's report with it, the list shows the
key's last use, and the administrator revokes it after a confirmation — the next report is refused.

Uses the shared fixtures of this folder's conftest; the part's own tests are in
``xuanchuan/civility/tests/test_open311*.py``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.civility.models import ApiClient, Problem, ProblemStatus
from xuanchuan.civility.tests.open311_client import GeoReportClient, Open311Error
from xuanchuan.civility.tests.standard import restore_default_standard
from xuanchuan.core.tests.browser.conftest import signed_in_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_issues_and_revokes_a_key(page, live_server, screenshot_dir, alice) -> None:
    restore_default_standard()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.context.add_cookies([{**signed_in_cookie(alice), "url": live_server.url}])
    page.goto(live_server.url + reverse("civility:open311_client_list"))
    page.click("#new-client")
    page.fill("#id_name", "市民随手拍小程序")
    page.fill("#id_contact", "王工 13800000000")
    page.screenshot(path=str(screenshot_dir / "civility-open311-client-form.png"), full_page=True)
    page.click("#issue-key")
    page.wait_for_load_state("networkidle")
    key = page.locator("#api-key").inner_text().strip()
    assert key.startswith("xc311_")
    page.screenshot(path=str(screenshot_dir / "civility-open311-key-once.png"), full_page=True)

    geo = GeoReportClient(endpoint=f"{live_server.url}/open311/v2", api_key=key)
    [created] = geo.post_request(service_code="ENV_GARBAGE", address_string="幸福路1号", description="垃圾未清运")
    assert Problem.objects.get(public_id=created["service_request_id"]).status == ProblemStatus.UNVERIFIED

    page.goto(live_server.url + reverse("civility:open311_client_list"))
    row = page.locator("tr", has_text="市民随手拍小程序")
    assert key not in page.content() and "启用" in row.inner_text() and "—" not in row.inner_text().split("启用")[1]
    page.screenshot(path=str(screenshot_dir / "civility-open311-clients.png"), full_page=True)
    row.get_by_role("link", name="停用").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshot_dir / "civility-open311-revoke.png"), full_page=True)
    page.click("#confirm-revoke")
    page.wait_for_load_state("networkidle")
    assert "的密钥已停用" in page.content()
    assert not ApiClient.objects.get().is_active
    with pytest.raises(Open311Error) as refused:
        geo.post_request(service_code="ENV_GARBAGE", address_string="幸福路1号")
    assert refused.value.status == 403
    assert not problems
