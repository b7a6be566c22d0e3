"""志愿服务 — a volunteer's whole journey across the app's parts, in a real browser: a resident
registers on a phone-sized window, finds an open activity through the phone bar and signs up,
checks in and later out by the changing code on the organiser's screen (a second, desktop-sized
browser), sees the hours and the points they earned, redeems points at the community's shop, and a
merchant's clerk confirms the redemption from the address the phone's QR code holds.

Each part has its own browser test beside this one; this one proves they fit together. The app's
own tests are in ``xuanchuan/volunteers/tests``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode
from xuanchuan.volunteers.models import (
    Activity,
    EntryKind,
    MerchantKind,
    PointEntry,
    RecordStatus,
    Redemption,
    RedemptionStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    Volunteer,
)
from xuanchuan.volunteers.services import ledger, shop
from xuanchuan.volunteers.services import points as points_services
from xuanchuan.volunteers.tests.browser import watch
from xuanchuan.volunteers.tests.factories import id_number, make_activity, make_project, make_team

# live_server answers from another thread, so the data is committed (transaction=True).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The time the volunteer serves, passed by moving the recorded times back (see the test).
SERVED = timedelta(minutes=45)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is wider than the phone ({width}px)"


def _shot(page, directory, step: int, name: str) -> None:
    page.screenshot(path=str(directory / f"volunteers-journey-{step:02d}-{name}.png"), full_page=True)


def _pass_time(activity: Activity, volunteer: Volunteer, by: timedelta) -> None:
    """Move everything already recorded of the activity back by ``by``, as if that long had passed
    (the browser cannot wait forty-five minutes)."""
    Activity.objects.filter(pk=activity.pk).update(starts_at=activity.starts_at - by, ends_at=activity.ends_at - by)
    signup = SignUp.objects.get(activity=activity, volunteer=volunteer)
    SignUp.objects.filter(pk=signup.pk).update(created_at=signup.created_at - by, confirmed_at=signup.confirmed_at - by)
    record = ServiceRecord.objects.get(activity=activity, volunteer=volunteer)
    ServiceRecord.objects.filter(pk=record.pk).update(checked_in_at=record.checked_in_at - by)


def test_a_resident_registers_serves_earns_and_redeems(
    phone_page, page, live_server, screenshot_dir, district, dora, settings
) -> None:
    # A point a minute (60 an hour), so 45 minutes of service buy the 30-point item and leave some.
    settings.VOLUNTEERS_POINTS_PER_HOUR = 60
    settings.VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY = 0
    cache.clear()  # the public pages' rate limits count per address, and every test comes from 127.0.0.1

    # Sign-up is refused once an activity has started, and check-in opens
    # VOLUNTEERS_CHECKIN_EARLY_MINUTES (60) before the start; so the activity starts in two minutes
    # (the resident signs up before that and checks in early), and the forty-five minutes of service
    # are then passed by moving the activity and the check-in back (``_pass_time``), as a real wait
    # would: the hours count only inside the activity's time.
    assert settings.VOLUNTEERS_CHECKIN_EARLY_MINUTES >= 5
    team = make_team(district.east_community, name="幸福社区红马甲志愿服务队")
    project = make_project(team, title="邻里守望")
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=2)
    activity = make_activity(
        project, starts_at=start, hours=1, capacity=20, title="清洁家园志愿服务", place="幸福社区广场"
    )
    clerk = make_person("duihuan", district.east_community, RoleCode.POINTS_CLERK, full_name="兑换员")
    merchant = shop.merchant_create(
        by=dora,
        unit=district.east_community,
        kind=MerchantKind.SHOP,
        name="幸福积分超市",
        address="幸福路1号",
        opening_hours="周六 9:00–17:00",
        staff=[clerk],
    )
    shop.goods_create(by=dora, merchant=merchant, name="洗衣液", points=30, stock=5)
    shop.goods_create(by=dora, merchant=merchant, name="电饭煲", points=300, stock=1)

    phone_errors = watch(phone_page)
    staff_errors = watch(page)

    # 1. The resident registers on the phone and lands on their home, signed in.
    phone_page.goto(live_server.url + reverse("volunteers:join"))
    phone_page.fill("#id_name", "王小明")
    phone_page.fill("#id_id_number", id_number(321))
    phone_page.fill("#id_phone", "13700000321")
    phone_page.select_option("#id_street", "东城街道")
    phone_page.select_option("#id_community", str(district.east_community.pk))
    phone_page.fill("#id_skills", "清洁、搬运")
    phone_page.check("#id_consent")
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 1, "join")
    phone_page.wait_for_timeout(2100)  # the human check refuses forms sent back within two seconds
    phone_page.click("#join-submit")
    phone_page.wait_for_url(re.compile(r"/volunteers/m/$"))
    volunteer = Volunteer.objects.get()
    assert volunteer.unit_id == district.east_community.pk
    assert volunteer.number in phone_page.inner_text("#me-number")
    assert phone_page.inner_text("#me-hours") == "0.0"
    assert "王小明" not in phone_page.content()
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 2, "home")

    # 2. Through the phone bar to the activities, signs up, and sees it under 我的报名.
    phone_page.click("nav.volunteer-nav >> text=活动")
    phone_page.wait_for_url(re.compile(r"/volunteers/m/activities/"))
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 3, "activities")
    phone_page.locator("#activity-list a", has_text="清洁家园志愿服务").click()
    phone_page.wait_for_selector("#signup")
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 4, "activity")
    phone_page.click("#signup")
    phone_page.wait_for_selector("#my-status")
    assert "报名成功" in phone_page.content()
    assert SignUp.objects.get(volunteer=volunteer).status == SignUpStatus.CONFIRMED
    phone_page.click("nav.volunteer-nav >> text=我的报名")
    phone_page.wait_for_url(re.compile(r"/volunteers/m/signups/"))
    assert "清洁家园志愿服务" in phone_page.inner_text("#upcoming")
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 5, "my-signups")

    # 3. The organiser's screen; the phone opens the address of its QR code, as a camera would.
    page.context.add_cookies([{**signed_in_cookie(dora), "url": live_server.url}])
    page.goto(live_server.url + reverse("volunteers:checkin_screen", args=[activity.pk]))
    page.wait_for_selector("#qr svg")
    assert page.inner_text("#count-signed-up") == "1"
    qr_url = page.get_attribute("#qr", "data-url")
    assert qr_url.endswith(f"/m/scan/{activity.pk}/{page.inner_text('#code').strip()}/")
    _shot(page, screenshot_dir, 6, "screen")

    phone_page.goto(qr_url)
    phone_page.wait_for_selector("#scan-submit")
    assert "签到" in phone_page.inner_text("#scan-submit")
    phone_page.click("#scan-submit")
    phone_page.wait_for_selector("#scan-result")
    assert "签到成功" in phone_page.inner_text("#scan-result")
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 7, "checked-in")
    expect(page.locator("#count-checked-in")).to_have_text("1", timeout=15_000)
    assert "王**" in page.inner_text("#present")
    _shot(page, screenshot_dir, 8, "screen-in")

    # Forty-five minutes of service later; the second scan reads the screen's then-current address.
    _pass_time(activity, volunteer, SERVED)
    qr_url = page.get_attribute("#qr", "data-url")
    phone_page.goto(qr_url)
    phone_page.wait_for_selector("#scan-submit")
    assert "签退" in phone_page.inner_text("#scan-submit")
    phone_page.click("#scan-submit")
    phone_page.wait_for_selector("#scan-result")
    assert "签退成功" in phone_page.inner_text("#scan-result")
    _shot(phone_page, screenshot_dir, 9, "checked-out")
    record = ServiceRecord.objects.get(volunteer=volunteer)
    # Counted from the activity's start (the check-in was one or two minutes early, the start now
    # 43 minutes and the seconds past the minute ago) until the check-out.
    assert record.status == RecordStatus.CONFIRMED and 43 <= record.minutes <= 45, record.minutes
    earned = points_services.points_for_minutes(record.minutes)
    assert earned == record.minutes  # a point a minute

    # 4. The hours and the points on the phone.
    phone_page.click("nav.volunteer-nav >> text=服务时长")
    phone_page.wait_for_selector("#total-hours")
    assert phone_page.inner_text("#total-hours") == f"{record.minutes / 60:.1f}"
    assert "清洁家园志愿服务" in phone_page.inner_text("#my-records")
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 10, "hours")
    phone_page.click("nav.volunteer-nav >> text=积分")
    phone_page.wait_for_selector("#mine-balance")
    assert phone_page.inner_text("#mine-balance") == str(earned)
    assert "清洁家园志愿服务" in phone_page.inner_text("#mine-entries")
    entries = phone_page.inner_text("#mine-entries")
    assert f"志愿服务“清洁家园志愿服务”{record.minutes}分钟" in entries and f"+{earned}" in entries
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 11, "points")

    # 5. Redeems at the shop and shows the QR code; the clerk confirms from the address it holds.
    phone_page.click("nav.volunteer-nav >> text=积分兑换")
    phone_page.wait_for_selector("#shop-balance")
    assert phone_page.inner_text("#shop-balance") == str(earned)
    assert phone_page.locator("li", has_text="电饭煲").locator("text=积分不足").is_visible()
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 12, "shop")
    phone_page.locator("li", has_text="洗衣液").locator("button", has_text="兑换").click()
    phone_page.wait_for_selector("#redemption-qr svg")
    code = phone_page.inner_text("#redemption-code").strip()
    confirm_url = phone_page.get_attribute("#redemption-qr", "data-confirm-url")
    assert confirm_url.endswith(reverse("volunteers:redemption_confirm", args=[code]))
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 13, "redemption-qr")

    page.context.clear_cookies()
    page.context.add_cookies([{**signed_in_cookie(clerk), "url": live_server.url}])
    page.goto(confirm_url)
    assert "洗衣液" in page.inner_text("#goods")
    assert "王小明" not in page.content()
    page.click("#confirm")
    page.wait_for_selector("text=核销成功")
    assert page.inner_text("#status") == str(RedemptionStatus.CONFIRMED.label)
    _shot(page, screenshot_dir, 14, "clerk-confirmed")
    assert Redemption.objects.get(code=code).status == RedemptionStatus.CONFIRMED

    phone_page.click("nav.volunteer-nav >> text=积分")
    phone_page.wait_for_selector("#mine-balance")
    assert phone_page.inner_text("#mine-balance") == str(earned - 30)
    entries = phone_page.inner_text("#mine-entries")
    assert "兑换“洗衣液”×1" in entries and "-30" in entries
    _fits(phone_page)
    _shot(phone_page, screenshot_dir, 15, "points-after")

    # The ledger holds exactly the two entries, and its balance is their sum.
    account = ledger.account_for_volunteer(volunteer)
    kinds = sorted(PointEntry.objects.filter(account=account).values_list("kind", "amount"))
    assert kinds == sorted([(EntryKind.HOURS, earned), (EntryKind.REDEMPTION, -30)]), kinds
    assert ledger.verify_ledger(account)
    assert not phone_errors, phone_errors
    assert not staff_errors, staff_errors
