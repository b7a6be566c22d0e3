"""The small demo has publications in every state, reviewed by the demo's three reviewers, and
the review's to-dos for them."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from xuanchuan.org.models import User
from xuanchuan.publishing.models import Publication, PublicationStatus, ReviewTask
from xuanchuan.publishing.todos_review import todos


@pytest.mark.django_db
def test_the_demo_has_every_state_and_three_different_reviewers_per_item():
    importlib.import_module("xuanchuan.org.migrations.0002_default_roles").create_roles(django_apps, None)
    call_command("seed_demo", "--size", "small", "--seed", "2026", "--force", stdout=io.StringIO())
    states = set(Publication.objects.values_list("status", flat=True))
    assert states == set(PublicationStatus.values)
    steps = set(Publication.objects.filter(status="in_review").values_list("current_step", flat=True))
    assert steps == {"first", "second", "final"}
    finished = ReviewTask.objects.filter(status="approved", round__status="approved")
    assert set(finished.values_list("finished_by__username", flat=True)) >= {"shenhe1", "shenhe2", "shenhe3"}
    for round_id in finished.values_list("round_id", flat=True).distinct()[:200]:
        people = list(finished.filter(round_id=round_id).values_list("finished_by_id", flat=True))
        assert len(people) == len(set(people)) == 3
    labels = {todo.label: todo.count for todo in todos(User.objects.get(username="shenhe1"))}
    assert labels["待审稿件"] >= 1
