"""Classification, re-classification when an area is declared later, follow-up day numbers,
check-ins and missed ones, completion, merging and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xuanchuan.arrivals import services
from xuanchuan.arrivals.models import CheckIn, FollowUpPlan, FollowUpStatus, Registration, RiskArea, RiskLevel
from xuanchuan.arrivals.rules import classify
from xuanchuan.arrivals.tests.scoping import make_registration

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def declare(user, code: str, level: str, starts: int, ends: int | None = None) -> tuple[RiskArea, int | None]:
    """Declare ``code`` at ``level`` from ``starts`` days ago (to ``ends`` days ago)."""
    area = RiskArea(
        division_code=code,
        level=level,
        starts_on=today() - timedelta(days=starts),
        ends_on=None if ends is None else today() - timedelta(days=ends),
    )
    saved, result = services.save_risk_area(area, by=user)
    return saved, result.changed


def test_a_city_covers_its_districts_and_the_highest_level_wins(alice) -> None:
    medium = RiskArea(division_code="420000", level=RiskLevel.MEDIUM, starts_on=today() - timedelta(days=5))
    high = RiskArea(division_code="110105", level=RiskLevel.HIGH, starts_on=today() - timedelta(days=5))
    result = classify(["420102", "110105"], today(), [medium, high])
    assert result.level == RiskLevel.HIGH
    assert result.plan == FollowUpPlan.HOME_OBSERVATION and result.days == 14
    assert "湖北省武汉市江岸区" in result.reason and "北京市朝阳区" in result.reason
    assert classify(["440106"], today(), [medium, high]).level == RiskLevel.NONE


def test_an_area_counts_only_while_it_was_at_risk_in_the_14_days_before_arrival() -> None:
    area = RiskArea(division_code="420100", level=RiskLevel.HIGH, starts_on=today() - timedelta(days=40),
                    ends_on=today() - timedelta(days=20))  # fmt: skip
    assert classify(["420102"], today() - timedelta(days=10), [area]).level == RiskLevel.HIGH
    assert classify(["420102"], today(), [area]).level == RiskLevel.NONE
    assert classify(["420102"], today() - timedelta(days=60), [area]).level == RiskLevel.NONE


def test_a_place_passed_through_counts_like_the_origin(district, alice) -> None:
    declare(alice, "310000", RiskLevel.MEDIUM, starts=10)
    registration = make_registration(district.east_community, via_codes="310101")
    assert registration.risk_level == RiskLevel.MEDIUM
    assert registration.plan == FollowUpPlan.HEALTH_MONITORING


def test_an_area_declared_later_reclassifies_earlier_registrations(district, alice) -> None:
    registration = make_registration(district.east_community, origin_code="420102")
    other = make_registration(district.east_community, id_number="E00000001", origin_code="440106")
    assert registration.risk_level == RiskLevel.NONE
    assert registration.follow_up_status == FollowUpStatus.NOT_REQUIRED

    _area, changed = declare(alice, "420100", RiskLevel.HIGH, starts=7)

    assert changed == 1
    registration.refresh_from_db()
    other.refresh_from_db()
    assert registration.risk_level == RiskLevel.HIGH
    assert registration.plan == FollowUpPlan.HOME_OBSERVATION
    assert registration.follow_up_status == FollowUpStatus.ACTIVE
    # Day 1 is the official start (the arrival date), not the day of the declaration.
    assert registration.follow_up_start == registration.arrival_date
    assert registration.day_number(today()) == 3
    assert other.risk_level == RiskLevel.NONE


def test_a_wide_declaration_is_reclassified_in_the_background(
    district, alice, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    monkeypatch.setattr("xuanchuan.arrivals.services.classification.INLINE_RECLASSIFY_LIMIT", 0)
    registration = make_registration(district.east_community)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        area = RiskArea(division_code="420000", level=RiskLevel.MEDIUM, starts_on=today() - timedelta(days=9))
        _area, result = services.save_risk_area(area, by=alice)
    assert result == services.Reclassification(candidates=1, changed=None)
    registration.refresh_from_db()
    assert registration.risk_level == RiskLevel.NONE  # not yet: the job runs after the commit
    for callback in callbacks:
        callback()  # without Redis the job runs inline
    registration.refresh_from_db()
    assert registration.risk_level == RiskLevel.MEDIUM


def test_lifting_an_area_entered_by_mistake_reclassifies_back(district, alice) -> None:
    area, _changed = declare(alice, "420100", RiskLevel.HIGH, starts=7)
    registration = make_registration(district.east_community)
    assert registration.risk_level == RiskLevel.HIGH
    assert services.delete_risk_area(area, by=alice).changed == 1
    registration.refresh_from_db()
    assert registration.risk_level == RiskLevel.NONE
    assert registration.follow_up_status == FollowUpStatus.NOT_REQUIRED


def test_follow_up_day_numbers_start_at_the_arrival_date(district, alice, dora) -> None:
    declare(alice, "420100", RiskLevel.MEDIUM, starts=20)
    registration = make_registration(district.east_community, arrival_date=today() - timedelta(days=4))
    assert registration.follow_up_start == today() - timedelta(days=4)
    assert registration.follow_up_end == today() + timedelta(days=9)
    # Staff record the first check-in only today: it is day 5, not day 1.
    check_in = services.record_check_in(registration, by=dora, day=today(), temperature=36.4)
    assert check_in.day_number == 5
    assert not check_in.abnormal


def test_missed_check_ins_are_the_past_days_without_one(district, alice, dora) -> None:
    declare(alice, "420100", RiskLevel.MEDIUM, starts=20)
    registration = make_registration(district.east_community, arrival_date=today() - timedelta(days=3))
    services.record_check_in(registration, by=dora, day=today() - timedelta(days=2), temperature=37.5)
    assert services.missed_days(registration) == [today() - timedelta(days=3), today() - timedelta(days=1)]
    assert CheckIn.objects.get().abnormal  # 37.5 is a fever
    # Recording the same day again corrects it instead of adding a second check-in.
    services.record_check_in(registration, by=dora, day=today() - timedelta(days=2), temperature=36.5)
    assert CheckIn.objects.count() == 1 and not CheckIn.objects.get().abnormal


def test_check_ins_outside_the_follow_up_are_refused(district, alice, dora) -> None:
    declare(alice, "420100", RiskLevel.MEDIUM, starts=20)
    registration = make_registration(district.east_community, arrival_date=today() - timedelta(days=1))
    with pytest.raises(services.ServiceError, match="不在跟踪期内"):
        services.record_check_in(registration, by=dora, day=today() - timedelta(days=3), temperature=36.5)
    with pytest.raises(services.ServiceError, match="未来"):
        services.record_check_in(registration, by=dora, day=today() + timedelta(days=1), temperature=36.5)
    none = make_registration(district.east_community, id_number="E77777777", origin_code="440106")
    with pytest.raises(services.ServiceError, match="不在跟踪中"):
        services.record_check_in(none, by=dora, day=today(), temperature=36.5)


def test_completion_waits_for_the_last_day(district, alice, dora) -> None:
    declare(alice, "420100", RiskLevel.LOW, starts=20)
    registration = make_registration(district.east_community, arrival_date=today() - timedelta(days=3))
    assert registration.follow_up_days == 7
    with pytest.raises(services.ServiceError, match="跟踪期未满"):
        services.complete_follow_up(registration, by=dora)
    services.complete_follow_up(registration, by=dora, day=today() + timedelta(days=3))
    registration.refresh_from_db()
    assert registration.follow_up_status == FollowUpStatus.COMPLETED
    assert registration.completed_by == dora


def test_merging_folds_a_duplicate_into_the_kept_record(district, alice, dora) -> None:
    declare(alice, "310000", RiskLevel.HIGH, starts=20)
    keep = make_registration(district.east_community, id_number="E12345678", arrival_date=today() - timedelta(days=2))
    duplicate = make_registration(
        district.east_community, id_number="E12345678", arrival_date=today() - timedelta(days=3), origin_code="310101"
    )
    services.record_check_in(duplicate, by=dora, day=today() - timedelta(days=1), temperature=36.6)
    assert keep.risk_level == RiskLevel.NONE and duplicate.risk_level == RiskLevel.HIGH

    services.merge_registrations(keep, duplicate, by=dora)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.follow_up_status == FollowUpStatus.MERGED and duplicate.merged_into == keep
    assert duplicate.dedupe_key is None
    assert "310101" in keep.via_codes
    assert keep.risk_level == RiskLevel.HIGH  # the duplicate's route now counts for the kept record
    assert list(keep.check_ins.values_list("day_number", flat=True)) == [2]
    with pytest.raises(services.ServiceError):
        services.merge_registrations(keep, duplicate, by=dora)
    with pytest.raises(services.ServiceError):
        services.merge_registrations(keep, keep, by=dora)


def test_retention_erases_personal_data_after_the_follow_up(district, alice, dora, settings) -> None:
    from xuanchuan.core.pii import purge_expired

    settings.ARRIVALS_RETENTION_DAYS = 30
    declare(alice, "420100", RiskLevel.LOW, starts=200)
    old = make_registration(district.east_community, arrival_date=today() - timedelta(days=1))
    services.record_check_in(old, by=dora, day=today(), temperature=36.5)
    services.complete_follow_up(old, by=dora, day=today() + timedelta(days=6))
    recent = make_registration(district.east_community, id_number="E99999999")
    later = timezone.now() + timedelta(days=6 + 31)

    result = purge_expired(now=later)

    assert result["来返人员登记（跟踪已解除）"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.name == "" and old.id_number == "" and old.phone == "" and old.id_number_index == ""
    assert old.arrival_date and old.origin_code == "420102"  # the figures survive
    assert recent.name  # still in follow-up: kept
    assert Registration.objects.count() == 2
