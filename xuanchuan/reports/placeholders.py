"""Placeholders in an existing report: find every blanked figure, classify it, propose a registry figure.

An author blanks the figures of a report with whatever mark is at hand: ``×``, ``××``, ``X``, ``XX``,
``xx``, ``**``, the full-width forms ``ＸＸ``, ``ｘｘ``, ``＊＊``, or a year written as ``202×``.
:func:`find_placeholders` finds each of them in text order and tells what it stands for:

- ``number``: followed by a unit or measure word (``×场次``, ``×万余份``, ``×多条``, ``近×万人（次）``,
  ``×%``), or an ordinal or total without one (``第×``, ``共计×。``). For a number the registry figure
  whose label and synonyms best fit the words around it, and whose unit fits, is proposed.
- ``place``: a place or organisation (``×区``, ``×区委宣传部``, ``×政务网``, ``讲好×故事``,
  ``幸福美好×``, ``×特产``); also the class of a blank nothing else explains.
- ``name``: a person or title (``尊敬的×``, ``×同志``, ``×书记``) or the name of a work, column or
  account (``《纵横×》``, ``“×宣传”``).
- ``year``: a year (``202×``, ``×年工作方案``); a blanked month or day of a date (``×月×日``) is a
  ``year`` too, with unit ``月`` or ``日``.

Latin letters count as a mark only where they stand alone among Chinese text: ``Xbox``, ``LED``,
``X光`` and ``扫H除E`` are words, not blanks. ``×`` between digits is a multiplication sign.

Offsets (``start``) refer to the text handed to :func:`find_placeholders`; for a ``.docx`` that is the
text :func:`extract_docx_text` returns, for a ``.txt`` the decoded text with newlines as ``\\n``
(:func:`read_document` does both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from .registry import Figure, all_figures

NUMBER = "number"
PLACE = "place"
NAME = "name"
YEAR = "year"

CLASS_LABELS: dict[str, str] = {NUMBER: "数字", PLACE: "地名或机构", NAME: "人名、称谓或名称", YEAR: "年份或日期"}


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``: keeps the long word lists below readable."""
    return tuple(text.split())


# A run of blank marks. ``*`` counts only doubled (a single one is a footnote or a bullet).
_MARK_RUN = re.compile(r"[×✕╳XxＸｘ*＊]+")
_LATIN_MARKS = set("XxＸｘ")
_DIGITS = "0-9０-９"
_YEAR_PREFIX = re.compile(rf"(?:[12１２][09０９][{_DIGITS}]?|[12１２]|[二一][〇○零九][一二〇○零九]?)$")
_LATIN_NEIGHBOUR = re.compile(rf"[A-Za-zＡ-Ｚａ-ｚ{_DIGITS}@_/\\.]")
_LATIN_WORDS_AFTER = ("光", "射线", "线")

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

_CLAUSE_STOP = re.compile(r"[。！？；;\n]")
_PHRASE_STOP = re.compile(r"[，,。！？；;：:\n、]")
_CONTEXT_BEFORE = 40
_CONTEXT_AFTER = 15

# Units of the same kind: a figure counted in 人 fits a blank counted in 名 or 人次 better than one in 篇.
_UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"场次", "场", "次", "期", "轮", "批", "届"}),
    frozenset({"人", "名", "位", "人次", "户", "户次"}),
    frozenset({"篇", "条", "份", "件", "张", "幅", "首", "部", "本", "册", "页", "版", "条次"}),
    frozenset({"个", "家", "所", "处", "座"}),
    frozenset({"%", "‰", "个百分点"}),
    frozenset({"元"}),
)


@dataclass
class Placeholder:
    """One blanked figure or name of a document.

    ``index`` counts from 0 in text order; ``start`` is the offset of ``mark`` (the blank as written,
    with the digits of a partly blanked year) in the text; ``cls`` is ``number``, ``place``, ``name``
    or ``year`` (``class`` in :meth:`as_dict`, the word being taken in Python); ``unit`` the measure
    word with its magnitude (``万人次``, ``万份``, ``%``; ``年``/``月``/``日`` for years and dates);
    ``context`` the words around it; ``figure`` the proposed registry key of a number and
    ``alternatives`` the runners-up, best first.
    """

    index: int
    start: int
    mark: str
    cls: str
    unit: str = ""
    context: str = ""
    figure: str | None = None
    alternatives: list[str] = field(default_factory=list)

    @property
    def end(self) -> int:
        """Offset just after the mark."""
        return self.start + len(self.mark)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the class is under ``class``."""
        data = asdict(self)
        data["class"] = data.pop("cls")
        return {
            key: data[key] for key in ("index", "start", "mark", "class", "unit", "context", "figure", "alternatives")
        }


def _is_mark(text: str, start: int, end: int) -> bool:
    """Whether the run ``text[start:end]`` is a blank rather than part of a word or a formula."""
    run = text[start:end]
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if set(run) <= {"*", "＊"}:
        return len(run) >= 2
    if set(run) & _LATIN_MARKS:
        if (before and _LATIN_NEIGHBOUR.match(before)) or (after and _LATIN_NEIGHBOUR.match(after)):
            return False
        if text.startswith(_LATIN_WORDS_AFTER, end):
            return False
    # 3×4 is a product, not a blank.
    return not (before and re.match(rf"[{_DIGITS}]", before) and after and re.match(rf"[{_DIGITS}]", after))


def _iter_marks(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """``(start, end, digits, is_year)`` of every blank.

    Digits written before the mark belong to it: a partly blanked year (``202×``, ``二〇××``) or a
    partly blanked number (``1××名``); ``is_year`` tells which.
    """
    for match in _MARK_RUN.finditer(text):
        start, end = match.span()
        if prefix := _year_prefix(text, start, end):
            yield start - len(prefix), end, prefix, True
            continue
        if not _is_mark(text, start, end):
            continue
        digits = re.search(rf"[{_DIGITS}]+$", text[max(0, start - 12) : start])
        if digits is None:
            yield start, end, "", False
        elif not set(match.group()) & (_LATIN_MARKS | {"*", "＊"}) and end - start >= 2:
            yield start - len(digits.group()), end, digits.group(), False  # 1××: a partly blanked number
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


def _classify(text: str, start: int, end: int, year_prefix: str) -> tuple[str, str, int]:
    """``(class, unit, end of the unit)`` of the blank ``text[start:end]``; ``year_prefix`` as ``202`` of ``202×``."""
    before = text[max(0, start - 8) : start]
    rest = text[end : end + 12]
    if year_prefix:
        return YEAR, "年", end + (1 if rest.startswith("年") else 0)
    if rest.startswith(_TITLES):
        return NAME, "", end
    if rest.startswith("年"):
        after_year = rest[1:]
        if before.endswith(_YEAR_AS_DURATION_BEFORE) or after_year.startswith(_YEAR_AS_DURATION_AFTER):
            return NUMBER, "年", end + 1
        return YEAR, "年", end + 1
    if rest.startswith(("月", "日")) and not rest.startswith(_NOT_UNITS):
        return YEAR, rest[0], end + 1
    if not rest.startswith(_NOT_UNITS) and (match := _UNIT_RE.match(rest)):
        after_unit = rest[match.end() - len(match["tail"] or "") - len(match["unit"]) :]
        if not after_unit.startswith(_NOT_UNITS) and not (
            len(match["unit"]) == 1 and match["unit"] in "市区县省镇乡村"
        ):
            unit = match["unit"].replace("％", "%")
            if match["tail"]:
                unit += "次"
            unit = f"{match['mag'] or ''}{match['mag2'] or ''}{unit}"
            return NUMBER, unit, end + match.end()
    if rest.startswith(_PLACE_AFTER):
        return PLACE, "", end
    if before.endswith(_PERSON_BEFORE):
        return NAME, "", end
    if before.endswith(_PLACE_BEFORE):
        return PLACE, "", end
    if _enclosing_quote(text, start, end):
        return NAME, "", end
    if before.endswith(_NUMBER_BEFORE):
        return NUMBER, "", end
    return PLACE, "", end


def _context(text: str, start: int, end: int, unit_end: int) -> tuple[str, str]:
    """The words of the clause before the blank and of the phrase after its unit."""
    window_start = max(0, start - _CONTEXT_BEFORE)
    before = text[window_start:start]
    stops = list(_CLAUSE_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end() :]
        if not before.strip() and stops[-1].group() == "\n":
            # A blank opening its line (a table cell of figures): the line before names it.
            line_end = window_start + stops[-1].start()
            line_start = text.rfind("\n", 0, line_end) + 1
            before = text[max(line_start, line_end - _CONTEXT_BEFORE) : line_end]
    after = text[unit_end : unit_end + _CONTEXT_AFTER]
    if stop := _PHRASE_STOP.search(after):
        after = after[: stop.start()]
    return before, after


def _unit_core(unit: str) -> str:
    """The measure word of a unit without its magnitude: ``万人次`` → ``人次``, ``万元`` → ``元``."""
    core = unit.lstrip(_MAGNITUDES)
    return core or unit


def _unit_fit(figure_unit: str, unit: str) -> float:
    """How well a figure's unit fits the unit written after a blank, from 0 to 1."""
    if not unit or not figure_unit:
        return 0.6
    wanted, offered = _unit_core(figure_unit), _unit_core(unit)
    if wanted == offered:
        return 1.0
    for family in _UNIT_FAMILIES:
        if wanted in family and offered in family:
            return 0.7
    return 0.15


def _term_score(term: str, before: str, after: str) -> float:
    """How much of ``term`` the words around the blank contain, nearer words weighing more."""
    best = 0.0
    length = len(term)
    for size in range(length, 0, -1):
        if size < 2 and length > 1:
            break
        for offset in range(length - size + 1):
            piece = term[offset : offset + size]
            positions = []
            if (at := before.rfind(piece)) != -1:
                positions.append(len(before) - (at + size))
            if (at := after.find(piece)) != -1:
                positions.append(at)
            # A one-character term (``村``) counts only right next to the blank.
            if positions and (size > 1 or min(positions) <= 1):
                distance = min(positions)
                nearness = 1.0 - 0.5 * min(distance, _CONTEXT_BEFORE) / _CONTEXT_BEFORE
                best = max(best, size / length * nearness)
        if best:
            break
    return best


def _figure_score(item: Figure, before: str, after: str, unit: str) -> float:
    """The score of ``item`` for a numeric blank; 0 when none of its words is around."""
    terms = [item.label, *item.synonyms]
    text_score = max(_term_score(term, before, after) for term in terms if term)
    if text_score < 0.5:
        return 0.0
    return text_score * _unit_fit(item.unit, unit)


def propose(figures: Iterable[Figure], before: str, after: str, unit: str) -> list[str]:
    """The keys of the figures that fit a numeric blank, best first (at most four)."""
    scored = [(score, item.key) for item in figures if (score := _figure_score(item, before, after, unit)) >= 0.3]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [key for _score, key in scored[:4]]


def find_placeholders(text: str, figures: Iterable[Figure] | None = None) -> list[Placeholder]:
    """Every blank of ``text`` in order, classified, numbers with a proposed figure and the runners-up.

    ``figures`` defaults to the registry (:func:`~xuanchuan.reports.registry.all_figures`).
    """
    catalogue = list(all_figures() if figures is None else figures)
    found: list[Placeholder] = []
    for start, end, digits, is_year in _iter_marks(text):
        cls, unit, unit_end = _classify(text, start + len(digits), end, digits if is_year else "")
        if digits and not is_year and cls != NUMBER:
            cls = NUMBER  # digits and a blank (1××) make a number even without a unit
        before, after = _context(text, start, end, unit_end)
        placeholder = Placeholder(
            index=len(found),
            start=start,
            mark=text[start:end],
            cls=cls,
            unit=unit,
            context=f"{before}{text[start:unit_end]}{after}",
        )
        if cls == NUMBER:
            keys = propose(catalogue, before, after, unit)
            if keys:
                placeholder.figure, placeholder.alternatives = keys[0], keys[1:]
        found.append(placeholder)
    return found


def extract_docx_text(path: str | Path | IO[bytes]) -> str:
    """The text of a ``.docx``: its paragraphs, table cells included, in document order, joined with ``\\n``.

    The archive is checked before python-docx reads it (``core.uploads.check_archive``: a part that
    would expand to gigabytes is refused with a ``ServiceError``). Each table cell contributes its
    paragraphs once: the walk visits each ``<w:tc>`` element of a row once, skipping the
    continuation of a vertically merged cell, so it is linear in the cells written (python-docx's
    ``row.cells`` repeats a cell once per grid column it spans, ``gridSpan`` being the file's to
    choose, and looks each merged cell up row by row). Offsets of placeholders found in a ``.docx`` refer to this text.
    """
    try:
        import docx
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("读取 .docx 需要安装 python-docx（pip install 'python-docx>=1.2,<2'）") from exc
    from xuanchuan.core.uploads import check_archive

    if hasattr(path, "read"):
        source: IO[bytes] = path  # type: ignore[assignment]
        check_archive(source)
        document = docx.Document(source)
    else:
        with open(path, "rb") as handle:
            check_archive(handle)
            document = docx.Document(handle)
    lines: list[str] = []

    def walk(blocks: Iterable[Paragraph | Table]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
                continue
            # Each <w:tc> once, in row order: no list of seen cells to search (that was quadratic),
            # and no id() set either (lxml may hand a freed proxy's id to another element).
            for row in block._tbl.tr_lst:
                for tc in row.tc_lst:
                    if tc.vMerge == "continue":
                        continue  # the text of a vertically merged cell is in its first row
                    walk(_Cell(tc, block).iter_inner_content())

    walk(document.iter_inner_content())
    return "\n".join(lines)


def read_document(path: str | Path) -> str:
    """The text of a ``.docx`` or a text file (UTF-8, or GB18030 as many government files are)."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        return extract_docx_text(path)
    return decode_text(path.read_bytes())


def decode_text(raw: bytes) -> str:
    """Bytes of a text file as text (UTF-8, or GB18030 as many government files are), newlines as ``\\n``."""
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = raw.decode("gb18030")
    return decoded.replace("\r\n", "\n").replace("\r", "\n")
