"""Validation of resident ID numbers (GB 11643-1999) and mainland mobile numbers.

An ID number is 17 digits and a check digit (ISO 7064 MOD 11-2, ``X`` standing for 10):
a 6-digit address code, an 8-digit birth date, a 3-digit sequence (odd for men) and the check
digit. Only the first two digits of the address code are checked — against the province-level
codes of GB/T 2260 — because a county-level code stays valid on the cards issued before a
re-division retired it. Residence permits for residents of Hong Kong, Macao and Taiwan
(港澳台居民居住证, 810000/820000/830000…) have the same shape, and so does the 2023 foreign
permanent resident ID card (外国人永久居留身份证): ``9`` followed by the province code of the
issuing place, then the same birth date and check digit.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii.kinds import normalize_id_number, normalize_phone

# Province-level codes of GB/T 2260 (first two digits of the address code).
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip
# First two digits of the residence permits of Hong Kong, Macao and Taiwan residents.
RESIDENCE_PERMIT_CODES: dict[str, str] = {"81": "香港居民", "82": "澳门居民", "83": "台湾居民"}
# Foreign permanent resident ID cards are issued by the mainland's provincial immigration offices.
MAINLAND_PROVINCE_CODES = frozenset(code for code in PROVINCE_CODES if code not in ("71", "81", "82"))
FOREIGNER_PREFIX = "9"

CHECK_WEIGHTS = tuple(2 ** (17 - position) % 11 for position in range(17))
CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_SHAPE = re.compile(r"^1\d{10}$")


def id_check_character(first17: str) -> str:
    """The GB 11643-1999 check character (``0``–``9`` or ``X``) of 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, CHECK_WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


@dataclass(frozen=True)
class ResidentID:
    """What a valid ID number says about its holder."""

    number: str
    address_code: str
    birth_date: datetime.date
    sequence: str
    holder: str  # "citizen", "hmt_resident" (港澳台居民居住证) or "foreigner" (永居证)

    @property
    def is_male(self) -> bool:
        return int(self.sequence[-1]) % 2 == 1

    @property
    def province_code(self) -> str:
        return self.number[1:3] if self.holder == "foreigner" else self.number[:2]

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


def _holder_of(number: str, allow_foreigners: bool) -> str | None:
    if number.startswith(FOREIGNER_PREFIX):
        return "foreigner" if allow_foreigners and number[1:3] in MAINLAND_PROVINCE_CODES else None
    prefix = number[:2]
    if prefix in RESIDENCE_PERMIT_CODES and (prefix not in PROVINCE_CODES or number[2:6] == "0000"):
        return "hmt_resident"
    return "citizen" if prefix in PROVINCE_CODES else None


def _check_shape(number: str) -> None:
    if len(number) == 15 and number.isdigit():
        raise ValidationError(_("身份证号码应为18位：15位的第一代身份证号码已停止使用"), code="id_first_generation")
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位，当前为%(length)s位"), code="id_length", params={"length": len(number)}
        )
    if not _ID_SHAPE.match(number):
        raise ValidationError(_("身份证号码前17位应为数字，第18位应为数字或“X”"), code="id_format")


def _check_birth_date(number: str, today: datetime.date) -> datetime.date:
    text = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期不存在：%(date)s"), code="id_birth_date", params={"date": text}
        ) from None
    if birth > today:
        raise ValidationError(
            _("身份证号码中的出生日期晚于今天：%(date)s"), code="id_birth_future", params={"date": text}
        )
    if birth < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("身份证号码中的出生日期早于1900年：%(date)s"), code="id_birth_too_early", params={"date": text}
        )
    return birth


def parse_resident_id(value: str, *, allow_foreigners: bool = True, today: datetime.date | None = None) -> ResidentID:
    """Validate ``value`` and return what it encodes; raises ``ValidationError`` in Chinese."""
    number = normalize_id_number(str(value))
    _check_shape(number)
    holder = _holder_of(number, allow_foreigners)
    if holder is None:
        prefix = number[:3] if number.startswith(FOREIGNER_PREFIX) else number[:2]
        raise ValidationError(
            _("身份证号码开头“%(prefix)s”不是有效的省级行政区划代码"),
            code="id_region",
            params={"prefix": prefix},
        )
    birth = _check_birth_date(number, today or timezone.localdate())
    expected = id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("身份证号码校验位不正确：第18位应为“%(expected)s”"),
            code="id_checksum",
            params={"expected": expected},
        )
    return ResidentID(number=number, address_code=number[:6], birth_date=birth, sequence=number[14:17], holder=holder)


@deconstructible
class ResidentIDValidator:
    """Validator for model and form fields; accepts lower-case ``x`` and surrounding spaces."""

    def __init__(self, allow_foreigners: bool = True) -> None:
        self.allow_foreigners = allow_foreigners

    def __call__(self, value: Any) -> None:
        if value in (None, ""):
            return
        parse_resident_id(str(value), allow_foreigners=self.allow_foreigners)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResidentIDValidator) and other.allow_foreigners == self.allow_foreigners

    def __hash__(self) -> int:
        return hash((type(self), self.allow_foreigners))


def normalize_mobile(value: str) -> str:
    """``+86 138-1234-5678`` → ``13812345678`` (no check; see :func:`validate_mobile`)."""
    return normalize_phone(str(value))


@deconstructible
class MobileValidator:
    """A mainland mobile number: 11 digits starting 1[3-9], after removing +86/0086 and separators."""

    def __call__(self, value: Any) -> None:
        if value in (None, ""):
            return
        number = normalize_mobile(str(value))
        if not _MOBILE_SHAPE.match(number):
            raise ValidationError(_("手机号码应为11位数字，以1开头"), code="mobile_format")
        if number[1] not in "3456789":
            raise ValidationError(
                _("手机号码第2位应为3至9之间的数字，“%(number)s”不是有效的手机号段"),
                code="mobile_prefix",
                params={"number": number[:3]},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MobileValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_resident_id = ResidentIDValidator()
validate_mobile = MobileValidator()
