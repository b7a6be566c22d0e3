"""The volunteers part of the small demo: every account's ledger consistent (each entry's balance
the running sum, never negative, the account's balance the sum of all), every state of the records
present in each of the three years, valid ID numbers, the points clerk at the first shop, and the
figures of last year in the report's paragraph with their change on the year before."""

from __future__ import annotations

import importlib
import io
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from xuanchuan.core.pii import parse_resident_id
from xuanchuan.org.models import RoleCode, User
from xuanchuan.reports.registry import Period, get_figure
from xuanchuan.volunteers.models import (
    Activity,
    ActivityStatus,
    ClaimStatus,
    EntryKind,
    GoodDeedClaim,
    HoursCorrection,
    Merchant,
    MerchantKind,
    PointEntry,
    PointsAccount,
    PracticeSite,
    RecordSource,
    RecordStatus,
    Redemption,
    RedemptionStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    SiteLevel,
    Volunteer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db) -> None:
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())


def _ledgers_are_sums_of_their_entries_never_negative() -> None:
    accounts = PointsAccount.objects.annotate(total=Sum("entries__amount"), entries_count=Count("entries"))
    assert accounts.count() > 100
    for account in accounts:
        assert account.balance >= 0
        assert account.balance == (account.total or 0), account.pk
    running: dict[int, int] = {}
    for entry in PointEntry.objects.order_by("account_id", "at", "pk"):
        running[entry.account_id] = running.get(entry.account_id, 0) + entry.amount
        assert entry.balance_after == running[entry.account_id] >= 0, entry.pk
    kinds = Counter(PointEntry.objects.values_list("kind", flat=True))
    for kind in (EntryKind.HOURS, EntryKind.GOOD_DEED, EntryKind.DEDUCTION, EntryKind.REDEMPTION, EntryKind.EXPIRY):
        assert kinds[kind], kind
    # Household accounts too, in the villages.
    assert PointsAccount.objects.filter(household__isnull=False).exists()


def _every_confirmed_record_earns_its_hours_once_and_no_other_does() -> None:
    earned = PointEntry.objects.filter(kind=EntryKind.HOURS)
    assert not earned.exclude(record__status=RecordStatus.CONFIRMED).exists()
    assert earned.values("record").distinct().count() == earned.count()  # once per record


def _the_states_of_activities_records_and_redemptions_are_all_there() -> None:
    today = timezone.localdate()
    for year in (today.year - 2, today.year - 1, today.year):
        records = ServiceRecord.objects.filter(served_on__year=year)
        assert records.filter(source=RecordSource.SCAN, status=RecordStatus.CONFIRMED).count() > 100
        assert records.filter(status=RecordStatus.VOID).exists()
        assert records.filter(source=RecordSource.MANUAL, status=RecordStatus.CONFIRMED).exists()
        assert records.filter(source=RecordSource.MANUAL, status=RecordStatus.REFUSED).exists()
        assert Activity.objects.filter(starts_at__year=year, status=ActivityStatus.CANCELLED).exists()
        assert GoodDeedClaim.objects.filter(decided_at__year=year, status=ClaimStatus.APPROVED).exists()
    assert ServiceRecord.objects.filter(status=RecordStatus.PENDING).exists()
    assert HoursCorrection.objects.exists()
    # Every scanned confirmed record's minutes lie within its activity's time.
    for record in ServiceRecord.objects.filter(source=RecordSource.SCAN, status=RecordStatus.CONFIRMED)[:500]:
        activity = record.activity
        assert 0 < record.minutes <= (activity.ends_at - activity.starts_at).total_seconds() // 60
        assert record.checked_in_at and record.checked_out_at
    # Coming activities are open with sign-ups, some full with a waiting list; one is running now.
    coming = Activity.objects.filter(starts_at__gt=timezone.now(), status=ActivityStatus.OPEN)
    assert coming.exists()
    assert SignUp.objects.filter(activity__in=coming, status=SignUpStatus.WAITING).exists()
    for activity in coming.filter(signups__status=SignUpStatus.WAITING).distinct():
        assert activity.signups.filter(status=SignUpStatus.CONFIRMED).count() == activity.capacity
    running = Activity.objects.get(starts_at__lte=timezone.now(), ends_at__gt=timezone.now())
    assert running.records.filter(status=RecordStatus.OPEN).exists()
    statuses = set(Redemption.objects.values_list("status", flat=True))
    assert {RedemptionStatus.CONFIRMED, RedemptionStatus.EXPIRED} <= statuses
    # An expired redemption's points came back.
    for redemption in Redemption.objects.filter(status=RedemptionStatus.EXPIRED):
        assert sum(redemption.entries.values_list("amount", flat=True)) == 0


def _sites_people_and_the_points_clerk() -> None:
    assert PracticeSite.objects.filter(level=SiteLevel.CENTRE).count() == 1
    assert PracticeSite.objects.filter(level=SiteLevel.INSTITUTE).count() >= 10
    assert PracticeSite.objects.filter(level=SiteLevel.STATION, show_ranking=True).exists()
    clerk = User.objects.get(username="duihuan")
    assert clerk.roles.filter(code=RoleCode.POINTS_CLERK).exists()
    shop = Merchant.objects.get(staff=clerk)
    assert (shop.kind, shop.unit_id) == (MerchantKind.SHOP, clerk.unit_id)
    assert shop.goods.exists()
    volunteers = Volunteer.objects.all()
    assert 500 <= volunteers.count() <= 700
    for volunteer in volunteers[:200]:
        resident = parse_resident_id(volunteer.id_number, allow_foreigners=False)
        assert 1950 <= resident.birth_date.year <= 2008
        assert volunteer.consented_at and volunteer.consent_version
    assert Volunteer.objects.filter(household__isnull=False).exists()


def _last_years_figures_and_their_change(tmp_path) -> None:
    last_year = timezone.localdate().year - 1
    for key in ("volunteers.teams", "volunteers.volunteers", "volunteers.projects", "volunteers.activities"):
        item = get_figure(key)
        now, before = item.compute(Period.year(last_year)).value, item.compute(Period.year(last_year - 1)).value
        assert now and before, key
    out = io.StringIO()
    call_command("report_generate", "--period", str(last_year), "--json", "--out", str(tmp_path / "r.docx"), stdout=out)
    text = out.getvalue()
    assert "志愿服务队伍" in text and "volunteers.activities" in text


def test_the_small_demo_of_the_volunteers_part(demo, tmp_path) -> None:
    """One seeding for every check (seeding is what takes the time)."""
    _ledgers_are_sums_of_their_entries_never_negative()
    _every_confirmed_record_earns_its_hours_once_and_no_other_does()
    _the_states_of_activities_records_and_redemptions_are_all_there()
    _sites_people_and_the_points_clerk()
    _last_years_figures_and_their_change(tmp_path)
