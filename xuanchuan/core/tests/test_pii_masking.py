"""Masking rules and the ``pii`` template tags."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from xuanchuan.core.pii import mask, masked
from xuanchuan.core.pii.masking import mask_id_number, mask_name, mask_phone
from xuanchuan.core.tests.piimodels import Resident


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("E12345678", "E1*****78"),
        ("1234", "****"),
    ],
)
def test_id_numbers(value: str, expected: str) -> None:
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("0571-88881234", "********1234"),
        ("110", "***"),
    ],
)
def test_phones(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("欧阳", "欧*"),
        ("阿依古丽·买买提", "阿***·***"),
        ("John Smith", "J*** *****"),
        ("张", "*"),
        ("  李四 ", "李*"),
    ],
)
def test_names(value: str, expected: str) -> None:
    assert mask_name(value) == expected


def test_free_text_hides_even_its_length() -> None:
    assert mask("无发热", "health") == mask("14天内到过某地，乘坐某次列车", "travel") == mask("x", "text") == "******"


@pytest.mark.parametrize("kind", ["id_number", "phone", "name", "text", "health", "travel"])
def test_empty_stays_empty(kind: str) -> None:
    assert mask("", kind) == "" and mask(None, kind) == ""


def render(template_text: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load pii %}" + template_text).render(Context({"request": request, **context}))


@pytest.mark.django_db
def test_tag_shows_the_masked_value_without_a_button_to_those_who_may_not_reveal(resident, bob) -> None:
    html = render('{% pii_value r "phone" %}', bob, r=resident)
    assert "138****5678" in html and "13812345678" not in html
    assert "hx-post" not in html and "显示" not in html
    assert masked(resident, "phone") == "138****5678"


@pytest.mark.django_db
def test_tag_offers_a_reveal_button_to_verified_readers(resident, alice) -> None:
    alice.is_verified = lambda: True
    html = render('{% pii_value r "id_number" ask_reason=True %}', alice, r=resident)
    content_type = ContentType.objects.get_for_model(Resident)
    element = f"pii-{content_type.pk}-{resident.pk}-id_number"
    url = reverse("core:pii_reveal", args=[content_type.pk, resident.pk, "id_number"])
    assert f'id="{element}"' in html
    assert f'hx-post="{url}"' in html and 'hx-target="closest .pii"' in html and 'hx-swap="outerHTML"' in html
    assert "hx-prompt" in html and ">显示</button>" in html
    assert "110105********002X" in html and "11010519491231002X" not in html
    assert "<script" not in html


@pytest.mark.django_db
def test_tag_withholds_the_button_from_unverified_readers_and_for_empty_values(resident, alice) -> None:
    alice.is_verified = lambda: False
    assert "hx-post" not in render('{% pii_value r "phone" %}', alice, r=resident)
    alice.is_verified = lambda: True
    resident.phone = ""
    assert "hx-post" not in render('{% pii_value r "phone" %}', alice, r=resident)


@pytest.mark.django_db
def test_tag_refuses_a_field_that_is_not_encrypted(resident, bob) -> None:
    with pytest.raises(TemplateSyntaxError, match="不是加密字段"):
        render('{% pii_value r "registered_at" %}', bob, r=resident)


def test_mask_filter() -> None:
    html = Template('{% load pii %}{{ p|pii_mask:"phone" }} {{ n|pii_mask:"name" }} {{ t|pii_mask }}').render(
        Context({"p": "13812345678", "n": "欧阳娜娜", "t": "秘密"})
    )
    assert html == "138****5678 欧阳** ******"
