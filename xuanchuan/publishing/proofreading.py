"""The bridge between the proofreading engine (``xuanchuan.proofing``, no Django) and what staff
keep in the platform: the lexicon entries, the allow-list and the leaders' names and titles.

- ``checker()`` is the engine's ``Checker`` built from the shipped default terms (minus the ones a
  ``source=default`` entry disables, with the severity or suggestion such an entry changes), the
  active entries staff added or imported, and the active names-and-titles rows. Building it
  compiles the automata, so it is kept per process in a ``VersionedMemo``; every lexicon service
  write calls ``bump()``, so every process rebuilds on its next check, without a restart.
- ``check_text(text, publication=)`` is what pages, the API, the review and the command call: the
  checker's findings minus the site-wide allow-list and that publication's allow-list.
- ``blocking(findings)``: the high-severity ones (they block a review approval unless overridden).
- ``highlight(text, findings)``: the text as safe HTML with every finding marked, for inline display;
  ``findings_context(text, findings)`` the context ``publishing/proofreading/_findings.html`` takes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.memo import VersionedMemo
from xuanchuan.proofing import Checker, Finding, Term, default_terms

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "sensitive": _("敏感词"),
    "formulation": _("规范表述"),
    "misused": _("易错词"),
    "placeholder": _("未填占位符"),
    "brackets": _("引号括号"),
    "punctuation": _("标点"),
    "consistency": _("前后不一致"),
    "name_title": _("姓名职务"),
}
SEVERITY_LABELS = {"high": _("高"), "medium": _("中"), "low": _("低")}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
# The longest text one check takes (page, API, command) and the largest file the page reads.
MAX_TEXT_CHARS = 50_000
MAX_FILE_BYTES = 2 * 1024 * 1024
TITLE_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def split_titles(titles: str) -> list[str]:
    """A names-and-titles row's titles: "区长、区委副书记" → ["区长", "区委副书记"]."""
    return [title for title in TITLE_SEPARATORS.split(titles or "") if title]


def _entry_term(entry: Any) -> Term:
    return Term(
        entry.term,
        entry.kind,
        suggestion=entry.suggestion,
        category=entry.category,
        severity=entry.severity,
        reason=entry.reason,
    )


def build_terms() -> list[Term]:
    """The terms the checker uses: defaults as staff changed them, then staff's own entries."""
    from xuanchuan.publishing.models import EntrySource, LexiconEntry

    entries = list(LexiconEntry.objects.all())
    overrides = {(entry.kind, entry.term): entry for entry in entries if entry.source == EntrySource.DEFAULT}
    own = {(entry.kind, entry.term): entry for entry in entries if entry.source != EntrySource.DEFAULT}
    terms: list[Term] = []
    for term in default_terms():
        key = (term.kind, term.term)
        if key in own:
            continue  # staff's own entry for the same word replaces the shipped one
        entry = overrides.get(key)
        if entry is None:
            terms.append(term)
        elif entry.is_active:
            terms.append(
                replace(
                    term,
                    severity=entry.severity or term.severity,
                    suggestion=entry.suggestion or term.suggestion,
                    reason=entry.reason or term.reason,
                    category=entry.category or term.category,
                )
            )
    for entry in own.values():
        if not entry.is_active:
            continue
        try:
            terms.append(_entry_term(entry))
        except ValueError:
            # A row the services would have refused (written by hand): skipped, not a broken checker.
            logger.warning("proofreading: lexicon entry %s skipped (invalid kind, severity or term)", entry.pk)
    return terms


def build_names() -> dict[str, list[str]]:
    from xuanchuan.publishing.models import NameTitle

    rows = NameTitle.objects.filter(is_active=True).values_list("name", "titles")
    return {name: split_titles(titles) for name, titles in rows if split_titles(titles)}


def build_checker() -> Checker:
    return Checker(build_terms(), names=build_names())


def load_site_allow() -> frozenset[tuple[str, str]]:
    from xuanchuan.publishing.models import AllowedFinding, AllowScope

    return frozenset(AllowedFinding.objects.filter(scope=AllowScope.SITE).values_list("kind", "text"))


CHECKER = VersionedMemo("publishing.proofreading.checker", build_checker)
SITE_ALLOW = VersionedMemo("publishing.proofreading.site_allow", load_site_allow)


def checker() -> Checker:
    """The process's checker, rebuilt when a lexicon or names-and-titles change was made anywhere."""
    return CHECKER.get()


def bump() -> None:
    """Tell every process that the lexicons, names or allow-list changed (the services call this)."""
    CHECKER.bump()
    SITE_ALLOW.bump()


def allowed_for(publication: Any = None) -> set[tuple[str, str]]:
    """The (kind, text) pairs marked "not an error" site-wide and, with a publication, for it."""
    allow = set(SITE_ALLOW.get())
    if publication is not None and getattr(publication, "pk", None):
        from xuanchuan.publishing.models import AllowedFinding, AllowScope

        allow |= set(
            AllowedFinding.objects.filter(scope=AllowScope.PUBLICATION, publication=publication).values_list(
                "kind", "text"
            )
        )
    return allow


def check_text(text: str, *, publication: Any = None) -> list[Finding]:
    """The findings in ``text`` that are not on the site's or the publication's allow-list."""
    if not text:
        return []
    return checker().check(text, allow=allowed_for(publication))


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The high-severity findings: one of them blocks a review approval unless overridden."""
    return [finding for finding in findings if finding.severity == "high"]


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))


def _title(finding: Finding) -> str:
    parts = [f"{kind_label(finding.kind)}（{severity_label(finding.severity)}）"]
    if finding.suggestion:
        parts.append(f"→ {finding.suggestion}")
    if finding.reason:
        parts.append(finding.reason)
    return " ".join(parts)


def highlight(text: str, findings: Sequence[Finding]) -> SafeString:
    """``text`` HTML-escaped, each finding wrapped in ``<mark class="pf pf-{severity}" data-i=…>``.

    Findings may overlap: the text is cut at every start and end, and each piece inside one or
    more findings is marked with the most severe of them (then the earliest), so marks never nest
    and every character is shown once. ``data-i`` is the finding's index in ``findings``;
    ``data-all`` lists every finding covering the piece.
    """
    size = len(text)
    spans = [
        (max(0, f.start), min(size, f.end), index) for index, f in enumerate(findings) if 0 <= f.start < f.end <= size
    ]
    cuts = sorted({0, size, *(start for start, _end, _i in spans), *(end for _start, end, _i in spans)})
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for start, end, index in spans:
        starting.setdefault(start, []).append(index)
        ending.setdefault(end, []).append(index)
    active: set[int] = set()
    titles: dict[int, str] = {}
    html: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        active.difference_update(ending.get(left, ()))
        active.update(starting.get(left, ()))
        piece = text[left:right]
        if not active:
            html.append(escape(piece))
            continue
        covering = sorted(active)
        top = min(covering, key=lambda index: (SEVERITY_RANK.get(findings[index].severity, 3), index))
        if top not in titles:
            titles[top] = escape(_title(findings[top]))
        html.append(
            f'<mark class="pf pf-{escape(findings[top].severity)}" data-i="{top}" '
            f'data-all="{" ".join(map(str, covering))}" title="{titles[top]}">{escape(piece)}</mark>'
        )
    return mark_safe("".join(html))  # noqa: S308 (every piece above is escaped)


@dataclass(frozen=True)
class FindingRow:
    """A finding as the findings list shows it."""

    index: int
    finding: Finding
    kind_label: str
    severity_label: str
    line: int
    column: int

    @property
    def key(self) -> str:
        """What a page posts to name this finding again: its place and kind."""
        return f"{self.finding.start}:{self.finding.end}:{self.finding.kind}"


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def finding_rows(text: str, findings: Sequence[Finding]) -> list[FindingRow]:
    from bisect import bisect_right

    breaks = [index for index, char in enumerate(text) if char == "\n"]
    rows = []
    for index, finding in enumerate(findings):
        line = bisect_right(breaks, finding.start - 1)  # line breaks before the finding
        column = finding.start - (breaks[line - 1] + 1 if line else 0) + 1
        rows.append(
            FindingRow(index, finding, kind_label(finding.kind), severity_label(finding.severity), line + 1, column)
        )
    return rows


def findings_context(text: str, findings: Sequence[Finding]) -> dict[str, Any]:
    """What ``{% include "publishing/proofreading/_findings.html" %}`` needs: ``text``,
    ``findings``, ``highlighted`` (the marked text) and ``finding_rows``."""
    return {
        "text": text,
        "findings": list(findings),
        "highlighted": highlight(text, findings),
        "finding_rows": finding_rows(text, findings),
        "blocking_count": len(blocking(findings)),
    }


def find_again(text: str, key: str, findings: Sequence[Finding]) -> Finding | None:
    """The finding ``key`` (``start:end:kind``, from ``FindingRow.key``) names among ``findings``."""
    for finding in findings:
        if f"{finding.start}:{finding.end}:{finding.kind}" == key:
            return finding
    return None


def apply_suggestion(text: str, finding: Finding) -> str:
    """``text`` with ``finding``'s matched text replaced by its suggestion (unchanged if there is
    none, or if the text at that place is no longer what was found)."""
    if not finding.suggestion or text[finding.start : finding.end] != finding.text:
        return text
    return text[: finding.start] + finding.suggestion + text[finding.end :]


def read_document(name: str, data: bytes, *, limits: bool = True) -> str:
    """The text of an uploaded or given file: .txt in UTF-8 or GB18030, .docx paragraphs (and
    table cells) one per line. Anything else, or a file that cannot be read, is a ``ServiceError``.
    ``limits`` (the page and the API) refuses a file over 2 MB or a text over ``MAX_TEXT_CHARS``."""
    from xuanchuan.core.services import ServiceError

    lower = (name or "").lower()
    if limits and len(data) > MAX_FILE_BYTES:
        raise ServiceError(_("文件不能超过 2 MB。"))
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ServiceError(_("无法识别文本文件的编码，请另存为 UTF-8 或 GB18030 编码后再试。"))
        if "\x00" in text:
            raise ServiceError(_("这不是文本文件，无法读取。"))
    elif lower.endswith(".docx"):
        text = _docx_text(data)
    else:
        raise ServiceError(_("只能校对 .txt 或 .docx 文件。"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if limits and len(text) > MAX_TEXT_CHARS:
        raise ServiceError(_("文字超过 %(limit)d 个字符，请分段校对。") % {"limit": MAX_TEXT_CHARS})
    return text


def _docx_text(data: bytes) -> str:
    import io

    from xuanchuan.core.services import ServiceError
    from xuanchuan.core.uploads import check_archive

    check_archive(data)
    try:
        from docx import Document

        document = Document(io.BytesIO(data))
        lines = [paragraph.text for paragraph in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines += [cell.text for cell in row.cells]
    except Exception as exc:  # noqa: BLE001 (any unreadable document gets the same answer)
        raise ServiceError(_("无法读取这个 Word 文件，请另存为 .docx 后再试。")) from exc
    return "\n".join(lines)


def register_audit() -> None:
    """Put the three models under the audit trail (who changed what); called from ``apps.ready``."""
    from xuanchuan.core.audit import register_for_audit
    from xuanchuan.publishing.models import AllowedFinding, LexiconEntry, NameTitle

    for model in (LexiconEntry, AllowedFinding, NameTitle):
        register_for_audit(model)
