"""The report pages as staff use them: templates, import with bindings, generation, downloads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from xuanchuan.reports import defaults, services
from xuanchuan.reports.models import GeneratedReport, ImportStatus, JobStatus, ReportTemplate, TemplateImport
from xuanchuan.reports.registry import Period

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "district_report_sample.txt"

BLANKED = (
    "在全区宣传思想工作会议上的发言\n"
    "尊敬的×：\n"
    "今年以来，××区共有×个街道（乡镇），全区XX个机关单位参与创建，登记来返人员×余人，"
    "签发电子通行证**张，核验×万人次，同比增长×%。\n"
)


@pytest.fixture
def staff(verified_client, alice):
    return verified_client(alice)


def test_home_lists_the_default_template_and_links_to_the_work(staff) -> None:
    response = staff.get(reverse("reports:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "系统默认模板" in body and reverse("reports:generate") in body and reverse("reports:import_start") in body


def test_the_default_template_is_read_only_and_can_be_copied(staff, alice) -> None:
    response = staff.get(reverse("reports:template_detail", args=["default"]))
    assert response.status_code == 200 and "{{ arrivals.registrations change }}" in response.content.decode()
    assert staff.get("/reports/templates/default/edit/").status_code == 404
    response = staff.post(reverse("reports:template_copy", args=["default"]))
    copy = ReportTemplate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:template_edit", args=[copy.pk])
    assert copy.unit == alice.unit and copy.variables == {"addressee": "各位领导、同志们"}
    assert staff.get(reverse("reports:template_copy", args=["default"])).status_code == 405


def test_editing_checks_every_reference_and_keeps_the_text(staff, alice) -> None:
    template = services.copy_template(None, by=alice, unit=alice.unit)
    url = reverse("reports:template_edit", args=[template.pk])
    bad = {
        "name": "我的模板",
        "description": "",
        "body": "# 标题\n共{{ arrivals.nothing }}人\n{{ year about }}",
        "variables_text": "",
    }
    response = staff.post(url, bad)
    body = response.content.decode()
    assert response.status_code == 200 and "第 2 行：没有这个指标：arrivals.nothing" in body and "第 3 行" in body
    assert "arrivals.nothing" in body  # the author's text is still in the box
    good = {**bad, "body": "# 标题\n共{{ arrivals.registrations }}人，{{ var.who }}", "variables_text": "who=张三"}
    assert staff.post(url, good).status_code == 302
    template.refresh_from_db()
    assert template.name == "我的模板" and template.variables == {"who": "张三"}
    assert staff.post(url, {**good, "variables_text": "不是变量"}).status_code == 200


def test_preview_renders_the_text_being_edited(staff, district) -> None:
    response = staff.post(
        reverse("reports:template_preview"),
        {
            "body": "# 预览标题\n全区{{ org.subdistricts }}个街道，{{ var.who }}",
            "preview_period": "2025",
            "variables_text": "who=李四",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "预览标题" in body and "李四" in body
    assert reverse("reports:figure_detail", args=["org.subdistricts"]) + "?period=2025" in body
    response = staff.post(reverse("reports:template_preview"), {"body": "x", "preview_period": "明年"})
    assert "无法识别的期间" in response.content.decode()


def test_deleting_a_template_asks_first(staff, alice) -> None:
    template = services.copy_template(None, by=alice, unit=alice.unit)
    url = reverse("reports:template_delete", args=[template.pk])
    response = staff.get(url)
    assert response.status_code == 200 and "确认删除" in response.content.decode()
    assert ReportTemplate.objects.filter(pk=template.pk).exists()
    assert staff.post(url).status_code == 302
    assert not ReportTemplate.objects.filter(pk=template.pk).exists()


# --- import ------------------------------------------------------------------------------------------------


def upload(name: str, text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/plain")


def test_import_shows_each_blank_in_its_sentence_with_a_proposal(staff) -> None:
    response = staff.post(reverse("reports:import_start"), {"document": upload("发言.txt", BLANKED, "gb18030")})
    record = TemplateImport.objects.get()
    assert response["Location"] == reverse("reports:import_review", args=[record.pk])
    bindings = [(item["mark"], item["class"], item["binding"], item["style"]) for item in record.placeholders]
    assert bindings == [
        ("×", "name", "var.addressee", []),
        ("××", "place", "district_short", []),
        ("×", "number", "org.subdistricts", []),
        ("XX", "number", "org.agency_units", []),
        ("×", "number", "arrivals.registrations", ["about"]),
        ("**", "number", "passes.issued", []),
        ("×", "number", "passes.verifications", ["wan"]),
        ("×", "number", "passes.verifications", ["growth"]),  # 同比增长×%: the change of the number before it
    ]
    page = staff.get(response["Location"]).content.decode()
    assert "登记来返人员<mark" in page and page.count('class="form-select form-select-sm binding-select"') == 8


def test_confirmed_bindings_make_a_template_that_generates_without_blanks(staff, alice, district) -> None:
    staff.post(reverse("reports:import_start"), {"document": upload("发言.docx.txt", BLANKED)})
    record = TemplateImport.objects.get()
    url = reverse("reports:import_review", args=[record.pk])
    data = {f"binding-{item['index']}": item["binding"] for item in record.placeholders}
    for item in record.placeholders:
        data.setdefault(f"style-{item['index']}", item["style"])
    data["binding-7"] = "passes.verifications"  # staff bind the last one themselves
    data["style-7"] = ["growth"]
    data["binding-0"] = "var.leader"
    response = staff.post(url, {**data, "name": "发言模板", "finish": "1"})
    template = ReportTemplate.objects.get()
    assert response["Location"] == reverse("reports:template_detail", args=[template.pk])
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.template == template
    assert template.body.splitlines()[:2] == ["# 在全区宣传思想工作会议上的发言", "> 尊敬的{{ var.leader }}："]
    assert "{{ district_short }}区共有{{ org.subdistricts }}个街道" in template.body
    assert "登记来返人员{{ arrivals.registrations about }}余人" in template.body
    assert "同比增长{{ passes.verifications growth }}%" in template.body
    assert template.variables == {"leader": ""}
    report = services.template_text(template)
    from xuanchuan.reports.generation import render

    rendered = render(report.body, Period.year(2025), None, {"leader": "王书记"})
    assert "×" not in rendered.text and "尊敬的王书记：" in rendered.text and "示范区共有" in rendered.text
    assert staff.get(url).status_code == 302  # done: the review page leads to the template


def test_a_bad_binding_is_refused_with_its_number(staff) -> None:
    staff.post(reverse("reports:import_start"), {"document": upload("a.txt", BLANKED)})
    record = TemplateImport.objects.get()
    response = staff.post(
        reverse("reports:import_review", args=[record.pk]), {"binding-2": "nothing.here", "save": "1"}
    )
    assert response.status_code == 200 and "第 3 处" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("a.pdf", b"%PDF", "只能导入"), ("a.txt", b"   \n", "没有文字"), ("a.docx", b"not a zip", "无法读取")],
)
def test_import_refuses_what_it_cannot_read(staff, name: str, content: bytes, message: str) -> None:
    response = staff.post(reverse("reports:import_start"), {"document": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not TemplateImport.objects.exists()


def test_import_of_a_docx(staff) -> None:
    document = Document()
    document.add_paragraph("标题")
    document.add_paragraph("全区×个机关单位。")
    buffer = io.BytesIO()
    document.save(buffer)
    staff.post(reverse("reports:import_start"), {"document": SimpleUploadedFile("a.docx", buffer.getvalue())})
    record = TemplateImport.objects.get()
    assert [item["binding"] for item in record.placeholders] == ["org.agency_units"]


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/reference is not here")
def test_the_reference_report_becomes_a_template(staff, alice, district) -> None:
    staff.post(reverse("reports:import_start"), {"document": upload("reference.txt", REFERENCE.read_text("utf-8"))})
    record = TemplateImport.objects.get()
    assert len(record.placeholders) == 62
    template = services.finish_import(record, by=alice, name="参考报告")
    rendered = services.template_text(template)
    from xuanchuan.reports.generation import render

    report = render(rendered.body, Period.year(2025), None, rendered.variables)
    # Every blank is accounted for: bound to a setting or figure, or flagged for the author.
    assert "×" not in report.text
    unbound = sum(1 for item in record.placeholders if not item["binding"])
    assert sum(1 for flag in report.flags if "未绑定" in flag["message"]) == unbound
    assert "示范区就宣传思想工作进行汇报发言" in report.text


# --- generation and outputs ----------------------------------------------------------------------------------


def test_generate_shows_the_report_with_linked_numbers_and_downloads(
    staff, district, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("reports:generate"), {"template": "default", "period": "2025", "unit": ""})
    report = GeneratedReport.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    assert report.status == JobStatus.DONE
    page = staff.get(response["Location"]).content.decode()
    link = reverse("reports:figure_detail", args=["arrivals.registrations"]) + "?period=2025"
    assert link in page and "需要作者核实" in page and "下载 Word" in page
    progress = staff.get(reverse("reports:report_progress", args=[report.pk])).json()
    assert progress == {"status": "done", "progress": 100, "message": report.message, "finished": True}
    docx = staff.get(reverse("reports:report_docx", args=[report.pk]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text == "示范区2025年宣传思想工作情况报告"
    xlsx = staff.get(reverse("reports:report_xlsx", args=[report.pk]))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("指标代码", "指标", "单位", "本期数值") and len(rows) == 1 + len(
        defaults.default_figure_keys()
    )


def test_a_running_report_shows_its_progress(staff, alice, district) -> None:
    report = GeneratedReport.objects.create(
        unit=district.root, for_district=True, created_by=alice, template_name="t", body="x", period="2025",
        status=JobStatus.RUNNING, progress=40, message="已计算 8/20",
    )  # fmt: skip
    page = staff.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'aria-valuenow="40"' in page and "已计算 8/20" in page and "progress.js" in page
    assert staff.get(reverse("reports:report_docx", args=[report.pk])).status_code == 404


def test_generate_refuses_bad_input(staff) -> None:
    response = staff.post(reverse("reports:generate"), {"template": "default", "period": "二〇二五", "unit": ""})
    assert response.status_code == 200 and "无法识别的期间" in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_a_street_user_generates_for_their_own_street_only(
    client, bob, district, django_capture_on_commit_callbacks
) -> None:
    client.force_login(bob)
    response = client.post(reverse("reports:generate"), {"template": "default", "period": "2025", "unit": ""})
    assert "请选择单位" in response.content.decode()
    response = client.post(
        reverse("reports:generate"), {"template": "default", "period": "2025", "unit": district.west.pk}
    )
    assert response.status_code == 200 and not GeneratedReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:generate"), {"template": "default", "period": "2025", "unit": district.east.pk})
    report = GeneratedReport.objects.get()
    assert report.unit == district.east and not report.for_district
    assert services.rendered(report).unit_name == "东城街道"


def test_another_units_templates_and_reports_are_not_there(
    client, verified_client, alice, bob, charlie, district
) -> None:
    template = services.copy_template(None, by=bob, unit=district.east)
    report = GeneratedReport.objects.create(
        unit=district.east, created_by=bob, template_name="t", body="x", period="2025"
    )
    client.force_login(charlie)
    assert client.get(reverse("reports:template_detail", args=[template.pk])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    assert "东城" not in client.get(reverse("reports:home")).content.decode()
    verified_client(alice)  # the department sees the whole district
    assert client.get(reverse("reports:template_detail", args=[template.pk])).status_code == 200


def test_deleting_a_report_asks_first(staff, alice, district) -> None:
    report = GeneratedReport.objects.create(
        unit=district.root, created_by=alice, template_name="t", body="x", period="2025"
    )
    url = reverse("reports:report_delete", args=[report.pk])
    assert "确认删除" in staff.get(url).content.decode()
    staff.post(url)
    assert not GeneratedReport.objects.exists()


def test_reports_are_audited_without_their_snapshot(staff, district, django_capture_on_commit_callbacks) -> None:
    from auditlog.models import LogEntry

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("reports:generate"), {"template": "default", "period": "2025", "unit": ""})
    report = GeneratedReport.objects.get()
    entries = LogEntry.objects.get_for_object(report)
    assert entries.count() >= 2  # created, then finished
    for entry in entries:
        assert not {"content", "progress", "message", "body"} & set(entry.changes_dict)
    assert any("status" in entry.changes_dict for entry in entries)


# --- the service contract -------------------------------------------------------------------------------------


def test_services_check_the_permission_first(alice, bob, charlie, district) -> None:
    from django.core.exceptions import PermissionDenied

    record = services.start_import(upload("a.txt", BLANKED), by=bob, unit=district.east)
    with pytest.raises(PermissionDenied):
        services.finish_import(record, by=charlie, name="别人的")
    with pytest.raises(PermissionDenied):
        services.save_bindings(record, {}, by=charlie)
    with pytest.raises(PermissionDenied):
        services.start_import(upload("b.txt", BLANKED), by=charlie, unit=district.east)
    with pytest.raises(PermissionDenied):  # the district's report is for district-wide users only
        services.request_report(None, Period.year(2025), None, by=bob)
    with pytest.raises(PermissionDenied):
        services.copy_template(None, by=charlie, unit=district.east)
    assert not ReportTemplate.objects.exists() and not GeneratedReport.objects.exists()


def test_bindings_are_checked_before_any_is_stored(bob, district) -> None:
    from xuanchuan.core.services import ServiceError

    record = services.start_import(upload("a.txt", BLANKED), by=bob, unit=district.east)
    before = [item["binding"] for item in record.placeholders]
    with pytest.raises(ServiceError, match="第 1 处"):
        services.save_bindings(record, {0: ("no.such", []), 1: ("district", [])}, by=bob)
    record.refresh_from_db()
    assert [item["binding"] for item in record.placeholders] == before
    saved = services.save_bindings(
        record, {0: ("var.leader", ["about"]), 2: ("org.subdistricts", ["about", "x"])}, by=bob
    )
    assert [(item["binding"], item["style"]) for item in saved.placeholders[:3]] == [
        ("var.leader", []),
        ("", []),
        ("org.subdistricts", ["about"]),
    ]
    services.finish_import(saved, by=bob, name="模板")
    with pytest.raises(ServiceError, match="已经生成过模板"):
        services.save_bindings(saved, {}, by=bob)
