"""The year-end report in a real browser: generate, follow a number to its records, edit with a
preview (htmx under the CSP), import a blanked document and confirm its bindings."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.tests.browser.test_pii_reveal import signed_in_cookie
from xuanchuan.org.models import RoleCode, User
from xuanchuan.reports.models import GeneratedReport, ReportTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BLANKED = "全区工作汇报\n尊敬的×：\n今年全区×个街道（乡镇）共登记来返人员×余人，签发电子通行证XX张。\n"


@pytest.fixture
def department(page, live_server):
    # A transactional test elsewhere on this worker may have flushed the roles the migrations made.
    roles = importlib.import_module("xuanchuan.org.migrations.0002_default_roles")
    roles.create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())
    admin = User.objects.filter(roles__code=RoleCode.DEPARTMENT_ADMIN).order_by("username").first()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.context.add_cookies([{**signed_in_cookie(admin), "url": live_server.url}])
    yield admin
    assert not problems, problems


def test_generate_a_report_and_open_a_number(page, live_server, department, screenshot_dir) -> None:
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="工作报告").first.click()
    page.get_by_role("link", name="生成报告").click()
    page.get_by_label("期间").fill(str(timezone.localdate().year))
    page.get_by_role("button", name="开始生成").click()
    page.locator("#report-body").wait_for()
    page.screenshot(path=str(screenshot_dir / "reports-generated.png"), full_page=True)
    report = GeneratedReport.objects.get()
    registrations = report.content["figures"]["arrivals.registrations"]["value"]
    assert f"全年登记来返人员{registrations}人" in page.locator("#report-body").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载 Word")).click()
    assert download.value.suggested_filename.endswith(".docx")
    page.locator("#report-body a.report-figure", has_text=str(registrations)).first.click()
    page.wait_for_url(re.compile(r"/reports/figures/arrivals\.registrations/"))
    assert page.locator("h1").first.inner_text().startswith("来返人员登记人数")
    page.screenshot(path=str(screenshot_dir / "reports-figure-records.png"))


def test_copy_edit_and_preview_a_template(page, live_server, department, screenshot_dir) -> None:
    page.goto(live_server.url + reverse("reports:template_detail", args=["default"]))
    page.get_by_role("button", name="复制为我的模板").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    body = page.get_by_label("模板正文")
    body.fill(body.input_value().replace("# {{ district }}", "# 预览测试{{ district }}") + "\n共")
    body.press("End")
    page.get_by_role("button", name="{{ org.subdistricts }}").click()  # inserted at the cursor
    assert body.input_value().endswith("\n共{{ org.subdistricts }}")
    page.get_by_role("button", name="预览").click()
    page.locator("#preview #report-body").wait_for()
    assert "预览测试示范区" in page.locator("#preview .report-title").inner_text()
    page.screenshot(path=str(screenshot_dir / "reports-template-preview.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/reports/templates/\d+/$"))
    assert ReportTemplate.objects.get().body.startswith("# 预览测试{{ district }}")


def test_import_a_blanked_document(page, live_server, department, screenshot_dir) -> None:
    page.goto(live_server.url + reverse("reports:import_start"))
    page.get_by_label("文档").set_input_files(
        {"name": "汇报.txt", "mimeType": "text/plain", "buffer": BLANKED.encode("utf-8")}
    )
    page.get_by_role("button", name="上传并识别空白").click()
    page.locator("#binding-table").wait_for()
    assert page.locator("#binding-table tbody tr").count() == 4
    page.screenshot(path=str(screenshot_dir / "reports-import-review.png"), full_page=True)
    page.get_by_role("button", name="确认并生成模板").click()
    page.wait_for_url(re.compile(r"/reports/templates/\d+/$"))
    template = ReportTemplate.objects.get()
    assert "{{ arrivals.registrations about }}余人" in template.body
    assert "{{ passes.issued }}张" in template.body
