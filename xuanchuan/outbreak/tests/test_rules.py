"""The rules of the daily report, through the services: timing, lock, reopening, corrections,
"no change since yesterday", approval, pre-fill and permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from xuanchuan.core.services import ServiceError
from xuanchuan.org.models import RoleCode
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import (
    DailyReport,
    DayApproval,
    EntryReopening,
    EntryState,
    ReportStatus,
    ValueCorrection,
)
from xuanchuan.outbreak.tests.conftest import DAY, at
from xuanchuan.reports import registry
from xuanchuan.reports.registry import Measure, figure

pytestmark = pytest.mark.django_db


def values(indicators, *numbers):
    return {indicator.pk: number for indicator, number in zip(indicators, numbers, strict=True)}


def submit(form, unit, user, indicators, moment, *numbers, day=DAY, reason=""):
    return services.submit_report(
        form=form, unit=unit, day=day, values=values(indicators, *numbers), by=user, reason=reason, at=moment
    )


def test_report_before_the_deadline_is_on_time_and_after_it_late(form, indicators, district, bob, dora) -> None:
    on_time = submit(form, district.east, bob, indicators, at(DAY, 9, 59), 1, 2, 3).report
    late = submit(form, district.east_community, dora, indicators, at(DAY, 10, 1), 1, 2, 3).report
    assert on_time.is_late is False and on_time.status == ReportStatus.SUBMITTED
    assert late.is_late is True
    assert {v.value for v in on_time.values.all()} == {1, 2, 3}


def test_deadline_and_lock_are_china_standard_time(form) -> None:
    # 10:00 in Shanghai is 02:00 UTC, whatever the server's zone.
    assert form.deadline_at(DAY).astimezone(tz=None).utcoffset() is not None
    assert form.deadline_at(DAY).utctimetuple()[3] == 2
    assert services.entry_state(form, form.unit, DAY, at=at(DAY, 9)) == EntryState.OPEN
    assert services.entry_state(form, form.unit, DAY, at=at(DAY, 11)) == EntryState.LATE
    assert services.entry_state(form, form.unit, DAY, at=at(DAY, 18, 1)) == EntryState.LOCKED
    assert services.entry_state(form, form.unit, DAY + timedelta(days=1), at=at(DAY, 9)) == EntryState.NOT_YET


def test_one_report_per_unit_and_day_is_a_database_rule(form, district, bob) -> None:
    DailyReport.objects.create(form=form, unit=district.east, day=DAY, submitted_at=at(DAY, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReport.objects.create(form=form, unit=district.east, day=DAY, submitted_at=at(DAY, 9, 5))


def test_after_the_lock_only_a_reopening_by_a_supervisor_lets_a_unit_file(
    form, indicators, district, alice, bob
) -> None:
    with pytest.raises(ServiceError, match="已锁定"):
        submit(form, district.east, bob, indicators, at(DAY, 18, 30), 1, 2, 3)
    with pytest.raises(PermissionDenied, match="只有部管理员"):
        services.reopen_entry(form=form, unit=district.east, day=DAY, by=bob, reason="补报", at=at(DAY, 19))
    with pytest.raises(ServiceError, match="原因"):
        services.reopen_entry(form=form, unit=district.east, day=DAY, by=alice, reason="  ", at=at(DAY, 19))
    with pytest.raises(ServiceError, match="尚未锁定"):
        services.reopen_entry(form=form, unit=district.east, day=DAY, by=alice, reason="补报", at=at(DAY, 12))

    reopening = services.reopen_entry(
        form=form, unit=district.east, day=DAY, by=alice, reason="系统故障", at=at(DAY, 19)
    )
    assert (reopening.created_by, reopening.reason, reopening.used_at) == (alice, "系统故障", None)
    assert services.entry_state(form, district.east, DAY, at=at(DAY, 19, 5)) == EntryState.REOPENED
    with pytest.raises(ServiceError, match="尚未使用"):
        services.reopen_entry(form=form, unit=district.east, day=DAY, by=alice, reason="再开", at=at(DAY, 19, 1))

    report = submit(form, district.east, bob, indicators, at(DAY, 19, 10), 1, 2, 3).report
    assert report.is_late
    reopening.refresh_from_db()
    assert reopening.used_at == at(DAY, 19, 10)
    # The reopening is used up: the next change needs another one.
    with pytest.raises(ServiceError, match="已锁定"):
        submit(form, district.east, bob, indicators, at(DAY, 19, 20), 5, 2, 3, reason="更正")


def test_a_correction_keeps_the_earlier_value_with_who_when_and_why(form, indicators, district, bob) -> None:
    report = submit(form, district.east, bob, indicators, at(DAY, 9), 1, 2, 3).report
    with pytest.raises(ServiceError, match="更正原因"):
        submit(form, district.east, bob, indicators, at(DAY, 11), 1, 20, 3)
    filing = submit(form, district.east, bob, indicators, at(DAY, 11), 1, 20, 4, reason="录入笔误")
    assert (filing.created, filing.corrections) == (False, 2)
    history = list(ValueCorrection.objects.filter(report=report).order_by("indicator__position"))
    assert [(c.indicator.name, c.old_value, c.new_value) for c in history] == [
        ("体温检测", 2, 20),
        ("通行证出行", 3, 4),
    ]
    assert {(c.created_by, c.reason, c.created_at) for c in history} == {(bob, "录入笔误", at(DAY, 11))}
    report.refresh_from_db()
    # The first filing decides timeliness; a later correction does not make it late.
    assert not report.is_late and report.submitted_at == at(DAY, 9)
    assert sorted(report.values.values_list("value", flat=True)) == [1, 4, 20]
    # Nothing changed, nothing recorded, no reason needed.
    assert submit(form, district.east, bob, indicators, at(DAY, 12), 1, 20, 4).corrections == 0


def test_no_change_since_yesterday_records_a_report_with_yesterdays_values(form, indicators, district, bob) -> None:
    yesterday = DAY - timedelta(days=1)
    with pytest.raises(ServiceError, match="昨日没有上报"):
        services.submit_unchanged(form=form, unit=district.east, day=DAY, by=bob, at=at(DAY, 9))
    submit(form, district.east, bob, indicators, at(yesterday, 9), 7, 8, 9, day=yesterday)
    report = services.submit_unchanged(form=form, unit=district.east, day=DAY, by=bob, at=at(DAY, 10, 30))
    assert report.carried_over and report.is_late and report.day == DAY
    assert sorted(report.values.values_list("value", flat=True)) == [7, 8, 9]
    with pytest.raises(ServiceError, match="已经上报"):
        services.submit_unchanged(form=form, unit=district.east, day=DAY, by=bob, at=at(DAY, 11))


def test_approval_locks_the_day(form, indicators, district, alice, bob, dora) -> None:
    submit(form, district.east, bob, indicators, at(DAY, 9), 1, 2, 3)
    with pytest.raises(PermissionDenied, match="只有部管理员"):
        services.approve_day(form=form, day=DAY, by=bob, at=at(DAY, 19))
    with pytest.raises(ServiceError, match="截止时间之前"):
        services.approve_day(form=form, day=DAY, by=alice, at=at(DAY, 9, 30))
    approval = services.approve_day(form=form, day=DAY, by=alice, note="数据无误", at=at(DAY, 11))
    assert (approval.created_by, approval.note) == (alice, "数据无误")
    assert DailyReport.objects.get(unit=district.east).status == ReportStatus.APPROVED
    for attempt in (
        lambda: submit(form, district.east, bob, indicators, at(DAY, 12), 9, 2, 3, reason="改"),
        lambda: submit(form, district.east_community, dora, indicators, at(DAY, 12), 1, 1, 1),
        lambda: services.reopen_entry(form=form, unit=district.east, day=DAY, by=alice, reason="x", at=at(DAY, 19)),
        lambda: services.approve_day(form=form, day=DAY, by=alice, at=at(DAY, 20)),
    ):
        with pytest.raises(ServiceError, match="审核"):
            attempt()
    assert DayApproval.objects.count() == 1 and not EntryReopening.objects.exists()


def test_only_reporters_of_a_visible_required_unit_may_file(form, indicators, district, charlie, dora) -> None:
    from xuanchuan.conftest import make_person

    with pytest.raises(PermissionDenied, match="不能为该单位"):
        submit(form, district.east, charlie, indicators, at(DAY, 9), 1, 2, 3)
    with pytest.raises(PermissionDenied, match="不能为该单位"):
        submit(form, district.east, dora, indicators, at(DAY, 9), 1, 2, 3)
    reviewer = make_person("rev", district.east, RoleCode.REVIEWER_FIRST)
    with pytest.raises(PermissionDenied, match="权限"):
        submit(form, district.east, reviewer, indicators, at(DAY, 9), 1, 2, 3)
    education = make_person("edu", district.education, RoleCode.UNIT_REPORTER)
    with pytest.raises(ServiceError, match="不是"):
        submit(form, district.education, education, indicators, at(DAY, 9), 1, 2, 3)
    with pytest.raises(ServiceError, match="还不能"):
        submit(form, district.west, charlie, indicators, at(DAY, 9), 1, 2, 3, day=DAY + timedelta(days=1))
    with pytest.raises(ServiceError, match="请填写"):
        services.submit_report(form=form, unit=district.west, day=DAY, values={}, by=charlie, at=at(DAY, 9))
    assert not DailyReport.objects.exists()


def test_prefill_takes_registered_figures_and_skips_unknown_keys(form, indicators, district, bob) -> None:
    seen = []
    with registry.scratch():

        @figure("testing.arrivals", label="测试来返", unit="人")
        def arrivals(period, unit):
            seen.append((period.start, period.end, unit))
            return Measure(42)

        assert services.prefill(form, district.east, DAY) == {indicators[0].pk: 42}
        assert seen == [(DAY, DAY, district.east)]
        report = submit(form, district.east, bob, indicators, at(DAY, 9), 42, 5, 6).report
    assert {v.indicator.name: v.prefilled for v in report.values.select_related("indicator")} == {
        "新增来返人员": True,
        "体温检测": False,
        "通行证出行": False,
    }


def test_prefill_without_any_registered_figure_is_empty(form, district) -> None:
    assert services.prefill(form, district.east, DAY) == {}


def test_a_failing_figure_elsewhere_does_not_stop_the_report(form, indicators, district, bob, caplog) -> None:
    with registry.scratch():

        @figure("testing.arrivals", label="测试来返", unit="人")
        def broken(period, unit):
            raise RuntimeError("arrivals is down")

        assert services.prefill(form, district.east, DAY) == {}
        assert "testing.arrivals" in caplog.text
        assert submit(form, district.east, bob, indicators, at(DAY, 9), 1, 2, 3).created
