"""The contests part's rules hold when two people act at the same moment, on PostgreSQL: two
rounds added at once get different orders (the competition is locked), a round's order taken
twice at once leaves one (the loser gets the Chinese sentence), a contestant recommended twice at
once once, scores saved twice at once leave one score per contestant and round, and a contestant
withdrawn while being scored is either withdrawn or scored, never both."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.utils import timezone

from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import Contestant, Round, Score
from xuanchuan.culture.services import contests as services
from xuanchuan.culture.tests.factories_contests import make_competition, make_contestant, make_round, score
from xuanchuan.volunteers.tests.races import postgresql_only, race

pytestmark = [postgresql_only("concurrent changes"), pytest.mark.django_db(transaction=True)]


def test_two_rounds_added_at_once_take_different_orders(district, bob, alice):
    competition = make_competition(district.east)
    results = race(
        lambda: services.save_round(competition, None, name="初赛", by=bob),
        lambda: services.save_round(competition, None, name="决赛", by=alice),
    )
    assert all(isinstance(result, Round) for result in results), results
    assert sorted(Round.objects.values_list("order", flat=True)) == [1, 2]


def test_one_order_taken_twice_at_once(district, bob, alice):
    competition = make_competition(district.east)
    results = race(
        lambda: services.save_round(competition, None, name="初赛", order=1, by=bob),
        lambda: services.save_round(competition, None, name="预赛", order=1, by=alice),
    )
    refused = [result for result in results if isinstance(result, ServiceError)]
    assert len(refused) == 1 and "已有第 1 轮" in refused[0].messages[0], results
    assert not any(isinstance(result, IntegrityError) for result in results)
    assert Round.objects.count() == 1


def test_recommended_twice_at_once(district, bob, alice):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=timezone.localdate())
    person = make_contestant(competition, "甲")
    score(item, person, "90")
    results = race(lambda: services.recommend(person, by=bob), lambda: services.recommend(person, by=alice))
    refused = [result for result in results if isinstance(result, ServiceError)]
    assert len(refused) == 1 and "已经推荐过" in refused[0].messages[0], results


def test_scores_saved_twice_at_once_leave_one_score_each(district, bob, alice):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=timezone.localdate())
    a, b = make_contestant(competition, "甲"), make_contestant(competition, "乙")
    results = race(
        lambda: services.save_scores(item, {a.pk: "90", b.pk: "80"}, by=bob),
        lambda: services.save_scores(item, {a.pk: "91", b.pk: "81"}, by=alice),
    )
    assert results == [2, 2], results
    scores = dict(Score.objects.values_list("contestant__name", "score"))
    assert len(scores) == 2 and (scores["甲"], scores["乙"]) in ((90, 80), (91, 81))


def test_withdrawn_while_scored(district, bob, alice):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=timezone.localdate())
    person = make_contestant(competition, "甲")
    results = race(
        lambda: services.delete_contestant(person, by=bob),
        lambda: services.save_scores(item, {person.pk: "88"}, by=alice),
    )
    kept = Contestant.objects.filter(pk=person.pk).exists()
    assert kept == Score.objects.filter(contestant_id=person.pk).exists(), results
