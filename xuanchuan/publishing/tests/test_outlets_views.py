"""The outlet registry's pages: list (search, filters, export, query caps), detail, the forms,
closing with a confirmation, columns, another unit's outlet as 404, the to-do."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.core.navigation import todos_for
from xuanchuan.publishing.models import Column, Outlet, OutletKind, OutletStatus
from xuanchuan.publishing.services import outlets as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def east_account(district, bob) -> Outlet:
    outlet = services.create_outlet(
        by=bob, unit=district.east, name="东城发布", kind=OutletKind.WECHAT, account="gh_east",
        registered_on=date(2021, 3, 1), responsible=bob,
    )  # fmt: skip
    services.create_column(outlet, by=bob, name="街道动态")
    services.create_column(outlet, by=bob, name="新时代文明实践", is_topic=True)
    return outlet


@pytest.fixture
def west_account(district, charlie) -> Outlet:
    return services.create_outlet(by=charlie, unit=district.west, name="西城发布", kind=OutletKind.DOUYIN)


def test_the_list_shows_the_outlets_in_scope_with_the_stale_badge(client, east_account, west_account, bob) -> None:
    client.force_login(bob)
    response = client.get(reverse("publishing:outlet_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "东城发布" in body and "西城发布" not in body
    assert "长期未更新" in body and 'id="new-outlet"' in body  # registered in 2021, never updated
    services.note_published([east_account.pk], timezone.localdate())
    body = client.get(reverse("publishing:outlet_list")).content.decode()
    assert "stale-badge" not in body


def test_filters_and_search(client, district, bob, east_account) -> None:
    services.create_outlet(by=bob, unit=district.east_community, name="幸福社区抖音", kind=OutletKind.DOUYIN)
    fresh = services.create_outlet(by=bob, unit=district.east, name="东城头条", kind=OutletKind.TOUTIAO)
    services.note_published([fresh.pk], timezone.localdate())
    client.force_login(bob)
    url = reverse("publishing:outlet_list")

    def names(query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {row.name for row, _values, _stale in response.context["rows"]}

    assert names({"kind": "douyin"}) == {"幸福社区抖音"}
    assert names({"unit": district.east_community.pk}) == {"幸福社区抖音"}
    assert names({"stale": "yes"}) == {"东城发布"}
    assert names({"stale": "no"}) == {"幸福社区抖音", "东城头条"}
    assert names({"q": "gh_east"}) == {"东城发布"}
    assert names({"status": "closed"}) == set()
    assert names({"kind": "nonsense"}) == {"东城发布", "幸福社区抖音", "东城头条"}  # a bad filter is shown, not a 500


def test_the_export_holds_the_registration_details(client, bob, east_account, west_account) -> None:
    client.force_login(bob)
    response = client.get(reverse("publishing:outlet_list"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "类型", "账号或网址")
    assert [row[0] for row in rows[1:]] == ["东城发布"]
    assert rows[1][2] == "gh_east" and rows[1][5] == "包博" and rows[1][14] == 2


def test_list_and_detail_queries_do_not_grow_with_rows(
    verified_client, district, alice, django_assert_max_num_queries
) -> None:
    for number in range(30):
        outlet = services.create_outlet(by=alice, unit=district.east, name=f"账号{number}", kind=OutletKind.WEIBO)
        services.create_column(outlet, by=alice, name="动态")
    client = verified_client(alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("publishing:outlet_list")).status_code == 200
    for number in range(20):
        services.create_column(outlet, by=alice, name=f"栏目{number}", is_topic=number % 2 == 0)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("publishing:outlet_detail", args=[outlet.pk])).status_code == 200


def test_the_detail_page_shows_columns_and_topic_columns(client, bob, east_account) -> None:
    client.force_login(bob)
    response = client.get(reverse("publishing:outlet_detail", args=[east_account.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "街道动态" in body and "新时代文明实践" in body and "gh_east" in body
    assert 'id="close-outlet"' in body and 'id="new-column"' in body


def test_another_units_outlet_is_not_there(client, charlie, east_account) -> None:
    client.force_login(charlie)
    column = Column.objects.filter(outlet=east_account).first()
    for name, pk in [
        ("publishing:outlet_detail", east_account.pk),
        ("publishing:outlet_edit", east_account.pk),
        ("publishing:outlet_close", east_account.pk),
        ("publishing:column_create", east_account.pk),
        ("publishing:column_edit", column.pk),
        ("publishing:column_close", column.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
        assert client.post(reverse(name, args=[pk]), {"name": "x"}).status_code == 404
    assert client.get(reverse("publishing:outlet_detail", args=[999999])).status_code == 404


def test_a_reporter_registers_an_outlet_through_the_form(client, district, bob) -> None:
    client.force_login(bob)
    url = reverse("publishing:outlet_create")
    form = client.get(url)
    assert form.status_code == 200
    assert "is_news_site" not in form.content.decode()  # offered to department administrators only
    response = client.post(
        url,
        {
            "name": "东城街道发布", "kind": "wechat", "unit": district.east.pk, "account": "gh_dc",
            "status": "active", "update_period_days": 14, "registered_on": "2024-03-01",
        },
    )  # fmt: skip
    outlet = Outlet.objects.get(name="东城街道发布")
    assert response.status_code == 302 and response["Location"] == reverse("publishing:outlet_detail", args=[outlet.pk])
    assert outlet.unit == district.east and outlet.created_by == bob


def test_bad_input_gives_a_chinese_error_not_a_500(client, district, bob, charlie, east_account) -> None:
    client.force_login(bob)
    url = reverse("publishing:outlet_create")
    missing = client.post(url, {"kind": "wechat", "unit": district.east.pk, "update_period_days": "x"})
    assert missing.status_code == 400 and "这个字段是必填项" in missing.content.decode()
    duplicate = client.post(
        url,
        {"name": "东城发布", "kind": "wechat", "unit": district.east.pk, "status": "active", "update_period_days": 7},
    )
    assert duplicate.status_code == 400 and "已登记同名" in duplicate.content.decode()
    # A unit outside the scope is not among the choices.
    client.force_login(charlie)
    other = client.post(
        url, {"name": "越界", "kind": "wechat", "unit": district.east.pk, "status": "active", "update_period_days": 7}
    )
    assert other.status_code == 400 and not Outlet.objects.filter(name="越界").exists()


def test_editing_and_the_news_site_mark(client, district, alice, bob, east_account, verified_client) -> None:
    client.force_login(bob)
    url = reverse("publishing:outlet_edit", args=[east_account.pk])
    data = {
        "name": "东城发布", "kind": "wechat", "unit": district.east.pk, "status": "suspended", "update_period_days": 30,
        "is_news_site": "on",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302  # the mark is not bob's field: ignored
    east_account.refresh_from_db()
    assert east_account.status == OutletStatus.SUSPENDED and not east_account.is_news_site
    admin = verified_client(alice)
    site_data = {
        "name": "示范政务网", "kind": "website", "unit": district.publicity.pk, "status": "active",
        "update_period_days": 7, "is_news_site": "on",
    }  # fmt: skip
    assert admin.post(reverse("publishing:outlet_create"), site_data).status_code == 302
    site = Outlet.objects.get(name="示范政务网")
    assert site.is_news_site
    # Its page links to the public site the platform serves for it.
    assert f'href="{reverse("news:home")}"' in admin.get(site.get_absolute_url()).content.decode()


def test_closing_needs_the_confirmation_page(client, bob, east_account) -> None:
    client.force_login(bob)
    url = reverse("publishing:outlet_close", args=[east_account.pk])
    page = client.get(url)
    assert page.status_code == 200 and "确认关停" in page.content.decode()
    east_account.refresh_from_db()
    assert east_account.status == OutletStatus.ACTIVE
    response = client.post(url, {"closed_on": "", "reason": "不再运营"})
    assert response.status_code == 302
    east_account.refresh_from_db()
    assert east_account.status == OutletStatus.CLOSED and east_account.closed_on == timezone.localdate()
    again = client.post(url, {})
    assert again.status_code == 400, again.content.decode()[-3000:]
    assert "已经关停" in again.content.decode()
    detail = client.get(reverse("publishing:outlet_detail", args=[east_account.pk])).content.decode()
    assert 'id="close-outlet"' not in detail and 'id="edit-outlet"' not in detail


def test_columns_through_the_forms(client, bob, east_account) -> None:
    client.force_login(bob)
    create = reverse("publishing:column_create", args=[east_account.pk])
    assert client.get(create).status_code == 200
    response = client.post(create, {"name": "政策解读", "position": 20, "opened_on": "2025-01-02"})
    assert response.status_code == 302
    column = Column.objects.get(name="政策解读")
    assert column.slug == "zheng-ce-jie-du" and column.outlet == east_account
    edit = reverse("publishing:column_edit", args=[column.pk])
    assert (
        client.post(edit, {"name": "政策解读", "position": 5, "slug": "zcjd", "opened_on": "2025-01-02"}).status_code
        == 302
    )
    column.refresh_from_db()
    assert (column.position, column.slug) == (5, "zcjd")
    duplicate = client.post(create, {"name": "政策解读", "position": 1})
    assert duplicate.status_code == 400 and "已有栏目" in duplicate.content.decode()
    close = reverse("publishing:column_close", args=[column.pk])
    assert "确认关闭" in client.get(close).content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert client.post(close, {"closed_on": future}).status_code == 400
    assert client.post(close, {}).status_code == 302
    column.refresh_from_db()
    assert not column.is_active and column.closed_on == timezone.localdate()


def test_people_who_do_not_keep_outlets_may_only_look(
    client, verified_client, district, bob, dora, east_account
) -> None:
    community = services.create_outlet(by=bob, unit=district.east_community, name="幸福社区", kind=OutletKind.WECHAT)
    verified_client(dora)
    assert client.get(reverse("publishing:outlet_create")).status_code == 403
    assert client.get(reverse("publishing:outlet_edit", args=[community.pk])).status_code == 403
    assert client.post(reverse("publishing:outlet_close", args=[community.pk])).status_code == 403
    assert client.get(reverse("publishing:column_create", args=[community.pk])).status_code == 403
    body = client.get(reverse("publishing:outlet_detail", args=[community.pk])).content.decode()
    assert "幸福社区" in body and 'id="edit-outlet"' not in body
    # dora (幸福社区) does not see the street's outlet above her.
    assert client.get(reverse("publishing:outlet_detail", args=[east_account.pk])).status_code == 404


def test_stale_outlets_wait_on_their_keepers_home_page(district, bob, charlie, east_account) -> None:
    labels = {todo.label: todo for todo in todos_for(bob)}
    todo = labels["网站和政务新媒体长期未更新"]
    assert todo.count == 1 and todo.url.endswith("?stale=yes")
    assert "网站和政务新媒体长期未更新" not in {todo.label for todo in todos_for(charlie)}
    services.note_published([east_account.pk], timezone.localdate())
    assert "网站和政务新媒体长期未更新" not in {todo.label for todo in todos_for(bob)}


def test_columns_are_reordered_with_the_arrows(client, bob, east_account) -> None:
    client.force_login(bob)
    topic = Column.objects.get(outlet=east_account, is_topic=True)
    other = services.create_column(east_account, by=bob, name="乡村振兴", is_topic=True, position=200)
    body = client.get(reverse("publishing:outlet_detail", args=[east_account.pk])).content.decode()
    assert reverse("publishing:column_move", args=[other.pk]) in body
    assert client.get(reverse("publishing:column_move", args=[other.pk])).status_code == 405
    response = client.post(reverse("publishing:column_move", args=[other.pk]), {"direction": "up"})
    assert response.status_code == 302
    other.refresh_from_db()
    topic.refresh_from_db()
    assert other.position < topic.position
