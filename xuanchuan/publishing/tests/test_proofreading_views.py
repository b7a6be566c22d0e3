"""The proofreading page and the pages of the lexicons, the allow-list and the names and titles."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode
from xuanchuan.proofing import default_terms
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.models import AllowedFinding, EntrySource, LexiconEntry, NameTitle, Publication
from xuanchuan.publishing.services import lexicons

pytestmark = pytest.mark.django_db

TEXT = "我们要坚持扫H除E专项斗争,深入推进工作。"


@pytest.fixture(autouse=True)
def _fresh_checker():
    proofreading.CHECKER.forget()
    proofreading.SITE_ALLOW.forget()


@pytest.fixture
def keeper(district):
    return make_person("kate", district.publicity, RoleCode.REVIEWER_FIRST, full_name="柯特")


def page(client, **data):
    return client.post(reverse("publishing:proofread"), data)


def test_the_page_marks_the_findings(client, bob) -> None:
    client.force_login(bob)
    assert client.get(reverse("publishing:proofread")).status_code == 200
    response = page(client, text=TEXT)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="pf pf-high"' in body and ">扫H除E</mark>" in body
    assert '<mark class="pf pf-low"' in body
    assert "扫黑除恶" in body
    assert "不是错误" not in body  # bob keeps no lexicons: no site-wide "not an error"


def test_accepting_a_suggestion_changes_only_that_place(client, bob) -> None:
    client.force_login(bob)
    findings = proofreading.check_text(TEXT)
    variant = next(f for f in findings if f.text == "扫H除E")
    response = page(client, text=TEXT, accept=f"{variant.start}:{variant.end}:{variant.kind}")
    assert response.context["text"] == "我们要坚持扫黑除恶专项斗争,深入推进工作。"
    comma = next(f for f in response.context["findings"] if f.text == ",")
    response = page(client, text=response.context["text"], accept=f"{comma.start}:{comma.end}:{comma.kind}")
    assert response.context["text"] == "我们要坚持扫黑除恶专项斗争，深入推进工作。"
    assert response.context["findings"] == []
    assert "未发现问题" in response.content.decode()


def test_a_stale_finding_is_not_applied(client, bob) -> None:
    client.force_login(bob)
    response = page(client, text="改过的文字。", accept="5:9:formulation")
    assert response.context["text"] == "改过的文字。"
    assert "这条问题已不在原处" in response.content.decode()


def test_accept_all_and_download(client, bob) -> None:
    client.force_login(bob)
    response = page(client, text=TEXT, accept_all="1")
    assert response.context["text"] == "我们要坚持扫黑除恶专项斗争，深入推进工作。"
    download = page(client, text="第一行\r\n第二行", download="1")
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert download.content.decode("utf-8") == "第一行\r\n第二行"


def test_a_keeper_marks_not_an_error_from_the_page(client, keeper) -> None:
    client.force_login(keeper)
    text = "全区共XX人。"
    finding = next(f for f in proofreading.check_text(text) if f.kind == "placeholder")
    response = page(client, text=text, allow=f"{finding.start}:{finding.end}:{finding.kind}")
    assert AllowedFinding.objects.filter(scope="site", kind="placeholder", text="XX").exists()
    assert not [f for f in response.context["findings"] if f.kind == "placeholder"]


def test_others_cannot_mark_site_wide(client, bob) -> None:
    client.force_login(bob)
    text = "全区共XX人。"
    finding = next(f for f in proofreading.check_text(text) if f.kind == "placeholder")
    response = page(client, text=text, allow=f"{finding.start}:{finding.end}:{finding.kind}")
    assert not AllowedFinding.objects.exists()
    assert "没有办理此事项的权限" in response.content.decode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def docx_bytes(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_uploads_txt_in_gb18030_and_docx(client, bob) -> None:
    client.force_login(bob)
    response = client.post(reverse("publishing:proofread"), {"file": upload("a.txt", TEXT.encode("gb18030"))})
    assert response.context["text"] == TEXT
    response = client.post(reverse("publishing:proofread"), {"file": upload("b.docx", docx_bytes("第一段", TEXT))})
    assert response.context["text"] == "第一段\n" + TEXT
    assert any(f.text == "扫H除E" for f in response.context["findings"])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "只能校对 .txt 或 .docx 文件"),
        ("a.docx", b"not a zip", "文件已损坏"),
        ("a.txt", b"\xff\xfe\x00\xd8\x00\x00", "编码"),
        ("a.txt", b"x" * (2 * 1024 * 1024 + 1), "2 MB"),
    ],
)
def test_a_bad_upload_gets_a_chinese_error(client, bob, name, data, message) -> None:
    client.force_login(bob)
    response = client.post(reverse("publishing:proofread"), {"file": upload(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_too_long_a_text_is_refused(client, bob) -> None:
    client.force_login(bob)
    response = page(client, text="字" * (proofreading.MAX_TEXT_CHARS + 1))
    assert response.status_code == 200
    assert response.context["form"].errors["text"]


def test_the_page_needs_a_signed_in_user(client) -> None:
    assert client.get(reverse("publishing:proofread")).status_code == 302


# --- Lexicon pages ---------------------------------------------------------------------------------------


def test_a_keeper_adds_edits_and_disables_an_entry(client, keeper) -> None:
    client.force_login(keeper)
    data = {"kind": "misused", "term": "再接再励", "suggestion": "再接再厉", "severity": "medium", "category": "错别字"}
    response = client.post(reverse("publishing:lexicon_add"), data)
    assert response.status_code == 302
    entry = LexiconEntry.objects.get(term="再接再励")
    assert entry.created_by == keeper and entry.source == EntrySource.STAFF
    again = client.post(reverse("publishing:lexicon_add"), data)
    assert "词库中已有" in again.content.decode()
    client.post(reverse("publishing:lexicon_edit", args=[entry.pk]), {**data, "severity": "high"})
    entry.refresh_from_db()
    assert entry.severity == "high"
    confirm = client.get(reverse("publishing:lexicon_toggle", args=[entry.pk]))
    assert "确定停用吗" in confirm.content.decode()
    client.post(reverse("publishing:lexicon_toggle", args=[entry.pk]))
    entry.refresh_from_db()
    assert not entry.is_active
    listing = client.get(reverse("publishing:lexicon_list"), {"q": "再接", "active": "0"})
    assert "再接再励" in listing.content.decode()
    export = client.get(reverse("publishing:lexicon_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_bad_input_gets_a_chinese_error_not_a_500(client, keeper) -> None:
    client.force_login(keeper)
    response = client.post(reverse("publishing:lexicon_add"), {"kind": "nonsense", "term": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("publishing:lexicon_list"), {"kind": "nonsense"}).status_code == 200
    assert client.get(reverse("publishing:lexicon_defaults"), {"kind": "x", "page": "zz"}).status_code == 200


def test_staff_read_the_lexicons_but_do_not_change_them(client, bob, keeper) -> None:
    entry = lexicons.add_entry(kind="misused", term="一如继往", suggestion="一如既往", by=keeper)
    client.force_login(bob)
    listing = client.get(reverse("publishing:lexicon_list"))
    assert listing.status_code == 200 and "一如继往" in listing.content.decode()
    assert "添加词条" not in listing.content.decode()
    for name, args in [
        ("lexicon_add", []),
        ("lexicon_import", []),
        ("lexicon_edit", [entry.pk]),
        ("lexicon_toggle", [entry.pk]),
        ("lexicon_default_toggle", []),
        ("name_add", []),
    ]:
        assert client.get(reverse(f"publishing:{name}", args=args)).status_code == 404
        assert client.post(reverse(f"publishing:{name}", args=args), {"term": "x"}).status_code == 404
    entry.refresh_from_db()
    assert entry.is_active


def test_defaults_are_listed_and_a_keeper_silences_one(client, keeper) -> None:
    term = default_terms()[0]
    client.force_login(keeper)
    listing = client.get(reverse("publishing:lexicon_defaults"), {"q": term.term})
    assert term.term in listing.content.decode()
    url = reverse("publishing:lexicon_default_toggle")
    confirm = client.get(url, {"kind": term.kind, "term": term.term})
    assert "确定停用吗" in confirm.content.decode()
    client.post(url, {"kind": term.kind, "term": term.term})
    row = LexiconEntry.objects.get(kind=term.kind, term=term.term)
    assert row.source == EntrySource.DEFAULT and not row.is_active
    assert not [f for f in proofreading.check_text(f"有{term.term}。") if f.text == term.term and f.kind == term.kind]
    stopped = client.get(reverse("publishing:lexicon_defaults"), {"active": "0"})
    assert term.term in stopped.content.decode()
    assert client.get(url, {"kind": "sensitive", "term": "不存在的词"}).status_code == 404


# --- Allow-list and names ----------------------------------------------------------------------------------


def test_allow_list_page_and_removal(client, keeper, district, bob, charlie) -> None:
    site = lexicons.allow_finding(kind="placeholder", text="XX", by=keeper)
    theirs = Publication.objects.create(unit=district.east, title="东城稿件", created_by=bob)
    private = lexicons.allow_finding(kind="misused", text="东城私有词", publication=theirs, by=bob)
    client.force_login(charlie)
    listing = client.get(reverse("publishing:allowed_list")).content.decode()
    assert "XX" in listing and "东城私有词" not in listing
    assert client.get(reverse("publishing:allowed_remove", args=[private.pk])).status_code == 404
    assert client.post(reverse("publishing:allowed_remove", args=[site.pk])).status_code == 404
    client.force_login(keeper)
    assert "确定移出吗" in client.get(reverse("publishing:allowed_remove", args=[site.pk])).content.decode()
    client.post(reverse("publishing:allowed_remove", args=[site.pk]))
    assert not AllowedFinding.objects.filter(pk=site.pk).exists()


def test_allow_add_for_a_publication(client, district, bob, charlie) -> None:
    theirs = Publication.objects.create(unit=district.east, title="东城稿件", created_by=bob)
    url = reverse("publishing:allowed_add")
    client.force_login(charlie)
    data = {"kind": "placeholder", "text": "XX", "publication": theirs.pk}
    assert client.post(url, data).status_code == 404
    client.force_login(bob)
    response = client.post(url, {**data, "next": "/publishing/"})
    assert response.status_code == 302 and response["Location"] == "/publishing/"
    assert AllowedFinding.objects.get().publication == theirs
    assert client.post(url, {**data, "next": "https://evil.example/"})["Location"] != "https://evil.example/"


def test_names_pages(client, keeper, bob) -> None:
    client.force_login(keeper)
    client.post(reverse("publishing:name_add"), {"name": "李四", "titles": "区委书记 区人大常委会主任"})
    row = NameTitle.objects.get()
    assert row.titles == "区委书记、区人大常委会主任" and row.updated_by == keeper
    client.post(reverse("publishing:name_edit", args=[row.pk]), {"name": "李四", "titles": "区委书记"})
    client.post(reverse("publishing:name_toggle", args=[row.pk]))
    row.refresh_from_db()
    assert row.titles == "区委书记" and not row.is_active
    client.force_login(bob)
    assert "李四" in client.get(reverse("publishing:name_list")).content.decode()
    assert client.get(reverse("publishing:name_edit", args=[row.pk])).status_code == 404


def test_query_counts_of_the_lists(client, keeper, django_assert_max_num_queries) -> None:
    for number in range(30):
        lexicons.add_entry(kind="misused", term=f"测试词{number}", by=keeper)
        lexicons.allow_finding(kind="misused", text=f"测试词{number}", by=keeper)
    client.force_login(keeper)
    for name in ("lexicon_list", "lexicon_defaults", "allowed_list", "name_list"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(f"publishing:{name}")).status_code == 200


def test_the_findings_include_for_a_review_page(rf, district, bob) -> None:
    """What a review page shows: the marked text, the list, and "本稿件不是错误" per finding
    posting to allowed_add with the publication and the way back."""
    from django.template.loader import render_to_string

    publication = Publication.objects.create(unit=district.east, title="东城稿件", created_by=bob)
    text = "共XX人，坚持扫H除E。"
    request = rf.get("/publishing/review/1/")
    request.user = bob
    context = {**proofreading.findings_context(text, proofreading.check_text(text)), "pf_publication": publication}
    html = render_to_string("publishing/proofreading/_findings.html", context, request=request)
    assert '<mark class="pf pf-high"' in html
    assert html.count('class="mt-1 pf-allow-publication"') == len(context["findings"]) >= 2
    assert f'name="publication" value="{publication.pk}"' in html
    assert 'name="next" value="/publishing/review/1/"' in html
    assert reverse("publishing:allowed_add") in html
    assert "采纳" not in html
