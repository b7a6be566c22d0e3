"""Reads of the contests part's pages: competitions and product campaigns in scope with their counts,
a competition's results (score grid, ranking per round and overall), a campaign's reach per
platform, and the rounds still waiting for scores (the to-do). Every read goes through
``visible_to(user)``.

Ranks are standard competition ranks: equal scores share a rank and the next rank skips
(95, 93, 93, 90 → 1, 2, 2, 4). The overall ranking is the last round that has scores (the final,
once it is scored): contestants without a score in it are listed after, unranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, ProductVideo, Round, Score


def competitions(user: Any) -> QuerySet:
    """Competitions in scope with the number of rounds, contestants and recommended contestants and
    the date of the last round."""
    rounds = Round.objects.filter(competition=OuterRef("pk")).order_by().values("competition")
    contestants = Contestant.objects.filter(competition=OuterRef("pk")).order_by().values("competition")
    return (
        Competition.objects.visible_to(user)
        .select_related("unit", "series")
        .annotate(
            round_count=Coalesce(_subcount(rounds), 0),
            contestant_count=Coalesce(_subcount(contestants), 0),
            recommended_count=Coalesce(_subcount(contestants.filter(recommended_at__isnull=False)), 0),
            last_held=_submax(rounds, "held_on"),
        )
    )


def _subcount(rows: QuerySet) -> Any:
    return Subquery(rows.annotate(n=Count("pk")).values("n")[:1])


def _submax(rows: QuerySet, name: str) -> Any:
    return Subquery(rows.annotate(top=Max(name)).values("top")[:1])


def contestants(user: Any) -> QuerySet:
    return Contestant.objects.visible_to(user).select_related("competition", "competition__unit")


def rounds(user: Any) -> QuerySet:
    return Round.objects.visible_to(user).select_related("competition", "competition__unit")


def campaigns(user: Any) -> QuerySet:
    """Product campaigns in scope with their number of videos and their total views and likes."""
    videos = ProductVideo.objects.filter(campaign=OuterRef("pk")).order_by().values("campaign")
    return (
        ProductCampaign.objects.visible_to(user)
        .select_related("unit")
        .annotate(
            video_count=Coalesce(_subcount(videos), 0),
            total_views=Coalesce(Subquery(videos.annotate(s=Sum("views")).values("s")[:1]), 0),
            total_likes=Coalesce(Subquery(videos.annotate(s=Sum("likes")).values("s")[:1]), 0),
        )
    )


def videos(user: Any) -> QuerySet:
    return ProductVideo.objects.visible_to(user).select_related("campaign", "campaign__unit")


# --- A competition's results ----------------------------------------------------------------------


def ranks(scores: Sequence[tuple[Any, Decimal]]) -> list[tuple[int, Any, Decimal]]:
    """``(rank, key, score)`` best first; equal scores share a rank, the next rank skips."""
    ordered = sorted(scores, key=lambda pair: -pair[1])
    ranked: list[tuple[int, Any, Decimal]] = []
    for index, (key, score) in enumerate(ordered):
        rank = ranked[-1][0] if ranked and ranked[-1][2] == score else index + 1
        ranked.append((rank, key, score))
    return ranked


@dataclass
class RoundResult:
    """One round: its ranking (``(rank, contestant, score)``) and how many contestants have no score."""

    round: Round
    ranking: list[tuple[int, Contestant, Decimal]]
    missing: int


@dataclass
class Row:
    """A contestant's line of the score grid: the score of each round (None: none) and the overall rank."""

    contestant: Contestant
    scores: list[Decimal | None]
    overall_rank: int | None = None
    overall_score: Decimal | None = None


@dataclass
class Results:
    """Everything the competition page shows and the results export holds."""

    competition: Competition
    rounds: list[Round]
    rows: list[Row]
    per_round: list[RoundResult]
    overall_round: Round | None
    recommended: list[Contestant] = field(default_factory=list)


def results(competition: Competition) -> Results:
    """The results of a competition the user may see (the caller got it through ``visible_to``):
    three queries whatever the number of contestants."""
    round_list = list(Round.objects.filter(competition=competition).order_by("order"))
    people = list(
        Contestant.objects.filter(competition=competition).annotate(score_count=Count("scores")).order_by("name", "pk")
    )
    table: dict[tuple[int, int], Decimal] = {
        (row["round_id"], row["contestant_id"]): row["score"]
        for row in Score.objects.filter(round__competition=competition).values("round_id", "contestant_id", "score")
    }
    by_pk = {person.pk: person for person in people}
    per_round = []
    for item in round_list:
        entered = [(pk, table[item.pk, pk]) for pk in by_pk if (item.pk, pk) in table]
        ranking = [(rank, by_pk[pk], score) for rank, pk, score in ranks(entered)]
        per_round.append(RoundResult(item, ranking, len(people) - len(entered)))
    rows = {person.pk: Row(person, [table.get((item.pk, person.pk)) for item in round_list]) for person in people}
    scored = [result for result in per_round if result.ranking]
    overall = scored[-1] if scored else None
    if overall is not None:
        for rank, person, score in overall.ranking:
            rows[person.pk].overall_rank, rows[person.pk].overall_score = rank, score
    ordered = sorted(
        rows.values(), key=lambda row: (row.overall_rank is None, row.overall_rank or 0, row.contestant.name)
    )
    return Results(
        competition=competition,
        rounds=round_list,
        rows=ordered,
        per_round=per_round,
        overall_round=overall.round if overall else None,
        recommended=[person for person in people if person.recommended_at is not None],
    )


# --- A campaign's reach ---------------------------------------------------------------------------


@dataclass
class PlatformReach:
    platform: str
    videos: int
    views: int
    likes: int


def reach_by_platform(campaign: ProductCampaign) -> list[PlatformReach]:
    """The campaign's videos, views and likes per platform, most viewed first."""
    rows = (
        ProductVideo.objects.filter(campaign=campaign)
        .values("platform")
        .annotate(n=Count("pk"), views_sum=Sum("views"), likes_sum=Sum("likes"))
        .order_by("-views_sum", "platform")
    )
    return [PlatformReach(row["platform"], row["n"], row["views_sum"] or 0, row["likes_sum"] or 0) for row in rows]


# --- To-dos ---------------------------------------------------------------------------------------


def rounds_awaiting_scores(user: Any) -> QuerySet:
    """Rounds in scope held before today still short of scores: the first round of a competition
    while any contestant has none in it; a later round (only those who went through take part)
    while it has no score at all."""
    first_order = Round.objects.filter(competition=OuterRef("competition")).order_by("order").values("order")[:1]
    unscored = Contestant.objects.filter(competition=OuterRef("competition")).exclude(scores__round=OuterRef("pk"))
    any_score = Score.objects.filter(round=OuterRef("pk"))
    return (
        rounds(user)
        .filter(held_on__lt=timezone.localdate())
        .annotate(is_first=Q(order=first_order), short=Exists(unscored), scored=Exists(any_score))
        .filter(Q(is_first=True, short=True) | Q(is_first=False, scored=False, short=True))
        .order_by(F("held_on").desc())
    )
