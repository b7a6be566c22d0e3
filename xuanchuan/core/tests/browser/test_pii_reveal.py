"""The reveal in a real browser: HTMX under the site's CSP posts with the CSRF header and swaps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuanchuan.core.models import PersonalDataAccess
from xuanchuan.core.tests.browser.conftest import signed_in_cookie
from xuanchuan.org.models import Role, RoleCode, UnitType, User
from xuanchuan.org.services import create_unit

# live_server answers from another thread, so the data is committed; serialized_rollback puts
# back the roles the data migrations made after the flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reveal_button_shows_the_number_and_logs_the_view(page, live_server) -> None:
    district = create_unit(parent=None, name="示范区", unit_type=UnitType.DISTRICT, code="D")
    admin_role, _created = Role.objects.get_or_create(
        code=RoleCode.DEPARTMENT_ADMIN,
        defaults={"name": "部管理员", "sees_all_units": True, "can_view_personal_data": True},
    )
    reader = User.objects.create_user(username="reader", password="Unused-2026!", full_name="查阅人", unit=district)
    reader.roles.set([admin_role])
    person = User.objects.create_user(
        username="zhou", password="Unused-2026!", full_name="周某", unit=district, mobile="13812345678"
    )
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.context.add_cookies([{**signed_in_cookie(reader), "url": live_server.url}])

    page.goto(live_server.url + reverse("org:person_detail", args=[person.pk]))
    value = page.locator(".pii").first
    assert value.inner_text().startswith("138****5678")
    assert "13812345678" not in page.content()
    page.get_by_role("button", name="显示").click()
    page.locator(".pii-revealed").wait_for(state="visible")

    assert page.locator(".pii-revealed").inner_text() == "13812345678"
    assert page.get_by_role("button", name="显示").count() == 0
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.field, entry.object_id) == (reader, "mobile", str(person.pk))
    assert "Chrome" in entry.user_agent
    assert not problems, problems
