"""The lexicon services: permissions first, the rules, the Excel import (all or nothing,
idempotent), the allow-list scopes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook

from xuanchuan.conftest import make_person
from xuanchuan.core.exports import workbook_bytes, workbook_to_bytes
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.proofing import default_terms
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.models import AllowedFinding, EntrySource, LexiconEntry, NameTitle, Publication
from xuanchuan.publishing.services import lexicons

pytestmark = pytest.mark.django_db

HEADERS = ["词语", "类别", "建议改为", "分类", "严重程度", "说明"]


@pytest.fixture(autouse=True)
def _fresh_checker():
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()


@pytest.fixture
def keeper(district):
    return make_person("kate", district.publicity, RoleCode.REVIEWER_FINAL, full_name="柯特")


def sheet(rows, headers=HEADERS) -> bytes:
    return workbook_bytes("词条", headers, rows)


ROWS = [
    ["一如继往", "易错词", "一如既往", "错别字", "中", ""],
    ["测试慎用词", "敏感词", "", "时政", "高", "测试用"],
    ["打黑 除恶", "formulation", "扫黑除恶", "", "", "已更名"],
]


def test_import_creates_then_changes_nothing_when_repeated(keeper) -> None:
    result = lexicons.import_entries(sheet(ROWS), by=keeper)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    entry = LexiconEntry.objects.get(term="测试慎用词")
    assert (entry.kind, entry.severity, entry.source, entry.created_by) == ("sensitive", "high", "import", keeper)
    assert LexiconEntry.objects.get(term="打黑 除恶").severity == "medium"
    before = list(LexiconEntry.objects.order_by("pk").values())
    again = lexicons.import_entries(sheet(ROWS), by=keeper)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(LexiconEntry.objects.order_by("pk").values()) == before
    changed = [ROWS[0][:4] + ["高", "改了"], *ROWS[1:]]
    third = lexicons.import_entries(sheet(changed), by=keeper)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert LexiconEntry.objects.get(term="一如继往").severity == "high"
    assert LexiconEntry.objects.count() == 3


def test_an_imported_term_is_checked(keeper) -> None:
    lexicons.import_entries(sheet(ROWS), by=keeper)
    texts = {f.text for f in proofreading.check_text("我们一如继往地工作。")}
    assert "一如继往" in texts


def test_import_with_errors_imports_nothing_and_names_row_and_column(keeper) -> None:
    rows = [
        ROWS[0],
        ["", "易错词", "x", "", "", ""],
        ["某词", "不存在的类别", "", "", "", ""],
        ["某词二", "易错词", "", "", "很高", ""],
        ["一如继往", "易错词", "重复", "", "", ""],
        ["长" * 101, "易错词", "", "", "", ""],
    ]
    with pytest.raises(ServiceError) as caught:
        lexicons.import_entries(sheet(rows), by=keeper)
    messages = caught.value.messages
    assert "第 3 行“词语”列（A 列）：不能为空。" in messages
    assert any(m.startswith("第 4 行“类别”列（B 列）：应为") for m in messages)
    assert "第 5 行“严重程度”列（E 列）：应为 高、中、低 之一。" in messages
    assert "第 6 行“词语”列（A 列）：与第 2 行重复。" in messages
    assert "第 7 行“词语”列（A 列）：不能超过 100 个字。" in messages
    assert not LexiconEntry.objects.exists()


def test_import_needs_the_headings_and_reads_columns_in_any_order(keeper) -> None:
    with pytest.raises(ServiceError) as caught:
        lexicons.import_entries(sheet([["a", "易错词"]], headers=["名称", "种类"]), by=keeper)
    assert "缺少“词语”“类别”列" in caught.value.messages[0]
    result = lexicons.import_entries(
        sheet([["易错词", "再接再励", "再接再厉"]], headers=["类别", "词语", "建议改为"]), by=keeper
    )
    assert result.created == 1
    assert LexiconEntry.objects.get().suggestion == "再接再厉"


def test_import_refuses_what_is_not_a_workbook(keeper) -> None:
    with pytest.raises(ServiceError):
        lexicons.import_entries(b"not an xlsx", by=keeper)
    book = Workbook()
    book.active.append(["=1+1"])
    with pytest.raises(ServiceError):
        lexicons.import_entries(workbook_to_bytes(book), by=keeper)
    assert not LexiconEntry.objects.exists()


def test_import_page(client, keeper, bob) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(keeper)
    url = reverse("publishing:lexicon_import")
    bad = client.post(url, {"file": SimpleUploadedFile("a.xlsx", sheet([["", "易错词"]]))})
    assert "第 2 行“词语”列（A 列）：不能为空。" in bad.content.decode()
    ok = client.post(url, {"file": SimpleUploadedFile("a.xlsx", sheet(ROWS))}, follow=True)
    assert "新增 3 条" in ok.content.decode()
    wrong = client.post(url, {"file": SimpleUploadedFile("a.csv", b"a,b")})
    assert "请上传 .xlsx" in wrong.content.decode()
    template = client.get(reverse("publishing:lexicon_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        lexicons.parse_import(__import__("xuanchuan.core.uploads", fromlist=["x"]).xlsx_rows(template.content))[1] == []
    )


def test_permissions_come_first(bob, keeper, district) -> None:
    entry = lexicons.add_entry(kind="misused", term="勿必", suggestion="务必", by=keeper)
    term = default_terms()[0]
    calls = [
        lambda: lexicons.add_entry(kind="misused", term="x", by=bob),
        lambda: lexicons.update_entry(entry, kind="misused", term="勿必", by=bob),
        lambda: lexicons.set_entry_active(entry, False, by=bob),
        lambda: lexicons.set_default_term(term.kind, term.term, active=False, by=bob),
        lambda: lexicons.import_entries(b"", by=bob),
        lambda: lexicons.allow_finding(kind="placeholder", text="XX", by=bob),
        lambda: lexicons.add_name(name="张三", titles="区长", by=bob),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    entry.refresh_from_db()
    assert entry.is_active and not NameTitle.objects.exists() and not AllowedFinding.objects.exists()


def test_entry_rules(keeper) -> None:
    term = default_terms()[0]
    with pytest.raises(ServiceError, match="请填写词语"):
        lexicons.add_entry(kind="misused", term="  ", by=keeper)
    with pytest.raises(ServiceError, match="类别只能是"):
        lexicons.add_entry(kind="placeholder", term="x", by=keeper)
    with pytest.raises(ServiceError, match="严重程度"):
        lexicons.add_entry(kind="misused", term="x", severity="urgent", by=keeper)
    lexicons.set_default_term(term.kind, term.term, active=False, by=keeper)
    with pytest.raises(ServiceError, match="系统默认词条"):
        lexicons.add_entry(kind=term.kind, term=term.term, by=keeper)
    with pytest.raises(ServiceError, match="没有"):
        lexicons.set_default_term("misused", "并非默认词", active=False, by=keeper)
    row = LexiconEntry.objects.get(source=EntrySource.DEFAULT)
    # A default term's row keeps its word and kind whatever the form sends.
    lexicons.update_entry(row, kind="sensitive", term="别的词", severity="low", by=keeper)
    row.refresh_from_db()
    assert (row.kind, row.term, row.severity) == (term.kind, term.term, "low")
    entry = lexicons.add_entry(kind="misused", term="挖墙角", suggestion="挖墙脚", by=keeper)
    lexicons.set_entry_active(entry, False, by=keeper)
    with pytest.raises(ServiceError, match="已经停用"):
        lexicons.set_entry_active(entry, False, by=keeper)


def test_a_staff_entry_replaces_the_shipped_one(keeper) -> None:
    term = default_terms()[0]
    lexicons.add_entry(kind=term.kind, term=term.term, suggestion="人工建议", severity="low", by=keeper)
    found = [f for f in proofreading.check_text(f"有{term.term}。") if f.text == term.term and f.kind == term.kind]
    assert len(found) == 1 and found[0].severity == "low"


def test_publication_allow_list_is_for_its_author_and_reviewers(district, alice, bob, charlie, keeper) -> None:
    publication = Publication.objects.create(unit=district.east, title="东城稿件", created_by=bob)
    colleague = make_person("erin", district.east, RoleCode.UNIT_REPORTER)
    with pytest.raises(PermissionDenied):
        lexicons.allow_finding(kind="placeholder", text="XX", publication=publication, by=charlie)
    with pytest.raises(PermissionDenied):
        lexicons.allow_finding(kind="placeholder", text="XX", publication=publication, by=colleague)
    lexicons.allow_finding(kind="placeholder", text="XX", publication=publication, by=bob)
    with pytest.raises(ServiceError, match="已标记"):
        lexicons.allow_finding(kind="placeholder", text="XX", publication=publication, by=bob)
    with pytest.raises(PermissionDenied):  # a reviewer who does not see the draft
        lexicons.allow_finding(kind="misused", text="某词", publication=publication, by=keeper)
    entry = lexicons.allow_finding(kind="misused", text="某词", publication=publication, by=alice)
    with pytest.raises(ServiceError, match="未知的问题类别"):
        lexicons.allow_finding(kind="nonsense", text="某词", by=keeper)
    with pytest.raises(PermissionDenied):
        lexicons.remove_allowed(entry, by=charlie)
    lexicons.remove_allowed(entry, by=bob)
    assert AllowedFinding.objects.count() == 1


def test_name_rules(keeper) -> None:
    with pytest.raises(ServiceError, match="请填写现任职务"):
        lexicons.add_name(name="张三", titles=" 、 ", by=keeper)
    row = lexicons.add_name(name="张 三", titles="区长", by=keeper)
    assert row.name == "张三"
    with pytest.raises(ServiceError, match="已有"):
        lexicons.add_name(name="张三", titles="副区长", by=keeper)


def test_names_import_is_all_or_nothing_and_idempotent(keeper) -> None:
    rows = [["张三", "区委副书记、区长"], ["李四", "区委书记 区人大常委会主任"]]
    data = workbook_bytes("名单", ["姓名", "现任职务"], rows)
    first = lexicons.import_names(data, by=keeper)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert NameTitle.objects.get(name="李四").titles == "区委书记、区人大常委会主任"
    again = lexicons.import_names(data, by=keeper)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    bad = workbook_bytes(
        "名单", ["姓名", "现任职务"], [["王五", "副区长"], ["", "区长"], ["张三", ""], ["王五", "区长"]]
    )
    with pytest.raises(ServiceError) as caught:
        lexicons.import_names(bad, by=keeper)
    assert caught.value.messages == [
        "第 3 行“姓名”列（A 列）：请填写姓名。",
        "第 4 行“现任职务”列（B 列）：请填写现任职务。",
        "第 5 行“姓名”列（A 列）：与第 2 行重复。",
    ]
    assert not NameTitle.objects.filter(name="王五").exists()
    with pytest.raises(PermissionDenied):
        lexicons.import_names(data, by=make_person("bobby", keeper.unit, RoleCode.UNIT_REPORTER))


def test_names_import_page(client, keeper) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(keeper)
    data = workbook_bytes("名单", ["姓名", "现任职务"], [["张三", "区长"]])
    response = client.post(reverse("publishing:name_import"), {"file": SimpleUploadedFile("n.xlsx", data)}, follow=True)
    assert "新增 1 条" in response.content.decode()
    assert client.get(reverse("publishing:name_template"))["Content-Type"].startswith("application/vnd")
    found = [f for f in proofreading.check_text("张三副区长讲话。") if f.kind == "name_title"]
    assert found
