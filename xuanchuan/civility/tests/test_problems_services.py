"""Problems: recording, idempotent re-sends, citizens' reports, verification, rejection, merging."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xuanchuan.civility.models import ApiClient, Category, Place, PlaceKind, Problem, ProblemSource, ProblemStatus
from xuanchuan.civility.services import problems as services
from xuanchuan.civility.tests.test_photos import jpeg
from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode


@pytest.fixture
def inspector(district):
    return make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员")


@pytest.fixture
def category(db):
    return Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")


@pytest.fixture
def place(district):
    return Place.objects.create(
        unit=district.publicity,
        name="东城菜市场",
        area=district.east,
        kind=PlaceKind.MARKET,
        latitude=Decimal("39.900000"),
        longitude=Decimal("116.400000"),
    )


@pytest.fixture
def client_app(district):
    return ApiClient.objects.create(unit=district.publicity, name="12345热线", key_prefix="abc", key_hash="x" * 64)


def record(inspector, category, **kwargs):
    kwargs.setdefault("description", "菜市场门口堆放垃圾")
    kwargs.setdefault("address", "东城路 1 号")
    return services.record_problem(by=inspector, category=category, **kwargs)


def test_an_inspector_records_a_problem_with_photos(inspector, category, place, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("a.jpg", jpeg(gps=(39.91, 116.41)), content_type="image/jpeg")
    problem = record(inspector, category, place=place, address="", photos=[photo], immediate=True)
    assert problem.status == ProblemStatus.OPEN
    assert problem.unit == inspector.unit
    assert problem.area == place.area
    assert problem.severity == category.default_severity
    assert problem.public_id.startswith(f"W{timezone.localdate().year}-")
    assert problem.photos.count() == 1
    assert float(problem.latitude) == pytest.approx(39.91, abs=1e-5)  # taken from the photo's EXIF


def test_place_coordinates_are_used_when_there_are_no_others(inspector, category, place):
    problem = record(inspector, category, place=place, address="")
    assert problem.latitude == place.latitude


def test_only_inspectors_record(bob, category):
    with pytest.raises(PermissionDenied):
        record(bob, category)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"description": " "}, "请描述"),
        ({"address": ""}, "请选择点位或填写地址"),
        ({"latitude": "91", "longitude": "1"}, "超出范围"),
        ({"latitude": "30"}, "同时填写"),
        ({"latitude": "abc", "longitude": "1"}, "格式不正确"),
        ({"client_key": "a b'c"}, "提交标识"),
    ],
)
def test_bad_input_is_refused_in_chinese(inspector, category, kwargs, message):
    with pytest.raises(ServiceError, match=message):
        record(inspector, category, **kwargs)


def test_a_category_of_an_old_standard_is_refused(inspector, category):
    category.is_active = False
    category.save()
    with pytest.raises(ServiceError, match="现行测评标准"):
        record(inspector, category)


def test_a_place_the_inspector_cannot_see_is_refused(inspector, category, district):
    hidden = Place.objects.create(unit=district.west, name="西城公园", area=district.west, kind=PlaceKind.PARK)
    with pytest.raises(ServiceError, match="可见的点位"):
        record(inspector, category, place=hidden)


def test_a_resent_report_is_stored_once(inspector, category):
    key = "5b0b7c53-5b8f-4f0e-9d7e-0f9b8d2d1a11"
    first = record(inspector, category, client_key=key)
    second = record(inspector, category, client_key=key, description="再次发送")
    assert first.pk == second.pk
    assert Problem.objects.filter(client_key=key).count() == 1


def test_public_numbers_differ(inspector, category):
    numbers = {record(inspector, category).public_id for _ in range(5)}
    assert len(numbers) == 5


def test_a_citizens_report_enters_unverified(client_app, category):
    problem = services.report_from_client(
        client=client_app,
        category=category,
        description="路灯不亮",
        latitude="39.9",
        longitude="116.4",
        reporter_name="张三",
        reporter_contact="13800000000",
        client_key="k-1",
    )
    assert problem.status == ProblemStatus.UNVERIFIED
    assert problem.source == ProblemSource.OPEN311
    assert problem.unit == client_app.unit and problem.api_client == client_app
    again = services.report_from_client(
        client=client_app, category=category, description="x", address="y", client_key="k-1"
    )
    assert again.pk == problem.pk
    stored = Problem.objects.get(pk=problem.pk)
    assert stored.reporter_contact == "13800000000"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select reporter_contact from civility_problem where id = %s", [problem.pk])
        assert "13800000000" not in cursor.fetchone()[0]


def test_a_citizens_report_needs_a_location(client_app, category):
    with pytest.raises(ServiceError, match="地址或经纬度"):
        services.report_from_client(client=client_app, category=category, description="x")


def test_verify_and_reject(client_app, category, inspector, place, bob):
    report = services.report_from_client(client=client_app, category=category, description="x", address="y")
    with pytest.raises(PermissionDenied):
        services.verify_report(report, by=bob, place=place)
    with pytest.raises(ServiceError, match="所在街道"):
        services.verify_report(report, by=inspector)
    verified = services.verify_report(report, by=inspector, place=place)
    assert verified.status == ProblemStatus.OPEN and verified.area == place.area
    assert verified.verified_by == inspector and verified.verified_at
    with pytest.raises(ServiceError, match="只能核实"):
        services.verify_report(verified, by=inspector, place=place)

    other = services.report_from_client(client=client_app, category=category, description="x", address="z")
    with pytest.raises(ServiceError, match="理由"):
        services.reject_report(other, reason=" ", by=inspector)
    rejected = services.reject_report(other, reason="现场无此问题", by=inspector)
    assert rejected.status == ProblemStatus.REJECTED and rejected.reject_reason == "现场无此问题"


def test_merge_candidates_and_merge(inspector, category, place):
    a = record(inspector, category, place=place, address="")
    b = record(inspector, category, place=place, address="")
    near = record(inspector, category, address="别处", latitude="39.900300", longitude="116.400000")  # ~33 m
    far = record(inspector, category, address="远处", latitude="39.910000", longitude="116.400000")  # ~1.1 km
    old = record(inspector, category, place=place, address="", found_at=timezone.now() - timedelta(days=5))
    other_kind = services.record_problem(
        by=inspector,
        category=Category.objects.get(standard__is_current=True, code="ORD_PARKING"),
        description="乱停车",
        place=place,
    )
    candidates = services.merge_candidates(a, inspector)
    assert b in candidates and near in candidates
    assert far not in candidates and old not in candidates and other_kind not in candidates

    merged = services.merge(b, into=a, by=inspector)
    assert merged.status == ProblemStatus.MERGED and merged.merged_into == a and merged.merged_by == inspector
    with pytest.raises(ServiceError, match="只能合并待核实或待交办"):
        services.merge(b, into=a, by=inspector)
    with pytest.raises(ServiceError, match="同一地点"):
        services.merge(far, into=a, by=inspector)
    with pytest.raises(ServiceError, match="同一类别"):
        services.merge(other_kind, into=a, by=inspector)
    with pytest.raises(ServiceError, match="自己"):
        services.merge(a, into=a, by=inspector)


def test_an_outsider_cannot_merge_what_they_do_not_see(inspector, category, place, district):
    a = record(inspector, category, place=place, address="")
    b = record(inspector, category, place=place, address="")
    west_inspector = make_person("west", district.west, RoleCode.CIVILITY_INSPECTOR)
    with pytest.raises(ServiceError, match="找不到"):
        services.merge(b, into=a, by=west_inspector)


def test_retention_erases_the_citizens_contact(client_app, category):
    from xuanchuan.core.pii.retention import _RULES

    services.register_retention()
    assert any(rule.model is Problem for rule in _RULES.values())


def test_a_client_key_of_someone_else_is_refused(inspector, category, district):
    key = "1b0b7c53-5b8f-4f0e-9d7e-0f9b8d2d1a11"
    record(inspector, category, client_key=key)
    other = make_person("other", district.publicity, RoleCode.CIVILITY_INSPECTOR)
    with pytest.raises(ServiceError, match="已被使用"):
        record(other, category, client_key=key)
