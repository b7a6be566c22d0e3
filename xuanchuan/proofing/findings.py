"""The two value types of the engine: a lexicon entry (``Term``) and a result (``Finding``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: Every kind of finding ``check()`` can return.
KINDS: tuple[str, ...] = (
    "sensitive",  # 敏感词、禁用词、慎用词
    "formulation",  # 不规范的政治和公文表述（含字母、谐音、全角半角、插入空格等变体写法）
    "misused",  # 常见错别字、易混淆词
    "placeholder",  # 未填写的占位符 ×、XX、□、202×
    "brackets",  # 引号、括号、书名号不成对或用法错误
    "punctuation",  # 中文句中的半角标点、重复标点、GB/T 15834 其他要求
    "consistency",  # 同一文中数字、日期写法不一致
    "name_title",  # 领导姓名与职务不符
)

#: Severities, from the most serious.
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")

#: The kinds a lexicon entry (``Term``) may have.
LEXICON_KINDS: tuple[str, ...] = ("sensitive", "formulation", "misused")


@dataclass(frozen=True)
class Finding:
    """One problem in a text: ``text[start:end] == finding.text`` (offsets into the original string)."""

    start: int
    end: int
    kind: str
    severity: str
    text: str
    suggestion: str
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Term:
    """A lexicon entry: ``term`` is what is found, ``suggestion`` what should be written instead.

    ``kind`` is one of ``LEXICON_KINDS``. An entry whose suggestion equals its term is a standard
    form that is only looked for in disguised spellings (扫H除E, 扫 黑 除 恶).
    """

    term: str
    kind: str
    suggestion: str = ""
    category: str = ""
    severity: str = "medium"
    reason: str = ""

    def __post_init__(self) -> None:
        if self.kind not in LEXICON_KINDS:
            raise ValueError(f"词条类型必须是 {'、'.join(LEXICON_KINDS)} 之一：{self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"严重程度必须是 {'、'.join(SEVERITIES)} 之一：{self.severity!r}")
        if not self.term or not self.term.strip():
            raise ValueError("词条不能为空")
