"""Services of the standards part: versions, the Excel import, places and responsibilities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from xuanchuan.civility.models import Assignment, Category, Place, PlaceKind, Standard
from xuanchuan.civility.queries.standards import places_without_responsibility
from xuanchuan.civility.services import standards as services
from xuanchuan.conftest import make_person
from xuanchuan.core.exports import workbook_bytes
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db

HEADERS = ["代码", "名称", "大类", "默认严重程度", "整改期限（天）", "说明"]


@pytest.fixture
def inspector(district):
    return make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员")


@pytest.fixture
def current():
    return Standard.objects.get(is_current=True)


def xlsx(rows, headers=HEADERS):
    return workbook_bytes("类别", headers, rows)


def test_only_standard_keepers_write(bob, current):
    with pytest.raises(PermissionDenied):
        services.copy_standard(current, version="2027", name="新版", by=bob)
    with pytest.raises(PermissionDenied):
        services.create_place(by=bob, name="x", area=bob.unit, kind=PlaceKind.ALLEY)


def test_copy_then_make_current_keeps_one_current(inspector, current):
    copy = services.copy_standard(current, version="2027", name="2027年版", by=inspector)
    assert copy.categories.count() == 19 and not copy.is_current
    with pytest.raises(ServiceError, match="已存在"):
        services.copy_standard(current, version="2027", name="再来", by=inspector)
    services.make_current(copy, by=inspector)
    assert list(Standard.objects.filter(is_current=True)) == [copy]
    with pytest.raises(ServiceError, match="已是当前版本"):
        services.make_current(copy, by=inspector)


def test_the_database_allows_one_current_version(current):
    with pytest.raises(IntegrityError), transaction.atomic():
        Standard.objects.create(name="另一个", version="X", is_current=True)


def test_a_version_without_active_categories_cannot_become_current(inspector):
    empty = Standard.objects.create(name="空", version="E")
    with pytest.raises(ServiceError, match="没有启用的问题类别"):
        services.make_current(empty, by=inspector)


def test_edit_and_disable_a_category(inspector, current):
    category = current.categories.get(code="ENV_WATER")
    services.update_category(category, deadline_days=10, by=inspector)
    with pytest.raises(ServiceError, match="1 到 365"):
        services.update_category(category, deadline_days=0, by=inspector)
    services.set_category_active(category, active=False, by=inspector)
    category.refresh_from_db()
    assert category.deadline_days == 10 and not category.is_active


def test_import_makes_a_version_and_the_same_file_again_changes_nothing(inspector):
    data = xlsx([["A1", "暴露垃圾", "市容环境", "较重", 2, ""], ["B1", "乱停车", "交通秩序", "一般", 1, "说明"]])
    first = services.import_standard(data, version="2030", name="试行", by=inspector)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert first.standard.categories.get(code="A1").default_severity == "major"
    again = services.import_standard(data, version="2030", name="试行", by=inspector)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = xlsx([["A1", "暴露垃圾", "市容环境", "较重", 3, ""]])
    assert services.import_standard(changed, version="2030", name="试行", by=inspector).updated == 1
    assert Category.objects.get(standard__version="2030", code="A1").deadline_days == 3


def test_import_is_all_or_nothing_with_row_and_column(inspector):
    data = xlsx([["A1", "暴露垃圾", "市容环境", "一般", 2, ""], ["A2", "", "市容环境", "很重", "x", ""]])
    with pytest.raises(ServiceError) as refused:
        services.import_standard(data, version="2031", name="坏文件", by=inspector)
    text = " ".join(refused.value.messages)
    assert "第 3 行“名称”列为空" in text and "第 3 行“默认严重程度”" in text and "第 3 行“整改期限（天）”" in text
    assert not Standard.objects.filter(version="2031").exists()
    assert not Category.objects.filter(code="A1").exists()


def test_import_refuses_missing_columns_and_duplicate_codes(inspector):
    with pytest.raises(ServiceError, match="缺少列"):
        services.import_standard(xlsx([["A1", "x"]], headers=["代码", "名称"]), version="9", name="n", by=inspector)
    rows = [["A1", "x", "g", "一般", 1], ["A1", "y", "g", "一般", 1]]
    with pytest.raises(ServiceError, match="与第 2 行重复"):
        services.import_standard(xlsx(rows), version="9", name="n", by=inspector)
    with pytest.raises(ServiceError):
        services.import_standard(b"not a workbook", version="9", name="n", by=inspector)


def test_export_rows_read_back_unchanged(inspector, current):
    data = xlsx(services.standard_rows(current))
    result = services.import_standard(data, version=current.version, name=current.name, by=inspector)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 19)


@pytest.fixture
def place(inspector, district):
    return services.create_place(by=inspector, name="人民路", area=district.east, kind=PlaceKind.ROAD_MAIN)


def test_a_place_is_kept_by_the_actor_unit_and_named_once_per_area(inspector, district, place):
    assert place.unit == district.publicity
    with pytest.raises(ServiceError, match="同名点位"):
        services.create_place(by=inspector, name="人民路", area=district.east, kind=PlaceKind.ALLEY)
    services.create_place(by=inspector, name="人民路", area=district.west, kind=PlaceKind.ALLEY)
    with pytest.raises(ServiceError, match="一起填写"):
        services.update_place(place, latitude=30, by=inspector)


def test_an_assignment_closes_the_gap_and_ending_it_opens_it(inspector, district, place):
    leader = make_person("leader", district.east, RoleCode.UNIT_REPORTER)
    assert list(places_without_responsibility(inspector)) == [place]
    assignment = services.create_assignment(
        place, unit=district.east, kind="street", starts_on=datetime.date(2025, 1, 1), leader=leader, by=inspector
    )
    assert list(places_without_responsibility(inspector)) == []
    services.end_assignment(assignment, ends_on=datetime.date(2025, 6, 30), by=inspector)
    assert list(places_without_responsibility(inspector)) == [place]
    with pytest.raises(ServiceError, match="已于"):
        services.end_assignment(assignment, ends_on=datetime.date(2025, 7, 30), by=inspector)


def test_assignment_rules(inspector, district, place, bob, current):
    day = datetime.date(2025, 1, 1)
    with pytest.raises(ServiceError, match="责任领导须是责任单位"):
        services.create_assignment(place, unit=district.west, kind="street", starts_on=day, leader=bob, by=inspector)
    with pytest.raises(ServiceError, match="结束日期不能早于"):
        services.create_assignment(
            place, unit=district.east, kind="street", starts_on=day, ends_on=datetime.date(2024, 1, 1), by=inspector
        )
    old = Standard.objects.create(name="旧", version="2015")
    stale = Category.objects.create(standard=old, code="X", name="旧", group="g")
    with pytest.raises(ServiceError, match="当前标准版本"):
        services.create_assignment(
            place, unit=district.east, kind="street", starts_on=day, categories=[stale], by=inspector
        )
    services.set_place_active(place, active=False, by=inspector)
    with pytest.raises(ServiceError, match="已停用"):
        services.create_assignment(place, unit=district.east, kind="street", starts_on=day, by=inspector)
    assert not Assignment.objects.exists()


def test_another_keepers_place_is_not_there(district, place):
    west_inspector = make_person("xi", district.west, RoleCode.CIVILITY_INSPECTOR)
    with pytest.raises(ServiceError, match="找不到该点位"):
        services.update_place(place, name="改名", by=west_inspector)
    assert Place.objects.get(pk=place.pk).name == "人民路"


PLACE_HEADERS = ["名称", "点位类型", "所在街道（乡镇）", "地址或范围", "责任单位"]


def test_places_import_all_or_nothing_and_again_changes_nothing(inspector, district):
    rows = [
        ["人民路东段", "主次干道", "东城街道", "人民路 1-99 号", "（导出列，忽略）"],
        ["和平市场", "MARKET", "西城街道", ""],
    ]
    first = services.import_places(xlsx(rows, headers=PLACE_HEADERS), by=inspector)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert Place.objects.get(name="人民路东段").unit == district.publicity
    again = services.import_places(xlsx(rows, headers=PLACE_HEADERS), by=inspector)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    bad = [["新点位", "主次干道", "东城街道", ""], ["坏点位", "不存在的类型", "火星街道", ""]]
    with pytest.raises(ServiceError) as refused:
        services.import_places(xlsx(bad, headers=PLACE_HEADERS), by=inspector)
    text = " ".join(refused.value.messages)
    assert "第 3 行“点位类型”" in text and "第 3 行“所在街道（乡镇）”" in text
    assert not Place.objects.filter(name="新点位").exists()
