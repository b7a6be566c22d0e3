"""The people part's pages: the phone pages (register, sign in by SMS code, home, profile,
withdrawal, record, certificates), the staff pages (scoped, masked, query ceilings), the public
certificate check (never an ID or phone number), and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals.tests.sms import RecordingGateway
from xuanchuan.conftest import verified_login
from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.volunteers import session
from xuanchuan.volunteers.models import Award, Certificate, PointsAccount, Training, Volunteer, VolunteerStatus
from xuanchuan.volunteers.queries.people import AGE_BANDS, age_band
from xuanchuan.volunteers.services import people as services
from xuanchuan.volunteers.tests.factories import (
    id_number,
    make_activity,
    make_project,
    make_team,
    make_volunteer,
    sign_in_phone,
)
from xuanchuan.volunteers.tests.test_people_support import RECORDING, join_data, last_code, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms(settings):
    cache.clear()
    RecordingGateway.sent.clear()
    settings.VOLUNTEERS_SMS_BACKEND = RECORDING
    yield
    cache.clear()


def url(name: str, **kwargs) -> str:
    return reverse(f"volunteers:{name}", kwargs=kwargs or None)


def signed_in_volunteer(client) -> Volunteer | None:
    raw = client.cookies.get(session.COOKIE)
    if raw is None or not raw.value:
        return None
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES[session.COOKIE] = raw.value
    return session.current_volunteer(request)


# --- Registering -----------------------------------------------------------------------------------


def test_join_page_lists_communities_under_streets(client, district):
    response = client.get(url("join"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东城街道" in body and "幸福社区" in body and "和平社区" in body
    assert "我同意所在社区" in body  # the consent text


def test_join_registers_and_signs_in(client, district):
    response = client.post(url("join"), join_data(district.east_community))
    assert response.status_code == 302 and response.url == url("me")
    volunteer = Volunteer.objects.get()
    assert signed_in_volunteer(client) == volunteer
    home = client.get(url("me"))
    assert volunteer.number in home.content.decode()
    assert "王小明" not in home.content.decode()  # masked


def test_join_requires_consent(client, district):
    response = client.post(url("join"), join_data(district.east_community, consent=None))
    assert response.status_code == 400
    assert "请先阅读并同意个人信息使用说明" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_join_refuses_under_14(client, district):
    born = (timezone.localdate() - timedelta(days=365 * 10)).strftime("%Y%m%d")
    response = client.post(url("join"), join_data(district.east_community, id_number=id_number(5, born=born)))
    assert response.status_code == 400
    assert "监护人陪同" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_join_with_a_known_id_number_sends_to_sign_in_without_signing_in(client, district):
    existing = make_volunteer(district.east_community, 500, phone="13600000500")
    response = client.post(url("join"), join_data(district.west_community, phone="13999999999"), follow=True)
    assert response.redirect_chain[-1][0] == url("signin")
    assert "该身份证号已注册，请用登记的手机号接收验证码登录" in response.content.decode()
    assert signed_in_volunteer(client) is None
    existing.refresh_from_db()
    assert existing.phone == "13600000500" and existing.unit == district.east_community


def test_join_refuses_the_honeypot(client, district):
    response = client.post(url("join"), join_data(district.east_community, hp_website="http://x"))
    assert response.status_code == 400 and not Volunteer.objects.exists()


def test_join_is_rate_limited(client, district, settings):
    for _ in range(20):
        client.post(url("join"), {"name": ""})
    assert client.post(url("join"), {"name": ""}).status_code == 429


# --- Sign-in ---------------------------------------------------------------------------------------


def test_sign_in_by_sms_code_and_next(client, district):
    volunteer = make_volunteer(district.east_community, 1, phone="13600000001")
    first = client.post(url("signin"), {"step": "send", "phone": "13600000001"})
    unknown = client.post(url("signin"), {"step": "send", "phone": "13600000002"})
    assert first.status_code == unknown.status_code == 200
    assert (
        "如果该号码已登记为志愿者" in first.content.decode() and "如果该号码已登记为志愿者" in unknown.content.decode()
    )
    assert [n for n, _ in RecordingGateway.sent] == ["13600000001"]
    response = client.post(
        url("signin"),
        {"step": "check", "phone": "13600000001", "code": last_code("13600000001"), "next": url("my_record")},
    )
    assert response.status_code == 302 and response.url == url("my_record")
    assert signed_in_volunteer(client) == volunteer


def test_sign_in_refuses_an_outside_next(client, district):
    make_volunteer(district.east_community, 1, phone="13600000001")
    client.post(url("signin"), {"step": "send", "phone": "13600000001"})
    response = client.post(
        url("signin"),
        {"step": "check", "phone": "13600000001", "code": last_code("13600000001"), "next": "https://evil.example/"},
    )
    assert response.url == url("me")


def test_wrong_code_shows_a_chinese_sentence(client, district):
    make_volunteer(district.east_community, 1, phone="13600000001")
    client.post(url("signin"), {"step": "send", "phone": "13600000001"})
    wrong = "000000" if last_code("13600000001") != "000000" else "111111"
    response = client.post(url("signin"), {"step": "check", "phone": "13600000001", "code": wrong})
    assert response.status_code == 400 and "验证码不正确或已失效" in response.content.decode()
    assert signed_in_volunteer(client) is None


def test_shared_phone_chooses(client, district):
    make_volunteer(district.east_community, 1, phone="13600000001")
    b = make_volunteer(district.east_community, 2, phone="13600000001")
    client.post(url("signin"), {"step": "send", "phone": "13600000001"})
    page = client.post(url("signin"), {"step": "check", "phone": "13600000001", "code": last_code("13600000001")})
    token = page.context["token"]
    assert client.post(url("signin_choose"), {"token": token, "volunteer": 999999}).status_code == 404
    response = client.post(url("signin_choose"), {"token": token, "volunteer": b.pk})
    assert response.status_code == 302 and signed_in_volunteer(client) == b
    assert client.post(url("signin_choose"), {"token": "forged", "volunteer": b.pk}).status_code == 302


def test_sign_out_everywhere_cuts_other_phones(client, district, django_user_model):
    from django.test import Client

    volunteer = make_volunteer(district.east_community, 1)
    other = sign_in_phone(Client(), volunteer)
    sign_in_phone(client, volunteer)
    assert client.post(url("signout"), {}).status_code == 302
    assert other.get(url("me")).status_code == 200  # plain sign-out: only this phone
    sign_in_phone(client, volunteer)
    client.post(url("signout"), {"everywhere": "on"})
    assert other.get(url("me")).status_code == 302


def test_pages_need_a_signed_in_phone(client, district):
    for name in ("me", "me_edit", "me_withdraw", "my_record", "my_record_xlsx", "m_certificates"):
        response = client.get(url(name))
        assert response.status_code == 302 and response.url.startswith(url("signin"))


# --- The volunteer's own pages ---------------------------------------------------------------------


@pytest.fixture
def served(district):
    volunteer = make_volunteer(district.east_community, 1, phone="13600000001")
    activity = make_activity(
        make_project(make_team(district.east_community)), starts_at=timezone.now() - timedelta(days=2)
    )
    old = make_activity(activity.project, starts_at=timezone.now() - timedelta(days=400), title="去年的活动")
    record(activity, volunteer, 90)
    record(old, volunteer, 60)
    record(make_activity(activity.project, title="待审"), volunteer, 500, status="pending", source="manual")
    return volunteer


def test_home_shows_hours_points_and_recent(client, served):
    PointsAccount.objects.create(unit=served.unit, volunteer=served, balance=12)
    sign_in_phone(client, served)
    response = client.get(url("me"))
    page = response.context["page"]
    assert (page.minutes, page.year_minutes, page.points) == (150, 90, 12)
    assert page.hours == "2.5"
    body = response.content.decode()
    assert "去年的活动" in body and "待审" not in body


def test_home_points_zero_without_account(client, served):
    sign_in_phone(client, served)
    assert client.get(url("me")).context["page"].points == 0


def test_profile_edit_and_phone_change(client, served):
    sign_in_phone(client, served)
    response = client.post(
        url("me_edit"), {"action": "profile", "address": "新地址", "skills": "摄影", "availability": "晚上"}
    )
    assert response.status_code == 302
    served.refresh_from_db()
    assert (served.address, served.skills) == ("新地址", "摄影")
    client.post(url("me_edit"), {"action": "phone-send", "new_phone": "13600000077"})
    response = client.post(
        url("me_edit"), {"action": "phone-confirm", "new_phone": "13600000077", "code": last_code("13600000077")}
    )
    assert response.status_code == 302
    served.refresh_from_db()
    assert served.phone == "13600000077"


def test_withdraw_needs_confirmation_then_signs_out(client, served):
    sign_in_phone(client, served)
    assert client.post(url("me_withdraw"), {}).status_code == 200
    served.refresh_from_db()
    assert served.status == VolunteerStatus.ACTIVE
    response = client.post(url("me_withdraw"), {"confirm": "on"})
    assert response.status_code == 302
    served.refresh_from_db()
    assert served.status == VolunteerStatus.WITHDRAWN and served.withdrawn_at
    sign_in_phone(client, Volunteer.objects.get(pk=served.pk))
    assert client.get(url("me")).status_code == 302  # a withdrawn volunteer is nobody


def test_record_page_masks_and_xlsx_is_full(client, served, dora):
    services.add_training(served, course="急救培训", held_on=timezone.localdate(), minutes=60, result="合格", by=dora)
    sign_in_phone(client, served)
    body = client.get(url("my_record")).content.decode()
    for block in ("一、基本信息", "二、服务情况", "三、培训情况", "四、表彰奖励", "五、评价情况", "急救培训"):
        assert block in body
    assert served.id_number not in body and served.phone not in body
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(client.get(url("my_record_xlsx")).content))
    assert book.sheetnames == ["基本信息", "服务情况", "培训情况", "表彰奖励", "评价情况"]
    values = [cell for row in book["基本信息"].iter_rows(values_only=True) for cell in row]
    assert served.id_number in values and served.phone in values
    assert book["服务情况"].max_row == 3


def test_the_volunteer_downloads_only_their_own_certificates(client, served, dora, district):
    certificate = services.issue_certificate(
        served, by=dora, period_start=timezone.localdate() - timedelta(days=30), period_end=timezone.localdate()
    )
    sign_in_phone(client, served)
    assert certificate.number in client.get(url("m_certificates")).content.decode()
    response = client.get(url("m_certificate_docx", pk=certificate.pk))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    other = make_volunteer(district.east_community, 9)
    sign_in_phone(client, other)
    assert client.get(url("m_certificate_docx", pk=certificate.pk)).status_code == 404


# --- Staff -----------------------------------------------------------------------------------------


def test_staff_list_searches_by_number_id_and_phone(client, served, bob, district):
    make_volunteer(district.west_community, 3, phone="13600000003")
    client.force_login(bob)
    response = client.get(url("volunteer_list"))
    assert response.status_code == 200
    assert response.context["paginator"].count == 1
    body = response.content.decode()
    assert served.phone not in body and served.name not in body
    for q in (served.number, served.id_number, "136 0000 0001"):
        assert client.get(url("volunteer_list"), {"q": q}).context["paginator"].count == 1
    assert client.get(url("volunteer_list"), {"q": id_number(3)}).context["paginator"].count == 0  # west, out of scope
    assert client.get(url("volunteer_list"), {"q": "ZZZ"}).context["paginator"].count == 0


def test_staff_list_filters_and_masked_export(client, served, bob, district):
    client.force_login(bob)
    assert client.get(url("volunteer_list"), {"gender": "F"}).context["paginator"].count == (
        1 if served.gender == "F" else 0
    )
    band = [label for _low, _high, label in AGE_BANDS].index(age_band(1990))  # born 1990
    assert client.get(url("volunteer_list"), {"age": str(band)}).context["paginator"].count == 1
    assert client.get(url("volunteer_list"), {"age": "0"}).context["paginator"].count == 0
    assert client.get(url("volunteer_list"), {"status": "withdrawn"}).context["paginator"].count == 0
    assert client.get(url("volunteer_list"), {"community": district.west_community.pk}).status_code == 200
    response = client.get(url("volunteer_list"), {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    from io import BytesIO

    from openpyxl import load_workbook

    cells = [c for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True) for c in row]
    assert served.number in cells and served.phone not in cells and served.name not in cells


def test_staff_list_query_ceiling(client, bob, district):
    client.force_login(bob)
    make_volunteer(district.east_community, 1)
    client.get(url("volunteer_list"))  # the session settles on the first request
    with CaptureQueriesContext(connection) as few:
        client.get(url("volunteer_list"))
    for n in range(2, 20):
        make_volunteer(district.east_community, n)
    with CaptureQueriesContext(connection) as many:
        client.get(url("volunteer_list"))
    assert len(many) == len(few) <= 15


def test_detail_shows_the_five_blocks_and_logs_a_reveal(client, served, dora):
    verified_login(client, dora)
    response = client.get(url("volunteer_detail", pk=served.pk))
    assert response.status_code == 200
    body = response.content.decode()
    for block in ("一、基本信息", "二、服务情况", "三、培训情况", "四、表彰奖励", "五、评价情况"):
        assert block in body
    assert served.id_number not in body
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Volunteer)
    reveal = client.post(
        reverse("core:pii_reveal", kwargs={"content_type_id": kind.pk, "pk": served.pk, "field": "phone"})
    )
    assert reveal.status_code == 200 and served.phone in reveal.content.decode()
    assert PersonalDataAccess.objects.filter(field="phone").count() == 1


def test_detail_query_ceiling(client, served, dora):
    verified_login(client, dora)
    client.get(url("volunteer_detail", pk=served.pk))  # the session settles on the first request
    with CaptureQueriesContext(connection) as few:
        client.get(url("volunteer_detail", pk=served.pk))
    for n in range(5):
        services.add_training(served, course=f"课{n}", held_on=timezone.localdate(), minutes=30, result="", by=dora)
        services.add_award(
            served, honour=f"奖{n}", level="community", issuer="社区", awarded_on=timezone.localdate(), by=dora
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url("volunteer_detail", pk=served.pk))
    assert len(many) == len(few)


def test_outsider_gets_404(client, served, charlie):
    client.force_login(charlie)
    for name in ("volunteer_detail", "volunteer_edit", "volunteer_record_xlsx", "training_add", "certificate_issue"):
        assert client.get(url(name, pk=served.pk)).status_code == 404, name


def test_staff_create_needs_paper_consent(client, bob, district):
    client.force_login(bob)
    data = {"name": "赵六", "id_number": id_number(40), "phone": "13600000040", "unit": district.east_community.pk}
    response = client.post(url("volunteer_create"), data)
    assert response.status_code == 400 and not Volunteer.objects.exists()
    response = client.post(url("volunteer_create"), {**data, "consented_on_paper": "on"})
    assert response.status_code == 302
    assert Volunteer.objects.get().source == "staff"
    again = client.post(url("volunteer_create"), {**data, "consented_on_paper": "on"}, follow=True)
    assert "已注册" in again.content.decode()


def test_staff_edit_and_entries_with_confirmation(client, served, bob):
    client.force_login(bob)
    response = client.post(
        url("volunteer_edit", pk=served.pk),
        {
            "unit": served.unit_id,
            "name": "新名字",
            "phone": "13600000088",
            "address": "",
            "skills": "",
            "availability": "",
        },
    )
    assert response.status_code == 302
    served.refresh_from_db()
    assert served.name == "新名字"
    client.post(
        url("training_add", pk=served.pk), {"course": "急救", "held_on": "2026-01-05", "minutes": 90, "result": "合格"}
    )
    client.post(
        url("award_add", pk=served.pk),
        {"honour": "优秀志愿者", "level": "street", "issuer": "东城街道", "awarded_on": "2026-02-01"},
    )
    client.post(url("evaluation_add", pk=served.pk), {"rating": 5, "comment": "认真"})
    training = Training.objects.get()
    assert Award.objects.count() == 1 and served.evaluations.count() == 1
    assert client.get(url("training_delete", pk=training.pk)).status_code == 200  # the confirmation
    assert Training.objects.exists()
    client.post(url("training_delete", pk=training.pk))
    assert not Training.objects.exists()


def test_entry_delete_of_another_unit_is_404(client, served, bob, charlie):
    training = services.add_training(served, course="急救", held_on=timezone.localdate(), minutes=30, result="", by=bob)
    client.force_login(charlie)
    assert client.post(url("training_delete", pk=training.pk)).status_code == 404
    assert Training.objects.exists()


def test_certificate_issue_download_and_revoke(client, served, bob):
    client.force_login(bob)
    today = timezone.localdate()
    response = client.post(
        url("certificate_issue", pk=served.pk), {"period_start": today - timedelta(days=30), "period_end": today}
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.minutes == 90
    docx = client.get(url("certificate_docx", pk=certificate.pk))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert certificate.number in text and certificate.code in text and served.number in text
    assert served.id_number not in text and "1.5" in text
    pdf = client.get(url("certificate_pdf", pk=certificate.pk))
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 503:
        assert "LibreOffice" in pdf.content.decode()
    assert client.get(url("certificate_revoke", pk=certificate.pk)).status_code == 200
    client.post(url("certificate_revoke", pk=certificate.pk), {"reason": "重复出具"})
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


def test_certificate_refused_without_hours_shows_the_rule(client, bob, district):
    volunteer = make_volunteer(district.east_community, 3)
    client.force_login(bob)
    today = timezone.localdate()
    response = client.post(
        url("certificate_issue", pk=volunteer.pk),
        {"period_start": today - timedelta(days=30), "period_end": today},
        follow=True,
    )
    assert "谁记录谁证明" in response.content.decode() and not Certificate.objects.exists()


def test_outsider_cannot_open_a_certificate(client, served, bob, charlie):
    certificate = services.issue_certificate(
        served, by=bob, period_start=timezone.localdate() - timedelta(days=30), period_end=timezone.localdate()
    )
    client.force_login(charlie)
    for name in ("certificate_docx", "certificate_pdf", "certificate_revoke"):
        assert client.get(url(name, pk=certificate.pk)).status_code == 404


# --- The public check ------------------------------------------------------------------------------


def test_public_check_shows_no_id_or_phone_and_revoked_as_revoked(client, served, bob):
    certificate = services.issue_certificate(
        served, by=bob, period_start=timezone.localdate() - timedelta(days=30), period_end=timezone.localdate()
    )
    import time

    from xuanchuan.core.public import human_check_token

    response = client.post(
        url("certificate_verify"), {"code": certificate.code, "hp_started": human_check_token(time.time() - 10)}
    )
    assert response.status_code == 302 and response.url == url("certificate_check", code=certificate.code)
    body = client.get(response.url).content.decode()
    assert "该证明真实有效" in body and "1.5" in body and certificate.number in body and "东城街道" in body
    assert served.id_number not in body and served.phone not in body and served.name not in body
    assert served.id_number[-4:] not in body
    services.revoke_certificate(certificate, reason="错误", by=bob)
    body = client.get(url("certificate_check", code=certificate.code)).content.decode()
    assert "作废，不再有效" in body and "该证明真实有效" not in body


def test_public_check_unknown_code(client, district):
    import time

    from xuanchuan.core.public import human_check_token

    assert client.get(url("certificate_check", code="nope")).status_code == 404
    response = client.post(
        url("certificate_verify"), {"code": "abcdefghij", "hp_started": human_check_token(time.time() - 10)}
    )
    assert response.status_code == 400 and "未找到" in response.content.decode()


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_masked_and_scoped(client, served, bob, charlie):
    client.force_login(bob)
    rows = client.get("/api/volunteers/people/volunteers").json()
    items = rows["items"] if isinstance(rows, dict) else rows
    assert [r["number"] for r in items] == [served.number]
    assert served.phone not in str(rows)
    detail = client.get(f"/api/volunteers/people/volunteers/{served.pk}").json()
    assert detail["certified_minutes"] == 150 and served.id_number not in str(detail)
    client.force_login(charlie)
    assert client.get(f"/api/volunteers/people/volunteers/{served.pk}").status_code == 404


def test_pdf_without_libreoffice_says_so(client, served, bob, monkeypatch):
    from xuanchuan.volunteers import certificates

    monkeypatch.setattr(certificates, "soffice", lambda: None)
    today = timezone.localdate()
    certificate = services.issue_certificate(served, by=bob, period_start=today - timedelta(days=30), period_end=today)
    client.force_login(bob)
    staff = client.get(url("certificate_pdf", pk=certificate.pk))
    assert staff.status_code == 503 and "LibreOffice" in staff.content.decode()
    client.logout()
    sign_in_phone(client, served)
    phone = client.get(url("m_certificate_pdf", pk=certificate.pk))
    assert phone.status_code == 503 and "LibreOffice" in phone.content.decode()
    assert "新时代文明实践 · 志愿服务" in phone.content.decode()


def test_pdf_through_libreoffice_where_installed(client, served, bob):
    from xuanchuan.volunteers.certificates import soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed here")
    today = timezone.localdate()
    certificate = services.issue_certificate(served, by=bob, period_start=today - timedelta(days=30), period_end=today)
    client.force_login(bob)
    response = client.get(url("certificate_pdf", pk=certificate.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
