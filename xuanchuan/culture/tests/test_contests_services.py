"""The contests part's rules: competitions (title, year, a series in scope), rounds (unique order,
a date in the competition's year), contestants (phone encrypted; no deletion once scored or
recommended), scores (0–100, two decimals, one per contestant and round, blank removes, all or
nothing, not before the round), recommendation (once, only with a score; undone), rankings (ties
share a rank), product campaigns and videos (https links, reach needs its date, a reading not
older than the last), retention of contestants' phones after the competition ended, role and
scope refused."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xuanchuan.core.pii import purge_expired
from xuanchuan.core.pii.retention import unregister_retention
from xuanchuan.core.services import ServiceError
from xuanchuan.culture.models import Contestant, ProductVideo, Round, Score, Series
from xuanchuan.culture.queries import contests as queries
from xuanchuan.culture.services import contests as services
from xuanchuan.culture.tests.factories_contests import (
    make_campaign,
    make_competition,
    make_contestant,
    make_round,
    make_video,
    score,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def competition_input(**fields) -> services.CompetitionInput:
    values = {"title": "“发现乡村领读员”农家书屋阅读演讲比赛", "year": TODAY().year, "next_level": "市级比赛"}
    return services.CompetitionInput(**{**values, **fields})


def video_input(**fields) -> services.VideoInput:
    values = {"title": "甜糯玉米", "platform": "抖音", "published_on": TODAY() - timedelta(days=3)}
    return services.VideoInput(**{**values, **fields})


# --- Competitions and rounds ----------------------------------------------------------------------


def test_create_competition_checks_title_year_and_series_scope(district, bob):
    competition = services.create_competition(competition_input(), unit=district.east, by=bob)
    assert competition.unit == district.east and competition.created_by == bob
    with pytest.raises(ServiceError, match="比赛名称"):
        services.create_competition(competition_input(title="  "), unit=district.east, by=bob)
    with pytest.raises(ServiceError, match="年度应在"):
        services.create_competition(competition_input(year=1999), unit=district.east, by=bob)
    foreign = Series.objects.create(unit=district.west, name="西城系列", year=TODAY().year)
    with pytest.raises(ServiceError, match="系列活动"):
        services.create_competition(competition_input(series=foreign), unit=district.east, by=bob)
    own = Series.objects.create(unit=district.east, name="东城系列", year=TODAY().year)
    changed = services.update_competition(competition, competition_input(series=own, title="新名称"), by=bob)
    assert changed.series == own and changed.title == "新名称"


def test_role_and_scope_are_refused(district, bob, charlie, dora):
    with pytest.raises(PermissionDenied):
        services.create_competition(competition_input(), unit=district.east, by=charlie)
    competition = make_competition(district.east)
    with pytest.raises(PermissionDenied):
        services.save_round(competition, None, name="初赛", by=charlie)
    with pytest.raises(PermissionDenied):  # a community worker above whose unit the competition is
        services.save_contestant(competition, None, name="王五", by=dora)
    campaign = make_campaign(district.east)
    with pytest.raises(PermissionDenied):
        services.save_video(campaign, None, video_input(), by=charlie)


def test_rounds_take_the_next_order_refuse_a_taken_one_and_a_date_outside_the_year(district, bob):
    competition = make_competition(district.east)
    first = services.save_round(competition, None, name="初赛", held_on=TODAY(), by=bob)
    second = services.save_round(competition, None, name="决赛", by=bob)
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(ServiceError, match="已有第 1 轮"):
        services.save_round(competition, None, name="复赛", order=1, by=bob)
    with pytest.raises(ServiceError, match="年度"):
        services.save_round(competition, None, name="复赛", held_on=date(TODAY().year - 1, 6, 1), by=bob)
    with pytest.raises(ServiceError, match="轮次名称"):
        services.save_round(competition, None, name="", by=bob)
    moved = services.save_round(competition, second, name="决赛", order=3, by=bob)
    assert moved.order == 3
    assert list(Round.objects.filter(competition=competition).values_list("order", flat=True)) == [1, 3]


# --- Contestants, scores, recommendation ----------------------------------------------------------


def test_contestant_phone_is_encrypted_and_masked(district, bob):
    from django.db import connection

    competition = make_competition(district.east)
    person = services.save_contestant(
        competition, None, name="李四", organisation="幸福村", phone="13612345678", by=bob
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM culture_contestant WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert "13612345678" not in stored
    from xuanchuan.core.pii import masked

    assert masked(Contestant.objects.get(pk=person.pk), "phone") == "136****5678"


def test_scores_are_checked_saved_changed_and_removed_all_or_nothing(district, bob):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=TODAY())
    a, b = make_contestant(competition, "甲"), make_contestant(competition, "乙")
    assert services.save_scores(item, {a.pk: "95.5", b.pk: ""}, by=bob) == 1
    assert Score.objects.get(contestant=a).score == Decimal("95.50")
    for bad, message in (("100.01", "0 到 100"), ("-1", "0 到 100"), ("9.555", "两位小数"), ("abc", "不是数字")):
        with pytest.raises(ServiceError, match=message):
            services.save_scores(item, {a.pk: "90", b.pk: bad}, by=bob)
    assert Score.objects.get(contestant=a).score == Decimal("95.50")  # nothing of the refused form saved
    assert services.save_scores(item, {a.pk: "88", b.pk: "100"}, by=bob) == 2
    assert Score.objects.get(contestant=a).score == Decimal("88.00")
    assert services.save_scores(item, {a.pk: "", b.pk: "100"}, by=bob) == 1  # blank removes
    assert not Score.objects.filter(contestant=a).exists()


def test_scores_refuse_another_competitions_contestant_and_a_round_yet_to_come(district, bob):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=TODAY())
    stranger = make_contestant(make_competition(district.east, title="另一比赛"), "外人")
    with pytest.raises(ServiceError, match="不属于本比赛"):
        services.save_scores(item, {stranger.pk: "90"}, by=bob)
    if TODAY().month == 12 and TODAY().day == 31:
        return  # no later day in the competition's year
    later = make_round(competition, name="决赛", order=2, held_on=TODAY() + timedelta(days=1))
    with pytest.raises(ServiceError, match="还没到"):
        services.save_scores(later, {}, by=bob)


def test_contestant_with_a_score_or_a_recommendation_cannot_be_deleted(district, bob):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=TODAY())
    scored, unscored = make_contestant(competition, "甲"), make_contestant(competition, "乙")
    score(item, scored, "90")
    with pytest.raises(ServiceError, match="已有比赛成绩"):
        services.delete_contestant(scored, by=bob)
    services.delete_contestant(unscored, by=bob)
    assert list(Contestant.objects.values_list("name", flat=True)) == ["甲"]


def test_recommend_once_only_with_a_score_and_undo(district, bob):
    competition = make_competition(district.east)
    item = make_round(competition, held_on=TODAY())
    person = make_contestant(competition, "甲")
    with pytest.raises(ServiceError, match="还没有比赛成绩"):
        services.recommend(person, by=bob)
    score(item, person, "97")
    done = services.recommend(person, by=bob)
    assert done.recommended_at is not None
    with pytest.raises(ServiceError, match="已经推荐过"):
        services.recommend(person, by=bob)
    assert services.unrecommend(person, by=bob).recommended_at is None
    with pytest.raises(ServiceError, match="无需撤销"):
        services.unrecommend(person, by=bob)


def test_ranks_share_ties_and_skip():
    ranked = queries.ranks([("a", Decimal("90")), ("b", Decimal("95")), ("c", Decimal("93")), ("d", Decimal("93"))])
    assert [(rank, key) for rank, key, _score in ranked] == [(1, "b"), (2, "c"), (2, "d"), (4, "a")]
    assert queries.ranks([]) == []


def test_results_rank_each_round_and_overall_by_the_last_scored_round(district):
    competition = make_competition(district.east)
    first = make_round(competition, "初赛", 1, TODAY())
    final = make_round(competition, "决赛", 2, TODAY())
    a, b, c = (make_contestant(competition, name) for name in ("甲", "乙", "丙"))
    for person, value in ((a, "80"), (b, "90"), (c, "90")):
        score(first, person, value)
    results = queries.results(competition)
    assert results.overall_round == first  # the final not scored yet
    assert [(row.overall_rank, row.contestant.name) for row in results.rows] == [(1, "丙"), (1, "乙"), (3, "甲")]
    score(final, b, "92.5")
    score(final, c, "95")
    results = queries.results(competition)
    assert results.overall_round == final
    assert [(row.overall_rank, row.contestant.name) for row in results.rows] == [(1, "丙"), (2, "乙"), (None, "甲")]
    assert results.per_round[1].missing == 1
    assert results.rows[0].scores == [Decimal("90"), Decimal("95")]


# --- Campaigns and videos -------------------------------------------------------------------------


def test_campaign_needs_title_and_products(district, bob):
    data = services.CampaignInput(title="我为家乡特产代言", year=TODAY().year, products="天炕之品、甜糯玉米")
    campaign = services.create_campaign(data, unit=district.east, by=bob)
    assert campaign.products == "天炕之品、甜糯玉米"
    with pytest.raises(ServiceError, match="特产"):
        services.create_campaign(services.CampaignInput("活动", TODAY().year, " "), unit=district.east, by=bob)


def test_video_link_must_be_https_and_reach_needs_its_date(district, bob):
    campaign = make_campaign(district.east)
    with pytest.raises(ServiceError, match="https"):
        services.save_video(campaign, None, video_input(url="http://example.org/v"), by=bob)
    with pytest.raises(ServiceError, match="https"):
        services.save_video(campaign, None, video_input(url="javascript:alert(1)"), by=bob)
    with pytest.raises(ServiceError, match="统计日期"):
        services.save_video(campaign, None, video_input(views=100), by=bob)
    with pytest.raises(ServiceError, match="早于发布日期"):
        services.save_video(campaign, None, video_input(views=100, counted_on=TODAY() - timedelta(days=4)), by=bob)
    with pytest.raises(ServiceError, match="发布日期不能晚于今天"):
        services.save_video(campaign, None, video_input(published_on=TODAY() + timedelta(days=1)), by=bob)
    video = services.save_video(
        campaign, None, video_input(url="https://v.douyin.com/x/", views=120, likes=8, counted_on=TODAY()), by=bob
    )
    assert (video.views, video.likes, video.counted_on) == (120, 8, TODAY())


def test_update_reach_allows_a_correction_but_not_an_older_reading(district, bob):
    campaign = make_campaign(district.east)
    video = make_video(
        campaign, published_on=TODAY() - timedelta(days=10), views=500, counted_on=TODAY() - timedelta(days=2)
    )
    with pytest.raises(ServiceError, match="统计日期"):
        services.update_reach(video, views=600, likes=1, counted_on=None, by=bob)
    with pytest.raises(ServiceError, match="上次统计"):
        services.update_reach(video, views=600, likes=1, counted_on=TODAY() - timedelta(days=3), by=bob)
    with pytest.raises(ServiceError, match="晚于今天"):
        services.update_reach(video, views=600, likes=1, counted_on=TODAY() + timedelta(days=1), by=bob)
    corrected = services.update_reach(video, views=450, likes=30, counted_on=TODAY(), by=bob)
    assert (corrected.views, corrected.likes, corrected.counted_on) == (450, 30, TODAY())


def test_delete_video(district, bob, charlie):
    video = make_video(make_campaign(district.east))
    with pytest.raises(PermissionDenied):
        services.delete_video(video, by=charlie)
    services.delete_video(video, by=bob)
    assert not ProductVideo.objects.exists()


# --- Retention ------------------------------------------------------------------------------------


@pytest.fixture
def retention(settings):
    settings.CULTURE_CONTESTANT_RETENTION_DAYS = 30
    services.register_retention()
    yield
    unregister_retention(services.RETENTION_LABEL)


def test_retention_erases_phones_after_the_last_round_or_the_year_end(district, retention):
    this_year = TODAY().year
    ended = make_competition(district.east, title="早已结束", year=this_year - 1)
    make_round(ended, "初赛", 1, date(this_year - 1, 3, 1))
    make_round(ended, "决赛", 2, date(this_year - 1, 5, 1))
    old = make_contestant(ended, "甲", phone="13612345678")
    undated = make_competition(district.east, title="无日期", year=this_year - 1)
    undated_person = make_contestant(undated, "乙", phone="13612345679")
    recent = make_competition(district.east, title="刚结束", year=this_year)
    make_round(recent, "决赛", 1, TODAY())
    kept = make_contestant(recent, "丙", phone="13612345670")
    running = make_competition(district.east, title="今年无日期", year=this_year)
    kept_too = make_contestant(running, "丁", phone="13612345671")

    now = timezone.now()
    counted = purge_expired(now=now)
    assert counted[services.RETENTION_LABEL] == (
        1 if date(this_year - 1, 12, 31) >= TODAY() - timedelta(days=30) else 2
    )
    old.refresh_from_db()
    assert old.phone == "" and old.name == "甲"  # the name stays with the results
    kept.refresh_from_db()
    kept_too.refresh_from_db()
    assert kept.phone == "13612345670" and kept_too.phone == "13612345671"
    # A year after: every competition of last year and this one has ended more than 30 days ago.
    purge_expired(now=now + timedelta(days=400))
    for person in (undated_person, kept, kept_too):
        person.refresh_from_db()
        assert person.phone == ""


def test_a_dry_run_changes_nothing(district, retention):
    ended = make_competition(district.east, year=TODAY().year - 2)
    person = make_contestant(ended, "甲", phone="13612345678")
    assert purge_expired(dry_run=True)[services.RETENTION_LABEL] == 1
    person.refresh_from_db()
    assert person.phone == "13612345678"
