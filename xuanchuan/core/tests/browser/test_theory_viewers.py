"""云课堂 on a phone-sized window (390×844): a resident opens the classroom and an item, plays the
generated demo video, lets it run about four seconds, seeks to 12 s, lets it run three more,
reloads — the page offers to resume and the player starts near where it stopped. Staff see one
play and a watch time of the stretches actually played (not the skipped part). The resident asks
a question (hidden from others until reviewed); staff approve and answer it; it shows with the
answer. The app's own tests are ``xuanchuan/theory/tests/test_viewers_*.py``."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files import File
from django.db import OperationalError
from django.urls import reverse

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode
from xuanchuan.theory.models import Play, Question, QuestionStatus, ViewerProgress
from xuanchuan.theory.tests.factories import DEMO_MEDIA, VIDEO_A, make_category, make_item

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch(page: Any) -> list[str]:
    """The page's script errors and console errors from now on (the test asserts none)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return problems


def current_time(page: Any) -> float:
    return float(page.evaluate("document.getElementById('player').currentTime"))


def wait_for_time(page: Any, seconds: float, timeout: float = 15.0) -> float:
    """Wait until the player has reached ``seconds`` (polled: the CSP forbids wait_for_function's eval)."""
    assert wait_until(lambda: current_time(page) >= seconds, timeout), current_time(page)
    return current_time(page)


def wait_until(check, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_play_seek_resume_and_ask_on_a_phone(page, phone_page, live_server, district, screenshot_dir, settings):
    shots = screenshot_dir
    staff = make_person("kecheng", district.east, RoleCode.UNIT_REPORTER, full_name="课程管理员")
    category = make_category(district.east, name="党的创新理论")
    make_category(district.east, name="政策解读")
    item = make_item(
        category, title="微宣讲：全国两会精神进社区", media=VIDEO_A, description="二十秒的演示视频：测试图案与提示音。"
    )
    with (DEMO_MEDIA / "lecture-a.jpg").open("rb") as handle:
        item.poster.save("lecture-a.jpg", File(handle))
    other = make_category(district.east_community, name="身边故事")
    make_item(
        other, title="身边的好党员：社区书记讲述三十年坚守", media=("lecture-b.mp4", "video/mp4", 12), speaker="李书记"
    )

    phone_problems = watch(phone_page)
    staff_problems = watch(page)
    page.context.add_cookies([{**signed_in_cookie(staff), "url": live_server.url}])

    # The classroom: categories as chips, posters, durations.
    phone_page.goto(live_server.url + reverse("theory:m_classroom"))
    assert "微宣讲：全国两会精神进社区" in phone_page.inner_text("#classroom-items")
    assert "政策解读" not in phone_page.inner_text("#categories")  # no published item in it
    phone_page.screenshot(path=str(shots / "theory_viewers_classroom.png"), full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # The item: play (muted, as a phone allows a script to), ~4 s, seek to 12 s, ~3 s.
    phone_page.click(f"#item-{item.pk}")
    phone_page.wait_for_selector("#player")
    assert phone_page.locator("#resume-notice").count() == 0
    phone_page.evaluate("() => { const v = document.getElementById('player'); v.muted = true; return v.play(); }")
    wait_for_time(phone_page, 4)
    phone_page.screenshot(path=str(shots / "theory_viewers_playing.png"), full_page=True)
    # The seek sends the stretch played so far (awaited: the test's database is SQLite, which a
    # read from this thread during the server's write would lock).
    with phone_page.expect_response(lambda response: "/progress/" in response.url) as seek_beacon:
        phone_page.evaluate("document.getElementById('player').currentTime = 12")
    assert seek_beacon.value.status == 200
    # On to 16 s: the stretch the player reports ends at its last timeupdate, which a loaded machine
    # fires late; 12–15 could then cover less than half of the bucket 10–15 and not count.
    wait_for_time(phone_page, 16)
    stopped = current_time(phone_page)

    # Reload: the page offers to resume, and the player starts near where it stopped.
    phone_page.reload()
    phone_page.wait_for_selector("#resume-notice")
    assert "继续上次观看 00:1" in phone_page.inner_text("#resume-notice")  # 00:12 (seek) or 00:15
    assert wait_until(lambda: phone_page.evaluate("() => document.getElementById('player').readyState") >= 1)
    resumed = current_time(phone_page)
    assert abs(resumed - stopped) <= 2.5, (resumed, stopped)
    phone_page.screenshot(path=str(shots / "theory_viewers_resume.png"), full_page=True)

    # Counted honestly: one play; watch time of the stretches 0–4 and 12–16 (buckets of 5 s: 0–5 and
    # 10–15; 15–16 is too little of its bucket), not 4–12.
    # The last stretch comes with the beacon of the page left: polled (a read while the live server
    # writes may find SQLite's table locked: read again).
    def watched() -> int | None:
        try:
            return ViewerProgress.objects.get(item=item).watched_seconds
        except OperationalError:
            return None

    assert wait_until(lambda: watched() == 10), watched()
    assert Play.objects.filter(item=item).count() == 1
    page.goto(live_server.url + reverse("theory:item_stats", args=[item.pk]))
    assert page.inner_text("#stat-plays") == "1"
    assert page.get_attribute("#stat-watch", "data-seconds") == "10"
    page.screenshot(path=str(shots / "theory_viewers_stats.png"), full_page=True)

    # 从头播放 starts over and hides the notice.
    phone_page.click("#restart")
    assert phone_page.locator("#resume-notice").is_hidden()
    assert current_time(phone_page) < 2
    phone_page.evaluate("() => document.getElementById('player').pause()")

    # A question: hidden until reviewed, marked 待审核 for its asker.
    phone_page.fill("#id_nickname", "老王")
    phone_page.fill("#id_text", "两会提到的养老服务，社区具体有哪些安排？")
    phone_page.wait_for_timeout(2100)  # the form's human check: not sent within two seconds
    phone_page.click("#ask-submit")
    phone_page.wait_for_selector("#questions")
    assert "已提交，审核后显示" in phone_page.inner_text("main")
    question = Question.objects.get(item=item)
    assert "待审核" in phone_page.inner_text(f"#question-{question.pk}")
    phone_page.screenshot(path=str(shots / "theory_viewers_asked.png"), full_page=True)
    stranger = phone_page.context.browser.new_context(viewport={"width": 390, "height": 844})
    other_phone = stranger.new_page()
    other_phone.goto(live_server.url + reverse("theory:m_item", args=[item.pk]))
    assert "养老服务" not in other_phone.inner_text("#questions")

    # Staff: the queue leads to the review; approve, then answer.
    page.goto(live_server.url + reverse("theory:question_queue"))
    page.screenshot(path=str(shots / "theory_viewers_queue.png"), full_page=True)
    page.click(f"a[href='{reverse('theory:question_decide', args=[question.pk])}']")
    page.click("#approve")
    page.wait_for_selector("#question-status")
    assert "已公开" in page.inner_text("#question-status")
    page.click("#answer")
    page.fill("#id_answer", "社区将开设老年食堂，并每周上门巡访独居老人。")
    page.click("#save")
    page.wait_for_selector("#question-answer")
    page.screenshot(path=str(shots / "theory_viewers_decided.png"), full_page=True)
    question.refresh_from_db()
    assert question.status == QuestionStatus.SHOWN and question.answered_by == staff

    # Everyone sees the question and the answer now.
    other_phone.reload()
    assert "养老服务" in other_phone.inner_text("#questions")
    assert "老年食堂" in other_phone.inner_text("#questions")
    other_phone.screenshot(path=str(shots / "theory_viewers_answered.png"), full_page=True)
    assert other_phone.evaluate("document.documentElement.scrollWidth") <= 390
    stranger.close()
    assert not phone_problems, phone_problems
    assert not staff_problems, staff_problems
