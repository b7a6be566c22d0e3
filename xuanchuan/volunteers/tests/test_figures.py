"""The volunteers app's figures against hand-made records: the period's edges, the unit filter (a
record counts for its unit and the units above it, not for a sibling), and what is left out
(cancelled activities, refused and void records, refused claims, cancelled and expired
redemptions, revoked certificates, withdrawn volunteers, dissolved teams, drafts)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from xuanchuan.reports.defaults import default_body
from xuanchuan.reports.registry import Period, all_figures, get_figure
from xuanchuan.volunteers.models import (
    ActivityStatus,
    Brand,
    Certificate,
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    Goods,
    Merchant,
    MerchantKind,
    PointEntry,
    PointRule,
    PointsAccount,
    PracticeSite,
    ProjectStatus,
    RecordSource,
    RecordStatus,
    Redemption,
    RedemptionStatus,
    RuleKind,
    ServiceRecord,
    SiteLevel,
    Training,
    Volunteer,
    VolunteerStatus,
)
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

pytestmark = pytest.mark.django_db

YEAR = 2025
PERIOD = Period.year(YEAR)


def value(key: str, unit=None, period: Period = PERIOD):
    return get_figure(key).compute(period, unit).value


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_every_figure_of_the_app_is_in_the_default_template_with_chinese_words() -> None:
    keys = [item.key for item in all_figures() if item.key.startswith("volunteers.")]
    assert len(keys) >= 15
    text = default_body()
    for key in keys:
        assert key in text, key
        item = get_figure(key)
        assert item.label and item.synonyms and item.unit


def test_teams_exist_from_founding_until_dissolution(district) -> None:
    make_team(district.east_community, "甲队", founded_on=date(YEAR, 12, 31))  # founded on the last day: counts
    make_team(district.east_community, "乙队", founded_on=date(YEAR + 1, 1, 1))  # founded after: no
    make_team(district.east, "丙队", founded_on=date(2020, 1, 1), dissolved_on=date(YEAR, 1, 1))  # counts
    make_team(district.east, "丁队", founded_on=date(2020, 1, 1), dissolved_on=date(YEAR - 1, 12, 31))  # no
    make_team(district.west_community, "戊队", founded_on=date(2020, 1, 1))
    assert value("volunteers.teams") == 3
    assert value("volunteers.teams", district.east) == 2
    assert value("volunteers.teams", district.east_community) == 1
    assert value("volunteers.teams", district.west) == 1


def _registered(volunteer: Volunteer, when: datetime, **fields) -> None:
    Volunteer.objects.filter(pk=volunteer.pk).update(created_at=when, consented_at=when, **fields)


def test_volunteers_on_the_register_at_the_end_and_new_ones(district) -> None:
    end = PERIOD.end_datetime
    before = make_volunteer(district.east_community, 1)
    _registered(before, moment(date(YEAR - 1, 6, 1)))
    last_minute = make_volunteer(district.east_community, 2)
    _registered(last_minute, end - timedelta(seconds=1))
    after = make_volunteer(district.east_community, 3)
    _registered(after, end)  # the first instant of the next year: not of this one
    withdrawn = make_volunteer(district.east_community, 4)
    _registered(
        withdrawn, moment(date(YEAR, 2, 1)), status=VolunteerStatus.WITHDRAWN, withdrawn_at=moment(date(YEAR, 9, 1))
    )
    left_later = make_volunteer(district.west_community, 5)
    _registered(left_later, moment(date(YEAR, 3, 1)), status=VolunteerStatus.WITHDRAWN, withdrawn_at=end)
    assert value("volunteers.volunteers") == 3  # before, last_minute, left_later (still there at the end)
    assert value("volunteers.volunteers", district.east) == 2
    assert value("volunteers.volunteers", district.west_community) == 1
    assert value("volunteers.new_volunteers") == 3  # last_minute, withdrawn, left_later
    assert value("volunteers.new_volunteers", district.east_community) == 2
    assert value("volunteers.new_volunteers", period=Period.year(YEAR + 1)) == 1


def test_projects_of_the_periods_year_published_only(district) -> None:
    team = make_team(district.east_community, founded_on=date(2020, 1, 1))
    other = make_team(district.west_community, founded_on=date(2020, 1, 1))
    make_project(team, year=YEAR, title="甲")
    make_project(team, year=YEAR, title="乙", status=ProjectStatus.CLOSED)
    make_project(team, year=YEAR, title="丙", status=ProjectStatus.DRAFT, published_at=None)
    make_project(team, year=YEAR - 1, title="丁")
    make_project(other, year=YEAR, title="戊")
    assert value("volunteers.projects") == 3
    assert value("volunteers.projects", district.east) == 2
    assert value("volunteers.projects", period=Period.month(YEAR, 5)) == 3  # a month of the year: its year's
    assert value("volunteers.projects", period=Period.year(YEAR - 1)) == 1


def test_activities_held_in_the_period_not_cancelled_drafts_or_coming(district) -> None:
    project = make_project(make_team(district.east_community, founded_on=date(2020, 1, 1)), year=YEAR)
    first = timezone.make_aware(datetime(YEAR, 1, 1, 0, 0))
    make_activity(project, starts_at=first, title="元旦零点")
    make_activity(
        project, starts_at=PERIOD.end_datetime - timedelta(hours=3), title="除夕", status=ActivityStatus.CLOSED
    )
    make_activity(project, starts_at=PERIOD.end_datetime, title="次年")
    make_activity(project, starts_at=moment(date(YEAR, 5, 1)), title="取消", status=ActivityStatus.CANCELLED)
    make_activity(project, starts_at=moment(date(YEAR, 5, 2)), title="草稿", status=ActivityStatus.DRAFT)
    make_activity(project, starts_at=timezone.now() + timedelta(days=2), title="将来")
    other = make_project(make_team(district.west_community, founded_on=date(2020, 1, 1)), year=YEAR)
    make_activity(other, starts_at=moment(date(YEAR, 6, 1)))
    assert value("volunteers.activities") == 3
    assert value("volunteers.activities", district.east_community) == 2
    assert value("volunteers.activities", district.west) == 1
    assert value("volunteers.activities", period=Period.month(YEAR, 1)) == 1
    coming_year = timezone.localtime(timezone.now() + timedelta(days=2)).year
    held = 1 if coming_year == YEAR + 1 else 0  # 次年 (1 January after) is held; the coming one is not yet
    assert value("volunteers.activities", period=Period.year(coming_year)) == held


def _record(activity, volunteer, status: str, minutes: int, served_on: date, source=RecordSource.SCAN) -> ServiceRecord:
    return ServiceRecord.objects.create(
        unit=activity.unit, activity=activity, volunteer=volunteer, source=source, status=status,
        minutes=minutes, served_on=served_on,
    )  # fmt: skip


def test_participations_and_hours_count_confirmed_records_only(district) -> None:
    project = make_project(make_team(district.east_community, founded_on=date(2020, 1, 1)), year=YEAR)
    activities = [
        make_activity(project, starts_at=moment(date(YEAR, 3, day)), title=f"活动{day}") for day in range(1, 4)
    ]
    west = make_activity(make_project(make_team(district.west_community, founded_on=date(2020, 1, 1)), year=YEAR))
    people = [make_volunteer(district.east_community, n) for n in range(1, 8)]
    _record(activities[0], people[0], RecordStatus.CONFIRMED, 90, date(YEAR, 1, 1))
    _record(activities[0], people[1], RecordStatus.CONFIRMED, 45, date(YEAR, 12, 31), RecordSource.MANUAL)
    _record(activities[0], people[2], RecordStatus.REFUSED, 600, date(YEAR, 3, 1), RecordSource.MANUAL)
    _record(activities[0], people[3], RecordStatus.PENDING, 600, date(YEAR, 3, 1), RecordSource.MANUAL)
    _record(activities[0], people[4], RecordStatus.VOID, 0, date(YEAR, 3, 1))
    _record(activities[0], people[5], RecordStatus.OPEN, 0, date(YEAR, 3, 1))
    _record(activities[1], people[0], RecordStatus.CONFIRMED, 120, date(YEAR + 1, 1, 1))  # next year
    _record(west, people[6], RecordStatus.CONFIRMED, 60, date(YEAR, 6, 1))
    assert value("volunteers.participations") == 3
    assert value("volunteers.participations", district.east) == 2
    assert value("volunteers.service_hours") == round((90 + 45 + 60) / 60)
    assert value("volunteers.service_hours", district.east_community) == round(135 / 60)
    assert value("volunteers.service_hours", district.west) == 1
    measure = get_figure("volunteers.service_hours").compute(PERIOD, district.east)
    assert measure.records.count() == 2  # the records behind the number


def test_sites_and_brands_in_use_by_the_end(district) -> None:
    def site(unit, level, created: datetime, active: bool = True) -> None:
        PracticeSite.objects.create(
            unit=unit, level=level, name=f"{unit.name}站", address="人民路1号", created_at=created, active=active
        )

    site(district.root, SiteLevel.CENTRE, moment(date(YEAR - 2, 1, 1)))
    site(district.east, SiteLevel.INSTITUTE, moment(date(YEAR, 12, 31), 23))
    site(district.east_community, SiteLevel.STATION, moment(date(YEAR + 1, 1, 1)))  # set up next year
    site(district.west_community, SiteLevel.STATION, moment(date(YEAR - 1, 1, 1)), active=False)
    assert value("volunteers.sites") == 2
    assert value("volunteers.sites", district.east) == 1
    assert value("volunteers.sites", district.west) == 0
    Brand.objects.create(unit=district.root, name="理论宣讲", created_at=moment(date(YEAR - 1, 1, 1)))
    Brand.objects.create(unit=district.root, name="道德信贷", created_at=moment(date(YEAR - 1, 1, 1)), active=False)
    Brand.objects.create(unit=district.east, name="孝善矩阵", created_at=moment(date(YEAR, 4, 1)))
    assert value("volunteers.brands") == 2
    assert value("volunteers.brands", district.east) == 1
    assert value("volunteers.brands", period=Period.year(YEAR - 2)) == 0


def _account(volunteer: Volunteer) -> PointsAccount:
    return PointsAccount.objects.create(unit=volunteer.unit, volunteer=volunteer)


def _entry(account, kind, amount: int, when: datetime, balance: int) -> PointEntry:
    return PointEntry.objects.create(account=account, kind=kind, amount=amount, balance_after=balance, at=when)


def test_points_earned_are_hours_good_deeds_and_corrections_in_the_period(district) -> None:
    east = _account(make_volunteer(district.east_community, 1))
    west = _account(make_volunteer(district.west_community, 2))
    _entry(east, EntryKind.HOURS, 3, PERIOD.start_datetime, 3)
    _entry(east, EntryKind.GOOD_DEED, 5, PERIOD.end_datetime - timedelta(seconds=1), 8)
    _entry(east, EntryKind.CORRECTION, -1, moment(date(YEAR, 6, 1)), 7)
    _entry(east, EntryKind.REDEMPTION, -4, moment(date(YEAR, 6, 2)), 3)
    _entry(east, EntryKind.REFUND, 4, moment(date(YEAR, 6, 5)), 7)  # given back, not earned
    _entry(east, EntryKind.EXPIRY, -2, moment(date(YEAR, 7, 1)), 5)
    _entry(east, EntryKind.HOURS, 9, PERIOD.end_datetime, 14)  # next year
    _entry(west, EntryKind.HOURS, 2, moment(date(YEAR, 3, 1)), 2)
    assert value("volunteers.points_earned") == 3 + 5 - 1 + 2
    assert value("volunteers.points_earned", district.east) == 7
    assert value("volunteers.points_earned", district.west_community) == 2


def test_redemptions_confirmed_in_the_period_and_their_points(district) -> None:
    volunteer = make_volunteer(district.east_community, 1)
    account = _account(volunteer)
    other = _account(make_volunteer(district.west_community, 2))
    shop = Merchant.objects.create(unit=district.east_community, kind=MerchantKind.SHOP, name="积分超市", address="x")
    goods = Goods.objects.create(unit=shop.unit, merchant=shop, name="大米", points=30, stock=9)

    def redemption(acc, status, confirmed_at=None, quantity=1) -> None:
        Redemption.objects.create(
            unit=acc.unit, account=acc, goods=goods, quantity=quantity, points=30 * quantity, status=status,
            expires_at=moment(date(YEAR, 6, 1)), confirmed_at=confirmed_at,
        )  # fmt: skip

    redemption(account, RedemptionStatus.CONFIRMED, PERIOD.start_datetime, quantity=2)
    redemption(account, RedemptionStatus.CONFIRMED, PERIOD.end_datetime)  # next year
    redemption(account, RedemptionStatus.RESERVED)
    redemption(account, RedemptionStatus.EXPIRED)
    redemption(account, RedemptionStatus.CANCELLED)
    redemption(other, RedemptionStatus.CONFIRMED, moment(date(YEAR, 8, 8)))
    assert value("volunteers.redemptions") == 2
    assert value("volunteers.points_redeemed") == 90
    assert value("volunteers.points_redeemed", district.east) == 60
    assert value("volunteers.redemptions", district.west) == 1


def test_good_deeds_approved_in_the_period(district) -> None:
    account = _account(make_volunteer(district.east_community, 1))
    other = _account(make_volunteer(district.west_community, 2))
    rule = PointRule.objects.create(unit=district.root, kind=RuleKind.GOOD_DEED, name="拾金不昧", points=5)

    def claim(acc, status, decided_at=None) -> None:
        GoodDeedClaim.objects.create(
            unit=acc.unit, account=acc, rule=rule, description="捡到钱包", happened_on=date(YEAR, 1, 1),
            status=status, decided_at=decided_at,
        )  # fmt: skip

    claim(account, ClaimStatus.APPROVED, PERIOD.end_datetime - timedelta(seconds=1))
    claim(account, ClaimStatus.APPROVED, PERIOD.start_datetime - timedelta(seconds=1))  # the year before
    claim(account, ClaimStatus.REFUSED, moment(date(YEAR, 3, 1)))
    claim(account, ClaimStatus.PENDING)
    claim(other, ClaimStatus.APPROVED, moment(date(YEAR, 3, 1)))
    assert value("volunteers.good_deeds") == 2
    assert value("volunteers.good_deeds", district.east) == 1


def test_trainings_and_certificates(district) -> None:
    volunteer = make_volunteer(district.east_community, 1)
    for unit, day in (
        (district.east, date(YEAR, 1, 1)),
        (district.west, date(YEAR, 12, 31)),
        (district.east, date(YEAR + 1, 1, 1)),
    ):
        Training.objects.create(unit=unit, volunteer=volunteer, course="应急救护", held_on=day, minutes=120)
    assert value("volunteers.trainings") == 2
    assert value("volunteers.trainings", district.east) == 1

    def certificate(number: str, unit, issued: datetime, revoked: datetime | None = None) -> None:
        Certificate.objects.create(
            unit=unit, number=number, volunteer=volunteer, period_start=date(YEAR, 1, 1), period_end=issued.date(),
            minutes=120, activities=1, issued_at=issued, revoked_at=revoked,
        )  # fmt: skip

    certificate("C1", district.east_community, PERIOD.start_datetime)
    certificate("C2", district.east_community, moment(date(YEAR, 5, 1)), revoked=moment(date(YEAR, 5, 3)))
    certificate("C3", district.west_community, moment(date(YEAR, 6, 1)))
    certificate("C4", district.east_community, PERIOD.end_datetime)
    assert value("volunteers.certificates") == 2
    assert value("volunteers.certificates", district.east) == 1
