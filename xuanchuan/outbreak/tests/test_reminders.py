"""Reminders before the deadline: the Celery task, in-app reminders on the home page, and the
SMS sender interface with its logging backend."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from xuanchuan.core import navigation
from xuanchuan.core.sms import LoggingSmsGateway, SmsGateway
from xuanchuan.outbreak import services
from xuanchuan.outbreak.models import Reminder, SmsMessage, SmsStatus
from xuanchuan.outbreak.sms import get_sms_backend, send_sms
from xuanchuan.outbreak.tasks import send_deadline_reminders
from xuanchuan.outbreak.tests.conftest import DAY, at
from xuanchuan.outbreak.todos import outbreak_todos

pytestmark = pytest.mark.django_db


def run_task(moment) -> int:
    return send_deadline_reminders.delay(moment.isoformat()).get()


def test_reminders_go_to_units_not_reported_within_the_window_once(form, district, bob, charlie, dora) -> None:
    services.submit_report(
        form=form, unit=district.west, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, by=charlie,
        at=at(DAY, 8),
    )  # fmt: skip
    assert run_task(at(DAY, 8, 59)) == 0  # before the window (60 minutes before 10:00)
    assert run_task(at(DAY, 9, 5)) == 3
    assert set(Reminder.objects.values_list("unit__name", flat=True)) == {"东城街道", "幸福社区", "和平社区"}
    # Idempotent per unit and day, however often beat runs it.
    assert run_task(at(DAY, 9, 10)) == 0
    assert Reminder.objects.count() == 3
    # bob and dora have mobiles; charlie's unit had reported; the number is kept masked only.
    messages = {sms.recipient.username: sms for sms in SmsMessage.objects.select_related("recipient")}
    assert set(messages) == {"bob", "dora"}
    assert messages["bob"].masked_mobile == "138****8001"
    assert "10:00" in messages["bob"].text and "东城街道" in messages["bob"].text
    assert all(sms.status == SmsStatus.SENT for sms in messages.values())


def test_no_reminders_at_or_after_the_deadline(form, district) -> None:
    assert run_task(at(DAY, 10, 0)) == 0
    assert not Reminder.objects.exists()


def test_logging_backend_masks_the_number(form, district, bob, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="xuanchuan.core.sms"):
        message = send_sms(LoggingSmsGateway(), bob, "测试短信")
    assert message.masked_mobile == "138****8001" and message.unit == district.east
    assert "138****8001" in caplog.text and "13800138001" not in caplog.text


class FailingBackend(SmsGateway):
    def deliver(self, number: str, text: str) -> None:
        raise ConnectionError("gateway down")


def test_the_backend_is_chosen_by_setting_and_failures_are_recorded(settings, district, bob, charlie) -> None:
    assert isinstance(get_sms_backend(), LoggingSmsGateway)
    settings.OUTBREAK_SMS_BACKEND = f"{__name__}.FailingBackend"
    backend = get_sms_backend()
    assert isinstance(backend, FailingBackend)
    assert send_sms(backend, bob, "x").status == SmsStatus.FAILED
    assert send_sms(backend, charlie, "x") is None  # no mobile number, no message
    settings.OUTBREAK_SMS_BACKEND = "xuanchuan.outbreak.models.Reminder"
    with pytest.raises(TypeError):
        get_sms_backend()


def labels(user) -> dict[str, int]:
    return {todo.label: todo.count for todo in outbreak_todos(user) if todo.count}


def test_home_page_shows_todays_reminder_until_the_unit_reports(form, district, bob, dora, monkeypatch) -> None:
    monkeypatch.setattr(services, "now", lambda: at(DAY, 9, 30))
    run_task(at(DAY, 9, 30))
    assert labels(bob) == {"“疫情防控日报”今日尚未上报（已提醒）": 2}
    assert labels(dora) == {"“疫情防控日报”今日尚未上报（已提醒）": 1}
    assert outbreak_todos in navigation._todo_providers
    services.submit_report(
        form=form, unit=district.east, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, by=bob,
        at=at(DAY, 9, 40),
    )  # fmt: skip
    services.submit_report(
        form=form, unit=district.east_community, day=DAY, values={i.pk: 1 for i in form.indicators.all()}, by=bob,
        at=at(DAY, 9, 41),
    )  # fmt: skip
    assert labels(bob) == {}


def test_supervisor_is_asked_to_approve_yesterday(form, district, alice, monkeypatch) -> None:
    monkeypatch.setattr(services, "now", lambda: at(DAY, 11))
    assert labels(alice) == {"“疫情防控日报”昨日数据待审核": 1}
    services.approve_day(form=form, day=DAY - timedelta(days=1), by=alice, at=at(DAY, 11))
    assert labels(alice) == {}


def test_todays_reminders_are_counted_in_one_query_however_many(
    form, district, bob, dora, monkeypatch, django_assert_num_queries
) -> None:
    """One grouped query for the reminders of every form, not one count per reminder (the home page)."""
    monkeypatch.setattr(services, "now", lambda: at(DAY, 9, 30))
    run_task(at(DAY, 9, 30))
    assert Reminder.objects.count() > 2
    list(outbreak_todos(bob))  # bob's roles, read once per request and kept on the user
    with django_assert_num_queries(1):
        todos = [todo for todo in outbreak_todos(bob) if "今日" in todo.label]
    assert [todo.count for todo in todos] == [2]
