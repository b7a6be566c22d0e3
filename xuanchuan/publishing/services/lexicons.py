"""Writes to what staff keep for proofreading: lexicon entries (add, edit, disable/enable, silence
or change a shipped default term, Excel import), the allow-list ("不是错误", for one publication
or site-wide) and the leaders' names and titles.

Every write checks the permission first, runs in one transaction, stamps who made it (the audit
trail keeps the before and after) and, once done, bumps the proofreading checker's version so every
process rebuilds its automata on its next check (``publishing.proofreading.bump``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.publishing import proofreading
from xuanchuan.publishing.models import (
    AllowedFinding,
    AllowScope,
    EntryKind,
    EntrySource,
    LexiconEntry,
    NameTitle,
    Publication,
    Severity,
)
from xuanchuan.publishing.permissions import may_edit_lexicons, may_review

TERM_MAX = LexiconEntry._meta.get_field("term").max_length
SUGGESTION_MAX = LexiconEntry._meta.get_field("suggestion").max_length
CATEGORY_MAX = LexiconEntry._meta.get_field("category").max_length
REASON_MAX = LexiconEntry._meta.get_field("reason").max_length
ALLOW_TEXT_MAX = AllowedFinding._meta.get_field("text").max_length
NAME_MAX = NameTitle._meta.get_field("name").max_length
TITLES_MAX = NameTitle._meta.get_field("titles").max_length


def _clean(value: Any, limit: int, label: str, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ServiceError(_("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise ServiceError(_("%(label)s不能超过 %(limit)d 个字。") % {"label": label, "limit": limit})
    return text


def _kind(value: str) -> str:
    if value not in EntryKind.values:
        raise ServiceError(_("类别只能是：%(choices)s。") % {"choices": "、".join(map(str, EntryKind.labels))})
    return value


def _severity(value: str) -> str:
    value = value or Severity.MEDIUM
    if value not in Severity.values:
        raise ServiceError(_("严重程度只能是高、中、低。"))
    return value


def _changed() -> None:
    """A lexicon or names-and-titles change: every process rebuilds its checker."""
    proofreading.CHECKER.bump()


def _allow_changed() -> None:
    """An allow-list change: every process reloads the site allow-list (the automata stay)."""
    proofreading.SITE_ALLOW.bump()


# --- Lexicon entries ----------------------------------------------------------------------------------


def _entry_fields(data: dict[str, Any]) -> dict[str, str]:
    return {
        "kind": _kind(str(data.get("kind") or "")),
        "term": _clean(data.get("term"), TERM_MAX, _("词语"), required=True),
        "suggestion": _clean(data.get("suggestion"), SUGGESTION_MAX, _("建议改为")),
        "category": _clean(data.get("category"), CATEGORY_MAX, _("分类")),
        "severity": _severity(str(data.get("severity") or "")),
        "reason": _clean(data.get("reason"), REASON_MAX, _("说明")),
    }


def _duplicate(kind: str, term: str, exclude: int | None = None) -> None:
    found = LexiconEntry.objects.filter(kind=kind, term=term).exclude(pk=exclude).first()
    if found is None:
        return
    if found.source == EntrySource.DEFAULT:
        raise ServiceError(_("“%(term)s”是系统默认词条，请在“默认词库”中修改或停用。") % {"term": term})
    raise ServiceError(
        _("词库中已有“%(term)s”（%(kind)s），请直接修改那一条。") % {"term": term, "kind": found.get_kind_display()}
    )


def add_entry(*, by: Any, **data: Any) -> LexiconEntry:
    """A term staff add (``kind``, ``term``, ``suggestion``, ``category``, ``severity``, ``reason``)."""
    require(may_edit_lexicons(by))
    fields = _entry_fields(data)
    with transaction.atomic():
        _duplicate(fields["kind"], fields["term"])
        try:
            with transaction.atomic():
                entry = LexiconEntry.objects.create(**fields, source=EntrySource.STAFF, created_by=by, updated_by=by)
        except IntegrityError as exc:  # added at the same moment by someone else
            raise ServiceError(_("词库中已有“%(term)s”。") % {"term": fields["term"]}) from exc
        _changed()
    return entry


def update_entry(entry: LexiconEntry, *, by: Any, **data: Any) -> LexiconEntry:
    """Change an entry's words; a default term's row keeps its word and kind (only how it is flagged)."""
    require(may_edit_lexicons(by))
    fields = _entry_fields(data)
    with transaction.atomic():
        entry = LexiconEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.source == EntrySource.DEFAULT:
            fields["kind"], fields["term"] = entry.kind, entry.term
        _duplicate(fields["kind"], fields["term"], exclude=entry.pk)
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_by = by
        entry.save()
        _changed()
    return entry


def set_entry_active(entry: LexiconEntry, active: bool, *, by: Any) -> LexiconEntry:
    """Disable (silence) or enable an entry again."""
    require(may_edit_lexicons(by))
    with transaction.atomic():
        entry = LexiconEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.is_active == active:
            raise ServiceError(_("这个词条已经启用。") if active else _("这个词条已经停用。"))
        entry.is_active = active
        entry.updated_by = by
        entry.save()
        _changed()
    return entry


def shipped_term(kind: str, term: str) -> Any:
    """The shipped default term ``(kind, term)``, or ``None``."""
    from xuanchuan.proofing import default_terms

    for shipped in default_terms():
        if shipped.kind == kind and shipped.term == term:
            return shipped
    return None


def set_default_term(kind: str, term: str, *, active: bool, by: Any, severity: str = "") -> LexiconEntry:
    """Silence (``active=False``) a shipped default term, or turn it on again, through its
    ``source=default`` row (made on first use, with the shipped words)."""
    require(may_edit_lexicons(by))
    shipped = shipped_term(kind, term)
    if shipped is None:
        raise ServiceError(_("系统默认词库中没有“%(term)s”。") % {"term": term[:TERM_MAX]})
    severity = _severity(severity) if severity else ""
    with transaction.atomic():
        entry = LexiconEntry.objects.select_for_update().filter(kind=kind, term=term).first()
        if entry is not None and entry.source != EntrySource.DEFAULT:
            raise ServiceError(_("“%(term)s”已由人工词条替代，请修改或停用那一条。") % {"term": term})
        if entry is None:
            entry = LexiconEntry(
                kind=kind,
                term=term,
                source=EntrySource.DEFAULT,
                suggestion=shipped.suggestion[:SUGGESTION_MAX],
                category=shipped.category[:CATEGORY_MAX],
                severity=shipped.severity if shipped.severity in Severity.values else Severity.MEDIUM,
                reason=shipped.reason[:REASON_MAX],
                created_by=by,
            )
        entry.is_active = active
        if severity:
            entry.severity = severity
        entry.updated_by = by
        entry.save()
        _changed()
    return entry


# --- Excel import -----------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("词语", "类别", "建议改为", "分类", "严重程度", "说明")
REQUIRED_COLUMNS = ("词语", "类别")
COLUMN_FIELDS = {
    "词语": "term",
    "类别": "kind",
    "建议改为": "suggestion",
    "分类": "category",
    "严重程度": "severity",
    "说明": "reason",
}
MAX_IMPORT_ERRORS = 50


def _choice(value: str, choices: Any) -> str | None:
    value = value.strip()
    for code, label in choices.choices:
        if value in (code, str(label)):
            return code
    return None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return _("新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_import(rows: Sequence[Sequence[str]]) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of an import sheet as entry fields, and the errors (row and column, in Chinese)."""
    if not rows:
        return [], [_("文件中没有数据。")]
    header = [str(cell).strip() for cell in rows[0]]
    positions = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        return [], [
            _("第 1 行应为表头，缺少“%(columns)s”列（列依次为：%(all)s）。")
            % {"columns": "”“".join(missing), "all": "、".join(IMPORT_COLUMNS)}
        ]
    parsed: list[dict[str, str]] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    limits = {
        "term": TERM_MAX,
        "suggestion": SUGGESTION_MAX,
        "category": CATEGORY_MAX,
        "reason": REASON_MAX,
        "kind": 30,
        "severity": 10,
    }
    for number, row in enumerate(rows[1:], start=2):

        def cell(name: str, row: Sequence[str] = row) -> str:
            index = positions.get(name)
            return " ".join(str(row[index]).split()) if index is not None and index < len(row) else ""

        def error(name: str, message: str, number: int = number) -> None:
            where = _column_letter(positions[name]) if name in positions else ""
            errors.append(
                _("第 %(row)d 行“%(column)s”列（%(letter)s 列）：%(message)s")
                % {"row": number, "column": name, "letter": where, "message": message}
            )

        values = {COLUMN_FIELDS[name]: cell(name) for name in IMPORT_COLUMNS}
        if not any(values.values()):
            continue
        ok = True
        for name in IMPORT_COLUMNS:
            key = COLUMN_FIELDS[name]
            if len(values[key]) > limits[key]:
                error(name, _("不能超过 %(limit)d 个字。") % {"limit": limits[key]})
                ok = False
        if not values["term"]:
            error("词语", _("不能为空。"))
            ok = False
        kind = _choice(values["kind"], EntryKind)
        if kind is None:
            error("类别", _("应为 %(choices)s 之一。") % {"choices": "、".join(map(str, EntryKind.labels))})
            ok = False
        severity = _choice(values["severity"], Severity) if values["severity"] else Severity.MEDIUM
        if severity is None:
            error("严重程度", _("应为 高、中、低 之一。"))
            ok = False
        if ok:
            key = (kind, values["term"])
            if key in seen:
                error("词语", _("与第 %(row)d 行重复。") % {"row": seen[key]})
                ok = False
            seen[key] = number
        if ok:
            parsed.append({**values, "kind": kind, "severity": severity})
        if len(errors) >= MAX_IMPORT_ERRORS:
            errors.append(_("错误过多，只列出前 %(count)d 条。") % {"count": MAX_IMPORT_ERRORS})
            break
    if not parsed and not errors:
        errors.append(_("文件中除表头外没有数据。"))
    return parsed, errors


def import_entries(data: bytes, *, by: Any) -> ImportResult:
    """Import an Excel sheet of entries: all or nothing; importing the same file again changes
    nothing. Existing entries (same 类别 and 词语) get the file's words; their 启用 stays as is."""
    from xuanchuan.core.uploads import xlsx_rows

    require(may_edit_lexicons(by))
    parsed, errors = parse_import(xlsx_rows(data))
    if errors:
        raise ServiceError(errors)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            (entry.kind, entry.term): entry
            for entry in LexiconEntry.objects.select_for_update().filter(term__in=[row["term"] for row in parsed])
        }
        fields = ("suggestion", "category", "severity", "reason")
        for row in parsed:
            entry = existing.get((row["kind"], row["term"]))
            if entry is None:
                LexiconEntry.objects.create(**row, source=EntrySource.IMPORT, created_by=by, updated_by=by)
                result.created += 1
            elif all(getattr(entry, name) == row[name] for name in fields):
                result.unchanged += 1
            else:
                for name in fields:
                    setattr(entry, name, row[name])
                entry.updated_by = by
                entry.save()
                result.updated += 1
        if result.created or result.updated:
            _changed()
    return result


# --- Allow-list ---------------------------------------------------------------------------------------------


def may_allow_for(user: Any, publication: Publication) -> bool:
    """The publication's author, its reviewers and the lexicon keepers may mark one of its findings
    "not an error" — if they see the publication at all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not Publication.objects.visible_to(user).filter(pk=publication.pk).exists():
        return False
    return publication.created_by_id == user.pk or may_review(user) or may_edit_lexicons(user)


def allow_finding(
    *, kind: str, text: str, by: Any, publication: Publication | None = None, reason: str = ""
) -> AllowedFinding:
    """Mark a finding "not an error": site-wide (lexicon keepers) or for one publication."""
    if publication is None:
        require(may_edit_lexicons(by))
    else:
        require(may_allow_for(by, publication))
    kind = _clean(kind, 30, _("问题类别"), required=True)
    if kind not in proofreading.KIND_LABELS:
        raise ServiceError(_("未知的问题类别。"))
    text = str(text or "")
    if not text.strip():
        raise ServiceError(_("请指明哪段文字不是错误。"))
    if len(text) > ALLOW_TEXT_MAX:
        raise ServiceError(_("标记的文字不能超过 %(limit)d 个字。") % {"limit": ALLOW_TEXT_MAX})
    reason = _clean(reason, REASON_MAX, _("说明"))
    scope = AllowScope.SITE if publication is None else AllowScope.PUBLICATION
    with transaction.atomic():
        found = AllowedFinding.objects.filter(scope=scope, publication=publication, kind=kind, text=text).first()
        if found is not None:
            raise ServiceError(_("“%(text)s”已标记为不是错误。") % {"text": text})
        try:
            with transaction.atomic():
                entry = AllowedFinding.objects.create(
                    scope=scope, publication=publication, kind=kind, text=text, reason=reason, created_by=by
                )
        except IntegrityError as exc:
            raise ServiceError(_("“%(text)s”已标记为不是错误。") % {"text": text}) from exc
        _allow_changed()
    return entry


def may_remove_allowed(user: Any, entry: AllowedFinding) -> bool:
    if entry.scope == AllowScope.SITE:
        return may_edit_lexicons(user)
    return may_allow_for(user, entry.publication)


def remove_allowed(entry: AllowedFinding, *, by: Any) -> None:
    """Take a finding off the allow-list: it is flagged again from the next check."""
    require(may_remove_allowed(by, entry))
    with transaction.atomic():
        deleted, _rows = AllowedFinding.objects.filter(pk=entry.pk).delete()
        if not deleted:
            raise ServiceError(_("这条标记已被删除。"))
        _allow_changed()


# --- Names and titles --------------------------------------------------------------------------------------


def _name_fields(name: Any, titles: Any) -> dict[str, str]:
    name = _clean(name, NAME_MAX, _("姓名"), required=True).replace(" ", "")
    titles = _clean(titles, TITLES_MAX, _("现任职务"), required=True)
    if not proofreading.split_titles(titles):
        raise ServiceError(_("请填写现任职务。"))
    return {"name": name, "titles": "、".join(proofreading.split_titles(titles))}


def add_name(*, name: str, titles: str, by: Any) -> NameTitle:
    """A leader's name with their current titles (several separated by 、 or spaces)."""
    require(may_edit_lexicons(by))
    fields = _name_fields(name, titles)
    with transaction.atomic():
        if NameTitle.objects.filter(name=fields["name"]).exists():
            raise ServiceError(_("名单中已有“%(name)s”，请直接修改那一条。") % {"name": fields["name"]})
        try:
            with transaction.atomic():
                row = NameTitle.objects.create(**fields, updated_by=by)
        except IntegrityError as exc:
            raise ServiceError(_("名单中已有“%(name)s”。") % {"name": fields["name"]}) from exc
        _changed()
    return row


def update_name(row: NameTitle, *, name: str, titles: str, by: Any) -> NameTitle:
    require(may_edit_lexicons(by))
    fields = _name_fields(name, titles)
    with transaction.atomic():
        row = NameTitle.objects.select_for_update().get(pk=row.pk)
        if NameTitle.objects.filter(name=fields["name"]).exclude(pk=row.pk).exists():
            raise ServiceError(_("名单中已有“%(name)s”。") % {"name": fields["name"]})
        row.name, row.titles, row.updated_by = fields["name"], fields["titles"], by
        row.save()
        _changed()
    return row


def set_name_active(row: NameTitle, active: bool, *, by: Any) -> NameTitle:
    require(may_edit_lexicons(by))
    with transaction.atomic():
        row = NameTitle.objects.select_for_update().get(pk=row.pk)
        if row.is_active == active:
            raise ServiceError(_("这一条已经启用。") if active else _("这一条已经停用。"))
        row.is_active, row.updated_by = active, by
        row.save()
        _changed()
    return row


NAME_COLUMNS = ("姓名", "现任职务")


def parse_name_import(rows: Sequence[Sequence[str]]) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of a names-and-titles sheet (姓名, 现任职务) and the errors (row and column)."""
    if not rows:
        return [], [_("文件中没有数据。")]
    header = [str(cell).strip() for cell in rows[0]]
    missing = [name for name in NAME_COLUMNS if name not in header]
    if missing:
        return [], [
            _("第 1 行应为表头，缺少“%(columns)s”列（列为：%(all)s）。")
            % {"columns": "”“".join(missing), "all": "、".join(NAME_COLUMNS)}
        ]
    positions = {name: header.index(name) for name in NAME_COLUMNS}
    parsed: list[dict[str, str]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        values = {
            name: (" ".join(str(row[index]).split()) if index < len(row) else "") for name, index in positions.items()
        }
        if not any(values.values()):
            continue
        try:
            fields = _name_fields(values["姓名"], values["现任职务"])
        except ServiceError as exc:
            column = "姓名" if not values["姓名"] or len(values["姓名"]) > NAME_MAX else "现任职务"
            errors.append(
                _("第 %(row)d 行“%(column)s”列（%(letter)s 列）：%(message)s")
                % {
                    "row": number,
                    "column": column,
                    "letter": _column_letter(positions[column]),
                    "message": refusal(exc),
                }
            )
            continue
        if fields["name"] in seen:
            errors.append(
                _("第 %(row)d 行“姓名”列（%(letter)s 列）：与第 %(other)d 行重复。")
                % {"row": number, "letter": _column_letter(positions["姓名"]), "other": seen[fields["name"]]}
            )
            continue
        seen[fields["name"]] = number
        parsed.append(fields)
        if len(errors) >= MAX_IMPORT_ERRORS:
            break
    if not parsed and not errors:
        errors.append(_("文件中除表头外没有数据。"))
    return parsed, errors


def refusal(exc: ServiceError) -> str:
    return "；".join(str(message) for message in exc.messages)


def import_names(data: bytes, *, by: Any) -> ImportResult:
    """Import names and titles from Excel: all or nothing; the same file again changes nothing.
    A name already listed gets the file's titles (its 启用 stays as is)."""
    from xuanchuan.core.uploads import xlsx_rows

    require(may_edit_lexicons(by))
    parsed, errors = parse_name_import(xlsx_rows(data))
    if errors:
        raise ServiceError(errors)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            row.name: row
            for row in NameTitle.objects.select_for_update().filter(name__in=[item["name"] for item in parsed])
        }
        for item in parsed:
            row = existing.get(item["name"])
            if row is None:
                NameTitle.objects.create(**item, updated_by=by)
                result.created += 1
            elif row.titles == item["titles"]:
                result.unchanged += 1
            else:
                row.titles, row.updated_by = item["titles"], by
                row.save()
                result.updated += 1
        if result.created or result.updated:
            _changed()
    return result
