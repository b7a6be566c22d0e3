"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from xuanchuan.core.pii.forms import MobileField, ResidentIDField
from xuanchuan.core.pii.validators import (
    ResidentIDValidator,
    id_check_character,
    normalize_mobile,
    parse_resident_id,
    validate_mobile,
    validate_resident_id,
)
from xuanchuan.core.tests.conftest import valid_id

TODAY = datetime.date(2026, 6, 1)


def message_of(value: str, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id(value, today=TODAY, **kwargs)
    return caught.value.messages[0]


def test_check_character_matches_the_standards_examples() -> None:
    # The two worked examples of GB 11643-1999.
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character("44052418800101001") == "4"


@pytest.mark.parametrize(
    "prefix17",
    [
        "11010519491231002",  # 北京市朝阳区, the standard's own example
        "11010319850615003",  # 北京市崇文区: retired in 2010, old cards keep the code
        "11010419991231004",  # 北京市宣武区: likewise
        "44030620000229121",  # 深圳市宝安区, born on a leap day
        "65010219000101001",  # 新疆, born on the earliest accepted day
        "54010219781111222",
        "81000019940823002",  # 香港居民居住证
        "82000019880808001",  # 澳门居民居住证
        "83000019750102003",  # 台湾居民居住证
        "91184019900101123",  # 外国人永久居留身份证: 9, 北京 (11), 美国 (840)
    ],
)
def test_valid_numbers(prefix17: str) -> None:
    number = valid_id(prefix17)
    parsed = parse_resident_id(number, today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == datetime.date(int(prefix17[6:10]), int(prefix17[10:12]), int(prefix17[12:14]))
    validate_resident_id(number)


def test_lower_case_x_and_spaces_are_accepted_and_normalised() -> None:
    assert parse_resident_id(" 110105 19491231 002x ").number == "11010519491231002X"
    validate_resident_id("11010519491231002x")


def test_what_a_number_says() -> None:
    citizen = parse_resident_id("11010519491231002X", today=TODAY)
    assert citizen.holder == "citizen" and citizen.province_code == "11" and citizen.address_code == "110105"
    assert citizen.is_male is False  # sequence 002: even
    assert citizen.age_on(datetime.date(2026, 12, 30)) == 76
    assert citizen.age_on(datetime.date(2026, 12, 31)) == 77
    assert parse_resident_id(valid_id("83000019750102003")).holder == "hmt_resident"
    foreigner = parse_resident_id(valid_id("91184019900101123"))
    assert foreigner.holder == "foreigner" and foreigner.province_code == "11" and foreigner.is_male


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1101051949123100", "身份证号码应为18位，当前为16位"),
        ("11010519491231002X1", "身份证号码应为18位，当前为19位"),
        ("110105491231002", "15位的第一代身份证号码已停止使用"),
        ("1101051949123100XX", "前17位应为数字"),
        ("11010519491231002Y", "第18位应为数字或“X”"),
        ("11O10519491231002X", "前17位应为数字"),
        ("", "身份证号码应为18位，当前为0位"),
    ],
)
def test_malformed_numbers(value: str, expected: str) -> None:
    assert expected in message_of(value)


def test_wrong_check_digit_names_the_right_one() -> None:
    assert message_of("110105194912310021") == "身份证号码校验位不正确：第18位应为“X”"
    assert (
        message_of("440524190001010013")
        == f"身份证号码校验位不正确：第18位应为“{id_check_character('44052419000101001')}”"
    )


@pytest.mark.parametrize(
    ("prefix17", "expected"),
    [
        ("11010519900230001", "身份证号码中的出生日期不存在：1990-02-30"),
        ("11010520010229001", "身份证号码中的出生日期不存在：2001-02-29"),
        ("11010519901301001", "身份证号码中的出生日期不存在：1990-13-01"),
        ("11010519900000001", "身份证号码中的出生日期不存在：1990-00-00"),
        ("11010520260602001", "身份证号码中的出生日期晚于今天：2026-06-02"),
        ("11010520990101001", "身份证号码中的出生日期晚于今天：2099-01-01"),
        ("44052418800101001", "身份证号码中的出生日期早于1900年：1880-01-01"),
        ("11010518991231001", "身份证号码中的出生日期早于1900年：1899-12-31"),
    ],
)
def test_impossible_birth_dates(prefix17: str, expected: str) -> None:
    assert message_of(valid_id(prefix17)) == expected


@pytest.mark.parametrize("prefix17", ["00010519491231002", "99010519491231002", "16010519491231002",
                                      "72010519491231002", "84000019940823002", "80010519491231002",
                                      "90084019900101123", "97184019900101123"])  # fmt: skip
def test_unknown_province_codes(prefix17: str) -> None:
    assert "不是有效的省级行政区划代码" in message_of(valid_id(prefix17))


def test_foreign_permanent_residents_can_be_refused() -> None:
    number = valid_id("91184019900101123")
    assert "省级行政区划代码" in message_of(number, allow_foreigners=False)
    with pytest.raises(ValidationError):
        ResidentIDValidator(allow_foreigners=False)(number)
    assert ResidentIDValidator() == ResidentIDValidator(allow_foreigners=True)
    assert ResidentIDValidator().deconstruct()[0] == "xuanchuan.core.pii.validators.ResidentIDValidator"


def test_empty_values_are_left_to_required() -> None:
    validate_resident_id("")
    validate_resident_id(None)
    validate_mobile("")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("１９９１２３４５６７８", "19912345678"),
        ("16612345678", "16612345678"),
    ],
)
def test_valid_mobiles(value: str, expected: str) -> None:
    validate_mobile(value)
    assert normalize_mobile(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1381234567", "手机号码应为11位数字，以1开头"),
        ("138123456789", "手机号码应为11位数字，以1开头"),
        ("23812345678", "手机号码应为11位数字，以1开头"),
        ("1381234567a", "手机号码应为11位数字，以1开头"),
        ("+85 13812345678", "手机号码应为11位数字，以1开头"),
        ("010-88881234", "手机号码应为11位数字，以1开头"),
        ("12812345678", "手机号码第2位应为3至9之间的数字"),
        ("10012345678", "手机号码第2位应为3至9之间的数字"),
    ],
)
def test_invalid_mobiles(value: str, expected: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_mobile(value)
    assert expected in caught.value.messages[0]


def test_form_fields_normalise() -> None:
    assert ResidentIDField().clean(" 11010519491231002x ") == "11010519491231002X"
    assert MobileField().clean("+86 138-1234-5678") == "13812345678"
    assert ResidentIDField(required=False).clean("") == ""
    assert MobileField(required=False).clean("") == ""
    with pytest.raises(ValidationError) as caught:
        ResidentIDField().clean("110105194912310021")
    assert caught.value.messages == ["身份证号码校验位不正确：第18位应为“X”"]
    with pytest.raises(ValidationError) as caught:
        MobileField().clean("12812345678")
    assert "第2位" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        ResidentIDField(allow_foreigners=False).clean(valid_id("91184019900101123"))
    assert 'inputmode="tel"' in MobileField().widget.render("phone", "")
