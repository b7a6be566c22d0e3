"""What the app's browser tests (``xuanchuan/core/tests/browser/test_volunteers_*.py``) share: the
page's errors collected, and a volunteer's phone sign-in as a cookie for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from xuanchuan.volunteers import session


def watch(page: Any, *, ignoring: tuple[str, ...] = ()) -> list[str]:
    """The list that gathers the page's script errors and console errors from now on (a test
    asserts it stays empty); console errors containing any of ``ignoring`` are expected ones, e.g.
    the browser's note about a form answered with 400."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    def console(message: Any) -> None:
        if message.type == "error" and not any(text in message.text for text in ignoring):
            problems.append(message.text)

    page.on("console", console)
    return problems


def phone_cookie(volunteer: Any) -> dict[str, str]:
    """The signed cookie the phone sign-in sets for ``volunteer`` (add it with
    ``page.context.add_cookies([{**phone_cookie(volunteer), "url": live_server.url}])``)."""
    response = session.sign_in(HttpResponse(), volunteer)
    return {"name": session.COOKIE, "value": response.cookies[session.COOKIE].value}
