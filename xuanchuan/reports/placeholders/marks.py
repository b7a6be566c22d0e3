"""Finding blank marks in a report's text and classifying each one (``number``, ``place``, ``name``,
``year``) with its unit. :func:`xuanchuan.reports.placeholders.find_placeholders` puts them together.

Strong marks (``×``, ``XX``, ``**`` …) are blanks wherever they stand as a word; weak marks — a
lone ``*`` or an ``_``/``__`` — are blanks only where the sentence says what they stand for (a
unit after them, a title, a year, a name list), since a lone ``*`` is also a footnote or a bullet.
A pair of ``*`` runs around a phrase (``**重点**``) is emphasis unless one of them is such a blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

NUMBER = "number"
PLACE = "place"
NAME = "name"
YEAR = "year"

CLASS_LABELS: dict[str, str] = {NUMBER: "数字", PLACE: "地名或机构", NAME: "人名、称谓或名称", YEAR: "年份或日期"}


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``: keeps the long word lists below readable."""
    return tuple(text.split())


# A run of blank marks, or one or two underscores (a longer run is a line to sign or write on).
_MARK_RUN = re.compile(r"[×✕╳XxＸｘ*＊]+|(?<![_＿])[_＿]{1,2}(?![_＿])")
_LATIN_MARKS = set("XxＸｘ")
_STARS = {"*", "＊"}
_RULE_LINE = re.compile(r"[\s*＊\-_—=]*")  # a line of stars and dashes separates, it blanks nothing
_UNDERSCORES = {"_", "＿"}
_DIGITS = "0-9０-９"
_YEAR_PREFIX = re.compile(rf"(?:[12１２][09０９][{_DIGITS}]?|[12１２]|[二一][〇○零九][一二〇○零九]?)$")
_LATIN_NEIGHBOUR = re.compile(rf"[A-Za-zＡ-Ｚａ-ｚ{_DIGITS}@_/\\.]")
_LATIN_WORDS_AFTER = ("光", "射线", "线")
_FORMULA = re.compile(rf"[A-Za-zＡ-Ｚａ-ｚ{_DIGITS}*+=<>^/]")

# Measure words and units, longest first where one is a prefix of another.
_MAGNITUDES = "十百千万亿"
_UNITS: tuple[str, ...] = _words(
    "个百分点 平方公里 平方米 人次 场次 条次 户次 车次 架次 个月 小时 分钟 公里 千米 公顷 元 "
    "人 名 位 户 家 场 次 篇 期 条 块 台 份 支 个 项 件 张 所 处 座 间 辆 批 轮 部 "
    "本 册 幅 首 集 页 版 档 幕 站 面 套 组 队 类 种 号 届 天 日 周 倍 米 吨 亩 % "
    "％ ‰"
)
# Words that begin with a measure word but are nouns after a name: ``×篇章``, ``×人民``, ``×期间``.
_NOT_UNITS: tuple[str, ...] = _words(
    "篇章 人民 人大 人才 期间 条例 条件 支持 支部 家乡 家园 家风 所在 所有 处理 项目 场所 "
    "场馆 部门 部署 本地 本土 集团 名片 名牌 名称 台账 台站 日报 号召 面貌 首府 首都 站点 "
    "天地 种植 组织 队伍 米粉 版图"
)
_UNIT_RE = re.compile(
    rf"(?P<mag>[{_MAGNITUDES}]*)(?P<approx>余|多|来)?(?P<mag2>[{_MAGNITUDES}]*)"
    rf"(?P<unit>{'|'.join(re.escape(unit) for unit in sorted(set(_UNITS), key=len, reverse=True))})"
    r"(?P<tail>[（(]次[)）])?"
)
_YEAR_AS_DURATION_BEFORE = ("连续", "近", "历时", "共", "满", "已", "每", "用", "多", "前", "后", "最近")
_YEAR_AS_DURATION_AFTER = ("来", "以来", "间", "内", "多", "左右", "时间", "之久")

_TITLES: tuple[str, ...] = _words(
    "同志 副书记 书记 副主任 主任 副部长 部长 副局长 局长 副区长 区长 副市长 市长 副县长 县长 "
    "镇长 乡长 省长 主席 委员 先生 女士 老师 厅长 处长 科长 院长 校长 所长 站长 队长 组长 "
    "董事长 总经理 经理 记者 通讯员"
)
_PERSON_BEFORE = ("尊敬的", "敬爱的", "亲爱的", "致", "姓名：", "姓名:", "联系人：", "负责人：", "汇报人：", "发言人：")

_PLACE_AFTER: tuple[str, ...] = _words(
    "省 市 区 县 州 盟 旗 镇 乡 街道 村 社区 路 街 政务网 文明网 网 广播电视台 电视台 广播 "
    "融媒体 日报 晚报 发布 宣传部 委 政府 人大 政协 局 办 中心 大学 学院 中学 小学 医院 公司 "
    "集团 银行 协会 学会 故事 篇章 形象 特产 全媒体 人民 大地 儿女 名片 声音 经验 模式 品牌 "
    "风采 文化 发展 经济 旅游 特色 力量 精神"
)
_PLACE_BEFORE: tuple[str, ...] = _words(
    "幸福美好 美好 美丽 大美 魅力 活力 多彩 精彩 最美 印象 畅游 走进 来到 相约 打卡 家乡 建设 新 游 爱"
)
_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"', "‘": "’"}
_NUMBER_BEFORE: tuple[str, ...] = _words("第 共计 合计 累计 共 达到 达 约 近 超过 超 逾 增长 下降 提高")

# Names blanked in parentheses after a count of people: 先进个人1人（**）, 3名（×××、××）.
_MARK_CHARS = "×✕╳XxＸｘ*＊_＿"
_PEOPLE_COUNT = re.compile(rf"(?:[{_DIGITS}]+|[一二两三四五六七八九十百]+|[{_MARK_CHARS}]+)[人名位]$")
_NAME_LIST = set(_MARK_CHARS) | set("、，,；; ")
# A score (测评得分×分): 分 after the blank, in a sentence about scores or before a boundary.
_SCORE_WORDS = _words("得分 评分 测评 考评 考核 成绩 满分 总分 分数 打分 评估 评价 考试 测试 指数 均分")
_SCORE_BOUNDARY = re.compile(r"(?:$|[，,。！？；;、：:）)\s]|以上|以下|左右|的)")
_NOT_SCORE: tuple[str, ...] = _words(
    "分钟 分局 分公司 分会 分院 分行 分中心 分析 分类 分别 分享 分配 分散 分工 分管 分队 分校 分站 "
    "分级 分层 分批 分期 分解 分布 分组 分部 分社 分所 分厂 分店 分区 分场 分团 分点 分之"
)


class Mark(NamedTuple):
    """A run of blank marks: ``text[start:end]``, with the digits written before it (``202`` of
    ``202×``, ``1`` of ``1××名``), whether those make it a year, and whether it is a weak mark."""

    start: int
    end: int
    digits: str
    is_year: bool
    weak: bool


class Classification(NamedTuple):
    """What a blank stands for; ``sure`` is False when nothing around it said so (the class is
    then the default, ``place``)."""

    cls: str
    unit: str
    unit_end: int
    sure: bool = True


def _is_weak(run: str) -> bool:
    return (set(run) <= _STARS and len(run) == 1) or set(run) <= _UNDERSCORES


def _is_mark(text: str, start: int, end: int) -> bool:
    """Whether the run ``text[start:end]`` is a blank rather than part of a word or a formula."""
    run = text[start:end]
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    latin_neighbour = bool((before and _LATIN_NEIGHBOUR.match(before)) or (after and _LATIN_NEIGHBOUR.match(after)))
    if set(run) <= _STARS and (after == "号" or _RULE_LINE.fullmatch(_line_of(text, start))):
        return False  # 带*号的为必填项; *** as a separator line
    if _is_weak(run):
        return not latin_neighbour  # a*b, x_1, snake_case, __init__
    if set(run) <= _STARS:
        return True
    if set(run) & _LATIN_MARKS and (
        latin_neighbour or text.startswith(_LATIN_WORDS_AFTER, end) or _in_formula(text, start, end)
    ):
        return False
    # 3×4 is a product, not a blank.
    return not (before and re.match(rf"[{_DIGITS}]", before) and after and re.match(rf"[{_DIGITS}]", after))


def _in_formula(text: str, start: int, end: int) -> bool:
    """An ``x`` among spaced Latin words, digits or operators (``x * y``, ``x + 1``) is algebra."""
    before = text[max(0, start - 4) : start].rstrip(" ")
    after = text[end : end + 4].lstrip(" ")
    return bool((before and _FORMULA.match(before[-1])) or (after and _FORMULA.match(after[0])))


def _line_of(text: str, position: int) -> str:
    end = text.find("\n", position)
    return text[text.rfind("\n", 0, position) + 1 : len(text) if end == -1 else end]


def iter_marks(text: str) -> Iterator[Mark]:
    """Every run that may be a blank, in text order.

    Digits written before the mark belong to it: a partly blanked year (``202×``, ``二〇××``) or a
    partly blanked number (``1××名``).
    """
    for match in _MARK_RUN.finditer(text):
        start, end = match.span()
        weak = _is_weak(match.group())
        if prefix := _year_prefix(text, start, end):
            yield Mark(start - len(prefix), end, prefix, True, weak)
            continue
        if not _is_mark(text, start, end):
            continue
        digits = re.search(rf"[{_DIGITS}]+$", text[max(0, start - 12) : start])
        if digits is None:
            yield Mark(start, end, "", False, weak)
        elif not set(match.group()) & (_LATIN_MARKS | _STARS | _UNDERSCORES) and end - start >= 2:
            yield Mark(start - len(digits.group()), end, digits.group(), False, weak)  # 1××
        # Otherwise a digit before it (3×, 5*) makes it a sign, not a blank.


def _year_prefix(text: str, start: int, end: int) -> str:
    """The digits of a partly blanked year before the mark (``202`` of ``202×``), else ``""``."""
    match = _YEAR_PREFIX.search(text, max(0, start - 3), start)
    if not match or match.end() != start:
        return ""
    prefix = match.group()
    if start - len(prefix) > 0 and re.match(rf"[{_DIGITS}]", text[start - len(prefix) - 1]):
        return ""
    after = text[end] if end < len(text) else ""
    if after and re.match(rf"[A-Za-zＡ-Ｚａ-ｚ{_DIGITS}]", after):
        return ""
    if len(prefix) + (end - start) == 4 or after == "年":
        return prefix
    return ""


def _enclosing_quote(text: str, start: int, end: int) -> str | None:
    """The opening quote or title mark around the blank, within its line, if any."""
    line_start = text.rfind("\n", 0, start) + 1
    for position in range(start - 1, max(line_start, start - 30) - 1, -1):
        char = text[position]
        if char in _QUOTES:
            closing = _QUOTES[char]
            close_at = text.find(closing, end)
            line_end = text.find("\n", end)
            if close_at != -1 and (line_end == -1 or close_at < line_end) and close_at - end <= 30:
                return char
            return None
        if char in _QUOTES.values():
            return None
    return None


def _in_name_list(text: str, start: int, end: int) -> bool:
    """A blank among names in parentheses after a count of people: 先进个人1人（**、***）."""
    line_start = text.rfind("\n", 0, start) + 1
    opening = max(text.rfind("（", line_start, start), text.rfind("(", line_start, start))
    if opening == -1 or start - opening > 40 or not set(text[opening + 1 : start]) <= _NAME_LIST:
        return False
    closing = re.compile(r"[）)\n]").search(text, end)
    if closing is None or closing.group() == "\n" or closing.start() - end > 40:
        return False
    if not set(text[end : closing.start()]) <= _NAME_LIST:
        return False
    return bool(_PEOPLE_COUNT.search(text, max(line_start, opening - 12), opening))


def _is_score(text: str, start: int, end: int) -> bool:
    """Whether ``分`` after the blank is a score (测评得分×分) rather than the start of a word."""
    rest = text[end : end + 4]
    if not rest.startswith("分") or rest.startswith(_NOT_SCORE):
        return False
    clause_start = max(text.rfind(stop, 0, start) for stop in "。！？；\n") + 1
    if any(word in text[max(clause_start, start - 20) : start] for word in _SCORE_WORDS):
        return True
    return bool(_SCORE_BOUNDARY.match(text, end + 1))


def classify(text: str, start: int, end: int, year_prefix: str) -> Classification:
    """What the blank ``text[start:end]`` stands for; ``year_prefix`` as ``202`` of ``202×``."""
    before = text[max(0, start - 8) : start]
    rest = text[end : end + 12]
    if year_prefix:
        return Classification(YEAR, "年", end + (1 if rest.startswith("年") else 0))
    if _in_name_list(text, start, end):
        return Classification(NAME, "", end)
    if rest.startswith(_TITLES):
        return Classification(NAME, "", end)
    if rest.startswith("年"):
        after_year = rest[1:]
        if before.endswith(_YEAR_AS_DURATION_BEFORE) or after_year.startswith(_YEAR_AS_DURATION_AFTER):
            return Classification(NUMBER, "年", end + 1)
        return Classification(YEAR, "年", end + 1)
    if rest.startswith(("月", "日")) and not rest.startswith(_NOT_UNITS):
        return Classification(YEAR, rest[0], end + 1)
    if _is_score(text, start, end):
        return Classification(NUMBER, "分", end + 1)
    if unit := _unit_after(rest):
        return Classification(NUMBER, unit[0], end + unit[1])
    return _by_the_words_around(text, start, end, before, rest)


def _unit_after(rest: str) -> tuple[str, int] | None:
    """The unit written right after a blank (``万人次``, ``%``) and its length, if there is one."""
    if rest.startswith(_NOT_UNITS) or not (match := _UNIT_RE.match(rest)):
        return None
    after_unit = rest[match.end() - len(match["tail"] or "") - len(match["unit"]) :]
    if after_unit.startswith(_NOT_UNITS) or (len(match["unit"]) == 1 and match["unit"] in "市区县省镇乡村"):
        return None
    unit = match["unit"].replace("％", "%")
    if match["tail"]:
        unit += "次"
    return f"{match['mag'] or ''}{match['mag2'] or ''}{unit}", match.end()


def _by_the_words_around(text: str, start: int, end: int, before: str, rest: str) -> Classification:
    """A blank without a unit: a place, a person or a name by the words around it, else a place."""
    if rest.startswith(_PLACE_AFTER):
        return Classification(PLACE, "", end)
    if before.endswith(_PERSON_BEFORE):
        return Classification(NAME, "", end)
    if before.endswith(_PLACE_BEFORE):
        return Classification(PLACE, "", end)
    if _enclosing_quote(text, start, end):
        return Classification(NAME, "", end)
    if before.endswith(_NUMBER_BEFORE):
        return Classification(NUMBER, "", end)
    return Classification(PLACE, "", end, sure=False)


def is_rank(text: str, start: int, unit: str) -> bool:
    """A place in a ranking (排名第×名, 全市第×名): the unit 名, but no count of people."""
    return unit == "名" and text[max(0, start - 1) : start] == "第"


def emphasis(text: str, marks: list[tuple[Mark, Classification]]) -> set[int]:
    """Starts of ``*`` runs that are Markdown-style emphasis (``**重点**``, ``*强调*``): two equal
    runs on one line around a short phrase without clause punctuation, neither a blank the
    sentence explains."""
    found: set[int] = set()
    previous: tuple[Mark, Classification] | None = None
    for mark, sort in marks:
        run = text[mark.start : mark.end]
        if mark.digits or not set(run) <= _STARS:
            previous = None
            continue
        if previous is not None and previous[0].start not in found:
            first, first_sort = previous
            inside = text[first.end : mark.start]
            if (
                text[first.start : first.end] == run
                and 0 < len(inside) <= 40
                and inside == inside.strip()
                and not re.search(r"[\n，,。！？；;、：:]", inside)
                and not first_sort.sure
                and not sort.sure
            ):
                found.update((first.start, mark.start))
                previous = None
                continue
        previous = (mark, sort)
    return found
