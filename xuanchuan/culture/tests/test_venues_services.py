"""The venues part's rules: venues (kind, name unique per unit, capacity bounds, close/reopen,
delete only unused), associations (in preparation or established with a date not in the future,
mark established once, dissolve after founding; members leave on dissolution), members (role,
mobile, joining and leaving dates; no member joins a dissolved association), retention erases a
former member's phone only, role and scope refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.core.pii import purge_expired
from xuanchuan.core.pii.retention import unregister_retention
from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import AssociationMember, AssociationStatus, Venue, VenueKind
from xuanchuan.culture.services import venues as services
from xuanchuan.culture.tests.factories_venues import make_association, make_event, make_member, make_venue

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def venue_input(**fields) -> services.VenueInput:
    values = {"name": "幸福社区农家书屋", "kind": VenueKind.BOOKSHOP, "address": "幸福路 2 号", "capacity": 30}
    values.update(fields)
    return services.VenueInput(**values)


def association_input(**fields) -> services.AssociationInput:
    values = {"name": "东城书法家协会", "art_form": "书法", "leader": "赵会长"}
    values.update(fields)
    return services.AssociationInput(**values)


def member_input(**fields) -> services.MemberInput:
    values = {"name": "钱会员", "joined_on": TODAY() - timedelta(days=30), "role": "会员", "phone": "+86 137-0000-1234"}
    values.update(fields)
    return services.MemberInput(**values)


# --- Venues ------------------------------------------------------------------------------------


def test_create_venue_trims_and_keeps_it_open(district, bob):
    venue = services.create_venue(
        venue_input(name="  幸福社区农家书屋 ", opening_hours=" 每日 8:00 "), unit=district.east_community, by=bob
    )
    assert (venue.name, venue.opening_hours, venue.active, venue.created_by) == (
        "幸福社区农家书屋",
        "每日 8:00",
        True,
        bob,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "请填写场馆名称"),
        ({"kind": "castle"}, "请选择场馆类型"),
        ({"address": ""}, "请填写场馆地址"),
        ({"capacity": 0}, "容纳人数应在"),
        ({"capacity": services.MAX_CAPACITY + 1}, "容纳人数应在"),
        ({"phone": "1" * 31}, "联系电话最多"),
    ],
)
def test_venue_input_is_checked(district, bob, fields, message):
    with pytest.raises(ServiceError, match=message):
        services.create_venue(venue_input(**fields), unit=district.east, by=bob)


def test_venue_name_is_unique_per_unit_only(district, bob, alice):
    services.create_venue(venue_input(), unit=district.east_community, by=bob)
    with pytest.raises(ServiceError, match="本单位已有名为“幸福社区农家书屋”的场馆"):
        services.create_venue(venue_input(), unit=district.east_community, by=bob)
    services.create_venue(venue_input(), unit=district.west_community, by=alice)
    other = services.create_venue(venue_input(name="另一个书屋"), unit=district.east_community, by=bob)
    with pytest.raises(ServiceError, match="已有名为"):
        services.update_venue(other, venue_input(), by=bob)


def test_update_venue_keeps_its_unit(district, bob):
    venue = make_venue(district.east_community)
    services.update_venue(venue, venue_input(name="幸福书屋", capacity=None, phone="0871-1234567"), by=bob)
    venue.refresh_from_db()
    assert (venue.name, venue.kind, venue.capacity, venue.phone, venue.unit) == (
        "幸福书屋",
        VenueKind.BOOKSHOP,
        None,
        "0871-1234567",
        district.east_community,
    )


def test_close_and_reopen_a_venue(district, bob):
    venue = make_venue(district.east)
    make_event(district.east, venue=venue)
    assert services.close_venue(venue, by=bob).active is False
    with pytest.raises(ServiceError, match="已经关闭"):
        services.close_venue(venue, by=bob)
    assert services.reopen_venue(venue, by=bob).active is True
    with pytest.raises(ServiceError, match="已经开放"):
        services.reopen_venue(venue, by=bob)


def test_delete_only_an_unused_venue(district, bob, charlie):
    unused = make_venue(district.east, name="误录的场馆")
    used = make_venue(district.east, name="用过的场馆")
    # An event of another unit held there keeps the venue too.
    make_event(district.west, venue=used, title="西城的活动")
    with pytest.raises(ServiceError, match="已有活动记录，不能删除"):
        services.delete_venue(used, by=bob)
    services.delete_venue(unused, by=bob)
    assert list(Venue.objects.values_list("name", flat=True)) == ["用过的场馆"]


def test_venue_services_refuse_role_and_scope(district, bob, charlie, dora):
    venue = make_venue(district.east_community)
    with pytest.raises(PermissionDenied):
        services.create_venue(venue_input(), unit=district.east_community, by=charlie)
    for action in (services.close_venue, services.delete_venue):
        with pytest.raises(PermissionDenied):
            action(venue, by=charlie)
    with pytest.raises(PermissionDenied):  # a community worker cannot reach the street above
        services.create_venue(venue_input(), unit=district.east, by=dora)
    assert services.close_venue(venue, by=dora).active is False  # but keeps the community's own


# --- Associations -------------------------------------------------------------------------------


def test_create_association_in_preparation_or_established(district, bob):
    preparing = services.create_association(association_input(), unit=district.east, by=bob)
    assert (preparing.status, preparing.established_on) == (AssociationStatus.PREPARING, None)
    founded = TODAY() - timedelta(days=100)
    established = services.create_association(
        association_input(name="东城美术家协会", art_form="美术"), unit=district.east, established_on=founded, by=bob
    )
    assert (established.status, established.established_on) == (AssociationStatus.ESTABLISHED, founded)
    with pytest.raises(ServiceError, match="成立日期不能晚于今天"):
        services.create_association(
            association_input(name="东城摄影家协会"),
            unit=district.east,
            established_on=TODAY() + timedelta(days=1),
            by=bob,
        )
    with pytest.raises(ServiceError, match="已有名为“东城书法家协会”的文艺协会"):
        services.create_association(association_input(), unit=district.east, by=bob)
    with pytest.raises(ServiceError, match="请选择协会的门类"):
        services.create_association(association_input(name="x", art_form=" "), unit=district.east, by=bob)


def test_establish_once_with_a_date_not_in_the_future(district, bob):
    association = make_association(district.east)
    with pytest.raises(ServiceError, match="成立日期不能晚于今天"):
        services.establish_association(association, on=TODAY() + timedelta(days=1), by=bob)
    with pytest.raises(ServiceError, match="请填写成立日期"):
        services.establish_association(association, on=None, by=bob)
    services.establish_association(association, on=TODAY(), by=bob)
    association.refresh_from_db()
    assert (association.status, association.established_on) == (AssociationStatus.ESTABLISHED, TODAY())
    with pytest.raises(ServiceError, match="只能将筹备中的协会标记为已成立（该协会已成立）"):
        services.establish_association(association, on=TODAY(), by=bob)


def test_dissolve_after_founding_and_members_leave(district, bob):
    founded = TODAY() - timedelta(days=400)
    association = make_association(district.east, established_on=founded)
    current = make_member(association, name="在会的", joined_on=founded)
    gone = make_member(association, name="早退的", joined_on=founded, left_on=founded + timedelta(days=10))
    with pytest.raises(ServiceError, match="撤销日期不能早于成立日期"):
        services.dissolve_association(association, on=founded - timedelta(days=1), by=bob)
    with pytest.raises(ServiceError, match="撤销日期不能晚于今天"):
        services.dissolve_association(association, on=TODAY() + timedelta(days=1), by=bob)
    on = TODAY() - timedelta(days=5)
    services.dissolve_association(association, on=on, by=bob)
    association.refresh_from_db()
    current.refresh_from_db()
    gone.refresh_from_db()
    assert (association.status, association.dissolved_on) == (AssociationStatus.DISSOLVED, on)
    assert current.left_on == on and gone.left_on == founded + timedelta(days=10)
    with pytest.raises(ServiceError, match="该协会已经撤销"):
        services.dissolve_association(association, on=on, by=bob)
    with pytest.raises(ServiceError, match="已经撤销，不能再添加会员"):
        services.add_member(association, member_input(), by=bob)


def test_a_preparing_association_can_be_given_up(district, bob):
    association = make_association(district.east)
    services.dissolve_association(association, on=TODAY(), by=bob)
    association.refresh_from_db()
    assert (association.status, association.established_on) == (AssociationStatus.DISSOLVED, None)


def test_update_association_and_its_founding_date(district, bob):
    founded = TODAY() - timedelta(days=50)
    association = make_association(district.east, established_on=founded)
    services.update_association(
        association, association_input(name="新名字", leader="孙"), established_on=founded - timedelta(days=1), by=bob
    )
    association.refresh_from_db()
    assert (association.name, association.leader, association.established_on) == (
        "新名字",
        "孙",
        founded - timedelta(days=1),
    )
    with pytest.raises(ServiceError, match="成立日期不能晚于今天"):
        services.update_association(
            association, association_input(name="新名字"), established_on=TODAY() + timedelta(days=1), by=bob
        )
    preparing = make_association(district.east, name="筹备中")
    services.update_association(preparing, association_input(name="筹备中", leader="李"), by=bob)
    preparing.refresh_from_db()
    assert preparing.established_on is None and preparing.status == AssociationStatus.PREPARING


def test_association_services_refuse_role_and_scope(district, charlie):
    association = make_association(district.east)
    with pytest.raises(PermissionDenied):
        services.create_association(association_input(), unit=district.east, by=charlie)
    with pytest.raises(PermissionDenied):
        services.establish_association(association, on=TODAY(), by=charlie)
    with pytest.raises(PermissionDenied):
        services.add_member(association, member_input(), by=charlie)


# --- Members ------------------------------------------------------------------------------------


def test_add_member_normalises_the_mobile_and_checks_input(district, bob):
    association = make_association(district.east, established_on=date(2024, 1, 1))
    member = services.add_member(association, member_input(role="副会长"), by=bob)
    member.refresh_from_db()
    assert (member.phone, member.role) == ("13700001234", "副会长")
    with pytest.raises(ServiceError, match="正确的 11 位手机号码"):
        services.add_member(association, member_input(phone="12345"), by=bob)
    with pytest.raises(ServiceError, match="请选择会员的职务"):
        services.add_member(association, member_input(role="盟主"), by=bob)
    with pytest.raises(ServiceError, match="入会日期不能晚于今天"):
        services.add_member(association, member_input(joined_on=TODAY() + timedelta(days=1)), by=bob)
    with pytest.raises(ServiceError, match="请填写会员姓名"):
        services.add_member(association, member_input(name=" "), by=bob)


def test_update_member_keeps_the_phone_when_empty(district, bob):
    association = make_association(district.east)
    member = make_member(association, phone="13700009999")
    services.update_member(member, member_input(name="改名", phone="", role="秘书长"), by=bob)
    member.refresh_from_db()
    assert (member.name, member.role, member.phone) == ("改名", "秘书长", "13700009999")


def test_member_leaves_once_after_joining(district, bob):
    association = make_association(district.east)
    member = make_member(association, joined_on=TODAY() - timedelta(days=10))
    with pytest.raises(ServiceError, match="退会日期不能早于入会日期"):
        services.member_leave(member, on=TODAY() - timedelta(days=11), by=bob)
    services.member_leave(member, on=TODAY() - timedelta(days=5), by=bob)
    member.refresh_from_db()
    assert member.left_on == TODAY() - timedelta(days=5)
    with pytest.raises(ServiceError, match="已于"):
        services.member_leave(member, on=TODAY(), by=bob)
    with pytest.raises(ServiceError, match="入会日期不能晚于退会日期"):
        services.update_member(member, member_input(joined_on=TODAY() - timedelta(days=1)), by=bob)


def test_retention_erases_former_members_phones_only(district, settings):
    settings.CULTURE_MEMBER_RETENTION_DAYS = 30
    services.register_retention()
    try:
        association = make_association(district.east, established_on=date(2020, 1, 1))
        old = make_member(association, name="早退的", phone="13700000001", left_on=TODAY() - timedelta(days=31))
        recent = make_member(association, name="刚退的", phone="13700000002", left_on=TODAY() - timedelta(days=29))
        current = make_member(association, name="在会的", phone="13700000003")
        purge_expired()
        values = {m.name: m.phone for m in AssociationMember.objects.all()}
        assert values == {"早退的": "", "刚退的": "13700000002", "在会的": "13700000003"}
        assert {old.pk, recent.pk, current.pk} == set(AssociationMember.objects.values_list("pk", flat=True))
    finally:
        unregister_retention(services.RETENTION_LABEL)


def test_default_retention_is_a_year(settings):
    if hasattr(settings, "CULTURE_MEMBER_RETENTION_DAYS"):
        del settings.CULTURE_MEMBER_RETENTION_DAYS
    assert services.member_retention_days() == 365
