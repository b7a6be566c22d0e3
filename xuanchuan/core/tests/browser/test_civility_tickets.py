"""文明城市创建 — the whole loop on a phone: an inspector records a problem with a photo (the
problems part's page), issues a 交办单 to the responsible street, the street replies with an
evidence photo, the inspector reopens it once with a reason, the street replies again and the
inspector accepts; the printed 交办单 is downloaded (and, with LibreOffice, made into a PDF and
rendered to PNG for a look). The part's own tests are in ``xuanchuan/civility/tests``."""

from __future__ import annotations

import io
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse

from xuanchuan.civility import printing
from xuanchuan.civility.models import Category, Place, PlaceKind, Problem
from xuanchuan.civility.models.cases import EventKind, PhotoStage, Ticket, TicketStatus
from xuanchuan.civility.tests.standard import restore_default_standard
from xuanchuan.civility.tests.test_photos import jpeg
from xuanchuan.conftest import make_person
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import RoleCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _standard(db):
    """The default standard of the data migration, again where a transactional test flushed it."""
    restore_default_standard()


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _as(page, live_server, user) -> None:
    # The live server shares the in-memory SQLite database with this thread: let it finish the
    # page's own requests (photos, fragments) before the test writes, or the write finds the
    # table locked.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.context.add_cookies([{**signed_in_cookie(user), "url": live_server.url}])


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is wider than the phone ({width}px)"


def test_the_loop_on_a_phone(phone_page, live_server, screenshot_dir, district, bob, tmp_path) -> None:
    inspector = make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员")
    place = Place.objects.create(unit=district.publicity, name="东城菜市场", area=district.east, kind=PlaceKind.MARKET)
    category = Category.objects.get(standard__is_current=True, code="ENV_GARBAGE")
    errors = _watch(phone_page)
    page = phone_page

    # 1. The inspector records the problem with a photo.
    _as(page, live_server, inspector)
    page.goto(live_server.url + reverse("civility:problem_new"))
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_place", str(place.pk))
    page.fill("#id_description", "菜市场东门垃圾桶满溢，周边有散落垃圾")
    found = tmp_path / "现场.jpg"
    found.write_bytes(jpeg(1200, 900))
    page.set_input_files("#id_photos", str(found))
    page.click("#submit-problem")
    page.locator(".sent-report a").wait_for()
    problem = Problem.objects.get()

    # 2. …and issues a 交办单 to the suggested unit.
    page.goto(live_server.url + reverse("civility:ticket_issue") + f"?problems={problem.pk}")
    assert page.locator("#id_unit").input_value() == str(district.east.pk)
    page.fill("#id_requirement", "三日内清理到位，建立保洁长效机制")
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "civility-ticket-issue-phone.png"), full_page=True)
    page.click("#issue-ticket")
    page.locator("#ticket-status").wait_for()
    ticket = Ticket.objects.get()
    assert page.locator("#ticket-status").inner_text() == str(TicketStatus.ISSUED.label)

    # 3. The street replies with an evidence photo.
    _as(page, live_server, bob)
    page.goto(live_server.url + reverse("civility:ticket_queue"))
    page.click(f"text={ticket.number}")
    page.fill("#id_text", "已清理垃圾并增设垃圾桶")
    after = tmp_path / "整改后.jpg"
    after.write_bytes(jpeg(1200, 900))
    page.set_input_files("#id_photos", str(after))
    page.click("#reply-submit")
    page.locator("#evidence img").wait_for()
    assert ticket.photos.filter(stage=PhotoStage.EVIDENCE).count() == 1

    # 4. The inspector reopens it once…
    _as(page, live_server, inspector)
    page.goto(live_server.url + reverse("civility:ticket_detail", args=[ticket.pk]))
    page.fill("#id_reopen_reason", "东门仍有散落垃圾")
    page.click("#reopen")
    page.locator("text=东门仍有散落垃圾").first.wait_for()
    assert Ticket.objects.get().status == TicketStatus.REOPENED

    # 5. …the street replies again, and the inspector accepts.
    _as(page, live_server, bob)
    page.goto(live_server.url + reverse("civility:ticket_detail", args=[ticket.pk]))
    page.fill("#id_text", "已再次清理，安排专人每日巡查")
    page.click("#reply-submit")
    page.locator("#history li").nth(3).wait_for()
    _as(page, live_server, inspector)
    page.goto(live_server.url + reverse("civility:ticket_detail", args=[ticket.pk]))
    page.click("#accept")
    page.locator("#ticket-status", has_text=str(TicketStatus.ACCEPTED.label)).wait_for()
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "civility-ticket-accepted-phone.png"), full_page=True)
    ticket.refresh_from_db()
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == [EventKind.ISSUED, EventKind.REPLIED, EventKind.REOPENED, EventKind.REPLIED, EventKind.ACCEPTED]
    assert ticket.reopen_count == 1 and ticket.on_time is True
    assert Problem.objects.get().status == "rectified"

    # 6. The printed 交办单.
    with page.expect_download() as download:
        page.click("#print-docx")
    saved = tmp_path / "交办单.docx"
    download.value.save_as(saved)
    text = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert ticket.number in text and "菜市场东门垃圾桶满溢" in text and "东城街道" in text
    if printing.soffice() and shutil.which("pdftoppm"):
        pdf = printing.ticket_pdf(ticket)
        assert pdf and pdf.startswith(b"%PDF")
        target = screenshot_dir / "civility-ticket-print.pdf"
        target.write_bytes(pdf)
        subprocess.run(  # noqa: S603
            [shutil.which("pdftoppm"), "-png", "-r", "70", "-singlefile", str(target), str(target.with_suffix(""))],
            check=True,
        )
    assert not errors, errors


def test_statistics_and_boards_on_a_desktop(page, live_server, screenshot_dir, district, bob) -> None:
    from xuanchuan.civility.services import tickets as services

    inspector = make_person("ducha", district.publicity, RoleCode.CIVILITY_INSPECTOR, full_name="督查员")
    place = Place.objects.create(unit=district.publicity, name="西城公园", area=district.east, kind=PlaceKind.PARK)
    categories = list(Category.objects.filter(standard__is_current=True)[:3])
    for index, category in enumerate(categories * 2):
        problem = Problem.objects.create(
            unit=district.publicity,
            public_id=f"S{index}",
            category=category,
            place=place,
            area=district.east,
            description="问题",
        )
        ticket = services.issue_ticket([problem], unit=district.east, by=inspector)
        if index % 2 == 0:
            services.reply(ticket, text="已整改", by=bob)
            services.accept(ticket, by=inspector)
    errors = _watch(page)
    _as(page, live_server, inspector)
    page.goto(live_server.url + reverse("civility:ticket_statistics"))
    page.locator(".civility-chart canvas").first.wait_for()
    assert page.locator("#stat-tickets").inner_text() == "6"
    page.screenshot(path=str(screenshot_dir / "civility-ticket-statistics.png"), full_page=True)
    page.goto(live_server.url + reverse("civility:ticket_boards"))
    page.locator("#overdue-list").wait_for()
    page.screenshot(path=str(screenshot_dir / "civility-ticket-boards.png"), full_page=True)
    assert not errors, errors
