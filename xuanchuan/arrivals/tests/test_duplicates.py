"""Possible duplicates: a registration with the document number and arrival date of another but
another phone is a record of its own, marked for staff — on the duplicates page, as a to-do, on
the daily list, the record and the statistics — until they merge it; the day key moves with
merges and corrections; the figures say how they count; the migration that put the phone into
``dedupe_key``."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import FollowUpStatus, Registration, RiskArea, RiskLevel
from xuanchuan.arrivals.queries import duplicate_groups
from xuanchuan.arrivals.tests.scoping import make_registration
from xuanchuan.arrivals.todos import follow_up_todos
from xuanchuan.core.pii import blind_index
from xuanchuan.core.pii.crypto import blind_index_digest
from xuanchuan.reports.registry import Period, get_figure

pytestmark = pytest.mark.django_db
REGISTER = "arrivals:register"
OTHER_PHONE = "13900001111"


def today():
    return timezone.localdate()


@pytest.fixture
def pair(client, form_data) -> tuple[Registration, Registration]:
    """A registered, then B: the same document number and date from another client and phone."""
    client.post(reverse(REGISTER), form_data)
    Client().post(reverse(REGISTER), {**form_data, "name": "李四", "phone": OTHER_PHONE})
    first, second = Registration.objects.order_by("pk")
    return first, second


def duplicate_todo(user) -> int:
    return sum(todo.count for todo in follow_up_todos(user) if todo.url == reverse("arrivals:duplicate_list"))


def test_the_duplicate_shows_for_staff_and_is_merged(pair, verified_client, dora) -> None:
    first, second = pair
    assert second.possible_duplicate and not first.possible_duplicate
    staff = verified_client(dora)
    page = staff.get(reverse("arrivals:duplicate_list")).content.decode()
    assert page.count('class="card mb-2 duplicate-group') == 1  # one group, whatever the phones
    assert f'href="{first.get_absolute_url()}"' in page and f'href="{second.get_absolute_url()}"' in page
    assert "同日另一手机号" in page
    assert duplicate_todo(dora) == 1
    detail = staff.get(second.get_absolute_url()).content.decode()
    assert 'id="same-day-duplicate"' in detail
    assert 'id="same-day-duplicate"' in staff.get(first.get_absolute_url()).content.decode()

    answer = staff.post(reverse("arrivals:registration_merge", args=[second.pk]), {"keep": first.pk})
    assert answer.status_code == 302
    second.refresh_from_db()
    assert second.follow_up_status == FollowUpStatus.MERGED and second.merged_into_id == first.pk
    assert duplicate_todo(dora) == 0
    assert 'id="no-duplicates"' in staff.get(reverse("arrivals:duplicate_list")).content.decode()
    assert 'id="same-day-duplicate"' not in staff.get(first.get_absolute_url()).content.decode()


def test_merging_the_first_into_the_second_hands_it_the_day_key(pair, dora) -> None:
    first, second = pair
    services.merge_registrations(second, first, by=dora)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.day_key is None and first.dedupe_key is None
    assert second.day_key == services.day_key(second.id_number, second.arrival_date)
    assert not second.possible_duplicate
    assert duplicate_todo(dora) == 0


def test_a_correction_moving_the_first_away_hands_on_the_day_key(pair) -> None:
    first, second = pair
    other_day = today() - timedelta(days=5)
    services.correct_registration(first, {"arrival_date": other_day}, community=first.unit)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.day_key == services.day_key(first.id_number, other_day)
    assert not second.possible_duplicate  # alone on that day now
    assert not first.possible_duplicate


def test_a_correction_of_the_document_number_clears_the_mark(pair) -> None:
    """The second person had typed someone else's number: corrected through their receipt, their
    record is no longer a possible duplicate."""
    from xuanchuan.arrivals.tests.conftest import resident_id

    first, second = pair
    services.correct_registration(second, {"id_number": resident_id("11010119920101123")}, community=second.unit)
    second.refresh_from_db()
    assert not second.possible_duplicate


def test_a_correction_onto_another_phones_record_of_that_day_marks_it(district) -> None:
    first = make_registration(district.east_community, id_number="E12345678", arrival_date=today() - timedelta(days=1))
    second = make_registration(
        district.east_community, id_number="E12345678", phone="13700001111", arrival_date=today() - timedelta(days=2)
    )
    services.correct_registration(second, {"arrival_date": first.arrival_date}, community=second.unit)
    second.refresh_from_db()
    assert second.possible_duplicate
    # With the first record's phone as well it is that record: refused, as before.
    with pytest.raises(services.ServiceError, match="已有登记"):
        services.correct_registration(second, {"phone": first.phone}, community=second.unit)


def test_the_grid_enters_another_phone_as_a_possible_duplicate(district, dora) -> None:
    first = make_registration(district.east_community, id_number="E12345678")
    data = {name: getattr(first, name) for name in services.PERSON_FIELDS}
    submissions = services.register_many([({**data, "phone": OTHER_PHONE}, district.east_community)], by=dora)
    assert submissions[0].created and submissions[0].registration.possible_duplicate
    again = services.register_many([(data, district.east_community)], by=dora)
    assert not again[0].created and again[0].registration == first


def test_the_daily_list_marks_possible_duplicates(district, alice, verified_client, dora) -> None:
    area = RiskArea(division_code="420100", level=RiskLevel.HIGH, starts_on=today() - timedelta(days=30))
    services.save_risk_area(area, by=alice)
    make_registration(district.east_community, id_number="E12345678")
    make_registration(district.east_community, id_number="E12345678", phone=OTHER_PHONE)
    page = verified_client(dora).get(reverse("arrivals:daily_list")).content.decode()
    assert page.count('class="badge text-bg-danger possible-duplicate"') == 1
    assert 'id="count-duplicates"' in page


def test_the_figures_count_registrations_and_say_so(pair, verified_client, dora, alice) -> None:
    """Until staff merge them, the two registrations are two rows in every figure: counting them
    once would decide, without anyone checking, that they are one person. The figure's
    description says so, and the statistics show how many are waiting to be checked."""
    first, second = pair
    figure = get_figure("arrivals.registrations")
    period = Period.days(today() - timedelta(days=7), today())
    assert figure.compute(period).value == 2
    assert "疑似重复" in figure.description
    for key in ("arrivals.high_risk_registrations", "arrivals.under_follow_up", "arrivals.home_observations"):
        assert "疑似重复" in get_figure(key).description, key
    page = verified_client(alice).get(reverse("arrivals:statistics")).content.decode()
    assert 'id="stat-duplicates"' in page
    services.merge_registrations(first, second, by=dora)
    assert figure.compute(period).value == 1


def test_the_migration_puts_the_phone_into_the_key(district, dora) -> None:
    """0005 keeps the old key (document number and date) as ``day_key`` and recomputes
    ``dedupe_key`` with the phone, from the stored blind indexes."""
    migration = importlib.import_module("xuanchuan.arrivals.migrations.0005_dedupe_key_with_phone")
    kept = make_registration(district.east_community, id_number="E12345678")
    merged = make_registration(district.east_community, id_number="E12345678", arrival_date=today() - timedelta(days=9))
    erased = make_registration(district.east_community, id_number="E87654321")
    services.merge_registrations(kept, merged, by=dora)
    for row in Registration.objects.all():
        old = (
            blind_index_digest(f"{blind_index(row.id_number, 'id_number')}|{row.arrival_date.isoformat()}", "arrival")
            if row.dedupe_key
            else None
        )
        Registration.objects.filter(pk=row.pk).update(dedupe_key=old, day_key=None)
    old_erased = Registration.objects.get(pk=erased.pk).dedupe_key
    Registration.objects.filter(pk=erased.pk).update(
        name="", id_number="", phone="", id_number_index="", phone_index=""
    )

    migration.rekey(apps, None)

    kept.refresh_from_db()
    assert kept.dedupe_key == services.dedupe_key(kept.id_number, kept.arrival_date, kept.phone)
    assert kept.day_key == services.day_key(kept.id_number, kept.arrival_date)
    merged.refresh_from_db()
    assert merged.dedupe_key is None and merged.day_key is None
    erased.refresh_from_db()
    assert erased.dedupe_key == erased.day_key == old_erased
    # The old behaviour back: the day key becomes the key again.
    migration.unkey(apps, None)
    kept.refresh_from_db()
    assert kept.dedupe_key == services.day_key(kept.id_number, kept.arrival_date) and kept.day_key is None


def test_a_possible_duplicate_whose_first_record_is_out_of_sight_still_shows(
    district, verified_client, dora, alice
) -> None:
    """The first registration went to a community dora does not see: her record is still marked,
    and the district administrator sees both to merge them."""
    make_registration(district.west_community, id_number="E12345678")
    second = make_registration(district.east_community, id_number="E12345678", phone=OTHER_PHONE)
    assert second.possible_duplicate and duplicate_todo(dora) == 1
    staff = verified_client(dora)
    assert "不在您的管辖范围内" in staff.get(second.get_absolute_url()).content.decode()
    assert staff.get(reverse("arrivals:duplicate_list")).content.decode().count("duplicate-group") == 1
    assert len(duplicate_groups(alice)[0]) == 2


def test_groups_with_a_same_day_duplicate_come_first(district, dora) -> None:
    """Another arrival date is a group too (a date typed wrong), after the same-day ones."""
    make_registration(district.east_community, id_number="E00000001", arrival_date=today() - timedelta(days=3))
    make_registration(district.east_community, id_number="E00000001", arrival_date=today() - timedelta(days=2))
    make_registration(district.east_community, id_number="E99999999")
    make_registration(district.east_community, id_number="E99999999", phone=OTHER_PHONE)
    make_registration(district.east_community, id_number="E55555555")
    groups = duplicate_groups(dora)
    assert [len(group) for group in groups] == [2, 2]
    assert any(record.possible_duplicate for record in groups[0])
    assert not any(record.possible_duplicate for record in groups[1])
