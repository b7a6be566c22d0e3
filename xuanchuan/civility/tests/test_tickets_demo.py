"""The small demo holds tickets in every state over its three years."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from xuanchuan.civility.models.cases import SupervisionNotice, Ticket, TicketEvent, TicketStatus


@pytest.fixture
def small_demo(db) -> None:
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())


def test_demo_tickets_in_every_state(small_demo):
    assert set(Ticket.objects.values_list("status", flat=True)) == set(TicketStatus.values)
    accepted = Ticket.objects.filter(status=TicketStatus.ACCEPTED)
    assert accepted.filter(on_time=True).exists() and accepted.filter(on_time=False).exists()
    assert accepted.filter(reopen_count__gt=0).exists()
    assert Ticket.objects.filter(escalated_at__isnull=False).exists() and SupervisionNotice.objects.exists()
    this_year = timezone.localdate().year
    assert set(Ticket.objects.values_list("year", flat=True)) == {this_year - 2, this_year - 1, this_year}
    assert len(set(Ticket.objects.values_list("number", flat=True))) == Ticket.objects.count()
    for ticket in Ticket.objects.all()[:50]:  # every ticket's history starts with its issuing
        assert TicketEvent.objects.filter(ticket=ticket).order_by("at", "pk").first().kind == "issued"
