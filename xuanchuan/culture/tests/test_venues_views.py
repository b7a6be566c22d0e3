"""The venues part's pages: lists with counts, filters, search, Excel and query ceilings; a venue's
activities by year; create/edit with Chinese errors and nothing lost; close, reopen and delete
behind a confirmation; associations established, dissolved; members added with the phone masked
(page and Excel), the reveal logged, leaving behind a confirmation; 403 for a role without the
right, 404 for another unit's record; the API and the to-do."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.culture import todos_venues
from xuanchuan.culture.models import Association, AssociationMember, AssociationStatus, EventKind, Venue, VenueKind
from xuanchuan.culture.tests.factories_venues import make_association, make_event, make_member, make_venue
from xuanchuan.org.models import RoleCode

pytestmark = pytest.mark.django_db


def sheet(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_venue_list_counts_filters_searches_and_exports(client, district, bob, django_assert_max_num_queries):
    make_venue(district.east, name="东城综合文化站", kind=VenueKind.OTHER)
    make_venue(district.east_community, name="幸福书屋", kind=VenueKind.BOOKSHOP)
    make_venue(district.east_community, name="关了的书屋", kind=VenueKind.BOOKSHOP, active=False)
    make_venue(district.west, name="西城书屋", kind=VenueKind.BOOKSHOP)
    client.force_login(bob)
    url = reverse("culture:venue_list")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "西城书屋" not in body
    counts = {item["kind"]: item["count"] for item in response.context["kinds"]}
    assert counts[VenueKind.BOOKSHOP] == 1 and counts[VenueKind.OTHER] == 1  # open ones only
    names = lambda r: [row.name for row, _values in r.context["rows"]]  # noqa: E731
    assert sorted(names(client.get(url, {"kind": VenueKind.BOOKSHOP}))) == ["关了的书屋", "幸福书屋"]
    assert names(client.get(url, {"active": "false"})) == ["关了的书屋"]
    assert names(client.get(url, {"q": "综合"})) == ["东城综合文化站"]
    assert sorted(names(client.get(url, {"unit": district.east_community.pk}))) == ["关了的书屋", "幸福书屋"]
    rows = sheet(client.get(url, {"export": "xlsx", "kind": VenueKind.BOOKSHOP}))
    assert rows[0][0] == "场馆名称" and sorted(r[0] for r in rows[1:]) == ["关了的书屋", "幸福书屋"]


def test_venue_detail_shows_activities_by_year(client, district, bob, charlie, django_assert_max_num_queries):
    venue = make_venue(district.east_community, name="幸福社区文化大院")
    last_year = timezone.localdate().year - 1
    when = timezone.make_aware(timezone.datetime(last_year, 5, 1, 9))
    make_event(district.east_community, venue=venue, title="去年研学", kind=EventKind.STUDY_TRIP, starts_at=when,
               audience=40)  # fmt: skip
    make_event(district.east_community, venue=venue, title="今年读书会", audience=25)
    make_event(district.east, venue=venue, title="计划中的", held=False, starts_at=timezone.now() + timedelta(days=3))
    client.force_login(bob)
    url = reverse("culture:venue_detail", args=[venue.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    years = {y.year: (y.events, y.study_trips, y.reading, y.audience) for y in response.context["years"]}
    assert years == {last_year: (1, 1, 0, 40), last_year + 1: (1, 0, 1, 25)}
    assert "去年研学" in body and "今年读书会" in body and "计划中的" in body
    assert 'id="delete-venue"' not in body  # in use: close it instead
    filtered = client.get(url, {"year": last_year})
    assert [e.title for e in filtered.context["events"]] == ["去年研学"]
    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_create_venue_with_errors_keeps_the_input(client, district, bob):
    client.force_login(bob)
    url = reverse("culture:venue_create")
    data = {"unit": district.east_community.pk, "name": "幸福书屋", "kind": VenueKind.BOOKSHOP, "address": "",
            "capacity": "0", "opening_hours": "每日"}  # fmt: skip
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400 and "这个字段是必填项" in body and 'value="幸福书屋"' in body
    data.update(address="幸福路 3 号", capacity="30")
    response = client.post(url, data)
    venue = Venue.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("culture:venue_detail", args=[venue.pk])
    response = client.post(url, data)  # the same name again: the service's Chinese refusal, input kept
    assert response.status_code == 400 and "本单位已有名为“幸福书屋”的场馆" in response.content.decode()
    data["unit"] = district.west.pk  # not the user's to choose
    assert client.post(url, data).status_code == 400


def test_edit_close_reopen_and_delete_ask_first(client, district, bob):
    venue = make_venue(district.east)
    client.force_login(bob)
    edit = reverse("culture:venue_edit", args=[venue.pk])
    data = {"name": "东城文化站", "kind": VenueKind.OTHER, "address": "东城路 1 号", "opening_hours": "",
            "capacity": "", "phone": "0871-1234567"}  # fmt: skip
    assert client.post(edit, data).status_code == 302
    venue.refresh_from_db()
    assert (venue.name, venue.kind, venue.capacity) == ("东城文化站", VenueKind.OTHER, None)
    close = reverse("culture:venue_close", args=[venue.pk])
    assert "关闭“东城文化站”？" in client.get(close).content.decode()
    venue.refresh_from_db()
    assert venue.active
    client.post(close)
    venue.refresh_from_db()
    assert not venue.active
    client.post(reverse("culture:venue_reopen", args=[venue.pk]))
    venue.refresh_from_db()
    assert venue.active
    delete = reverse("culture:venue_delete", args=[venue.pk])
    assert "删除“东城文化站”？" in client.get(delete).content.decode() and Venue.objects.exists()
    assert client.post(delete)["Location"] == reverse("culture:venue_list")
    assert not Venue.objects.exists()


def test_delete_refused_for_a_venue_in_use(client, district, bob):
    venue = make_venue(district.east)
    make_event(district.east, venue=venue)
    client.force_login(bob)
    response = client.post(reverse("culture:venue_delete", args=[venue.pk]), follow=True)
    assert "已有活动记录，不能删除" in response.content.decode() and Venue.objects.filter(pk=venue.pk).exists()


def test_writes_need_the_role(client, district, bob):
    from xuanchuan.conftest import make_person

    viewer = make_person("viewer", district.east, RoleCode.REVIEWER_FIRST)
    venue = make_venue(district.east)
    association = make_association(district.east)
    client.force_login(viewer)
    assert client.get(reverse("culture:venue_list")).status_code == 200
    assert 'id="add-new"' not in client.get(reverse("culture:venue_list")).content.decode()
    for url in (
        reverse("culture:venue_create"),
        reverse("culture:venue_edit", args=[venue.pk]),
        reverse("culture:venue_close", args=[venue.pk]),
        reverse("culture:association_create"),
        reverse("culture:association_establish", args=[association.pk]),
        reverse("culture:member_add", args=[association.pk]),
    ):
        assert client.post(url).status_code == 403, url


def test_association_list_counts_filters_and_exports(client, district, bob, django_assert_max_num_queries):
    established = make_association(district.east, name="东城美术家协会", established_on=date(2024, 3, 1))
    make_member(established, name="甲")
    make_member(established, name="乙", left_on=date(2025, 1, 1))
    make_association(district.east, name="东城摄影家协会", art_form="摄影")
    make_association(district.west, name="西城音乐家协会", art_form="音乐")
    client.force_login(bob)
    url = reverse("culture:association_list")
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert "西城音乐家协会" not in response.content.decode()
    counts = {item["status"]: item["count"] for item in response.context["statuses"]}
    assert counts == {AssociationStatus.PREPARING: 1, AssociationStatus.ESTABLISHED: 1, AssociationStatus.DISSOLVED: 0}
    rows = [(row.name, row.member_count) for row, _v in client.get(url, {"status": "established"}).context["rows"]]
    assert rows == [("东城美术家协会", 1)]
    assert [r.name for r, _v in client.get(url, {"art_form": "摄影"}).context["rows"]] == ["东城摄影家协会"]
    exported = sheet(client.get(url, {"export": "xlsx"}))
    assert exported[0][0] == "协会名称" and {r[0] for r in exported[1:]} == {"东城美术家协会", "东城摄影家协会"}


def test_create_association_established_needs_a_date(client, district, bob):
    client.force_login(bob)
    url = reverse("culture:association_create")
    data = {"unit": district.east.pk, "name": "东城书法家协会", "art_form": "书法", "status": "established",
            "established_on": "", "leader": "赵", "description": ""}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400 and "已成立的协会请填写成立日期" in response.content.decode()
    data["established_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "日期不能晚于今天" in client.post(url, data).content.decode()
    data["established_on"] = "2024-05-20"
    response = client.post(url, data)
    assert response.status_code == 302
    association = Association.objects.get()
    assert (association.status, association.established_on) == (AssociationStatus.ESTABLISHED, date(2024, 5, 20))


def test_establish_dissolve_and_members(client, district, bob, dora, django_assert_max_num_queries):
    association = make_association(district.east, name="东城书法家协会")
    client.force_login(bob)
    detail = reverse("culture:association_detail", args=[association.pk])
    establish = reverse("culture:association_establish", args=[association.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(establish, {"on": tomorrow})
    assert response.status_code == 400 and "日期不能晚于今天" in response.content.decode()
    assert client.post(establish, {"on": "2025-06-01"})["Location"] == detail
    association.refresh_from_db()
    assert association.status == AssociationStatus.ESTABLISHED and association.established_on == date(2025, 6, 1)

    add = reverse("culture:member_add", args=[association.pk])
    bad = client.post(add, {"name": "钱书法", "role": "会长", "phone": "123", "joined_on": "2025-06-01"})
    assert bad.status_code == 400 and 'value="钱书法"' in bad.content.decode()
    ok = client.post(add, {"name": "钱书法", "role": "会长", "phone": "13712345678", "joined_on": "2025-06-01"})
    assert ok["Location"] == detail
    member = AssociationMember.objects.get()
    make_event(district.east, association=association, title="书法进社区")
    with django_assert_max_num_queries(16):
        page = client.get(detail)
    body = page.content.decode()
    assert "13712345678" not in body and "137****5678" in body and "书法进社区" in body

    exported = sheet(client.get(detail, {"export": "xlsx"}))
    assert exported[1][:3] == ("钱书法", "会长", "137****5678")
    assert "13712345678" not in str(exported)

    edit = reverse("culture:member_edit", args=[association.pk, member.pk])
    client.post(edit, {"name": "钱书法", "role": "副会长", "phone": "", "joined_on": "2025-06-01"})
    member.refresh_from_db()
    assert (member.role, member.phone) == ("副会长", "13712345678")

    leave = reverse("culture:member_leave", args=[association.pk, member.pk])
    assert "退出“东城书法家协会”？" in client.get(leave).content.decode()
    assert client.post(leave, {"on": "2025-05-01"}).status_code == 400  # before joining
    client.post(leave, {"on": timezone.localdate().isoformat()})
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()

    dissolve = reverse("culture:association_dissolve", args=[association.pk])
    assert "撤销“东城书法家协会”？" in client.get(dissolve).content.decode()
    client.post(dissolve, {"on": timezone.localdate().isoformat()})
    association.refresh_from_db()
    assert association.status == AssociationStatus.DISSOLVED
    assert 'id="add-member"' not in client.get(detail).content.decode()


def test_phone_reveal_is_logged(verified_client, district, dora):
    association = make_association(district.east_community, name="幸福社区合唱协会", art_form="音乐")
    member = make_member(association, phone="13712345678")
    client = verified_client(dora)  # community workers may read personal data
    body = client.get(reverse("culture:association_detail", args=[association.pk])).content.decode()
    ct = ContentType.objects.get_for_model(AssociationMember).pk
    reveal = reverse("core:pii_reveal", args=[ct, member.pk, "phone"])
    assert "13712345678" not in body and reveal in body
    response = client.post(reveal)
    assert response.status_code == 200 and "13712345678" in response.content.decode()
    assert PersonalDataAccess.objects.filter(object_id=str(member.pk), field="phone").exists()


def test_outsider_gets_404_and_owner_200(client, district, bob, charlie):
    venue = make_venue(district.east_community)
    association = make_association(district.east)
    member = make_member(association)
    urls = [
        reverse("culture:venue_detail", args=[venue.pk]),
        reverse("culture:venue_edit", args=[venue.pk]),
        reverse("culture:venue_close", args=[venue.pk]),
        reverse("culture:venue_delete", args=[venue.pk]),
        reverse("culture:association_detail", args=[association.pk]),
        reverse("culture:association_edit", args=[association.pk]),
        reverse("culture:association_establish", args=[association.pk]),
        reverse("culture:association_dissolve", args=[association.pk]),
        reverse("culture:member_add", args=[association.pk]),
        reverse("culture:member_edit", args=[association.pk, member.pk]),
        reverse("culture:member_leave", args=[association.pk, member.pk]),
    ]
    client.force_login(charlie)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert [client.post(url).status_code for url in urls] == [404] * len(urls)
    # A member named under another association (of charlie's own) is not found either.
    own = make_association(district.west, name="西城协会")
    assert client.get(reverse("culture:member_edit", args=[own.pk, member.pk])).status_code == 404
    client.force_login(bob)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)


def test_api_lists_in_scope_without_phones(client, district, bob):
    make_venue(district.east_community, name="幸福书屋", kind=VenueKind.BOOKSHOP)
    make_venue(district.west, name="西城书屋", kind=VenueKind.BOOKSHOP)
    association = make_association(district.east, name="东城美术家协会", established_on=date(2024, 1, 1))
    make_member(association, phone="13712345678")
    client.force_login(bob)
    venues = client.get("/api/culture/venues/venues", {"kind": "bookshop"}).json()
    assert venues["count"] == 1 and venues["items"][0]["name"] == "幸福书屋"
    assert client.get("/api/culture/venues/venues", {"unit": district.west.pk}).status_code == 404
    found = client.get("/api/culture/venues/associations")
    data = found.json()
    assert data["items"][0]["member_count"] == 1 and "13712345678" not in found.content.decode()
    assert client.get("/api/culture/venues/venues", {"limit": 0}).status_code == 422


def test_todo_counts_associations_preparing_too_long(district, bob, charlie):
    old = make_association(district.east, name="老筹备")
    make_association(district.east, name="新筹备")
    make_association(district.west, name="西城老筹备")
    long_ago = timezone.now() - timedelta(days=181)
    type(old).objects.filter(name__in=["老筹备", "西城老筹备"]).update(created_at=long_ago)
    [todo] = todos_venues.todos(bob)
    assert todo.count == 1 and "status=preparing" in todo.url
    assert [t.count for t in todos_venues.todos(charlie)] == [1]
