"""The outlet registry's services: permission first, the acting user's scope, then the rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.conftest import make_person
from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.publishing.models import Column, Outlet, OutletKind, OutletStatus
from xuanchuan.publishing.queries.outlets import kept_stale_count, stale_ids
from xuanchuan.publishing.services import outlets as services

pytestmark = pytest.mark.django_db


def wechat(by, unit, name="东城发布", **fields):
    return services.create_outlet(by=by, unit=unit, name=name, kind=OutletKind.WECHAT, **fields)


def test_a_reporter_registers_an_outlet_of_their_unit_and_below(district, bob) -> None:
    outlet = wechat(bob, district.east, account=" gh_123 ", registered_on=date(2023, 5, 1))
    assert outlet.pk and outlet.unit == district.east and outlet.created_by == bob
    assert outlet.account == "gh_123" and outlet.status == OutletStatus.ACTIVE
    below = wechat(bob, district.east_community, name="幸福社区发布")
    assert below.unit == district.east_community


def test_permission_is_checked_before_anything_else(district, dora) -> None:
    # A community worker may not keep outlets: refused even with nothing valid given.
    with pytest.raises(PermissionDenied):
        services.create_outlet(by=dora, unit=None, name="", kind="nonsense")


def test_a_unit_outside_the_scope_is_refused(district, bob, charlie) -> None:
    with pytest.raises(PermissionDenied):
        wechat(charlie, district.east)
    outlet = wechat(bob, district.east)
    with pytest.raises(PermissionDenied):
        services.update_outlet(outlet, by=charlie, name="改名")
    with pytest.raises(PermissionDenied):
        services.close_outlet(outlet, by=charlie)
    with pytest.raises(PermissionDenied):
        services.create_column(outlet, by=charlie, name="要闻")
    # Nor may bob move his outlet to a unit he cannot see.
    with pytest.raises(PermissionDenied):
        services.update_outlet(outlet, by=bob, unit=district.west)


def test_the_responsible_person_must_be_in_scope(district, bob, charlie) -> None:
    with pytest.raises(PermissionDenied):
        wechat(bob, district.east, responsible=charlie)
    outlet = wechat(bob, district.east, responsible=bob)
    assert outlet.responsible_name == "包博" and outlet.keeper_name == "包博"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "请填写平台名称"),
        ({"kind": "fax"}, "请选择平台类型"),
        ({"update_period_days": 0}, "更新周期"),
        ({"update_period_days": 366}, "更新周期"),
        ({"status": OutletStatus.CLOSED}, "关停"),
        ({"registered_on": date.today() + timedelta(days=2)}, "开设日期不能晚于今天"),
    ],
)
def test_bad_details_are_refused_in_chinese(district, bob, fields, message) -> None:
    data = {"unit": district.east, "name": "东城发布", "kind": OutletKind.WECHAT, **fields}
    with pytest.raises(ServiceError, match=message):
        services.create_outlet(by=bob, **data)
    assert not Outlet.objects.exists()


def test_the_same_kind_and_name_is_registered_once(district, bob, alice) -> None:
    wechat(bob, district.east)
    with pytest.raises(ServiceError, match="已登记同名"):
        wechat(alice, district.publicity)
    # The same name on another platform is another account.
    services.create_outlet(by=bob, unit=district.east, name="东城发布", kind=OutletKind.DOUYIN)


def test_only_department_administrators_mark_the_one_news_site(district, alice, bob) -> None:
    with pytest.raises(PermissionDenied):
        services.create_outlet(by=bob, unit=district.east, name="东城网", kind=OutletKind.WEBSITE, is_news_site=True)
    with pytest.raises(ServiceError, match="网站"):
        wechat(alice, district.publicity, is_news_site=True)
    site = services.create_outlet(
        by=alice, unit=district.publicity, name="示范政务网", kind=OutletKind.WEBSITE, is_news_site=True
    )
    other = services.create_outlet(by=alice, unit=district.publicity, name="另一网站", kind=OutletKind.WEBSITE)
    with pytest.raises(ServiceError, match="只能有一个"):
        services.update_outlet(other, by=alice, is_news_site=True)
    # A reporter may change another field of an outlet in scope without touching the mark.
    east_site = services.create_outlet(by=bob, unit=district.east, name="东城网", kind=OutletKind.WEBSITE)
    services.update_outlet(east_site, by=bob, note="街道门户")
    with pytest.raises(PermissionDenied):
        services.update_outlet(east_site, by=bob, is_news_site=True)
    services.update_outlet(site, by=alice, is_news_site=False)
    services.update_outlet(other, by=alice, is_news_site=True)
    assert list(Outlet.objects.filter(is_news_site=True)) == [other]


def test_moving_an_outlet_moves_its_columns(district, bob) -> None:
    outlet = wechat(bob, district.east)
    column = services.create_column(outlet, by=bob, name="社区动态")
    services.update_outlet(outlet, by=bob, unit=district.east_community)
    column.refresh_from_db()
    assert column.unit == district.east_community


def test_closing_stops_the_outlet_and_its_columns(district, bob) -> None:
    outlet = wechat(bob, district.east, registered_on=date(2022, 1, 1))
    column = services.create_column(outlet, by=bob, name="社区动态", opened_on=date(2022, 2, 1))
    services.close_outlet(outlet, by=bob, closed_on=date(2024, 6, 30), reason="合并")
    outlet.refresh_from_db()
    column.refresh_from_db()
    assert outlet.status == OutletStatus.CLOSED and outlet.closed_on == date(2024, 6, 30)
    assert "合并" in outlet.note
    assert not column.is_active and column.closed_on == date(2024, 6, 30)
    with pytest.raises(ServiceError, match="已经关停"):
        services.close_outlet(outlet, by=bob)
    with pytest.raises(ServiceError, match="不能修改"):
        services.update_outlet(outlet, by=bob, name="再开")
    with pytest.raises(ServiceError, match="不能开设栏目"):
        services.create_column(outlet, by=bob, name="新栏目")


def test_closing_before_opening_or_the_news_site_is_refused(district, alice, bob) -> None:
    outlet = wechat(bob, district.east, registered_on=date(2022, 1, 1))
    with pytest.raises(ServiceError, match="早于开设日期"):
        services.close_outlet(outlet, by=bob, closed_on=date(2021, 1, 1))
    site = services.create_outlet(
        by=alice, unit=district.publicity, name="示范政务网", kind=OutletKind.WEBSITE, is_news_site=True
    )
    with pytest.raises(ServiceError, match="新闻网站不能关停"):
        services.close_outlet(site, by=alice)


def test_columns_get_an_address_from_their_name_and_unique_names(district, bob) -> None:
    outlet = wechat(bob, district.east)
    first = services.create_column(outlet, by=bob, name="要闻动态")
    assert first.slug == "yao-wen-dong-tai" and first.unit == district.east and not first.is_topic
    topic = services.create_column(outlet, by=bob, name="新时代文明实践", is_topic=True, position=5)
    assert topic.is_topic and topic.position == 5
    with pytest.raises(ServiceError, match="已有栏目"):
        services.create_column(outlet, by=bob, name="要闻动态")
    with pytest.raises(ServiceError, match="网址名"):
        services.create_column(outlet, by=bob, name="其他", slug="yao-wen-dong-tai")
    with pytest.raises(ServiceError, match="小写字母"):
        services.create_column(outlet, by=bob, name="其他", slug="Bad Slug")
    # The same name twice with the address made from it: the second gets a number.
    other = services.create_column(outlet, by=bob, name="要闻 动态")
    assert other.slug == "yao-wen-dong-tai-2"
    services.update_column(first, by=bob, name="要闻", position=1)
    first.refresh_from_db()
    assert (first.name, first.position, first.slug) == ("要闻", 1, "yao-wen-dong-tai")


def test_closing_a_column(district, bob) -> None:
    outlet = wechat(bob, district.east)
    column = services.create_column(outlet, by=bob, name="疫情防控", is_topic=True, opened_on=date(2024, 1, 20))
    with pytest.raises(ServiceError, match="早于开设日期"):
        services.close_column(column, by=bob, closed_on=date(2024, 1, 1))
    with pytest.raises(ServiceError, match="不能晚于今天"):
        services.close_column(column, by=bob, closed_on=timezone.localdate() + timedelta(days=1))
    services.close_column(column, by=bob, closed_on=date(2024, 12, 31))
    column.refresh_from_db()
    assert not column.is_active and column.closed_on == date(2024, 12, 31)
    with pytest.raises(ServiceError, match="已经关闭"):
        services.close_column(column, by=bob)


def test_note_published_moves_the_last_update_forward_only(district, bob) -> None:
    east = wechat(bob, district.east)
    other = wechat(bob, district.east, name="东城服务")
    assert services.note_published([east.pk, other.pk], date(2025, 3, 1)) == 2
    assert services.note_published([east.pk], date(2025, 2, 1)) == 0  # never backwards
    assert services.note_published([east.pk], date(2025, 3, 1)) == 0
    assert services.note_published([], date(2025, 4, 1)) == 0
    assert services.note_published([east.pk], date(2025, 4, 1)) == 1
    east.refresh_from_db()
    other.refresh_from_db()
    assert east.last_published_on == date(2025, 4, 1)
    assert other.last_published_on == date(2025, 3, 1)


def test_stale_outlets_are_the_active_ones_past_their_period(district, bob) -> None:
    today = timezone.localdate()
    fresh = wechat(bob, district.east, name="按期更新", registered_on=date(2020, 1, 1))
    services.note_published([fresh.pk], today - timedelta(days=14))
    stale = wechat(bob, district.east, name="长期不更新", registered_on=date(2020, 1, 1))
    services.note_published([stale.pk], today - timedelta(days=15))
    never = wechat(bob, district.east, name="从未更新", registered_on=today - timedelta(days=40), update_period_days=30)
    suspended = wechat(bob, district.east, name="暂停", registered_on=date(2020, 1, 1), status=OutletStatus.SUSPENDED)
    assert set(stale_ids(Outlet.objects.all())) == {stale.pk, never.pk}
    assert Outlet.objects.get(pk=stale.pk).is_stale and not Outlet.objects.get(pk=fresh.pk).is_stale
    assert not Outlet.objects.get(pk=suspended.pk).is_stale
    assert kept_stale_count(bob) == 2


def test_a_person_without_the_role_cannot_change_columns(district, bob) -> None:
    outlet = wechat(bob, district.east)
    column = services.create_column(outlet, by=bob, name="动态")
    reviewer = make_person("reviewer", district.east, RoleCode.REVIEWER_FIRST)
    for call in (
        lambda: services.create_column(outlet, by=reviewer, name="x"),
        lambda: services.update_column(column, by=reviewer, name="y"),
        lambda: services.close_column(column, by=reviewer),
        lambda: services.close_outlet(outlet, by=reviewer),
        lambda: services.update_outlet(outlet, by=reviewer, name="z"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Column.objects.get(pk=column.pk).name == "动态"


def test_a_rival_registering_the_same_name_at_the_same_moment_is_refused(district, bob, alice, monkeypatch) -> None:
    """The check before the insert can pass for two people at once; the database's constraint
    then refuses the second, and the service says so in Chinese instead of a 500."""
    wechat(bob, district.east)
    services.create_outlet(
        by=alice, unit=district.publicity, name="示范政务网", kind=OutletKind.WEBSITE, is_news_site=True
    )
    monkeypatch.setattr(services, "_clean_outlet", lambda fields, by, current: dict(fields))
    with pytest.raises(ServiceError, match="已被他人登记"):
        wechat(bob, district.east)
    with pytest.raises(ServiceError, match="已被他人登记"):
        services.create_outlet(
            by=alice, unit=district.publicity, name="第二个网站", kind=OutletKind.WEBSITE, is_news_site=True
        )
    assert Outlet.objects.count() == 2


def test_moving_columns_up_and_down_renumbers_their_group(district, bob, charlie) -> None:
    outlet = wechat(bob, district.east)
    first, second, third = (
        services.create_column(outlet, by=bob, name=name, position=position)
        for name, position in (("甲", 5), ("乙", 6), ("丙", 7))
    )
    topic = services.create_column(outlet, by=bob, name="专题", is_topic=True, position=1)

    def order() -> list[tuple[str, int]]:
        columns = Column.objects.filter(outlet=outlet, is_topic=False, is_active=True).order_by("position")
        return list(columns.values_list("name", "position"))

    services.move_column(second, by=bob, up=True)
    assert order() == [("乙", 10), ("甲", 20), ("丙", 30)]
    services.move_column(second, by=bob, up=False)
    assert order() == [("甲", 10), ("乙", 20), ("丙", 30)]
    with pytest.raises(ServiceError, match="最后面"):
        services.move_column(third, by=bob, up=False)
    with pytest.raises(ServiceError, match="最前面"):
        services.move_column(first, by=bob, up=True)
    with pytest.raises(ServiceError, match="最前面"):
        services.move_column(topic, by=bob, up=True)  # alone in its group
    with pytest.raises(PermissionDenied):
        services.move_column(third, by=charlie, up=True)
    services.close_column(third, by=bob)
    with pytest.raises(ServiceError, match="已关闭"):
        services.move_column(third, by=bob, up=True)
