"""The contests part's pages: lists (query bounds, search, filters, Excel), a competition's page
(rounds, score grid, rankings, phones masked and revealed with a log, the results export with
masked phones), the forms (bad input: a Chinese message, nothing saved, what was typed kept), the
confirmations, campaigns with their videos and reach, scope (charlie of 西城街道: 404) and role
(no role: 403), the API and the to-do."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import make_person, verified_login
from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, ProductVideo, Round, Score
from xuanchuan.culture.tests.factories_contests import (
    make_campaign,
    make_competition,
    make_contestant,
    make_round,
    make_video,
    score,
)
from xuanchuan.culture.todos_contests import todos

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def sheet_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content))
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in book.active.iter_rows(values_only=True))


@pytest.fixture
def bob_client(client, bob):
    return verified_login(client, bob)


@pytest.fixture
def contest(district):
    competition = make_competition(district.east, next_level="市级比赛")
    first = make_round(competition, "初赛", 1, TODAY())
    people = [
        make_contestant(competition, name, phone=phone, organisation="幸福村农家书屋")
        for name, phone in (("甲", "13612345678"), ("乙", "13612345679"), ("丙", ""))
    ]
    return competition, first, people


@pytest.mark.parametrize("name", ["culture:competition_list", "culture:campaign_list"])
def test_lists_have_bounded_queries_and_export(bob_client, district, name, django_assert_max_num_queries):
    for index in range(12):
        competition = make_competition(district.east, title=f"比赛{index}")
        make_round(competition, held_on=TODAY())
        make_contestant(competition, "某", phone="13612345678")
        make_video(make_campaign(district.east, title=f"活动{index}"), views=index)
    with django_assert_max_num_queries(20):
        response = bob_client.get(reverse(name))
    assert response.status_code == 200
    exported = bob_client.get(reverse(name), {"export": "xlsx"})
    assert exported.status_code == 200 and ("比赛11" in sheet_text(exported) or "活动11" in sheet_text(exported))


def test_competition_list_search_and_filters(bob_client, district):
    old = make_competition(district.east, title="去年的演讲比赛", year=TODAY().year - 1)
    new = make_competition(district.east_community, title="今年的阅读比赛")
    person = make_contestant(new, "甲", recommended_at=timezone.now())
    assert person.recommended_at
    url = reverse("culture:competition_list")
    page = bob_client.get(url, {"q": "阅读"}).content.decode()
    assert new.title in page and old.title not in page
    page = bob_client.get(url, {"year": str(TODAY().year - 1)}).content.decode()
    assert old.title in page and new.title not in page
    page = bob_client.get(url, {"recommended": "yes"}).content.decode()
    assert new.title in page and old.title not in page
    page = bob_client.get(url, {"unit": str(district.east_community.pk)}).content.decode()
    assert new.title in page and old.title not in page


def test_competition_page_shows_rounds_ranking_and_masked_phones(bob_client, contest, django_assert_max_num_queries):
    competition, first, (a, b, c) = contest
    score(first, a, "88.5")
    score(first, b, "92")
    with django_assert_max_num_queries(20):
        response = bob_client.get(reverse("culture:competition_detail", kwargs={"pk": competition.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "13612345678" not in page and "136****5678" in page
    assert page.index(">乙<") < page.index(">甲<")  # ranked by score
    assert "初赛" in page and "88.50" in page


def test_results_export_masks_phones(bob_client, contest):
    competition, first, (a, _b, _c) = contest
    score(first, a, "88.5")
    response = bob_client.get(reverse("culture:competition_detail", kwargs={"pk": competition.pk}), {"export": "xlsx"})
    text = sheet_text(response)
    assert "甲" in text and "136****5678" in text and "13612345678" not in text and "88.5" in text


def test_revealing_a_phone_is_logged(client, alice, contest):
    competition, _first, (a, _b, _c) = contest
    verified_login(client, alice)
    content_type = ContentType.objects.get_for_model(Contestant)
    url = reverse("core:pii_reveal", kwargs={"content_type_id": content_type.pk, "pk": a.pk, "field": "phone"})
    response = client.post(url)
    assert response.status_code == 200 and "13612345678" in response.content.decode()
    assert PersonalDataAccess.objects.filter(object_id=str(a.pk)).exists()


def test_create_competition_add_round_contestants_scores_and_recommend(bob_client, district):
    response = bob_client.post(
        reverse("culture:competition_create"),
        {"unit": district.east.pk, "title": "阅读演讲比赛", "year": TODAY().year, "next_level": "市级比赛"},
    )
    competition = Competition.objects.get()
    assert response.status_code == 302 and competition.created_by.username == "bob"
    bob_client.post(
        reverse("culture:round_add", kwargs={"pk": competition.pk}), {"name": "决赛", "held_on": TODAY().isoformat()}
    )
    item = Round.objects.get()
    response = bob_client.post(
        reverse("culture:contestant_add", kwargs={"pk": competition.pk}),
        {"name": "甲", "phone": "136 1234 5678", "another": "1"},
    )
    assert response["Location"] == reverse("culture:contestant_add", kwargs={"pk": competition.pk})
    bob_client.post(reverse("culture:contestant_add", kwargs={"pk": competition.pk}), {"name": "乙"})
    a, b = Contestant.objects.order_by("name")  # 乙 < 甲 in code points
    b, a = (a, b) if a.name == "乙" else (b, a)
    assert a.phone == "13612345678"
    url = reverse("culture:scores_edit", kwargs={"pk": competition.pk, "round_pk": item.pk})
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(url, {f"c{a.pk}": "95.25", f"c{b.pk}": "90"})
    assert response.status_code == 302
    assert Score.objects.get(contestant=a).score == 95.25
    recommend = reverse("culture:contestant_recommend", kwargs={"pk": competition.pk, "contestant_pk": a.pk})
    assert "推荐“甲”参加市级比赛" in bob_client.get(recommend).content.decode()  # asks first
    bob_client.post(recommend)
    a.refresh_from_db()
    assert a.recommended_at is not None
    undo = reverse("culture:contestant_unrecommend", kwargs={"pk": competition.pk, "contestant_pk": a.pk})
    bob_client.get(undo)
    a.refresh_from_db()
    assert a.recommended_at is not None  # a GET only asks
    bob_client.post(undo)
    a.refresh_from_db()
    assert a.recommended_at is None


def test_bad_scores_are_refused_with_chinese_messages_and_kept(bob_client, contest):
    competition, first, (a, b, c) = contest
    url = reverse("culture:scores_edit", kwargs={"pk": competition.pk, "round_pk": first.pk})
    response = bob_client.post(url, {f"c{a.pk}": "101", f"c{b.pk}": "9.555", f"c{c.pk}": "八十"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "成绩不能大于 100" in page and "最多保留两位小数" in page and "请填写数字" in page
    assert 'value="101"' in page  # what was typed is kept
    assert not Score.objects.exists()


def test_bad_competition_form_keeps_the_input(bob_client, district):
    response = bob_client.post(
        reverse("culture:competition_create"), {"unit": district.east.pk, "title": "我的比赛", "year": "1800"}
    )
    assert response.status_code == 400 and 'value="我的比赛"' in response.content.decode()
    assert not Competition.objects.exists()


def test_a_scored_contestant_is_not_deleted_an_unscored_one_after_confirmation(bob_client, contest):
    competition, first, (a, b, _c) = contest
    score(first, a, "80")
    url = reverse("culture:contestant_delete", kwargs={"pk": competition.pk, "contestant_pk": a.pk})
    bob_client.post(url)
    assert Contestant.objects.filter(pk=a.pk).exists()
    url = reverse("culture:contestant_delete", kwargs={"pk": competition.pk, "contestant_pk": b.pk})
    assert "删除选手“乙”" in bob_client.get(url).content.decode()
    assert Contestant.objects.filter(pk=b.pk).exists()
    bob_client.post(url)
    assert not Contestant.objects.filter(pk=b.pk).exists()


def test_contestant_edit_keeps_the_phone_when_left_blank(bob_client, contest):
    competition, _first, (a, _b, _c) = contest
    url = reverse("culture:contestant_edit", kwargs={"pk": competition.pk, "contestant_pk": a.pk})
    assert "136****5678" in bob_client.get(url).content.decode()
    bob_client.post(url, {"name": "甲二", "organisation": "", "phone": ""})
    a.refresh_from_db()
    assert (a.name, a.phone) == ("甲二", "13612345678")


def test_campaign_video_reach_and_delete(bob_client, district):
    bob_client.post(
        reverse("culture:campaign_create"),
        {"unit": district.east.pk, "title": "我为家乡特产代言", "year": TODAY().year, "products": "甜糯玉米"},
    )
    campaign = ProductCampaign.objects.get()
    add = reverse("culture:video_add", kwargs={"pk": campaign.pk})
    yesterday = (TODAY() - timedelta(days=1)).isoformat()
    response = bob_client.post(
        add, {"title": "甜糯玉米", "platform": "__other__", "platform_other": "", "published_on": yesterday}
    )
    assert response.status_code == 400 and "请填写平台名称" in response.content.decode()
    response = bob_client.post(
        add, {"title": "甜糯玉米", "platform": "抖音", "published_on": yesterday, "url": "http://x.org/v", "views": "5"}
    )
    assert response.status_code == 400 and "https" in response.content.decode()
    bob_client.post(
        add, {"title": "甜糯玉米", "platform": "抖音", "published_on": yesterday, "views": "100", "likes": "7",
              "counted_on": yesterday, "url": "https://v.douyin.com/abc/"},
    )  # fmt: skip
    bob_client.post(
        add, {"title": "天炕之品", "platform": "__other__", "platform_other": "B站", "published_on": yesterday}
    )
    videos = {video.title: video for video in ProductVideo.objects.all()}
    assert videos["天炕之品"].platform == "B站"
    reach = reverse("culture:video_reach", kwargs={"pk": campaign.pk, "video_pk": videos["甜糯玉米"].pk})
    bob_client.post(reach, {"views": "1500", "likes": "80", "counted_on": TODAY().isoformat()})
    page = bob_client.get(reverse("culture:campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
    assert ">1500<" in page and "B站" in page and "抖音" in page
    response = bob_client.post(reach, {"views": "-1", "likes": "80", "counted_on": TODAY().isoformat()}, follow=True)
    assert "播放量未更新" in response.content.decode()
    delete = reverse("culture:video_delete", kwargs={"pk": campaign.pk, "video_pk": videos["天炕之品"].pk})
    assert bob_client.get(delete).status_code == 200 and ProductVideo.objects.count() == 2
    bob_client.post(delete)
    assert ProductVideo.objects.count() == 1


def test_the_outsider_gets_404_and_no_role_403(client, district, charlie, contest):
    competition, first, (a, _b, _c) = contest
    video = make_video(make_campaign(district.east))
    verified_login(client, charlie)
    for url in (
        reverse("culture:competition_detail", kwargs={"pk": competition.pk}),
        reverse("culture:scores_edit", kwargs={"pk": competition.pk, "round_pk": first.pk}),
        reverse("culture:contestant_edit", kwargs={"pk": competition.pk, "contestant_pk": a.pk}),
        reverse("culture:campaign_detail", kwargs={"pk": video.campaign_id}),
        reverse("culture:video_edit", kwargs={"pk": video.campaign_id, "video_pk": video.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert competition.title not in client.get(reverse("culture:competition_list")).content.decode()
    client.logout()
    nobody = make_person("viewer", district.east)
    verified_login(client, nobody)
    assert client.get(reverse("culture:competition_detail", kwargs={"pk": competition.pk})).status_code == 200
    assert client.get(reverse("culture:competition_create")).status_code == 403
    assert client.post(reverse("culture:round_add", kwargs={"pk": competition.pk}), {"name": "x"}).status_code == 403


def test_api_lists_in_scope_without_phones(client, district, bob, charlie, contest):
    competition, first, (a, _b, _c) = contest
    score(first, a, "90")
    make_video(make_campaign(district.east), views=42)
    verified_login(client, bob)
    data = client.get("/api/culture/contests/competitions").json()
    assert data["count"] == 1 and data["items"][0]["contestant_count"] == 3
    assert "13612345678" not in str(data) and "phone" not in str(data)
    campaigns = client.get("/api/culture/contests/campaigns", {"year": TODAY().year}).json()
    assert campaigns["items"][0]["total_views"] == 42
    assert client.get("/api/culture/contests/campaigns", {"limit": 0}).status_code == 422
    client.logout()
    verified_login(client, charlie)
    assert client.get("/api/culture/contests/competitions").json()["count"] == 0
    assert client.get("/api/culture/contests/competitions", {"unit": district.east.pk}).status_code == 404


def test_todo_names_past_rounds_short_of_scores(district, bob, charlie, contest):
    competition, first, (a, b, c) = contest
    Round.objects.filter(pk=first.pk).update(held_on=TODAY() - timedelta(days=1))
    (item,) = todos(bob)
    assert item.label == "待录入成绩的比赛轮次" and item.count == 1
    assert item.url == reverse("culture:competition_detail", kwargs={"pk": competition.pk})
    assert list(todos(charlie)) == []
    for person in (a, b, c):
        score(first, person, "80")
    final = make_round(competition, "决赛", 2, TODAY() - timedelta(days=1))
    assert [t.count for t in todos(bob)] == [1]  # the final has no score yet
    score(final, a, "90")
    assert list(todos(bob)) == []  # a later round: only those who went through take part
