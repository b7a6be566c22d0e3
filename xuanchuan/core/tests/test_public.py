"""Guards of the public pages: the per-client rate limit and the robot checks."""

from __future__ import annotations

import time

import pytest
from django import forms
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from xuanchuan.core.public import _SALT, HumanCheckFormMixin, rate_limit


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@rate_limit("test-group", "3/m")
def view(request):
    return HttpResponse("ok")


def test_rate_limit_counts_per_client_and_answers_in_chinese() -> None:
    factory = RequestFactory()
    first = [view(factory.post("/x", REMOTE_ADDR="192.0.2.1")).status_code for _ in range(3)]
    assert first == [200, 200, 200]
    refused = view(factory.post("/x", REMOTE_ADDR="192.0.2.1"))
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert view(factory.post("/x", REMOTE_ADDR="192.0.2.2")).status_code == 200  # another client
    assert view(factory.get("/x", REMOTE_ADDR="192.0.2.1")).status_code == 200  # reading is not limited
    api = view(factory.post("/api/x", REMOTE_ADDR="192.0.2.1"))
    assert api.status_code == 429 and api["Content-Type"] == "application/json"


class SampleForm(HumanCheckFormMixin, forms.Form):
    name = forms.CharField()


def submitted(**overrides) -> SampleForm:
    data = {"name": "张三", "hp_website": "", "hp_started": signing.dumps(time.time() - 10, salt=_SALT)}
    data.update(overrides)
    return SampleForm(data)


def test_a_person_passes_the_robot_checks() -> None:
    assert submitted().is_valid()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (lambda: {"hp_website": "http://spam.example"}, "未通过自动校验"),
        (lambda: {"hp_started": "forged"}, "页面已过期"),
        (lambda: {"hp_started": signing.dumps(time.time(), salt=_SALT)}, "提交过快"),
        (lambda: {"hp_started": signing.dumps(time.time() - 10, salt="other")}, "页面已过期"),
        (lambda: {"hp_started": signing.dumps(time.time() - 3 * 3600, salt=_SALT)}, "页面已过期"),
    ],
)
def test_robots_are_refused_with_a_reason(overrides, message) -> None:
    form = submitted(**overrides())
    assert not form.is_valid()
    assert message in " ".join(form.non_field_errors())


def test_a_stamp_is_accepted_once_only() -> None:
    """L9: a robot that fetched one stamp cannot replay it."""
    token = signing.dumps(time.time() - 10, salt=_SALT)
    assert submitted(hp_started=token).is_valid()
    replayed = submitted(hp_started=token)
    assert not replayed.is_valid()
    assert "已经提交过" in " ".join(replayed.non_field_errors())


def test_an_invalid_submission_does_not_spend_the_stamp() -> None:
    token = signing.dumps(time.time() - 10, salt=_SALT)
    assert not submitted(hp_started=token, name="").is_valid()  # a field left empty: shown again
    assert submitted(hp_started=token).is_valid()  # corrected, it goes through


def test_an_accepted_form_shown_again_carries_a_fresh_stamp() -> None:
    """A service may refuse an accepted submission; the form shown again must be sendable."""
    token = signing.dumps(time.time() - 10, salt=_SALT)
    form = submitted(hp_started=token)
    assert form.is_valid()
    fresh = form["hp_started"].value()
    assert fresh and fresh != token
    later = signing.dumps([time.time() - 10, "nonce"], salt=_SALT)
    assert submitted(hp_started=later).is_valid()
    assert SampleForm().fields["hp_started"].initial != SampleForm().fields["hp_started"].initial
