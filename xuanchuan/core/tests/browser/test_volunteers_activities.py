"""新时代文明实践 — volunteer activities in a real browser on a phone: a signed-in volunteer finds an
activity in the filled list (searching its title), signs up, sees it under 我的报名 and cancels it
(confirming on the page); a full activity puts the next one on the waiting list. Staff see the
sign-up list on a desktop. The app's own tests are in ``xuanchuan/volunteers/tests``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.volunteers.models import Brand, SignUp, SignUpStatus
from xuanchuan.volunteers.services import activities as services
from xuanchuan.volunteers.tests.browser import phone_cookie, watch
from xuanchuan.volunteers.tests.factories import make_activity, make_project, make_team, make_volunteer

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _phone_of(page, live_server, volunteer) -> None:
    """Make the browser the phone of ``volunteer`` (the signed cookie the sign-in page would set)."""
    page.context.add_cookies([{**phone_cookie(volunteer), "url": live_server.url}])


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is wider than the phone ({width}px)"


@pytest.fixture
def activities(district):
    brand = Brand.objects.create(unit=district.root, name="孝善")
    team = make_team(district.east_community)
    project = make_project(team, title="邻里守望", brand=brand)
    start = (timezone.localtime() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    titles = ["关爱独居老人上门探访", "垃圾分类宣传", "文明交通劝导", "社区图书角整理", "义务理发"]
    made = [
        make_activity(
            project,
            starts_at=start + timedelta(days=n, hours=n % 3),
            title=title,
            capacity=[3, 1, 10, 5, 2][n],
            place="幸福社区新时代文明实践站",
            requirements="身体健康，能步行一小时",
        )
        for n, title in enumerate(titles)
    ]
    west = make_project(make_team(district.west_community, name="和平志愿服务队"), title="书香和平")
    made.append(make_activity(west, starts_at=start + timedelta(hours=5), title="亲子阅读会", place="和平社区书屋"))
    return made


def test_a_volunteer_finds_signs_up_sees_and_cancels_an_activity_on_a_phone(
    phone_page, live_server, screenshot_dir, district, activities
) -> None:
    errors = watch(phone_page)
    volunteer = make_volunteer(district.east_community, 1, name="王小明")
    _phone_of(phone_page, live_server, volunteer)

    phone_page.goto(live_server.url + reverse("volunteers:m_activity_list"))
    assert phone_page.locator("#activity-list a").count() == len(activities)
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-activities-list-phone.png"), full_page=True)
    _fits(phone_page)

    phone_page.fill("input[name=q]", "独居老人")
    phone_page.click("#activity-filter button[type=submit]")
    phone_page.wait_for_url("**q=*")
    assert phone_page.locator("#activity-list a").count() == 1
    phone_page.click("#activity-list a")
    phone_page.wait_for_selector("#signup")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-activity-detail-phone.png"), full_page=True)
    _fits(phone_page)

    phone_page.click("#signup")
    phone_page.wait_for_selector("#my-status")
    assert "报名成功" in phone_page.content()
    assert "余 2 个" in phone_page.inner_text("#places-left")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-activity-signed-up-phone.png"), full_page=True)

    phone_page.goto(live_server.url + reverse("volunteers:m_my_signups"))
    assert "关爱独居老人上门探访" in phone_page.inner_text("#upcoming")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-my-signups-phone.png"), full_page=True)
    _fits(phone_page)

    phone_page.click("#upcoming a")
    phone_page.click("#cancel-box summary")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-activity-cancel-confirm-phone.png"), full_page=True)
    phone_page.click("#cancel-confirm")
    phone_page.wait_for_selector("#my-status")
    assert "已取消报名" in phone_page.content()
    assert SignUp.objects.get(volunteer=volunteer).status == SignUpStatus.CANCELLED
    assert not errors, errors


def test_a_full_activity_puts_the_phone_on_the_waiting_list(
    phone_page, live_server, screenshot_dir, district, activities
) -> None:
    full = next(activity for activity in activities if activity.capacity == 1)
    services.sign_up(full, volunteer=make_volunteer(district.east_community, 1))
    waiting = make_volunteer(district.east_community, 2)
    _phone_of(phone_page, live_server, waiting)
    phone_page.goto(live_server.url + reverse("volunteers:m_activity_detail", args=[full.pk]))
    assert phone_page.inner_text("#signup") == "报名候补"
    phone_page.click("#signup")
    phone_page.wait_for_selector("#my-status")
    assert "候补名单第 1 位" in phone_page.inner_text("#my-status")
    phone_page.screenshot(path=str(screenshot_dir / "volunteers-activity-waiting-phone.png"), full_page=True)
    _fits(phone_page)


def test_staff_see_the_signup_list_on_a_desktop(page, live_server, screenshot_dir, district, bob, activities) -> None:
    activity = activities[0]
    for n in range(1, 6):
        services.sign_up(activity, volunteer=make_volunteer(district.east_community, n, name=f"志愿者{n}号"))
    errors = watch(page)
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("volunteers:activity_list"))
    page.screenshot(path=str(screenshot_dir / "volunteers-activity-list-staff.png"), full_page=True)
    page.goto(live_server.url + reverse("volunteers:activity_detail", args=[activity.pk]))
    assert page.locator("#signups-confirmed tbody tr").count() == 3
    assert page.locator("#signups-waiting tbody tr").count() == 2
    page.screenshot(path=str(screenshot_dir / "volunteers-activity-detail-staff.png"), full_page=True)
    page.goto(live_server.url + reverse("volunteers:project_detail", args=[activity.project_id]))
    page.screenshot(path=str(screenshot_dir / "volunteers-project-detail-staff.png"), full_page=True)
    assert not errors, errors


def test_staff_add_an_activity_and_open_it_for_sign_up(page, live_server, screenshot_dir, district, bob) -> None:
    project = make_project(make_team(district.east_community), title="邻里守望")
    errors = watch(page)
    page.context.add_cookies([{**signed_in_cookie(bob), "url": live_server.url}])
    page.goto(live_server.url + reverse("volunteers:project_detail", args=[project.pk]))
    page.click("#activity-create")
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=30, second=0, microsecond=0)
    page.fill("#id_title", "重阳节敬老活动")
    page.fill("#id_place", "幸福社区老年活动中心")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_capacity", "20")
    page.fill("#id_requirements", "有耐心，会聊天")
    page.click("#save")
    assert "结束时间须晚于开始时间" in page.content()
    page.screenshot(path=str(screenshot_dir / "volunteers-activity-form-refused.png"), full_page=True)
    page.fill("#id_ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#save")
    page.wait_for_selector("#activity-open")
    page.click("#activity-open")
    page.click("#confirm")
    page.wait_for_selector("#activity-status")
    assert page.inner_text("#activity-status") == "报名中"
    page.screenshot(path=str(screenshot_dir / "volunteers-activity-opened-staff.png"), full_page=True)
    assert not errors, errors
