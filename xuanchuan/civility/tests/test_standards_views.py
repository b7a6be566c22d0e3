"""Pages and API of the standards part: who may do what, 404 for another unit's place, the gap
list, the Excel round trip, bad input, query caps."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xuanchuan.civility.models import Assignment, Category, Place, PlaceKind, Standard
from xuanchuan.conftest import make_person
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(district):
    return make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员")


@pytest.fixture
def places(district, inspector):
    made = []
    for number in range(12):
        area = district.east if number % 2 else district.west
        made.append(
            Place.objects.create(
                unit=district.publicity, area=area, name=f"点位{number:02d}", kind=PlaceKind.ALLEY, created_by=inspector
            )
        )
    for place in made[:6]:
        assignment = Assignment.objects.create(place=place, unit=district.east, starts_on=datetime.date(2024, 1, 1))
        assignment.categories.set(Category.objects.filter(standard__is_current=True)[:2])
    return made


def test_an_inspector_adds_a_responsibility_and_the_gap_disappears(client, district, inspector, places):
    client.force_login(inspector)
    url = reverse("civility:responsibility_list")
    page = client.get(url, {"gap": "yes"}).content.decode()
    assert ">点位11<" in page and ">点位00<" not in page and "空白点位 6 个" in page
    target = places[11]
    response = client.post(
        reverse("civility:assignment_create", args=[target.pk]),
        {"unit": district.education.pk, "kind": "support", "starts_on": "2025-03-01", "note": ""},
    )
    assert response.status_code == 302
    page = client.get(url, {"gap": "yes"}).content.decode()
    assert ">点位11<" not in page and "空白点位 5 个" in page
    # On a day before the responsibility began the place is a gap again.
    assert ">点位11<" in client.get(url, {"gap": "yes", "day": "2025-02-28"}).content.decode()


def test_bad_input_gives_chinese_errors_not_500(client, district, inspector, places):
    client.force_login(inspector)
    response = client.post(
        reverse("civility:assignment_create", args=[places[11].pk]),
        {"unit": district.east.pk, "kind": "street", "starts_on": "2025-03-01", "ends_on": "2025-01-01"},
    )
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    response = client.post(reverse("civility:place_create"), {"name": "", "kind": "nope"})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert client.get(reverse("civility:responsibility_list"), {"day": "99999-1-1", "page": "x"}).status_code == 200


def test_a_reporter_reads_but_does_not_write(client, bob, district, places):
    client.force_login(bob)
    assert client.get(reverse("civility:standard_list")).status_code == 200
    assert client.get(reverse("civility:place_create")).status_code == 403
    standard = Standard.objects.get(is_current=True)
    assert (
        client.post(reverse("civility:standard_copy", args=[standard.pk]), {"version": "x", "name": "y"}).status_code
        == 403
    )


def test_another_units_place_is_404(client, district, places, charlie):
    kept_by_east = Place.objects.create(unit=district.east, area=district.east, name="东城自管点", kind=PlaceKind.PARK)
    client.force_login(charlie)
    assert client.get(reverse("civility:place_detail", args=[kept_by_east.pk])).status_code == 404
    assert client.get(reverse("civility:place_detail", args=[999999])).status_code == 404
    assert "东城自管点" not in client.get(reverse("civility:responsibility_list")).content.decode()
    assert client.get(reverse("api:civility_place_detail", args=[kept_by_east.pk])).status_code == 404


def test_the_street_sees_the_places_in_its_area(client, district, places, bob):
    client.force_login(bob)
    page = client.get(reverse("civility:place_list")).content.decode()
    assert "点位07" in page and "点位00" in page  # 00 lies in 西城 but 东城街道 answers for it
    assert "点位08" not in page  # in 西城, nobody answers


def test_standard_export_imports_back_unchanged(client, inspector):
    client.force_login(inspector)
    standard = Standard.objects.get(is_current=True)
    exported = client.get(reverse("civility:standard_detail", args=[standard.pk]), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(exported.getvalue())).worksheets[0].values)
    assert rows[0][:3] == ("代码", "名称", "大类") and len(rows) == 20
    upload = io.BytesIO(exported.getvalue())
    upload.name = "standard.xlsx"
    response = client.post(
        reverse("civility:standard_import"), {"version": standard.version, "name": standard.name, "file": upload}
    )
    assert response.status_code == 302
    assert "19 个无变化" in client.get(response.url).content.decode()


def test_import_refusal_shows_the_rows(client, inspector):
    client.force_login(inspector)
    upload = io.BytesIO(b"not a workbook")
    upload.name = "x.xlsx"
    response = client.post(reverse("civility:standard_import"), {"version": "X", "name": "Y", "file": upload})
    assert response.status_code == 400 and "Excel" in response.content.decode()


def test_make_current_asks_first(client, inspector):
    client.force_login(inspector)
    standard = Standard.objects.get(is_current=True)
    copy_url = reverse("civility:standard_copy", args=[standard.pk])
    response = client.post(copy_url, {"version": "2027", "name": "2027年版"})
    new = Standard.objects.get(version="2027")
    url = reverse("civility:standard_make_current", args=[new.pk])
    assert "确认将" in client.get(url).content.decode()
    assert not Standard.objects.get(pk=new.pk).is_current
    response = client.post(url)
    assert response.status_code == 302 and Standard.objects.get(is_current=True) == new


def test_pages_have_bounded_queries(client, inspector, places, django_assert_max_num_queries):
    client.force_login(inspector)
    for name in ("civility:responsibility_list", "civility:place_list", "civility:standard_list"):
        client.get(reverse(name))
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200
    standard = Standard.objects.get(is_current=True)
    with django_assert_max_num_queries(12):
        client.get(reverse("civility:standard_detail", args=[standard.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("civility:place_detail", args=[places[0].pk]))


def test_api_lists_categories_and_places(client, inspector, places):
    client.force_login(inspector)
    categories = client.get(reverse("api:civility_category_list")).json()
    assert len(categories) == 19 and categories[0]["code"] == "ENV_GARBAGE"
    gaps = client.get(reverse("api:civility_place_list"), {"gap": "true"}).json()
    assert gaps["count"] == 6
    detail = client.get(reverse("api:civility_place_detail", args=[places[0].pk])).json()
    assert detail["assignments"][0]["unit_name"] == "东城街道"
    assert client.get(reverse("api:civility_place_list"), {"q": "x" * 101}).status_code in (400, 422)


def test_the_place_list_export_imports_back_unchanged(client, inspector, places):
    client.force_login(inspector)
    exported = client.get(reverse("civility:place_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(exported.getvalue())).worksheets[0].values)
    assert len(rows) == 13 and "东城街道" in rows[1] + rows[2]
    upload = io.BytesIO(exported.getvalue())
    upload.name = "places.xlsx"
    response = client.post(reverse("civility:place_import"), {"file": upload})
    assert response.status_code == 302
    assert "12 个无变化" in client.get(response.url).content.decode()


def test_the_place_list_filters_to_places_without_a_responsible_unit(client, inspector, places):
    client.force_login(inspector)
    page = client.get(reverse("civility:place_list"), {"gap": "yes"})
    assert page.context["paginator"].count == 6
    assert {row.name for row, _values in page.context["rows"]} == {f"点位{n:02d}" for n in range(6, 12)}
    assert client.get(reverse("civility:place_list"), {"gap": "no", "kind": "ALLEY"}).context["paginator"].count == 6
    assert client.get(reverse("civility:place_list"), {"area": "abc"}).status_code == 200
