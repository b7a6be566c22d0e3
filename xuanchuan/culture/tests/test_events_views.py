"""The events part's pages: lists (query bounds, search, filters, Excel), scope (charlie of 西城街道
sees nothing of 东城街道's: lists, details, photos, links, calendar), roles (no role: 403 on
writes), bad input (a Chinese message, what was typed kept, nothing saved), create → held with
photos → links → delete behind confirmations, the calendar, the series pages and the to-dos."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.culture.models import Event, EventKind, EventLink, EventStatus, Series
from xuanchuan.culture.tests.factories_events import jpeg_upload, make_event, make_link, make_photo, make_series
from xuanchuan.culture.todos_events import todos

pytestmark = pytest.mark.django_db


def sheet_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in book.active.iter_rows(values_only=True))


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Lists -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["culture:event_list", "culture:series_list", "culture:event_calendar"])
def test_lists_have_bounded_queries(client, district, bob, name, django_assert_max_num_queries):
    for n in range(10):
        series = make_series(district.east, name=f"系列{n}")
        make_event(
            district.east,
            title=f"活动{n}",
            series=series,
            held=n % 2 == 0,
            starts_at=timezone.now() - timedelta(hours=n + 1),
        )
    client.force_login(bob)
    with django_assert_max_num_queries(20):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_event_list_filters_search_and_export(client, district, bob):
    year = timezone.localdate().year
    series = make_series(district.east, name="东城读书月")
    make_event(district.east, title="绘本共读", kind=EventKind.READING, series=series, held=True)
    make_event(district.east_community, title="送戏下乡专场", kind=EventKind.COUNTRYSIDE,
               starts_at=timezone.now() + timedelta(days=3))  # fmt: skip
    make_event(district.east, title="前年的演出", starts_at=timezone.now() - timedelta(days=800), held=True)
    client.force_login(bob)
    url = reverse("culture:event_list")

    def titles(query) -> str:
        return client.get(url, query).content.decode()

    body = titles({"kind": EventKind.READING})
    assert "绘本共读" in body and "送戏下乡专场" not in body
    body = titles({"status": EventStatus.PLANNED})
    assert "送戏下乡专场" in body and "绘本共读" not in body
    body = titles({"series": series.pk})
    assert "绘本共读" in body and "送戏下乡专场" not in body
    body = titles({"q": "下乡"})
    assert "送戏下乡专场" in body and "绘本共读" not in body
    body = titles({"unit": district.east_community.pk})
    assert "送戏下乡专场" in body and "绘本共读" not in body
    body = titles({"year": str(year - 2)}) + titles({"year": str(year - 3)})
    assert "前年的演出" in body and "绘本共读" not in body
    month = timezone.localtime(timezone.now() + timedelta(days=3)).month
    assert "送戏下乡专场" in titles({"month": str(month)})
    exported = sheet_text(client.get(url, {"export": "xlsx", "kind": EventKind.READING}))
    assert "绘本共读" in exported and "东城读书月" in exported and "送戏下乡专场" not in exported


def test_series_list_totals_and_export(client, district, bob, alice):
    series = make_series(district.root, name="欢乐中国年")
    make_event(district.east, series=series, held=True, audience=100)
    make_event(district.west, series=series, held=True, audience=50)
    make_event(district.east, series=series, status=EventStatus.CANCELLED, cancel_reason="雨")
    verified_login(client, alice)
    response = client.get(reverse("culture:series_list"))
    row = next(row for row, _values in response.context["rows"] if row.pk == series.pk)
    assert (row.event_count, row.held_count, row.audience_total) == (2, 2, 150)
    assert "欢乐中国年" in sheet_text(client.get(reverse("culture:series_list"), {"export": "xlsx"}))
    detail = client.get(reverse("culture:series_detail", args=[series.pk]))
    assert detail.context["totals"].held == 2 and detail.context["totals"].audience == 150
    assert detail.context["totals"].cancelled == 1


def test_outsider_sees_none_of_the_sibling_records(client, district, charlie):
    series = make_series(district.east, name="东城秘密系列")
    event = make_event(district.east, title="东城秘密活动", series=series, held=True)
    photo, link = make_photo(event), make_link(event)
    make_event(district.west, title="西城活动")
    client.force_login(charlie)
    body = client.get(reverse("culture:event_list")).content.decode()
    assert "西城活动" in body and "东城秘密活动" not in body
    assert "东城秘密系列" not in client.get(reverse("culture:series_list")).content.decode()
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    assert "东城秘密活动" not in client.get(reverse("culture:event_calendar"), {"month": month}).content.decode()
    assert client.get(reverse("culture:event_calendar"), {"unit": district.east.pk}).status_code == 404
    for url in (
        reverse("culture:series_detail", args=[series.pk]),
        reverse("culture:series_edit", args=[series.pk]),
        reverse("culture:event_detail", args=[event.pk]),
        reverse("culture:event_edit", args=[event.pk]),
        reverse("culture:event_held", args=[event.pk]),
        reverse("culture:event_cancel", args=[event.pk]),
        reverse("culture:event_delete", args=[event.pk]),
        reverse("culture:event_photo_add", args=[event.pk]),
        reverse("culture:event_photo", args=[event.pk, photo.pk]),
        reverse("culture:event_photo_delete", args=[event.pk, photo.pk]),
        reverse("culture:event_link_add", args=[event.pk]),
        reverse("culture:event_link_delete", args=[event.pk, link.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_photo_of_another_event_is_404(client, district, bob):
    one, other = make_event(district.east, held=True), make_event(district.east, held=True)
    photo = make_photo(other)
    client.force_login(bob)
    assert client.get(reverse("culture:event_photo", args=[one.pk, photo.pk])).status_code == 404
    response = client.get(reverse("culture:event_photo", args=[other.pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_role_reads_but_cannot_write(client, district):
    viewer = make_person("viewer", district.east)
    event = make_event(district.east, held=True)
    client.force_login(viewer)
    assert client.get(reverse("culture:event_list")).status_code == 200
    assert client.get(reverse("culture:event_detail", args=[event.pk])).status_code == 200
    for url in (
        reverse("culture:event_create"),
        reverse("culture:series_create"),
        reverse("culture:event_edit", args=[event.pk]),
        reverse("culture:event_photo_add", args=[event.pk]),
        reverse("culture:event_link_add", args=[event.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert "edit-event" not in client.get(reverse("culture:event_detail", args=[event.pk])).content.decode()


def test_anonymous_goes_to_login(client, district):
    for name in ("culture:event_list", "culture:series_list", "culture:event_calendar", "culture:event_create"):
        assert client.get(reverse(name)).status_code == 302


# --- The main path -----------------------------------------------------------------------------------


def test_create_record_held_with_photos_links_and_delete(client, district, bob, django_capture_on_commit_callbacks):
    series = make_series(district.root, name="欢乐中国年")
    client.force_login(bob)
    start = timezone.localtime() - timedelta(hours=3)
    form = {
        "unit": district.east_community.pk, "title": "幸福社区迎新春联欢会", "kind": EventKind.PERFORMANCE,
        "series": series.pk, "starts_at": local(start), "ends_at": local(start + timedelta(hours=2)),
        "address": "幸福社区广场", "performers": "社区合唱队",
    }  # fmt: skip
    response = client.post(reverse("culture:event_create"), form)
    event = Event.objects.get(title="幸福社区迎新春联欢会")
    assert response.status_code == 302 and event.series == series and event.created_by == bob
    detail = client.get(reverse("culture:event_detail", args=[event.pk])).content.decode()
    assert "record-held" in detail and "欢乐中国年" in detail
    response = client.post(
        reverse("culture:event_held", args=[event.pk]),
        {"audience": "260", "summary": "居民自编自演", "photos": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg", "blue")]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.audience) == (EventStatus.HELD, 260) and event.photos.count() == 2
    response = client.post(
        reverse("culture:event_link_add", args=[event.pk]),
        {"url": "https://www.douyin.com/video/7", "title": "联欢会视频", "platform": "抖音"},
    )
    assert response.status_code == 302 and EventLink.objects.get().title == "联欢会视频"
    detail = client.get(reverse("culture:event_detail", args=[event.pk])).content.decode()
    assert "联欢会视频" in detail and detail.count(f"culture/events/{event.pk}/photos/") >= 2
    link = EventLink.objects.get()
    assert client.get(reverse("culture:event_link_delete", args=[event.pk, link.pk])).status_code == 200
    client.post(reverse("culture:event_link_delete", args=[event.pk, link.pk]))
    assert not EventLink.objects.exists()
    photo = event.photos.first()
    assert (
        "删除这张照片" in client.get(reverse("culture:event_photo_delete", args=[event.pk, photo.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("culture:event_photo_delete", args=[event.pk, photo.pk]))
    assert event.photos.count() == 1
    # A held event cannot be deleted: the confirmation says why, the record stays.
    client.post(reverse("culture:event_delete", args=[event.pk]))
    assert Event.objects.filter(pk=event.pk).exists()


def test_bad_input_keeps_what_was_typed(client, district, bob):
    client.force_login(bob)
    start = timezone.localtime() + timedelta(days=2)
    form = {"unit": district.east.pk, "title": "留住我写的标题", "kind": EventKind.STAGE,
            "starts_at": local(start), "ends_at": local(start - timedelta(hours=1)), "address": ""}  # fmt: skip
    response = client.post(reverse("culture:event_create"), form)
    body = response.content.decode()
    assert response.status_code == 400 and "结束时间应晚于开始时间" in body and "请选择场馆或填写活动地点" in body
    assert "留住我写的标题" in body and not Event.objects.exists()
    event = make_event(district.east, starts_at=timezone.now() + timedelta(days=1))
    response = client.post(reverse("culture:event_held", args=[event.pk]), {"audience": "5", "summary": "早了"})
    assert response.status_code == 400 and "活动还没有开始" in response.content.decode()
    response = client.post(reverse("culture:event_held", args=[event.pk]), {"audience": "0", "summary": ""})
    assert response.status_code == 400 and "请填写活动情况" in response.content.decode()
    response = client.post(reverse("culture:event_link_add", args=[event.pk]), {"url": "http://example.com/v"})
    assert response.status_code == 400 and "https://" in response.content.decode()
    response = client.post(reverse("culture:event_photo_add", args=[event.pk]), {"caption": "无照片"})
    assert response.status_code == 400 and "请选择要上传的照片" in response.content.decode()
    response = client.post(reverse("culture:series_create"), {"unit": district.east.pk, "name": "读书(月)",
                                                             "year": timezone.localdate().year})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400 and "含有 ( ) { } | / \\ 等字符" in body and not Series.objects.exists()


def test_cancel_and_delete_behind_confirmations(client, district, bob):
    client.force_login(bob)
    event = make_event(district.east, title="被取消的演出", starts_at=timezone.now() + timedelta(days=1))
    page = client.get(reverse("culture:event_cancel", args=[event.pk])).content.decode()
    assert "取消“被取消的演出”？" in page
    assert client.post(reverse("culture:event_cancel", args=[event.pk]), {"reason": ""}).status_code == 400
    client.post(reverse("culture:event_cancel", args=[event.pk]), {"reason": "暴雨"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancel_reason == "暴雨"
    planned = make_event(district.east, title="误录的活动", starts_at=timezone.now() + timedelta(days=1))
    assert "删除“误录的活动”？" in client.get(reverse("culture:event_delete", args=[planned.pk])).content.decode()
    assert Event.objects.filter(pk=planned.pk).exists()
    response = client.post(reverse("culture:event_delete", args=[planned.pk]))
    assert response.status_code == 302 and response.url == reverse("culture:event_list")
    assert not Event.objects.filter(pk=planned.pk).exists()


def test_edit_event_and_series(client, district, bob):
    client.force_login(bob)
    event = make_event(district.east, starts_at=timezone.now() + timedelta(days=1))
    form = client.get(reverse("culture:event_edit", args=[event.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(title="新名称", starts_at=local(event.starts_at), ends_at=local(event.ends_at))
    assert client.post(reverse("culture:event_edit", args=[event.pk]), data).status_code == 302
    event.refresh_from_db()
    assert event.title == "新名称"
    series = make_series(district.east, name="东城文化节")
    edit = {"name": "东城文化艺术节", "year": series.year, "description": "", "active": ""}
    response = client.post(reverse("culture:series_edit", args=[series.pk]), edit)
    series.refresh_from_db()
    assert response.status_code == 302 and series.name == "东城文化艺术节" and not series.active
    new = {"unit": district.east.pk, "name": "东城消夏晚会", "year": timezone.localdate().year}
    response = client.post(reverse("culture:series_create"), new)
    assert response.status_code == 302 and Series.objects.filter(name="东城消夏晚会", unit=district.east).exists()


def test_event_form_offers_series_of_the_unit_and_above(client, district, bob):
    year = timezone.localdate().year
    make_series(district.root, name="区级系列", year=year)
    make_series(district.east, name="东城系列", year=year)
    make_series(district.west, name="西城系列", year=year)
    make_series(district.root, name="太早的系列", year=year - 3)
    client.force_login(bob)
    body = client.get(reverse("culture:event_create")).content.decode()
    assert "区级系列" in body and "东城系列" in body and "西城系列" not in body and "太早的系列" not in body


# --- Calendar and to-dos -------------------------------------------------------------------------------


def test_calendar_shows_the_month_by_day(client, district, bob):
    start = timezone.localtime().replace(day=15, hour=19, minute=30)
    make_event(district.east, title="月中晚会", starts_at=start, kind=EventKind.STAGE)
    make_event(district.east, title="下月读书会", starts_at=start + timedelta(days=31), kind=EventKind.READING)
    client.force_login(bob)
    url = reverse("culture:event_calendar")
    response = client.get(url, {"month": start.strftime("%Y-%m")})
    body = response.content.decode()
    assert "月中晚会" in body and "下月读书会" not in body and response.context["month"].count == 1
    assert (
        "月中晚会"
        not in client.get(url, {"month": start.strftime("%Y-%m"), "kind": EventKind.READING}).content.decode()
    )
    assert client.get(url, {"month": "2025-13"}).status_code == 200  # a bad month is this month
    assert client.get(url, {"unit": district.east_community.pk}).status_code == 200


def test_todos_count_planned_events_whose_end_has_passed(district, bob, charlie):
    make_event(district.east, title="过期未登记", starts_at=timezone.now() - timedelta(days=2))
    make_event(district.east, title="正在进行", starts_at=timezone.now() - timedelta(hours=1), hours=3)
    make_event(district.east, held=True)
    found = list(todos(bob))
    assert len(found) == 1 and found[0].count == 1 and "due=overdue" in found[0].url
    assert list(todos(charlie)) == []
    assert list(todos(make_person("viewer", district.east))) == []
