"""Problems pages: recording (plain form and the offline queue's JSON), the list and its export,
a problem's page with photos, verify/reject/merge pages, photos only for who sees the problem."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanchuan.civility.models import Photo, Problem, ProblemStatus
from xuanchuan.civility.services import problems as services
from xuanchuan.civility.tests import test_problems_services as base
from xuanchuan.civility.tests.test_photos import jpeg

# The fixtures of the services' tests, shared.
inspector, category, place, client_app = base.inspector, base.category, base.place, base.client_app

NEW = reverse("civility:problem_new")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_inspector_records_a_problem_with_a_photo(client, inspector, category, place):
    client.force_login(inspector)
    assert client.get(NEW).status_code == 200
    photo = SimpleUploadedFile("p.jpg", jpeg(gps=(39.9, 116.4)), content_type="image/jpeg")
    response = client.post(
        NEW, {"category": category.pk, "place": place.pk, "description": "垃圾桶满溢", "photos": [photo]}
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    page = client.get(problem.get_absolute_url())
    assert "垃圾桶满溢" in page.content.decode()
    photo = Photo.objects.get()
    assert reverse("civility:problem_photo", args=[photo.pk]) in page.content.decode()
    image = client.get(reverse("civility:problem_photo", args=[photo.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_a_non_image_gives_a_chinese_error_not_a_500(client, inspector, category, place):
    client.force_login(inspector)
    fake = SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(NEW, {"category": category.pk, "place": place.pk, "description": "x", "photos": [fake]})
    assert response.status_code == 200
    assert "不是可以识别的图片" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_queue_gets_json_and_a_resend_is_stored_once(client, inspector, category, place):
    client.force_login(inspector)
    key = str(uuid.uuid4())
    data = {"category": category.pk, "place": place.pk, "description": "垃圾桶满溢", "client_key": key}
    first = client.post(NEW, data, HTTP_X_CIVILITY_QUEUE="1")
    second = client.post(NEW, data, HTTP_X_CIVILITY_QUEUE="1")
    assert first.status_code == second.status_code == 201
    assert first.json()["public_id"] == second.json()["public_id"]
    assert Problem.objects.filter(client_key=key).count() == 1
    bad = client.post(NEW, {**data, "description": "", "client_key": str(uuid.uuid4())}, HTTP_X_CIVILITY_QUEUE="1")
    assert bad.status_code == 400 and "description" in bad.json()["errors"]


def test_others_may_not_record(client, bob):
    client.force_login(bob)
    assert client.get(NEW).status_code == 403


def test_list_search_filter_and_export(client, inspector, category, place, bob):
    services.record_problem(by=inspector, category=category, place=place, description="菜市场垃圾")
    services.record_problem(by=inspector, category=category, address="北路", description="广告牌破损")
    client.force_login(inspector)
    url = reverse("civility:problem_list")
    page = client.get(url, {"q": "菜市场"}).content.decode()
    assert "东城菜市场" in page and "北路" not in page
    assert client.get(url, {"status": "open", "found_from": "2000-01-01", "category": category.pk}).status_code == 200
    assert client.get(url, {"found_from": "not-a-date"}).status_code == 200
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    # bob's street (东城) is the place's area: he sees the problem at his place, not the other.
    client.force_login(bob)
    page = client.get(url).content.decode()
    assert "东城菜市场" in page and "北路" not in page


def test_outsiders_get_404(client, inspector, category, place, charlie):
    problem = services.record_problem(
        by=inspector,
        category=category,
        place=place,
        description="x",
        photos=[SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")],
    )
    client.force_login(charlie)
    assert client.get(problem.get_absolute_url()).status_code == 404
    assert client.get(reverse("civility:problem_photo", args=[problem.photos.get().pk])).status_code == 404


def test_verify_and_reject_pages(client, inspector, client_app, category, place):
    report = services.report_from_client(client=client_app, category=category, description="x", address="y")
    client.force_login(inspector)
    page = client.get(report.get_absolute_url()).content.decode()
    assert reverse("civility:problem_verify", args=[report.pk]) in page
    url = reverse("civility:problem_verify", args=[report.pk])
    missing = client.post(url, {"category": category.pk, "severity": "minor"})
    assert "以便交办" in missing.content.decode()
    client.post(url, {"category": category.pk, "place": place.pk, "severity": "major"})
    report.refresh_from_db()
    assert report.status == ProblemStatus.OPEN and report.severity == "major"

    other = services.report_from_client(client=client_app, category=category, description="x", address="z")
    url = reverse("civility:problem_reject", args=[other.pk])
    assert "确认不属实" in client.get(url).content.decode()
    client.post(url, {"reason": "现场核查无此问题"})
    other.refresh_from_db()
    assert other.status == ProblemStatus.REJECTED


def test_merge_is_offered_and_confirmed(client, inspector, category, place):
    a = services.record_problem(by=inspector, category=category, place=place, description="a")
    b = services.record_problem(by=inspector, category=category, place=place, description="b")
    client.force_login(inspector)
    url = reverse("civility:problem_merge", args=[b.pk, a.pk])
    assert url in client.get(a.get_absolute_url()).content.decode()
    assert "确认合并" in client.get(url).content.decode()
    b.refresh_from_db()
    assert b.status == ProblemStatus.OPEN  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.status == ProblemStatus.MERGED and b.merged_into == a
    assert b.public_id in client.get(a.get_absolute_url()).content.decode()


def test_detail_query_count(client, inspector, category, place, django_assert_max_num_queries):
    for _ in range(5):
        services.record_problem(by=inspector, category=category, place=place, description="x")
    problem = Problem.objects.first()
    client.force_login(inspector)
    with django_assert_max_num_queries(20):
        page = client.get(problem.get_absolute_url()).content.decode()
    # An open problem leads the inspector on to issuing its 交办单.
    assert f"{reverse('civility:ticket_issue')}?problems={problem.pk}" in page


def test_the_url_walk_part_gives_the_outsider_404(client, district, bob, dora, charlie):
    """The project-wide walk, for this part's routes only (the whole walk: xuanchuan/tests)."""
    from xuanchuan.civility import urls_problems
    from xuanchuan.civility.tests import scoping_problems

    secret = scoping_problems.create_records(district, {"bob": bob, "dora": dora})
    client.force_login(charlie)
    for pattern in urls_problems.urlpatterns:
        name = f"civility:{pattern.name}"
        kwargs = tuple(pattern.pattern.converters)
        if not kwargs:
            for query in ({}, {"export": "xlsx"}, {"q": "东城"}):
                response = client.get(reverse(name), query)
                assert response.status_code in (200, 403)
                if response.status_code == 200 and not query.get("export"):
                    assert not [word for word in secret if word in response.content.decode()]
            continue
        found = scoping_problems.arguments(name, kwargs, district, {"bob": bob, "dora": dora})
        assert found, name
        for arguments in found:
            method = arguments.pop("_method", "get")
            assert getattr(client, method)(reverse(name, kwargs=arguments)).status_code == 404, (name, method)
    [api] = scoping_problems.arguments("api:civility_problem_detail", ("problem_id",), district, {})
    assert client.get(reverse("api:civility_problem_detail", kwargs=api)).status_code == 404
    listed = str(client.get(reverse("api:civility_problem_list")).json())
    assert not [word for word in secret if word in listed]


def test_the_page_links_the_ticket(client, inspector, category, place, district):
    from datetime import date

    from xuanchuan.civility.models import Ticket

    problem = services.record_problem(by=inspector, category=category, place=place, description="x")
    ticket = Ticket.objects.create(
        unit=district.east,
        number="文明交〔2026〕1号",
        year=2026,
        sequence=1,
        issuing_unit=district.publicity,
        due_on=date(2026, 12, 31),
    )
    Problem.objects.filter(pk=problem.pk).update(ticket=ticket)
    client.force_login(inspector)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert reverse("civility:ticket_detail", args=[ticket.pk]) in page and "文明交〔2026〕1号" in page


def test_a_citizens_contact_is_shown_masked(client, inspector, client_app, category):
    report = services.report_from_client(
        client=client_app,
        category=category,
        description="x",
        address="y",
        reporter_name="张三丰",
        reporter_contact="13812345678",
    )
    client.force_login(inspector)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="problem-reporter"' in page
    assert "13812345678" not in page and "张三丰" not in page
