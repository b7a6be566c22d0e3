"""文化旅游 · 比赛与特产推介 in a real browser: a street's reporter creates a reading competition with a
round, adds three contestants, enters the scores (a bad one refused first), sees the ranking (a tie
sharing a rank) and recommends the winner to the city's competition; then a product campaign with a
video and a new reading of its reach. On the desktop and at 360 px wide, without the page growing
wider than the window. The app's own tests are ``xuanchuan/culture/tests/test_contests_*.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.culture.models import Competition, Contestant, ProductCampaign, ProductVideo, Score
from xuanchuan.volunteers.tests.browser import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFUSED_FORM = "the server responded with a status of 400"


def no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the window ({scroll}px)"


@pytest.fixture
def narrow_page(browser, live_server):
    """A phone 360 px wide (the narrowest the pages must work at)."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def test_competition_scores_ranking_recommendation_and_a_campaign(
    page, narrow_page, live_server, screenshot_dir, district, bob
) -> None:
    shots = screenshot_dir
    today = timezone.localdate()
    errors = watch(page, ignoring=(REFUSED_FORM,))
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])

    # 1. A competition with one round.
    page.goto(live_server.url + reverse("culture:competition_list"))
    page.click("#add-new")
    page.fill("#id_title", "“发现乡村领读员”农家书屋阅读演讲比赛")
    page.fill("#id_next_level", "市级比赛")
    page.click("#save")
    page.wait_for_selector("#add-round")
    competition = Competition.objects.get()
    assert competition.unit == district.east and competition.year == today.year
    page.click("#add-round")
    page.fill("#id_name", "决赛")
    page.fill("#id_held_on", today.isoformat())
    page.click("#save")
    page.wait_for_selector("#rounds >> text=决赛")

    # 2. Three contestants ("save and add another" keeps the form open).
    page.click("#add-contestant")
    for name, phone in (("王小丫", "13612345678"), ("李书香", "13612345679"), ("赵朗读", "")):
        page.fill("#id_name", name)
        page.fill("#id_organisation", "幸福社区农家书屋")
        page.fill("#id_phone", phone)
        page.click("#save-another")
        page.wait_for_selector(f"text=已添加选手“{name}”")
    page.goto(live_server.url + reverse("culture:competition_detail", kwargs={"pk": competition.pk}))
    assert Contestant.objects.filter(competition=competition).count() == 3
    assert "13612345678" not in page.content() and "136****5678" in page.content()

    # 3. Scores: a bad one refused with the reason, then all three; a tie shares the rank.
    page.click(f"#scores-{competition.rounds.get().pk}")
    people = {person.name: person for person in Contestant.objects.all()}
    page.fill(f"#id_c{people['王小丫'].pk}", "101")
    page.fill(f"#id_c{people['李书香'].pk}", "93.5")
    page.fill(f"#id_c{people['赵朗读'].pk}", "93.5")
    page.click("#save-scores")
    page.wait_for_selector("text=成绩不能大于 100")
    assert not Score.objects.exists()
    page.screenshot(path=str(shots / "culture-contests-scores-refused.png"), full_page=True)
    page.fill(f"#id_c{people['王小丫'].pk}", "96.25")
    page.click("#save-scores")
    page.wait_for_selector("#results")
    ranks = page.locator("#results tbody tr td:first-child").all_inner_texts()
    assert ranks == ["1", "2", "2"]
    assert page.locator("#results tbody tr").first.inner_text().startswith("1\t王小丫")

    # 4. The winner recommended, after a confirmation.
    page.click(f"#recommend-{people['王小丫'].pk}")
    page.wait_for_selector("text=推荐“王小丫”参加市级比赛？")
    page.click("#confirm")
    page.wait_for_selector("#results .badge.text-bg-success")
    assert Contestant.objects.get(name="王小丫").recommended_at is not None
    page.screenshot(path=str(shots / "culture-contests-competition.png"), full_page=True)
    no_overflow(page, 1366)

    # 5. A product campaign with a video, and a new reading of its reach.
    page.goto(live_server.url + reverse("culture:campaign_list"))
    page.click("#add-new")
    page.fill("#id_title", "我为家乡特产代言")
    page.fill("#id_products", "天炕之品、甜糯玉米")
    page.click("#save")
    page.wait_for_selector("#add-video")
    campaign = ProductCampaign.objects.get()
    page.click("#add-video")
    page.fill("#id_title", "“甜糯玉米”代言短片")
    page.select_option("#id_platform", "抖音")
    page.fill("#id_url", "https://v.douyin.com/demo/")
    published = today - timedelta(days=7)
    page.fill("#id_published_on", published.isoformat())
    page.fill("#id_views", "1200")
    page.click("#save")  # views without the date they were read: refused
    page.wait_for_selector("text=填写播放量或点赞数时，请同时填写统计日期")
    page.fill("#id_counted_on", published.isoformat())
    page.click("#save")
    video_card = page.wait_for_selector(".reach-form")
    video = ProductVideo.objects.get(campaign=campaign)
    assert video_card is not None and video.views == 1200
    page.fill(f"#views-{video.pk}", "3456")
    page.fill(f"#likes-{video.pk}", "210")
    page.click(f"#video-{video.pk} button[type=submit]")
    page.wait_for_selector("#total-views >> text=3456")
    page.screenshot(path=str(shots / "culture-contests-campaign.png"), full_page=True)
    no_overflow(page, 1366)
    page.goto(live_server.url + reverse("culture:competition_list"))
    page.screenshot(path=str(shots / "culture-contests-list.png"), full_page=True)

    # 6. At 360 px: the competition, the score form and the campaign fit the window.
    narrow_page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    for name, url in (
        ("competition", reverse("culture:competition_detail", kwargs={"pk": competition.pk})),
        (
            "scores",
            reverse("culture:scores_edit", kwargs={"pk": competition.pk, "round_pk": competition.rounds.get().pk}),
        ),
        ("campaign", reverse("culture:campaign_detail", kwargs={"pk": campaign.pk})),
        ("list", reverse("culture:competition_list")),
    ):
        narrow_page.goto(live_server.url + url)
        narrow_page.screenshot(path=str(shots / f"culture-contests-{name}-360.png"), full_page=True)
        no_overflow(narrow_page, 360)
    assert not errors, errors
