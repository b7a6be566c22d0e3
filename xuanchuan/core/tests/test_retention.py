"""Retention periods: what goes, what stays, dry runs, batches, the task and the command."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from xuanchuan.core.models import PersonalDataAccess, RetentionPurge
from xuanchuan.core.pii import lookup, purge_expired, register_retention
from xuanchuan.core.pii.retention import RetentionError, retention_rules, run_retention, unregister_retention
from xuanchuan.core.tasks import purge_expired_personal_data
from xuanchuan.core.tests.piimodels import Resident

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))
ACCESS_LABEL = "个人信息查看记录"


@pytest.fixture
def rules():
    """Register test rules through the returned function; they are removed afterwards."""
    added: list[str] = []

    def add(**kwargs):
        rule = register_retention(Resident, **kwargs)
        added.append(rule.label)
        return rule

    yield add
    for label in added:
        unregister_retention(label)


def ours(result: dict[str, int]) -> dict[str, int]:
    """The counts of core's own rule and of the test rules (other apps register theirs too)."""
    return {label: n for label, n in result.items() if label == ACCESS_LABEL or label.startswith("测试")}


def make_resident(district, days_old: int, **fields) -> Resident:
    defaults = {
        "name": "张三",
        "phone": "13812345678",
        "unit": district.east,
        "registered_at": NOW - datetime.timedelta(days=days_old),
    }
    return Resident.objects.create(**{**defaults, **fields})


def test_the_access_log_is_registered_with_its_setting() -> None:
    rule = next(rule for rule in retention_rules() if rule.label == ACCESS_LABEL)
    assert rule.model is PersonalDataAccess and rule.action == "delete" and rule.date_field == "accessed_at"


def test_expired_rows_are_deleted_and_fresh_rows_stay(district, rules) -> None:
    rules(days=30, date_field="registered_at", action="delete", label="测试居民")
    old = make_resident(district, 31)
    fresh = make_resident(district, 29)
    assert ours(purge_expired(now=NOW)) == {ACCESS_LABEL: 0, "测试居民": 1}
    assert list(Resident.objects.all()) == [fresh]
    assert not Resident.objects.filter(pk=old.pk).exists()
    record = RetentionPurge.objects.get(label="测试居民")
    assert (record.count, record.dry_run, record.action, record.model_label) == (
        1,
        False,
        "delete",
        "piitest.Resident",
    )
    assert record.cutoff == NOW - datetime.timedelta(days=30) and record.ran_at == NOW


def test_erasing_empties_personal_fields_and_their_indexes_only(district, rules) -> None:
    rules(
        days=lambda: 14,
        date_field="registered_at",
        action="erase",
        fields=("name", "phone"),
        label="测试抹除",
    )
    old = make_resident(district, 15, id_number="11010519491231002X", health_note="无发热")
    fresh = make_resident(district, 13)
    assert purge_expired(now=NOW)["测试抹除"] == 1
    old.refresh_from_db()
    assert (old.name, old.phone, old.phone_index) == ("", "", "")
    assert old.id_number == "11010519491231002X" and old.health_note == "无发热"
    assert Resident.objects.filter(**lookup(Resident, "phone", "13812345678")).get() == fresh
    # Already erased rows are not counted again.
    assert purge_expired(now=NOW)["测试抹除"] == 0


def test_erase_defaults_to_every_encrypted_field(district, rules) -> None:
    rule = rules(days=1, date_field="registered_at", action="erase", label="全部抹除")
    assert set(rule.fields) == {"name", "id_number", "phone", "health_note"}
    old = make_resident(district, 2, id_number="11010519491231002X", health_note="无发热")
    purge_expired(now=NOW)
    old.refresh_from_db()
    assert (old.name, old.id_number, old.id_number_index, old.phone, old.health_note) == ("", "", "", "", "")


def test_filter_and_date_fields(district, rules) -> None:
    rules(days=10, date_field="visit_date", action="delete", filter=Q(unit=district.west), label="西城来访")
    cutoff_day = timezone.localdate(NOW) - datetime.timedelta(days=10)
    west_old = make_resident(district, 0, unit=district.west, visit_date=cutoff_day - datetime.timedelta(days=1))
    west_edge = make_resident(district, 0, unit=district.west, visit_date=cutoff_day)
    east_old = make_resident(district, 0, visit_date=cutoff_day - datetime.timedelta(days=100))
    undated = make_resident(district, 0, unit=district.west, visit_date=None)
    assert purge_expired(now=NOW)["西城来访"] == 1
    assert set(Resident.objects.all()) == {west_edge, east_old, undated}
    assert not Resident.objects.filter(pk=west_old.pk).exists()


def test_a_date_across_a_relation(district, rules) -> None:
    """The period may run from a date of the row the record points to (a work's call closing):
    residents of a unit dissolved more than 10 days ago lose their phone; the others keep it."""
    rules(days=10, date_field="unit__dissolved_on", action="erase", fields=("phone",), label="测试撤销单位")
    type(district.west).objects.filter(pk=district.west.pk).update(dissolved_on=datetime.date(2026, 5, 1))
    type(district.east).objects.filter(pk=district.east.pk).update(dissolved_on=datetime.date(2026, 5, 25))
    west, east = make_resident(district, 0, unit=district.west), make_resident(district, 0)
    assert ours(purge_expired(now=NOW))["测试撤销单位"] == 1
    west.refresh_from_db(), east.refresh_from_db()
    assert (west.phone, west.name, east.phone) == ("", "张三", "13812345678")
    assert purge_expired(now=NOW)["测试撤销单位"] == 0  # erased once


def test_rows_whose_date_is_no_field_are_selected_by_the_rule(district, rules) -> None:
    """A date that is no field (a competition's end: its last round) is worked out by the rule's
    ``select(cutoff)``; the rule's filter and the "still holds something" condition still apply."""
    seen = []

    def select(cutoff):
        seen.append(cutoff)
        return Resident._base_manager.filter(health_note__isnull=False).exclude(unit=district.root)

    rules(days=3, action="erase", fields=("phone",), filter=~Q(unit=district.west), label="测试自选", select=select)
    chosen = make_resident(district, 0)
    other_unit = make_resident(district, 0, unit=district.west)
    assert ours(purge_expired(now=NOW))["测试自选"] == 1 and seen == [NOW - datetime.timedelta(days=3)]
    chosen.refresh_from_db(), other_unit.refresh_from_db()
    assert chosen.phone == "" and other_unit.phone == "13812345678"


def test_dry_run_changes_nothing(district, rules) -> None:
    rules(days=30, date_field="registered_at", action="delete", label="测试居民")
    rules(days=30, date_field="registered_at", action="erase", fields=("phone",), label="测试抹除")
    make_resident(district, 40)
    make_resident(district, 50)
    make_resident(district, 1)
    before = sorted(Resident.objects.values_list("pk", "phone", "phone_index"))
    assert ours(purge_expired(now=NOW, dry_run=True)) == {ACCESS_LABEL: 0, "测试居民": 2, "测试抹除": 2}
    assert sorted(Resident.objects.values_list("pk", "phone", "phone_index")) == before
    assert set(RetentionPurge.objects.values_list("dry_run", flat=True)) == {True}
    assert RetentionPurge.objects.count() == len(retention_rules())


def test_work_goes_in_batches(district, rules) -> None:
    rules(days=30, date_field="registered_at", action="delete", label="测试居民")
    rules(
        days=30,
        date_field="registered_at",
        action="erase",
        fields=("name",),
        filter=Q(unit=district.west),
        label="测试抹除",
    )
    for _ in range(5):
        make_resident(district, 40)
        make_resident(district, 40, unit=district.west, registered_at=NOW)
    results = {result.rule.label: result.count for result in run_retention(now=NOW, batch_size=2)}
    assert results["测试居民"] == 5
    assert Resident.objects.count() == 5


def test_the_access_log_is_purged_after_its_setting(settings, alice) -> None:
    settings.XUANCHUAN_PII_ACCESS_LOG_DAYS = 200
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Resident)
    for days in (201, 199):
        PersonalDataAccess.objects.create(
            user=alice, username="alice", content_type=content_type, object_id="1", field="phone",
            accessed_at=NOW - datetime.timedelta(days=days),
        )  # fmt: skip
    assert purge_expired(now=NOW)[ACCESS_LABEL] == 1
    assert PersonalDataAccess.objects.get().accessed_at == NOW - datetime.timedelta(days=199)


def test_a_failing_rule_does_not_stop_the_others(district, rules, caplog) -> None:
    rules(days=0, date_field="registered_at", action="delete", label="坏规则")
    rules(days=30, date_field="registered_at", action="delete", label="测试居民")
    make_resident(district, 40)
    with (
        caplog.at_level(logging.INFO, logger="xuanchuan.core.retention"),
        pytest.raises(RetentionError, match="坏规则"),
    ):
        purge_expired(now=NOW)
    assert not Resident.objects.exists()
    assert "至少为 1 天" in RetentionPurge.objects.get(label="坏规则").error
    assert any("测试居民" in record.getMessage() for record in caplog.records)


def test_registration_is_checked() -> None:
    with pytest.raises(ValueError, match="action"):
        register_retention(Resident, days=1, date_field="registered_at", action="archive", label="x")
    with pytest.raises(ValueError, match="日期"):
        register_retention(Resident, days=1, date_field="name", action="delete", label="x")
    with pytest.raises(ValueError, match="日期"):
        register_retention(Resident, days=1, date_field="unit__nothing", action="delete", label="x")
    with pytest.raises(ValueError, match="日期"):
        register_retention(Resident, days=1, action="delete", label="x")  # neither a date nor select
    with pytest.raises(ValueError, match="没有加密字段"):
        register_retention(PersonalDataAccess, days=1, date_field="accessed_at", action="erase", label="x")
    with pytest.raises(ValueError, match="文本字段"):
        register_retention(
            Resident, days=1, date_field="registered_at", action="erase", fields=("visit_date",), label="x"
        )
    assert "x" not in {rule.label for rule in retention_rules()}


def test_the_task_runs_through_delay(district, rules) -> None:
    rules(days=30, date_field="registered_at", action="delete", label="测试居民")
    Resident.objects.create(name="张三", unit=district.east, registered_at=timezone.now() - datetime.timedelta(days=31))
    result = purge_expired_personal_data.delay()
    assert ours(result.get(timeout=10)) == {ACCESS_LABEL: 0, "测试居民": 1}
    assert not Resident.objects.exists()
    assert purge_expired_personal_data.name == "xuanchuan.core.tasks.purge_expired_personal_data"


def test_the_command_prints_counts_in_chinese(district, rules) -> None:
    rules(days=30, date_field="registered_at", action="delete", label="测试居民")
    Resident.objects.create(name="张三", unit=district.east, registered_at=timezone.now() - datetime.timedelta(days=31))
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "试运行" in out.getvalue() and "测试居民：将删除记录 1 条" in out.getvalue()
    assert Resident.objects.count() == 1
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "测试居民：已删除记录 1 条" in out.getvalue() and "个人信息清理完成" in out.getvalue()
    assert not Resident.objects.exists()


def test_the_command_fails_when_a_rule_fails(rules) -> None:
    rules(days=0, date_field="registered_at", action="delete", label="坏规则")
    err = io.StringIO()
    with pytest.raises(CommandError, match="坏规则"):
        call_command("purge_personal_data", stdout=io.StringIO(), stderr=err)
    assert "坏规则：失败" in err.getvalue()
