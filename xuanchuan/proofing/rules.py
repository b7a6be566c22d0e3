"""The rules that need no lexicon: placeholders, brackets, punctuation, number and date styles, titles.

Each rule is a function ``rule(text) -> list[Finding]`` over the ORIGINAL text (offsets are its
indices). They are regular expressions and one linear scan each.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import groupby

from .findings import Finding
from .text import CJK, is_cjk

# --------------------------------------------------------------------------- placeholders

# Python's re scans fast only for a pattern that starts with one character class: one such pass
# finds every candidate run, and the kind of run decides in Python.
_PLACEHOLDER_RE = re.compile(r"[×✕╳XxＸｘ□☐○◯*_＿]+")
_PLACEHOLDER_WORD_RE = re.compile("待补充|待填写|此处填写")
_PLACEHOLDER_CLASS = {
    c: k for k, chars in {"x": "XxＸｘ", "times": "×✕╳", "box": "□☐", "o": "○◯"}.items() for c in chars
}
_PLACEHOLDER_MIN = {"x": 1, "times": 1, "box": 1, "o": 2, "*": 2, "_": 3, "＿": 2}
_X_WORDS = "光射线型染"  # X光, X射线, X线, X型, X染色体 are words, not blanks
_PLACEHOLDER_REASON = "未填写的占位符，发布前须填写实际内容"


def placeholders(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for match in _PLACEHOLDER_RE.finditer(text):
        start = match.start()
        for kind, chars in groupby(match.group(), key=lambda c: _PLACEHOLDER_CLASS.get(c, c)):
            run = "".join(chars)
            end = start + len(run)
            span = _placeholder_span(text, start, end, kind)
            if span and len(run) >= _PLACEHOLDER_MIN[kind]:
                findings.append(Finding(*span, "placeholder", "high", text[span[0] : span[1]], "", _PLACEHOLDER_REASON))
            start = end
    for match in _PLACEHOLDER_WORD_RE.finditer(text):
        findings.append(Finding(*match.span(), "placeholder", "high", match.group(), "", _PLACEHOLDER_REASON))
    return sorted(findings, key=lambda f: f.start)


def _placeholder_span(text: str, start: int, end: int, kind: str) -> tuple[int, int] | None:
    """Where the blank of the run ``text[start:end]`` of ``kind`` is, or ``None`` when it is no blank."""
    if kind == "times":
        # 3×4, 3 × 4: a multiplication; date × channel: a cross in a Latin run
        if _is_latin_or_digit(_neighbour(text, start, -1)) and _is_latin_or_digit(_neighbour(text, end, +1)):
            return None
    elif kind == "x":
        before, after = text[start - 1 : start], text[end : end + 1]
        if _is_latin_or_digit(after) or (_is_latin_or_digit(before) and not before.isdigit()):
            return None  # Xbox, XXL, MAX
        if end - start == 1 and (
            text[start] not in "XＸ" or not (is_cjk(before) or is_cjk(after)) or after in _X_WORDS
        ):
            return None  # a lone X is a blank only beside Chinese (X省), not X光
    else:
        return start, end
    while start > 0 and text[start - 1].isdigit() and text[start - 1].isascii():  # 202×, 20XX
        start -= 1
    return start, end


def _is_latin_or_digit(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalnum()


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest non-space character before (``step=-1``, from ``index - 1``) or at/after ``index``."""
    i = index - 1 if step < 0 else index
    while 0 <= i < len(text) and text[i] in " \t\u3000":
        i += step
    return text[i] if 0 <= i < len(text) else ""


# --------------------------------------------------------------------------- brackets

_OPEN = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "（": "）", "【": "】"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_NESTED = {"“": ("‘", "’"), "《": ("〈", "〉")}  # 外双内单
_BRACKET_RE = re.compile("[“”‘’《》〈〉（）【】\n]")
_TITLE_MISUSE_RE = re.compile(r"《([^《》\n]{1,40}?(?:会议|大会|活动|奖|大赛|比赛|论坛|峰会|培训班))》")


def brackets(text: str) -> list[Finding]:
    findings: list[Finding] = []
    stack: list[tuple[str, int]] = []
    depths: dict[str, list[int]] = {opener: [] for opener in _OPEN}  # where each kind of opener is in stack
    for match in _BRACKET_RE.finditer(text):
        char, position = match.group(), match.start()
        if char == "\n":  # a paragraph ends: what is still open stays unpaired
            findings.extend(_unclosed(c, at) for c, at in stack)
            stack = []
            depths = {opener: [] for opener in _OPEN}
        elif char in _OPEN:
            depths[char].append(len(stack))
            stack.append((char, position))
        else:
            opener = _CLOSE[char]
            if not depths[opener]:
                reason = f"“{char}”前面缺少配对的“{opener}”"
                findings.append(Finding(position, position + 1, "brackets", "medium", char, "", reason))
                continue
            depth = depths[opener].pop()
            for unclosed, at in stack[depth + 1 :]:
                findings.append(_unclosed(unclosed, at))
                depths[unclosed].pop()
            start = stack[depth][1]
            del stack[depth:]
            if opener in _NESTED and depths[opener]:
                inner_open, inner_close = _NESTED[opener]
                reason = f"嵌套时应外双内单：内层用{inner_open}{inner_close}"
                findings.append(Finding(start, start + 1, "brackets", "low", opener, inner_open, reason))
                findings.append(Finding(position, position + 1, "brackets", "low", char, inner_close, reason))
    findings.extend(_unclosed(c, at) for c, at in stack)
    if '"' in text:
        for line_start, line in _lines(text):
            findings.extend(_ascii_quotes(line, line_start))
    for match in _TITLE_MISUSE_RE.finditer(text):
        findings.append(
            Finding(
                match.start(),
                match.end(),
                "brackets",
                "low",
                match.group(),
                f"“{match.group(1)}”",
                "书名号不用于会议、活动、奖项、比赛的名称（GB/T 15834），可改用引号或不加标号",
            )
        )
    return findings


def _unclosed(char: str, at: int) -> Finding:
    return Finding(at, at + 1, "brackets", "medium", char, "", f"“{char}”缺少配对的“{_OPEN[char]}”")


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _ascii_quotes(line: str, line_start: int) -> list[Finding]:
    if '"' not in line:
        return []
    findings = []
    quotes = [i for i, c in enumerate(line) if c == '"']
    for n, i in enumerate(quotes):
        if is_cjk(_neighbour(line, i, -1)) or is_cjk(_neighbour(line, i + 1, +1)):
            mark = "“" if n % 2 == 0 else "”"
            findings.append(
                Finding(line_start + i, line_start + i + 1, "brackets", "low", '"', mark, "中文里应使用中文引号“”")
            )
    return findings


# --------------------------------------------------------------------------- punctuation

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_HALF_RE = re.compile(r"[,;:?!().]")
_URL_RE = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+")
_EMAIL_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}", re.ASCII)
_RUN_RE = re.compile(r"[!！?？。,，、;；:：.·]{2,}")
_RUN_CLASS = {"！": "!", "？": "?", "，": ",", "；": ";"}
_RUNS: dict[str, tuple[int, object, str]] = {  # class: (shortest wrong run, suggestion, reason)
    "!": (4, "！！！", "叹号连用不超过三个"),
    "?": (4, "？？？", "问号连用不超过三个"),
    "。": (2, lambda run: "……" if len(run) >= 3 else "。", "句号重复；省略号应为“……”"),
    ",": (2, "，", "逗号重复"),
    "、": (2, "、", "顿号重复"),
    ";": (2, "；", "分号重复"),
    "：": (2, "：", "冒号重复"),
    ".": (2, "……", "省略号应为“……”（六个点，两个字符）"),
    "·": (3, "……", "省略号应为“……”（六个点，两个字符）"),
}
_ELLIPSIS_RE = re.compile("…+")
_RANGE_RE = re.compile(r"(\d{1,4})-(\d{1,4})(?=[年月日号时点天周])")
_UNIT_RANGE_RE = re.compile(r"(\d{1,15}(?:\.\d{1,15})?)([～~—])(\d{1,15}(?:\.\d{1,15})?)(%|亿|万)")
_ORDINAL_RE = re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})、")
_CN_ORDINAL_RE = re.compile(r"(?m)^[ \t\u3000]*([一二三四五六七八九十]{1,3})[.．,，]")
_PAREN_ORDINAL_RE = re.compile(r"（[一二三四五六七八九十\d]{1,3}）[、.．,，]")


def punctuation(text: str) -> list[Finding]:
    findings: list[Finding] = []
    covered = bytearray(len(text) + 1)  # 1 where a URL, an e-mail address or a run already found is
    spans = [m.span() for m in _URL_RE.finditer(text)]
    if "@" in text:
        spans += [m.span() for m in _EMAIL_RE.finditer(text)]
    for span_start, span_end in spans:
        covered[span_start:span_end] = b"\x01" * (span_end - span_start)
    for match in _RUN_RE.finditer(text):
        start = match.start()
        for kind, chars in groupby(match.group(), key=lambda c: _RUN_CLASS.get(c, c)):
            run = "".join(chars)
            end = start + len(run)
            rule = _RUNS.get(kind)
            # dots count only beside Chinese ("wait..." in an English run is left alone)
            chinese = kind != "." or is_cjk(_neighbour(text, start, -1)) or is_cjk(_neighbour(text, end, +1))
            if rule and len(run) >= rule[0] and chinese and not covered[start]:
                suggestion = rule[1](run) if callable(rule[1]) else rule[1]
                findings.append(Finding(start, end, "punctuation", "low", run, suggestion, rule[2]))
                covered[start:end] = b"\x01" * (end - start)
            start = end
    for match in _ELLIPSIS_RE.finditer(text):
        if len(match.group()) % 2:
            reason = "省略号应为“……”（六个点，两个字符）"
            findings.append(Finding(*match.span(), "punctuation", "low", match.group(), "……", reason))
    for match in _HALF_RE.finditer(text):
        i = match.start()
        if covered[i]:
            continue
        char = match.group()
        before, after = _neighbour(text, i, -1), _neighbour(text, i + 1, +1)
        if char == ".":
            flag = is_cjk(before)
        elif char == ":" and before.isdigit() and after.isdigit():
            flag = False
        elif char in "()":
            flag = is_cjk(before) or is_cjk(after)
        else:  # after a Latin word or a number it belongs to that run ("Document: 国务院", "1,234")
            flag = is_cjk(before) or (is_cjk(after) and not _is_latin_or_digit(before))
        if flag:
            findings.append(
                Finding(i, i + 1, "punctuation", "low", char, _FULL[char], f"中文句子中应使用全角标点“{_FULL[char]}”")
            )
    for match in _RANGE_RE.finditer(text):
        before = text[match.start() - 1 : match.start()]
        if (before and before in "0123456789-/.") or covered[match.start()]:
            continue
        findings.append(
            Finding(
                match.start(),
                match.end(),
                "punctuation",
                "low",
                match.group(),
                f"{match.group(1)}—{match.group(2)}",
                "表示数值或时间范围用一字线“—”或浪纹线“～”，短横线“-”只用于编号和日期（GB/T 15834）",
            )
        )
    if "～" in text or "~" in text or "—" in text:
        for match in _UNIT_RANGE_RE.finditer(text):
            before = text[match.start() - 1 : match.start()]
            if before and (before.isdigit() or before == "."):
                continue
            low, dash, high, unit = match.groups()
            findings.append(
                Finding(
                    match.start(),
                    match.end(),
                    "punctuation",
                    "low",
                    match.group(),
                    f"{low}{unit}{dash}{high}{unit}",
                    "数值范围的两端都要带单位（9亿～16亿、15%～30%）（GB/T 15835）",
                )
            )
    for match in _ORDINAL_RE.finditer(text):
        start = match.start(1)
        findings.append(
            Finding(
                start,
                match.end(),
                "punctuation",
                "low",
                text[start : match.end()],
                f"{match.group(1)}.",
                "阿拉伯数字序号后用下脚点“.”，不用顿号",
            )
        )
    for match in _CN_ORDINAL_RE.finditer(text):
        start = match.start(1)
        findings.append(
            Finding(
                start,
                match.end(),
                "punctuation",
                "low",
                text[start : match.end()],
                f"{match.group(1)}、",
                "汉字数字序号后用顿号“、”",
            )
        )
    for match in _PAREN_ORDINAL_RE.finditer(text):
        findings.append(
            Finding(
                match.start(),
                match.end(),
                "punctuation",
                "low",
                match.group(),
                match.group()[:-1],
                "括号序号后不再加标点",
            )
        )
    return findings


# --------------------------------------------------------------------------- consistency

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_AR_TO_CN = "〇一二三四五六七八九"


def cn_small_number(word: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23 (0–99); ``None`` for anything else."""
    if not word:
        return None
    if "十" not in word:
        return _CN_DIGITS.get(word) if len(word) == 1 else None
    tens, _, units = word.partition("十")
    t = 1 if tens == "" else _CN_DIGITS.get(tens)
    u = 0 if units == "" else _CN_DIGITS.get(units)
    if t is None or u is None or len(tens) > 1 or len(units) > 1:
        return None
    return t * 10 + u


def cn_from_small(number: int) -> str:
    if number < 10:
        return _AR_TO_CN[number]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else _AR_TO_CN[tens]) + "十" + ("" if units == 0 else _AR_TO_CN[units])


_DATE_RE = re.compile(r"(\d{4})(?:年(\d{1,2})月(\d{1,2})日|([-/.])(\d{1,2})\4(\d{1,2}))")
_DATE_ORDER = ("年月日", "-", "/", ".")
_YEAR_MONTH_RE = re.compile(r"[\d〇零一二三四五六七八九十两几数每第]{1,6}[年月]")
_CN_YEAR_DIGITS = frozenset("〇零一二三四五六七八九")
_PERCENT_RE = re.compile(r"\d{1,15}(?:\.\d{1,15})?%")
_CN_PERCENT_RE = re.compile(r"百分之[零一二三四五六七八九十百点]+")


def _date_fix(style: str, y: str, m: str, d: str) -> str:
    if style == "年月日":
        return f"{y}年{int(m)}月{int(d)}日"
    return f"{y}{style}{int(m):02d}{style}{int(d):02d}"


def consistency(text: str) -> list[Finding]:
    """Flags the minority style where one text writes dates, years, months or percentages two ways."""
    findings: list[Finding] = []
    # dates: the style of most dates wins; on a tie the first of _DATE_ORDER (年月日) does
    dates = []
    for m in _DATE_RE.finditer(text):
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if before and before in "0123456789-/.":
            continue
        if m.group(2):
            dates.append(("年月日", m, (m.group(1), m.group(2), m.group(3))))
        elif not (after and after in "0123456789-/."):
            dates.append((m.group(4), m, (m.group(1), m.group(5), m.group(6))))
    counts = Counter(style for style, _, _ in dates)
    if len(counts) > 1:
        major = max(counts, key=lambda s: (counts[s], -_DATE_ORDER.index(s)))
        for style, m, parts in dates:
            if style != major:
                fix = _date_fix(major, *parts)
                findings.append(_style_finding(m, fix, f"同一文中日期写法不一致：多数写作“{fix}”这样的格式"))
    cn_years, ar_years, cn_months, ar_months = [], [], [], []
    for m in _YEAR_MONTH_RE.finditer(text):
        number, unit = m.group()[:-1], m.group()[-1]
        if unit == "年":
            if len(number) == 4 and number.isascii() and number.isdigit():
                if not text[m.start() - 1 : m.start()].isdigit():
                    ar_years.append(m)
            elif len(number) == 4 and _CN_YEAR_DIGITS.issuperset(number):
                cn_years.append(m)
        elif number.isascii() and number.isdigit():
            before = text[m.start() - 1 : m.start()]
            if len(number) <= 2 and 1 <= int(number) <= 12 and not (before and before in ".-/"):
                ar_months.append(m)
        elif cn_small_number(number) in range(1, 13) and "两" not in number and text[m.end() : m.end() + 1] != "饼":
            cn_months.append(m)
    month_reason = "同一文中月份写法不一致（汉字与阿拉伯数字混用）"
    if cn_months and ar_months:
        if len(cn_months) > len(ar_months):
            findings += [_style_finding(m, f"{cn_from_small(int(m.group()[:-1]))}月", month_reason) for m in ar_months]
        else:
            findings += [_style_finding(m, f"{cn_small_number(m.group()[:-1])}月", month_reason) for m in cn_months]
    if cn_years and ar_years:
        if len(cn_years) > len(ar_years):
            findings += [
                _style_finding(m, "".join(_AR_TO_CN[int(d)] for d in m.group()[:-1]) + "年", "同一文中年份写法不一致")
                for m in ar_years
            ]
        else:
            findings += [
                _style_finding(m, "".join(str(_CN_DIGITS[c]) for c in m.group()[:-1]) + "年", "同一文中年份写法不一致")
                for m in cn_years
            ]
    # percentages: 百分之三十 and 30%
    ar = list(_PERCENT_RE.finditer(text)) if "%" in text else []
    cn = list(_CN_PERCENT_RE.finditer(text)) if ar else []
    if cn and ar:
        minority = ar if len(cn) > len(ar) else cn
        findings += [_style_finding(m, "", "同一文中百分数写法不一致（汉字与阿拉伯数字混用）") for m in minority]
    return findings


def _style_finding(match: re.Match, suggestion: str, reason: str) -> Finding:
    return Finding(match.start(), match.end(), "consistency", "low", match.group(), suggestion, reason)


# --------------------------------------------------------------------------- 国家和地区

_REGIONS = ("香港", "澳门", "台湾")
_ITEM = r"[^\s、，,。；;！？!?：:“”\"（）()《》]{1,12}?"
_COUNTRIES_RE = re.compile(rf"((?:{_ITEM}、){{1,30}}{_ITEM})(等|等等)?(国家)(?!和地区|或地区|地区)")


def regions(text: str) -> list[Finding]:
    """A list that names 香港, 澳门 or 台湾 among countries must say 国家和地区, never only 国家."""
    if "国家" not in text or not any(region in text for region in _REGIONS):
        return []
    findings = []
    for match in _COUNTRIES_RE.finditer(text):
        if any(region in match.group(1) for region in _REGIONS):
            start, end = match.span(3)
            findings.append(
                Finding(
                    start,
                    end,
                    "formulation",
                    "high",
                    "国家",
                    "国家和地区",
                    "香港、澳门、台湾不是国家：与国家并列时应称“国家和地区”",
                )
            )
    return findings


# --------------------------------------------------------------------------- names and titles

_UNITS = (
    "",
    "区委",
    "区政府",
    "区人大常委会",
    "区政协",
    "区纪委",
    "区监委",
    "区委宣传部",
    "宣传部",
    "街道党工委",
    "街道办事处",
    "镇党委",
    "镇政府",
    "市委",
    "市政府",
    "县委",
    "县政府",
)
_BASES = (
    "书记",
    "区长",
    "县长",
    "市长",
    "镇长",
    "乡长",
    "主任",
    "部长",
    "局长",
    "主席",
    "处长",
    "科长",
    "秘书长",
    "院长",
    "检察长",
    "常委",
    "委员",
    "组长",
    "所长",
    "站长",
    "馆长",
    "校长",
    "社长",
    "台长",
    "总编辑",
)
_RANKS = ("", "副", "常务副", "代")
COMMON_TITLES: frozenset[str] = frozenset(unit + rank + base for unit in _UNITS for rank in _RANKS for base in _BASES)
_GAP = "[ \t\u3000]*"


class TitleRule:
    """Finds a name next to a title that is not one of the person's titles."""

    def __init__(self, names: Mapping[str, Sequence[str]]) -> None:
        self.names = {
            name.strip(): tuple(t.strip() for t in ([titles] if isinstance(titles, str) else titles) if t.strip())
            for name, titles in names.items()
            if name.strip()
        }
        self.names = {name: titles for name, titles in self.names.items() if titles}
        if not self.names:
            self._name_re = None
            return
        vocabulary = set(COMMON_TITLES)
        for titles in self.names.values():
            vocabulary.update(titles)
        alternation = "|".join(re.escape(t) for t in sorted(vocabulary, key=len, reverse=True))
        self._name_re = re.compile("|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True)))
        self._before_re = re.compile(f"(?:{alternation}){_GAP}$")
        self._after_re = re.compile(f"{_GAP}(?:{alternation})")
        self._window = max(len(t) for t in vocabulary) + 4

    def __call__(self, text: str) -> list[Finding]:
        if self._name_re is None:
            return []
        findings = []
        for match in self._name_re.finditer(text):
            name, start, end = match.group(), match.start(), match.end()
            titles = self.names[name]
            window_start = max(0, start - self._window)
            before = self._before_re.search(text, window_start, start)
            if before:
                title = before.group().strip(" \t\u3000")
                if not _compatible(title, titles):
                    findings.append(_title_finding(text, before.start(), end, title, titles[0] + name, name, titles))
            after = self._after_re.match(text, end, end + self._window)
            if after and after.group().strip(" \t\u3000"):
                title = after.group().strip(" \t\u3000")
                if not _compatible(title, titles):
                    findings.append(_title_finding(text, start, after.end(), title, name + titles[0], name, titles))
        return findings


def _compatible(title: str, titles: Sequence[str]) -> bool:
    for right in titles:
        if title == right:
            return True
        if right.endswith(title) and not right[: -len(title)].endswith("副"):  # 书记 for 区委书记
            return True
        if title.endswith(right) and not title[: -len(right)].endswith("副"):  # 区委书记 for 书记
            return True
    return False


def _title_finding(
    text: str, start: int, end: int, title: str, suggestion: str, name: str, titles: Sequence[str]
) -> Finding:
    return Finding(
        start,
        end,
        "name_title",
        "high",
        text[start:end],
        suggestion,
        f"{name}的职务是{'、'.join(titles)}，不是“{title}”",
    )


__all__ = ["CJK", "TitleRule", "brackets", "consistency", "placeholders", "punctuation", "regions"]
