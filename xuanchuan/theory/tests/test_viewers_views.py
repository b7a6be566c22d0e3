"""The viewers part's pages with Django's test client: the public classroom and item pages (the
viewer cookie, categories, search, published items only, resume notice, questions), the player's
beacons (400, 404, 429), asking a question, and the staff question queue, review, answers and item
figures (role, scope, export, query ceilings)."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuanchuan.conftest import verified_login
from xuanchuan.core.public import human_check_token
from xuanchuan.theory import viewer as viewer_cookie
from xuanchuan.theory.models import Play, Question, QuestionStatus, ViewerProgress
from xuanchuan.theory.services import viewers as services
from xuanchuan.theory.tests.factories import AUDIO_MP3, VIDEO_B, make_category, make_item, viewer_id

pytestmark = pytest.mark.django_db
PHONE_QUERIES = 8
STAFF_QUERIES = 16


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(district):
    return make_category(district.east, name="党的创新理论")


@pytest.fixture
def item(category):
    return make_item(category, title="微宣讲：全国两会精神", description="两会精神进社区")


def with_viewer(client, viewer=None):
    viewer = viewer or viewer_id()
    client.cookies[viewer_cookie.COOKIE] = viewer
    return viewer


# --- The public classroom -------------------------------------------------------------------------


def test_first_classroom_page_sets_the_viewer_cookie(client, item):
    response = client.get(reverse("theory:m_classroom"))
    assert response.status_code == 200
    cookie = response.cookies[viewer_cookie.COOKIE]
    assert viewer_cookie.valid(cookie.value)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 2 * 365 * 24 * 3600
    assert not cookie["secure"]
    # A returning phone keeps its id: no new cookie.
    again = client.get(reverse("theory:m_classroom"))
    assert viewer_cookie.COOKIE not in again.cookies


def test_the_cookie_is_secure_over_https(client, item):
    response = client.get(reverse("theory:m_classroom"), secure=True)
    assert response.cookies[viewer_cookie.COOKIE]["secure"]


def test_a_forged_cookie_is_replaced(client, item):
    client.cookies[viewer_cookie.COOKIE] = "<script>"
    response = client.get(reverse("theory:m_item", args=[item.pk]))
    assert viewer_cookie.valid(response.cookies[viewer_cookie.COOKIE].value)


def test_classroom_lists_published_items_newest_first_with_categories(client, district, category, item):
    other = make_category(district.west, name="身边故事")
    newer = make_item(other, title="身边的好党员", media=AUDIO_MP3, speaker="李书记")
    make_item(category, title="尚未发布的课程", published=False)
    Play.objects.create(item=item, viewer=viewer_id(), day=timezone.localdate(), at=timezone.now())
    body = client.get(reverse("theory:m_classroom")).content.decode()
    assert "尚未发布的课程" not in body
    assert body.index("身边的好党员") < body.index("微宣讲：全国两会精神")
    assert "身边故事" in body and "党的创新理论" in body
    assert "1 次播放" in body and "00:20" in body
    filtered = client.get(reverse("theory:m_classroom"), {"c": other.pk}).content.decode()
    assert "身边的好党员" in filtered and "微宣讲：全国两会精神" not in filtered
    assert newer.pk


@pytest.mark.parametrize("query", ["两会", "王宣讲", "进社区"])
def test_search_by_title_speaker_description(client, category, item, query):
    make_item(category, title="其他课程", speaker="赵老师")
    body = client.get(reverse("theory:m_classroom"), {"q": query}).content.decode()
    assert "微宣讲：全国两会精神" in body and "其他课程" not in body


def test_bad_parameters_do_not_break_the_classroom(client, item):
    for params in ({"c": "x"}, {"c": "9" * 30}, {"page": "-1"}, {"q": "a\x00b"}, {"q": "长" * 500}):
        assert client.get(reverse("theory:m_classroom"), params).status_code in (200, 400)


def test_classroom_query_ceiling(client, category, django_assert_max_num_queries):
    for number in range(15):
        make_item(category, title=f"课程{number}")
    with django_assert_max_num_queries(PHONE_QUERIES):
        response = client.get(reverse("theory:m_classroom"))
    assert response.status_code == 200
    assert response.content.decode().count('id="item-') == 12  # a page of twelve


def test_item_page_query_ceiling(client, item, bob, django_assert_max_num_queries):
    viewer = with_viewer(client)
    services.record_play(item, viewer)
    for number in range(10):
        question = services.ask_question(item, viewer_id(), text=f"第{number}个已公开的问题")
        services.approve_question(question, by=bob)
        services.answer_question(question, answer="解答", by=bob)
    with django_assert_max_num_queries(PHONE_QUERIES):
        body = client.get(reverse("theory:m_item", args=[item.pk])).content.decode()
    assert body.count('id="question-') == 10


def test_posters_are_lazy(client, category):
    from django.core.files.base import ContentFile

    with_poster = make_item(category, title="有封面的课程")
    with_poster.poster.save("p.jpg", ContentFile(b"\xff\xd8\xff" + b"0" * 10))
    body = client.get(reverse("theory:m_classroom")).content.decode()
    assert 'loading="lazy"' in body
    assert reverse("theory:m_item_poster", args=[with_poster.pk]) in body


def test_item_page_has_the_player(client, item):
    response = client.get(reverse("theory:m_item", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<video" in body and 'preload="metadata"' in body and "playsinline" in body
    assert reverse("theory:m_item_media", args=[item.pk]) in body
    assert reverse("theory:m_item_progress", args=[item.pk]) in body
    assert "player.js" in body and "<script>" not in body  # no inline script (CSP)
    assert "继续上次观看" not in body


def test_audio_item_has_an_audio_element(client, category):
    audio = make_item(category, title="音频课程", media=AUDIO_MP3)
    body = client.get(reverse("theory:m_item", args=[audio.pk])).content.decode()
    assert "<audio" in body and "<video" not in body


def test_item_page_offers_to_resume(client, item):
    viewer = with_viewer(client)
    start = timezone.now() - timedelta(minutes=1)
    services.record_play(item, viewer, start)
    services.record_progress(
        item, viewer, position=75 / 5, watched_from=0, watched_to=15, at=start + timedelta(seconds=15)
    )
    body = client.get(reverse("theory:m_item", args=[item.pk])).content.decode()
    assert "继续上次观看" in body and 'id="resume-time">00:15<' in body and "从头播放" in body
    assert 'data-resume="15"' in body and "#t=15" in body
    restart = client.get(reverse("theory:m_item", args=[item.pk]), {"restart": "1"}).content.decode()
    assert "继续上次观看" not in restart and 'data-resume="0"' in restart


@pytest.mark.parametrize("name", ["theory:m_item", "theory:m_item_play", "theory:m_item_progress", "theory:m_item_ask"])
def test_unpublished_items_are_not_there(client, category, name):
    draft = make_item(category, title="草稿课程", published=False)
    with_viewer(client)
    method = client.get if name == "theory:m_item" else client.post
    assert method(reverse(name, args=[draft.pk]), {"position": "1"}).status_code == 404
    assert method(reverse(name, args=[999999]), {"position": "1"}).status_code == 404


# --- Beacons --------------------------------------------------------------------------------------


def test_play_and_progress_beacons(client, item):
    viewer = with_viewer(client)
    for _ in range(3):
        assert client.post(reverse("theory:m_item_play", args=[item.pk])).status_code == 200
    assert Play.objects.filter(item=item, viewer=viewer).count() == 1
    ViewerProgress.objects.update(last_at=timezone.now() - timedelta(seconds=10))
    response = client.post(
        reverse("theory:m_item_progress", args=[item.pk]),
        {"position": "10.2", "watched_from": "0", "watched_to": "10.2"},
    )
    assert response.status_code == 200
    assert response.json() == {"position": 10, "watched_seconds": 10, "new_seconds": 10, "clipped": False}
    assert Play.objects.get().watched_seconds == 10


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"position": "abc"},
        {"position": "-1"},
        {"position": "nan"},
        {"position": "inf"},
        {"position": "1e12"},
        {"position": "1", "watched_from": "5"},
        {"position": "1", "watched_from": "5", "watched_to": "2"},
    ],
)
def test_bad_numbers_are_400_and_save_nothing(client, item, data):
    with_viewer(client)
    response = client.post(reverse("theory:m_item_progress", args=[item.pk]), data)
    assert response.status_code == 400
    assert response.json()["detail"] == "播放进度有误。"
    assert not ViewerProgress.objects.exists()


def test_beacons_without_a_viewer_are_refused(client, item):
    assert client.post(reverse("theory:m_item_play", args=[item.pk])).status_code == 400
    assert client.post(reverse("theory:m_item_progress", args=[item.pk]), {"position": "1"}).status_code == 400
    assert not Play.objects.exists()


def test_beacons_need_the_csrf_token(item):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    with_viewer(strict)
    assert strict.post(reverse("theory:m_item_play", args=[item.pk])).status_code == 403


def test_progress_is_rate_limited_per_viewer(client, item):
    viewer = with_viewer(client)
    url = reverse("theory:m_item_progress", args=[item.pk])
    answers = [client.post(url, {"position": "1"}).status_code for _ in range(32)]
    assert answers[:30] == [200] * 30 and answers[-1] == 429
    # Another viewer on the same address is not held back.
    with_viewer(client)
    assert client.post(url, {"position": "1"}).status_code == 200
    assert viewer


def test_plays_from_one_address_are_bounded(client, item):
    url = reverse("theory:m_item_play", args=[item.pk])
    answers = []
    for _ in range(61):
        with_viewer(client)  # a script making up a new viewer for every press
        answers.append(client.post(url).status_code)
    assert answers[:60] == [200] * 60 and answers[-1] == 429
    assert Play.objects.count() == 60


def test_beacon_query_ceiling(client, item, django_assert_max_num_queries):
    with_viewer(client)
    client.post(reverse("theory:m_item_play", args=[item.pk]))
    with django_assert_max_num_queries(8):
        client.post(
            reverse("theory:m_item_progress", args=[item.pk]), {"position": "3", "watched_from": "0", "watched_to": "1"}
        )


# --- Questions ------------------------------------------------------------------------------------


def ask(client, item, text="社区什么时候再办这样的宣讲？", nickname="老王"):
    data = {"text": text, "nickname": nickname, "hp_started": human_check_token(time.time() - 10)}
    return client.post(reverse("theory:m_item_ask", args=[item.pk]), data, follow=True)


def test_a_question_waits_for_review_and_only_its_asker_sees_it(client, item, bob):
    with_viewer(client)
    body = ask(client, item).content.decode()
    assert "已提交，审核后显示" in body
    assert "社区什么时候再办这样的宣讲？" in body and "待审核" in body
    question = Question.objects.get()
    assert question.status == QuestionStatus.PENDING
    from django.test import Client

    other = Client()
    assert "社区什么时候再办这样的宣讲？" not in other.get(reverse("theory:m_item", args=[item.pk])).content.decode()
    services.answer_question(question, answer="下个月在社区党群服务中心。", by=bob)
    assert "下个月在社区党群服务中心" not in other.get(reverse("theory:m_item", args=[item.pk])).content.decode()
    services.approve_question(question, by=bob)
    shown = other.get(reverse("theory:m_item", args=[item.pk])).content.decode()
    assert "社区什么时候再办这样的宣讲？" in shown and "下个月在社区党群服务中心" in shown
    assert "待审核" not in shown


@pytest.mark.parametrize(
    ("text", "nickname", "message"),
    [
        ("短", "", "问题至少写 5 个字"),
        ("问" * 501, "", "问题最多 500 个字"),
        ("", "", "请填写问题"),
        ("正常的问题内容", "名" * 21, "20"),
    ],
)
def test_bad_questions_are_refused_with_a_message(client, item, text, nickname, message):
    data = {"text": text, "nickname": nickname, "hp_started": human_check_token(time.time() - 10)}
    response = client.post(reverse("theory:m_item_ask", args=[item.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_robot_filling_the_honeypot_is_refused(client, item):
    data = {"text": "正常的问题内容", "hp_website": "x", "hp_started": human_check_token(time.time() - 10)}
    assert client.post(reverse("theory:m_item_ask", args=[item.pk]), data).status_code == 400
    assert not Question.objects.exists()


def test_questions_are_rate_limited(client, item, settings):
    statuses = [ask(client, item, text=f"第{n}个问题的内容").status_code for n in range(21)]
    assert statuses[-1] == 429
    assert Question.objects.count() == 20


# --- Staff ----------------------------------------------------------------------------------------


@pytest.fixture
def questions(item):
    flagged = services.ask_question(item, viewer_id(), text="讲座里说的残废人补贴怎么申请？")
    plain = services.ask_question(item, viewer_id(), text="东城秘密问题：社区什么时候再办宣讲？")
    return flagged, plain


def test_queue_lists_flagged_pending_first(client, bob, questions):
    flagged, plain = questions
    Question.objects.filter(pk=flagged.pk).update(created_at=timezone.now() - timedelta(days=1))
    client.force_login(bob)
    body = client.get(reverse("theory:question_queue")).content.decode()
    assert body.index("残废人") < body.index("社区什么时候再办宣讲")
    assert reverse("theory:question_decide", args=[flagged.pk]) in body
    only = client.get(reverse("theory:question_queue"), {"flagged": "true"}).content.decode()
    assert "残废人" in only and "社区什么时候再办宣讲" not in only
    search = client.get(reverse("theory:question_queue"), {"q": "补贴"}).content.decode()
    assert "残废人" in search and "再办宣讲" not in search


def test_queue_excel_export(client, bob, questions):
    client.force_login(bob)
    response = client.get(reverse("theory:question_queue"), {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert "问题" in rows[0] and "敏感词提示" in rows[0]
    assert any("残废人" in str(cell) for row in rows[1:] for cell in row if cell)


def test_outsider_sees_none_of_east_questions(client, charlie, questions):
    client.force_login(charlie)
    body = client.get(reverse("theory:question_queue")).content.decode()
    assert "残废人" not in body and "东城秘密问题" not in body
    for name in ("theory:question_decide", "theory:question_answer"):
        assert client.get(reverse(name, args=[questions[0].pk])).status_code == 404
        assert (
            client.post(reverse(name, args=[questions[0].pk]), {"action": "approve", "answer": "x"}).status_code == 404
        )
    assert client.get(reverse("theory:item_stats", args=[questions[0].item_id])).status_code == 404
    assert Question.objects.filter(status=QuestionStatus.PENDING).count() == 2


def test_without_the_role_403(client, dora, questions):
    verified_login(client, dora)  # a community worker of 幸福社区: sees the unit, does not manage the classroom
    assert client.get(reverse("theory:question_queue")).status_code == 403
    assert client.get(reverse("theory:question_decide", args=[questions[0].pk])).status_code == 403
    assert client.get(reverse("theory:item_stats", args=[questions[0].item_id])).status_code == 403


def test_anonymous_staff_pages_go_to_login(client, questions):
    for url in (reverse("theory:question_queue"), reverse("theory:question_decide", args=[questions[0].pk])):
        assert client.get(url).status_code == 302


def test_approve_reject_with_confirmation_and_answer(client, bob, questions):
    flagged, plain = questions
    client.force_login(bob)
    page = client.get(reverse("theory:question_decide", args=[flagged.pk])).content.decode()
    assert "敏感词提示" in page and "残废人" in page
    client.post(reverse("theory:question_decide", args=[plain.pk]), {"action": "approve"})
    plain.refresh_from_db()
    assert plain.status == QuestionStatus.SHOWN and plain.decided_by == bob
    confirm = client.get(reverse("theory:question_decide", args=[flagged.pk]), {"action": "reject"})
    assert "确定不公开这条提问吗" in confirm.content.decode()
    flagged.refresh_from_db()
    assert flagged.status == QuestionStatus.PENDING  # the GET only asked
    client.post(reverse("theory:question_decide", args=[flagged.pk]), {"action": "reject"})
    flagged.refresh_from_db()
    assert flagged.status == QuestionStatus.REJECTED
    empty = client.post(reverse("theory:question_answer", args=[plain.pk]), {"answer": ""})
    assert "请填写解答内容" in empty.content.decode()
    client.post(reverse("theory:question_answer", args=[plain.pk]), {"answer": "下个月举办。"})
    plain.refresh_from_db()
    assert plain.answer == "下个月举办。" and plain.answered_by == bob
    refused = client.post(reverse("theory:question_answer", args=[flagged.pk]), {"answer": "答复"}, follow=True)
    assert "不予公开的问题不能解答" in refused.content.decode()


def test_staff_pages_query_ceiling(client, bob, item, django_assert_max_num_queries):
    for number in range(12):
        services.ask_question(item, viewer_id(), text=f"第{number}个问题：残废人补贴")
    client.force_login(bob)
    with django_assert_max_num_queries(STAFF_QUERIES):
        assert client.get(reverse("theory:question_queue")).status_code == 200
    with django_assert_max_num_queries(STAFF_QUERIES):
        assert client.get(reverse("theory:item_stats", args=[item.pk])).status_code == 200


def test_item_stats(client, bob, item, category):
    start = timezone.now() - timedelta(minutes=2)
    first, second = viewer_id(), viewer_id()
    for viewer in (first, second):
        services.record_play(item, viewer, start)
        services.record_progress(
            item, viewer, position=10, watched_from=0, watched_to=10, at=start + timedelta(seconds=10)
        )
    services.record_play(item, first, start + timedelta(days=-1))
    services.ask_question(item, first, text="这是一个待审核的问题")
    client.force_login(bob)
    body = client.get(reverse("theory:item_stats", args=[item.pk])).content.decode()
    assert 'id="stat-plays">3<' in body
    assert 'id="stat-viewers">2<' in body
    assert 'data-seconds="20"' in body
    assert 'id="stat-questions">1 / 0 / 0<' in body


def test_todos(bob, charlie, questions):
    from xuanchuan.theory.todos_viewers import todos

    assert [(todo.label, todo.count) for todo in todos(bob)] == [("云课堂提问待审核", 2), ("云课堂提问待解答", 0)]
    assert [todo.count for todo in todos(charlie)] == [0, 0]


def test_todos_for_those_without_the_role(dora):
    from xuanchuan.theory.todos_viewers import todos

    assert list(todos(dora)) == []


def test_short_item(client, category):
    short = make_item(category, title="短课程", media=VIDEO_B)
    assert "00:12" in client.get(reverse("theory:m_item", args=[short.pk])).content.decode()
