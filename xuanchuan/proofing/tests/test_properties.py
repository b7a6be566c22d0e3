"""Properties over generated text: offsets point into the original, results are sorted, allow works."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuanchuan.proofing import KINDS, SEVERITIES, Checker, default_terms

CHECKER = Checker(default_terms(), names={"张三": ["区长"]})

PIECES = [
    "扫黑除恶",
    "打黑除恶",
    "扫H除E",
    "扫",
    "黑",
    "除",
    "恶",
    "再接再励",
    "帐号",
    "张三",
    "副区长",
    "区长",
    "×",
    "XX",
    "ＸＸ",
    "□",
    "202",
    "3",
    "年",
    "月",
    "日",
    "-",
    ".",
    ",",
    ":",
    "!",
    "！",
    "。",
    "，",
    "…",
    "“",
    "”",
    "‘",
    "’",
    "《",
    "》",
    "〈",
    "〉",
    "（",
    "）",
    "【",
    "】",
    '"',
    "(",
    ")",
    " ",
    "\u3000",
    "\n",
    "\u200b",
    "\ufeff",
    "Ｈ",
    "ｅ",
    "a",
    "B",
    "SB",
    "的",
    "会议",
    "百分之三十",
    "30%",
    "三月",
    "2025-03-05",
    "\U00020000",
    "é",
    "ﬁ",
    "İ",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_offsets_point_into_the_original_text(text):
    findings = CHECKER.check(text)
    assert findings == sorted(findings, key=lambda f: (f.start, f.end, f.kind))
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.kind in KINDS and f.severity in SEVERITIES
        assert isinstance(f.suggestion, str) and f.reason


@settings(max_examples=150, deadline=None)
@given(texts)
def test_allowing_every_finding_leaves_nothing(text):
    findings = CHECKER.check(text)
    assert CHECKER.check(text, allow=[(f.kind, f.text) for f in findings]) == []
