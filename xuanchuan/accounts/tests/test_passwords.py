"""The password policy and the password change page."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from xuanchuan.accounts.validators import CharacterClassValidator, character_classes
from xuanchuan.conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefghij", 1), ("Abcdefghij", 2), ("Abcdefg1234", 3), ("Abcdefg1234!", 4), ("宣传abc123", 3)],
)
def test_character_classes(password: str, classes: int) -> None:
    assert character_classes(password) == classes


@pytest.mark.parametrize("password", ["abcdefghij", "Abcdefghij"])
def test_fewer_than_three_classes_are_refused(password: str) -> None:
    with pytest.raises(ValidationError) as refused:
        CharacterClassValidator(min_classes=3).validate(password)
    assert refused.value.code == "password_too_few_character_classes"
    assert "四类字符中的 3 类" in refused.value.messages[0]


def test_three_classes_are_accepted() -> None:
    CharacterClassValidator(min_classes=3).validate("Abcdefg1234!")
    assert "3 类" in CharacterClassValidator(min_classes=3).get_help_text()


def test_min_classes_must_be_possible() -> None:
    with pytest.raises(ImproperlyConfigured):
        CharacterClassValidator(min_classes=5)


@pytest.mark.django_db
def test_the_configured_policy_speaks_chinese() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password("1234567")
    messages = " ".join(refused.value.messages)
    assert "密码太短，至少需要" in messages
    assert "这个密码太常见了" in messages
    assert "密码只包含数字" in messages
    assert "四类字符中的 3 类" in messages
    validate_password("Abcdefg1234!")


@pytest.mark.django_db
def test_password_change_page(client, bob) -> None:
    client.force_login(bob)
    url = reverse("accounts:password_change")
    page = client.get(url).content.decode()
    assert "旧密码" in page and "四类字符中的 3 类" in page

    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "Abcdefghij", "new_password2": "Abcdefghij"})
    assert weak.status_code == 200
    assert "四类字符中的 3 类" in weak.content.decode()

    done = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Abcdefg1234!", "new_password2": "Abcdefg1234!"}
    )
    assert done.status_code == 302 and done.url == reverse("accounts:password_change_done")
    bob.refresh_from_db()
    assert bob.check_password("Abcdefg1234!")
    assert "密码已修改" in client.get(done.url).content.decode()


@pytest.mark.django_db
def test_password_change_needs_login(client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
