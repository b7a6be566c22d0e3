"""The events part's services: roles and scope first, series names usable as a figure's argument,
which series, venues and associations an event may use, recording as held (audience bounds, not
before the start, photos), cancel, delete only while planned, photos (nine at most, EXIF gone,
files removed) and links (https only)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import Association, Event, EventKind, EventLink, EventPhoto, EventStatus, Series
from xuanchuan.culture.services import events as services
from xuanchuan.culture.tests.factories_events import jpeg_upload, make_event, make_photo, make_series, make_venue
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db


def data(unit, **fields) -> services.EventInput:
    starts = fields.pop("starts_at", timezone.now() - timedelta(hours=3))
    fields.setdefault("address", "文化广场")
    return services.EventInput(
        unit=unit,
        title=fields.pop("title", "广场舞展演"),
        kind=fields.pop("kind", EventKind.PERFORMANCE),
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + timedelta(hours=2)),
        **fields,
    )


# --- Series ----------------------------------------------------------------------------------------


def test_create_series_checks_role_scope_name_and_year(district, alice, bob, charlie) -> None:
    year = timezone.localdate().year
    item = services.create_series(unit=district.east, name="  东城读书月 ", year=year, by=bob)
    assert item.name == "东城读书月" and item.created_by == bob
    with pytest.raises(PermissionDenied):
        services.create_series(unit=district.east, name="越权", year=year, by=charlie)
    nobody = make_person("nobody", district.east)
    with pytest.raises(PermissionDenied):
        services.create_series(unit=district.east, name="无角色", year=year, by=nobody)
    with pytest.raises(ServiceError, match="已有名为"):
        services.create_series(unit=district.east, name="东城读书月", year=year, by=bob)
    for bad in ("读书(月)", "a/b", "", "x" * 101):
        with pytest.raises(ServiceError, match="系列活动名称不符合要求"):
            services.create_series(unit=district.east, name=bad, year=year, by=bob)
    with pytest.raises(ServiceError, match="年度应在"):
        services.create_series(unit=district.east, name="远古", year=1999, by=bob)
    # The same name another year, or in another unit, is another series.
    services.create_series(unit=district.east, name="东城读书月", year=year - 1, by=bob)
    services.create_series(unit=district.root, name="东城读书月", year=year, by=alice)
    assert Series.objects.filter(name="东城读书月").count() == 3


def test_update_series_refuses_a_year_its_events_are_not_in(district, bob) -> None:
    year = timezone.localdate().year
    item = make_series(district.east, name="东城消夏晚会", year=year)
    make_event(district.east, series=item, starts_at=timezone.make_aware(timezone.datetime(year, 1, 10, 19)))
    with pytest.raises(ServiceError, match="其他年度的活动"):
        services.update_series(item, name="东城消夏晚会", year=year + 1, by=bob)
    done = services.update_series(item, name="东城消夏文艺晚会", year=year, description="每周五", active=False, by=bob)
    assert (done.name, done.description, done.active) == ("东城消夏文艺晚会", "每周五", False)
    make_series(district.east, name="重名", year=year)
    with pytest.raises(ServiceError, match="已有名为"):
        services.update_series(item, name="重名", year=year, by=bob)


# --- Events ----------------------------------------------------------------------------------------


def test_create_event_checks_role_scope_and_input(district, bob, charlie, dora) -> None:
    event = services.create_event(data(district.east_community, title=" 邻里文化节 "), by=bob)
    assert event.title == "邻里文化节" and event.status == EventStatus.PLANNED and event.unit == district.east_community
    with pytest.raises(PermissionDenied):
        services.create_event(data(district.east), by=charlie)
    with pytest.raises(PermissionDenied):  # dora's scope is 幸福社区 only
        services.create_event(data(district.east), by=dora)
    assert services.create_event(data(district.east_community), by=dora).created_by == dora
    with pytest.raises(ServiceError, match="结束时间应晚于开始时间"):
        start = timezone.now()
        services.create_event(data(district.east, starts_at=start, ends_at=start), by=bob)
    with pytest.raises(ServiceError, match="请选择场馆或填写活动地点"):
        services.create_event(data(district.east, address=" "), by=bob)
    with pytest.raises(ServiceError, match="请选择活动类型"):
        services.create_event(data(district.east, kind="dance"), by=bob)
    with pytest.raises(ServiceError, match="请填写活动名称"):
        services.create_event(data(district.east, title=""), by=bob)


def test_an_event_joins_series_of_its_unit_and_above_of_its_year(district, bob) -> None:
    year = timezone.localdate().year
    start = timezone.make_aware(timezone.datetime(year, 2, 1, 19))
    district_series = make_series(district.root, name="欢乐中国年", year=year)
    own = make_series(district.east, name="东城文化节", year=year)
    west = make_series(district.west, name="西城文化节", year=year)
    below = make_series(district.east_community, name="幸福社区睦邻节", year=year)
    last_year = make_series(district.root, name="去年的系列", year=year - 1)
    stopped = make_series(district.east, name="停用的系列", year=year, active=False)
    for series in (district_series, own):
        assert services.create_event(data(district.east, series=series, starts_at=start), by=bob).series == series
    for series, why in ((west, "只能选择本单位或上级单位"), (below, "只能选择本单位或上级单位"),
                        (stopped, "只能选择本单位或上级单位"), (last_year, "年的")):  # fmt: skip
        with pytest.raises(ServiceError, match=why):
            services.create_event(data(district.east, series=series, starts_at=start), by=bob)
    # A community's event may join the street's series.
    assert services.create_event(data(district.east_community, series=own, starts_at=start), by=bob).series == own


def test_venue_of_another_unit_the_user_cannot_see_is_refused(district, bob) -> None:
    mine = make_venue(district.east, name="东城文化站")
    district_library = make_venue(district.root, name="区图书馆")
    west = make_venue(district.west, name="西城文化站")
    closed = make_venue(district.east, name="停用的书屋", active=False)
    assert services.create_event(data(district.east, venue=mine, address=""), by=bob).venue == mine
    assert services.create_event(data(district.east, venue=district_library, address=""), by=bob).venue_id
    with pytest.raises(ServiceError, match="不属于本单位或上级单位"):
        services.create_event(data(district.east, venue=west, address=""), by=bob)
    with pytest.raises(ServiceError, match="已停止开放"):
        services.create_event(data(district.east, venue=closed, address=""), by=bob)
    west_club = Association.objects.create(unit=district.west, name="西城书法家协会", art_form="书法")
    with pytest.raises(ServiceError, match="该协会不属于本单位或上级单位"):
        services.create_event(data(district.east, association=west_club), by=bob)
    own_club = Association.objects.create(unit=district.root, name="区书法家协会", art_form="书法")
    assert services.create_event(data(district.east, association=own_club), by=bob).association == own_club


def test_update_event_keeps_held_ones_held_and_refuses_cancelled(district, bob) -> None:
    planned = make_event(district.east, starts_at=timezone.now() + timedelta(days=2))
    changed = services.update_event(planned, data(district.east, title="改名的演出"), by=bob)
    assert changed.title == "改名的演出" and changed.status == EventStatus.PLANNED
    held = make_event(district.east, held=True, audience=300)
    done = services.update_event(held, data(district.east, title="补充演员", performers="区文化馆艺术团"), by=bob)
    assert (done.status, done.audience, done.performers) == (EventStatus.HELD, 300, "区文化馆艺术团")
    with pytest.raises(ServiceError, match="不能晚于现在"):
        services.update_event(held, data(district.east, starts_at=timezone.now() + timedelta(days=1)), by=bob)
    cancelled = make_event(district.east, status=EventStatus.CANCELLED, cancel_reason="下雨")
    with pytest.raises(ServiceError, match="已取消的活动不能再修改"):
        services.update_event(cancelled, data(district.east), by=bob)


def test_record_held_once_started_with_audience_and_summary(district, bob) -> None:
    future = make_event(district.east, starts_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ServiceError, match="还没有开始"):
        services.record_held(future, audience=10, summary="好", by=bob)
    event = make_event(district.east)
    for audience, why in ((0, "1 到 1000000"), (1_000_001, "1 到 1000000"), ("", "请填写参与群众人数")):
        with pytest.raises(ServiceError, match=why):
            services.record_held(event, audience=audience, summary="好", by=bob)
    with pytest.raises(ServiceError, match="请填写活动情况"):
        services.record_held(event, audience=10, summary=" ", by=bob)
    done = services.record_held(event, audience=1_000_000, summary="座无虚席", photos=[jpeg_upload()], by=bob)
    assert (done.status, done.audience, done.summary) == (EventStatus.HELD, 1_000_000, "座无虚席")
    assert done.photos.count() == 1
    with pytest.raises(ServiceError, match="只能登记尚未举办的活动"):
        services.record_held(event, audience=10, summary="再次", by=bob)


def test_cancel_and_delete(district, bob, charlie) -> None:
    event = make_event(district.east, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ServiceError, match="请说明取消的原因"):
        services.cancel_event(event, reason=" ", by=bob)
    with pytest.raises(PermissionDenied):
        services.cancel_event(event, reason="雨", by=charlie)
    done = services.cancel_event(event, reason="暴雨预警", by=bob)
    assert (done.status, done.cancel_reason) == (EventStatus.CANCELLED, "暴雨预警")
    with pytest.raises(ServiceError, match="只能取消尚未举办的活动"):
        services.cancel_event(event, reason="再取消", by=bob)
    with pytest.raises(ServiceError, match="只能删除尚未举办的活动"):
        services.delete_event(event, by=bob)
    held = make_event(district.east, held=True)
    with pytest.raises(ServiceError, match="只能删除尚未举办的活动"):
        services.delete_event(held, by=bob)
    planned = make_event(district.east, starts_at=timezone.now() + timedelta(days=1))
    photo = make_photo(planned)
    storage, name = photo.image.storage, photo.image.name
    assert storage.exists(name)
    with pytest.raises(PermissionDenied):
        services.delete_event(planned, by=charlie)
    services.delete_event(planned, by=bob)
    assert not Event.objects.filter(pk=planned.pk).exists() and not EventPhoto.objects.filter(pk=photo.pk).exists()


def test_delete_removes_the_photo_files_once_committed(district, bob, django_capture_on_commit_callbacks) -> None:
    planned = make_event(district.east, starts_at=timezone.now() + timedelta(days=1))
    photo = make_photo(planned)
    storage, name = photo.image.storage, photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_event(planned, by=bob)
    assert not storage.exists(name)


# --- Photos and links -------------------------------------------------------------------------------


def exif_jpeg() -> SimpleUploadedFile:
    image = Image.new("RGB", (60, 40), "green")
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("exif.jpg", out.getvalue(), content_type="image/jpeg")


def test_photos_are_cleaned_capped_at_nine_and_deleted(district, bob, charlie, django_capture_on_commit_callbacks):
    event = make_event(district.east, held=True)
    saved = services.add_photos(event, photos=[exif_jpeg()], caption="合影", by=bob)
    with saved[0].image.open("rb") as handle:
        data_bytes = handle.read()
    assert b"SecretCamera" not in data_bytes and saved[0].caption == "合影"
    with pytest.raises(ServiceError, match="请选择要上传的照片"):
        services.add_photos(event, photos=[], by=bob)
    with pytest.raises(ServiceError):
        services.add_photos(event, photos=[SimpleUploadedFile("x.jpg", b"not an image")], by=bob)
    services.add_photos(event, photos=[jpeg_upload(f"{n}.jpg") for n in range(8)], by=bob)
    with pytest.raises(ServiceError, match="最多 9 张照片，已有 9 张"):
        services.add_photos(event, photos=[jpeg_upload()], by=bob)
    with pytest.raises(PermissionDenied):
        services.add_photos(event, photos=[jpeg_upload()], by=charlie)
    photo = saved[0]
    storage, name = photo.image.storage, photo.image.name
    with pytest.raises(PermissionDenied):
        services.delete_photo(photo, by=charlie)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(photo, by=bob)
    assert not storage.exists(name) and event.photos.count() == 8
    with pytest.raises(ServiceError, match="已被删除"):
        services.delete_photo(photo, by=bob)


def test_cancelled_events_take_no_photos_or_links(district, bob) -> None:
    event = make_event(district.east, status=EventStatus.CANCELLED, cancel_reason="雨")
    with pytest.raises(ServiceError, match="已取消的活动"):
        services.add_photos(event, photos=[jpeg_upload()], by=bob)
    with pytest.raises(ServiceError, match="已取消的活动"):
        services.add_link(event, url="https://example.com/v", by=bob)


def test_links_https_only_no_duplicates(district, bob, charlie) -> None:
    event = make_event(district.east, held=True)
    link = services.add_link(
        event, url=" https://channels.weixin.qq.com/v/1 ", title="精彩回顾", platform="视频号", by=bob
    )
    assert (link.url, link.platform) == ("https://channels.weixin.qq.com/v/1", "视频号")
    for bad in ("http://example.com/v", "javascript:alert(1)", "ftp://x.cn/a", "", "https://"):
        with pytest.raises(ServiceError, match="https://"):
            services.add_link(event, url=bad, by=bob)
    with pytest.raises(ServiceError, match="已经添加过"):
        services.add_link(event, url="https://channels.weixin.qq.com/v/1", by=bob)
    with pytest.raises(PermissionDenied):
        services.add_link(event, url="https://example.com/a", by=charlie)
    with pytest.raises(PermissionDenied):
        services.delete_link(link, by=charlie)
    services.delete_link(link, by=bob)
    assert not EventLink.objects.exists()


def test_series_for_lists_the_units_and_ancestors_active_series(district) -> None:
    year = timezone.localdate().year
    wanted = {make_series(district.root, name="区级", year=year), make_series(district.east, name="街道", year=year)}
    make_series(district.east_community, name="社区", year=year)
    make_series(district.west, name="西城", year=year)
    make_series(district.root, name="去年", year=year - 1)
    assert set(services.series_for(district.east, year)) == wanted


def test_admin_manages_every_unit(district, alice) -> None:
    assert services.create_event(data(district.west_community), by=alice).unit == district.west_community
    worker = make_person("worker", district.east, RoleCode.COMMUNITY_WORKER)
    assert services.create_event(data(district.east_community), by=worker).created_by == worker
