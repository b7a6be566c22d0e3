"""How personal data is shown when it is not revealed.

Rules (the value is normalised first, see :mod:`xuanchuan.core.pii.kinds`):

* ID number: first 6 and last 4 characters kept — ``110101********123X`` (18 characters);
  a shorter document number (passport, permit) keeps its first 2 and last 2 characters.
* Phone: a mainland mobile number keeps its first 3 and last 4 digits — ``138****5678``;
  other numbers keep their last 4 digits only.
* Name: the surname is kept and every other character becomes ``*``, one per character:
  ``张*``, ``王**``, ``欧阳**``. The surname is the first character, or the first two when the name
  has at least three characters and starts with a common compound surname (欧阳, 司马, 上官 …);
  a two-character name always keeps one (``欧*``). Separators (``·``, spaces) stay, so
  ``阿***·***`` still reads as a transliterated name.
* Text, health and travel information: fully replaced by ``******`` whatever the length, so not
  even the length shows.

Empty values stay empty.
"""

from __future__ import annotations

from xuanchuan.core.pii.kinds import Kind, basic, normalize_id_number, normalize_phone

MASK = "*"
HIDDEN_TEXT = "******"

# Common two-character (复姓) surnames; a name of three or more characters starting with one
# of these keeps both characters of its surname.
# fmt: off
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "闻人", "申屠", "澹台",
    "公冶", "太史", "钟离", "万俟", "司空", "赫连", "濮阳", "淳于", "单于", "拓跋", "东郭", "南门",
    "羊舌", "微生", "梁丘", "左丘", "东门", "第五", "公羊", "谷梁", "宗政", "乐正", "漆雕", "壤驷",
    "公良", "夹谷", "宰父", "巫马", "亓官",
})
# fmt: on
_KEPT_IN_NAMES = frozenset("· ")


def mask_id_number(value: str) -> str:
    """``110101199003071234`` → ``110101********1234``."""
    text = normalize_id_number(value)
    if len(text) >= 15:
        return _keep_ends(text, 6, 4)
    if len(text) >= 6:
        return _keep_ends(text, 2, 2)
    return MASK * len(text)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``057188881234`` → ``********1234``."""
    text = normalize_phone(value)
    if len(text) == 11 and text.startswith("1"):
        return _keep_ends(text, 3, 4)
    if len(text) > 4:
        return _keep_ends(text, 0, 4)
    return MASK * len(text)


def mask_name(value: str) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧阳**``, ``John Smith`` → ``J*** *****``."""
    text = basic(value)
    if len(text) <= 1:
        return MASK * len(text)
    kept = 2 if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES else 1
    tail = "".join(char if char in _KEPT_IN_NAMES else MASK for char in text[kept:])
    return text[:kept] + tail


def mask_text(value: str) -> str:
    """Any free text → ``******`` (nothing of it, not even its length, is shown)."""
    return HIDDEN_TEXT if value else ""


def mask(value: str | None, kind: str) -> str:
    """The masked form of ``value`` for a field of ``kind``; ``""`` for an empty value."""
    if not value:
        return ""
    value = str(value)
    if kind == Kind.ID_NUMBER:
        return mask_id_number(value)
    if kind == Kind.PHONE:
        return mask_phone(value)
    if kind == Kind.NAME:
        return mask_name(value)
    return mask_text(value)


def _keep_ends(text: str, head: int, tail: int) -> str:
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


__all__ = [
    "COMPOUND_SURNAMES",
    "HIDDEN_TEXT",
    "mask",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
]
