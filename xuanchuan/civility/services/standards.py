"""Writes of the civility app's standards part: versions of the category standard (copy, Excel
import, make current), their categories, places (点位) and responsibilities (包街、包帮、包点).

Every function takes the acting user as ``by=``, checks ``may_manage_standards`` first, then the
user's scope, then the rules (``ServiceError``), in one transaction.

The units a place lies in and the units answering for places are chosen from the whole district:
keeping the district's list is the civility office's work (its inspectors sit in one department
and assign streets and other departments).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.civility.models import Assignment, AssignmentKind, Category, Place, PlaceKind, Severity, Standard
from xuanchuan.civility.permissions import may_manage_standards
from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.uploads import xlsx_rows
from xuanchuan.org.models import Unit, User

IMPORT_COLUMNS = ("代码", "名称", "大类", "默认严重程度", "整改期限（天）", "说明")
MAX_DEADLINE_DAYS = 365
CATEGORY_FIELDS = ("name", "group", "default_severity", "deadline_days", "description", "position", "is_active")


def _require_manager(by: User) -> None:
    require(may_manage_standards(by))


def _require_place(place: Place, by: User) -> Place:
    """The place as the acting user sees it, locked; not seen = not there."""
    try:
        return Place.objects.visible_to(by).select_for_update(of=("self",)).get(pk=place.pk)
    except Place.DoesNotExist:
        raise ServiceError(_("找不到该点位。")) from None


def _district_unit(unit: Unit | None, label: str) -> Unit:
    if unit is None:
        raise ServiceError(_("请选择%(label)s。") % {"label": label})
    if not Unit.objects.active_on(timezone.localdate()).filter(pk=unit.pk).exists():
        raise ServiceError(_("%(label)s“%(name)s”已撤销或不存在。") % {"label": label, "name": unit})
    return unit


# ---------------------------------------------------------------- standards and categories


def _clean_version(version: str, name: str) -> tuple[str, str]:
    version, name = (version or "").strip(), (name or "").strip()
    if not version or not name:
        raise ServiceError(_("请填写标准名称和版本号。"))
    if len(version) > 30 or len(name) > 100:
        raise ServiceError(_("版本号最多 30 个字，名称最多 100 个字。"))
    if Standard.objects.filter(version=version).exists():
        raise ServiceError(_("版本“%(version)s”已存在。") % {"version": version})
    return version, name


def copy_standard(source: Standard, *, version: str, name: str, by: User, note: str = "") -> Standard:
    """A new version (not current) with a copy of ``source``'s categories, to edit before use."""
    _require_manager(by)
    version, name = _clean_version(version, name)
    with transaction.atomic():
        standard = Standard.objects.create(name=name, version=version, note=note, created_by=by)
        Category.objects.bulk_create(
            Category(standard=standard, **{field: getattr(category, field) for field in ("code", *CATEGORY_FIELDS)})
            for category in source.categories.all()
        )
    return standard


def make_current(standard: Standard, *, by: User) -> Standard:
    """``standard`` becomes the current version (the others stop being current); new problems
    use its categories, old problems keep theirs."""
    _require_manager(by)
    try:
        with transaction.atomic():
            return _make_current(standard)
    except IntegrityError:  # another version was made current at the same moment
        raise ServiceError(_("其他人刚刚更换了当前版本，请刷新后再试。")) from None


def _make_current(standard: Standard) -> Standard:
    """Inside the caller's transaction."""
    # Lock the current version and this one: two people changing it at once take turns.
    locked = {
        row.pk: row for row in Standard.objects.select_for_update().filter(Q(is_current=True) | Q(pk=standard.pk))
    }
    standard = locked[standard.pk]
    if standard.is_current:
        raise ServiceError(_("该版本已是当前版本。"))
    if not standard.categories.filter(is_active=True).exists():
        raise ServiceError(_("该版本没有启用的问题类别，不能设为当前版本。"))
    Standard.objects.filter(is_current=True).update(is_current=False)
    standard.is_current = True
    standard.save(update_fields=["is_current"])
    return standard


def _clean_category(data: dict[str, Any]) -> dict[str, Any]:
    name = str(data.get("name", "")).strip()
    group = str(data.get("group", "")).strip()
    if not name or not group:
        raise ServiceError(_("请填写类别名称和大类。"))
    if len(name) > 60 or len(group) > 30:
        raise ServiceError(_("名称最多 60 个字，大类最多 30 个字。"))
    if data.get("default_severity") not in Severity.values:
        raise ServiceError(_("默认严重程度只能是：一般、较重、严重。"))
    days = data.get("deadline_days")
    if not isinstance(days, int) or not 1 <= days <= MAX_DEADLINE_DAYS:
        raise ServiceError(_("整改期限应为 1 到 %(max)d 天。") % {"max": MAX_DEADLINE_DAYS})
    return {**data, "name": name, "group": group}


def update_category(category: Category, *, by: User, **fields: Any) -> Category:
    """Change a category's name, group, default severity, deadline, description, order or whether
    it is in use. Problems already recorded keep it; a disabled one is offered no more."""
    _require_manager(by)
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    with transaction.atomic():
        category = Category.objects.select_for_update().get(pk=category.pk)
        data = _clean_category({field: getattr(category, field) for field in CATEGORY_FIELDS} | fields)
        for field, value in data.items():
            setattr(category, field, value)
        category.save()
    return category


def set_category_active(category: Category, *, active: bool, by: User) -> Category:
    """停用 / 启用 a category (its problems keep it)."""
    return update_category(category, is_active=active, by=by)


@dataclass
class ImportResult:
    standard: Standard
    created: int
    updated: int
    unchanged: int


SEVERITY_BY_LABEL = {str(label): value for value, label in Severity.choices} | {v: v for v in Severity.values}


def _parse_category_rows(rows: list[list[str]]) -> list[dict[str, Any]]:
    """The rows of the workbook as categories; every error found, with its row and column."""
    if not rows:
        raise ServiceError(_("文件是空的。"))
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in IMPORT_COLUMNS[:5] if name not in header]
    if missing:
        raise ServiceError(_("第 1 行缺少列：%(columns)s。") % {"columns": "、".join(missing)})
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    errors: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):

        def cell(column: str, row: list[str] = row) -> str:
            position = index.get(column)
            return row[position].strip() if position is not None and position < len(row) else ""

        code = cell("代码")
        before = len(errors)
        if not code:
            errors.append(_("第 %(row)d 行“代码”列为空。") % {"row": number})
        elif len(code) > 30:
            errors.append(_("第 %(row)d 行“代码”列超过 30 个字符。") % {"row": number})
        elif code in seen:
            errors.append(_("第 %(row)d 行“代码”与第 %(first)d 行重复。") % {"row": number, "first": seen[code]})
        else:
            seen[code] = number
        severity = SEVERITY_BY_LABEL.get(cell("默认严重程度") or "一般")
        if severity is None:
            errors.append(_("第 %(row)d 行“默认严重程度”列应为 一般、较重 或 严重。") % {"row": number})
        days_text = cell("整改期限（天）")
        days = int(days_text) if days_text.isdigit() and len(days_text) <= 4 else None
        if days is None or not 1 <= days <= MAX_DEADLINE_DAYS:
            errors.append(
                _("第 %(row)d 行“整改期限（天）”列应为 1 到 %(max)d 的整数。")
                % {"row": number, "max": MAX_DEADLINE_DAYS}
            )
        for column, limit in (("名称", 60), ("大类", 30)):
            if not cell(column):
                errors.append(_("第 %(row)d 行“%(column)s”列为空。") % {"row": number, "column": column})
            elif len(cell(column)) > limit:
                errors.append(
                    _("第 %(row)d 行“%(column)s”列超过 %(limit)d 个字。")
                    % {"row": number, "column": column, "limit": limit}
                )
        if len(errors) == before:
            parsed.append(
                {
                    "code": code,
                    "name": cell("名称"),
                    "group": cell("大类"),
                    "default_severity": severity,
                    "deadline_days": days,
                    "description": cell("说明"),
                    "position": (number - 1) * 10,
                }
            )
    if errors:
        shown = errors[:20]
        if len(errors) > 20:
            shown.append(_("……共 %(count)d 处错误。") % {"count": len(errors)})
        raise ServiceError(shown)
    if not parsed:
        raise ServiceError(_("文件里没有类别。"))
    return parsed


def import_standard(data: bytes | IO[bytes], *, version: str, name: str, by: User) -> ImportResult:
    """Categories from an Excel file (columns 代码, 名称, 大类, 默认严重程度, 整改期限（天）, 说明),
    all or nothing. A new version number makes a new (not current) version; an existing one is
    updated by code (categories the file leaves out stay as they are). Importing the same file
    again changes nothing."""
    _require_manager(by)
    rows = _parse_category_rows(xlsx_rows(data, max_rows=1000, max_columns=20))
    version, name = (version or "").strip(), (name or "").strip()
    if not version or len(version) > 30:
        raise ServiceError(_("请填写版本号（最多 30 个字）。"))
    created = updated = unchanged = 0
    with transaction.atomic():
        standard = Standard.objects.select_for_update().filter(version=version).first()
        if standard is None:
            _clean_version(version, name)
            standard = Standard.objects.create(name=name, version=version, created_by=by)
        existing = {category.code: category for category in standard.categories.select_for_update()}
        for row in rows:
            category = existing.get(row["code"])
            if category is None:
                Category.objects.create(standard=standard, **row)
                created += 1
                continue
            changes = {key: value for key, value in row.items() if key != "code" and getattr(category, key) != value}
            if changes:
                for key, value in changes.items():
                    setattr(category, key, value)
                category.save(update_fields=list(changes))
                updated += 1
            else:
                unchanged += 1
    return ImportResult(standard, created, updated, unchanged)


def standard_rows(standard: Standard) -> list[list[Any]]:
    """A version's categories as rows of the import columns (the export reads back in)."""
    return [
        [c.code, c.name, c.group, c.get_default_severity_display(), c.deadline_days, c.description]
        for c in standard.categories.order_by("position", "code")
    ]


# ---------------------------------------------------------------- places

PLACE_FIELDS = ("name", "area", "kind", "address", "latitude", "longitude")


def _clean_place(data: dict[str, Any]) -> dict[str, Any]:
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        raise ServiceError(_("请填写点位名称（最多 100 个字）。"))
    if data.get("kind") not in PlaceKind.values:
        raise ServiceError(_("请选择点位类型。"))
    _district_unit(data.get("area"), _("所在街道（乡镇）"))
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        raise ServiceError(_("经度和纬度要一起填写。"))
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ServiceError(_("经纬度超出范围。"))
    return {**data, "name": name, "address": str(data.get("address") or "").strip()}


def create_place(*, by: User, **fields: Any) -> Place:
    """A new place on the list, kept by the acting user's unit."""
    _require_manager(by)
    data = _clean_place({field: fields.get(field) for field in PLACE_FIELDS})
    try:
        with transaction.atomic():
            return Place.objects.create(unit=by.unit, created_by=by, **data)
    except IntegrityError:
        raise ServiceError(_("该街道（乡镇）已有同名点位“%(name)s”。") % {"name": data["name"]}) from None


def update_place(place: Place, *, by: User, **fields: Any) -> Place:
    """Change a place's name, area, kind, address or coordinates."""
    _require_manager(by)
    try:
        with transaction.atomic():
            place = _require_place(place, by)
            data = _clean_place({field: getattr(place, field) for field in PLACE_FIELDS} | fields)
            for field, value in data.items():
                setattr(place, field, value)
            place.save()
    except IntegrityError:
        raise ServiceError(_("该街道（乡镇）已有同名点位。")) from None
    return place


def set_place_active(place: Place, *, active: bool, by: User) -> Place:
    """停用 / 启用 a place: a disabled place is no gap and is offered for no new problem; its
    problems and responsibilities stay."""
    _require_manager(by)
    with transaction.atomic():
        place = _require_place(place, by)
        if place.is_active == active:
            raise ServiceError(_("该点位已启用。") if active else _("该点位已停用。"))
        place.is_active = active
        place.save(update_fields=["is_active", "updated_at"])
    return place


# ---------------------------------------------------------------- responsibilities

ASSIGNMENT_FIELDS = ("unit", "kind", "starts_on", "ends_on", "leader", "note")


def _clean_assignment(data: dict[str, Any], categories: Any) -> tuple[dict[str, Any], list[Category]]:
    unit = _district_unit(data.get("unit"), _("责任单位"))
    if data.get("kind") not in AssignmentKind.values:
        raise ServiceError(_("请选择责任形式（包街、包帮或包点）。"))
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, datetime.date):
        raise ServiceError(_("请填写开始日期。"))
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(_("结束日期不能早于开始日期。"))
    leader = data.get("leader")
    if leader is not None and (leader.unit_id != unit.pk or not leader.is_active):
        raise ServiceError(_("责任领导须是责任单位在职的人员。"))
    note = str(data.get("note") or "").strip()
    if len(note) > 200:
        raise ServiceError(_("备注最多 200 个字。"))
    chosen = list(categories or [])
    standards = {category.standard_id for category in chosen}
    if chosen and (len(standards) > 1 or not Standard.objects.filter(pk__in=standards, is_current=True).exists()):
        raise ServiceError(_("负责的问题类别须取自当前标准版本。"))
    return {**data, "note": note}, chosen


def create_assignment(place: Place, *, by: User, categories: Any = (), **fields: Any) -> Assignment:
    """``unit`` answers for ``place`` from ``starts_on`` (to ``ends_on``), for the categories
    given (all when none)."""
    _require_manager(by)
    data, chosen = _clean_assignment({field: fields.get(field) for field in ASSIGNMENT_FIELDS}, categories)
    with transaction.atomic():
        place = _require_place(place, by)
        if not place.is_active:
            raise ServiceError(_("点位“%(name)s”已停用。") % {"name": place.name})
        assignment = Assignment.objects.create(place=place, created_by=by, **data)
        assignment.categories.set(chosen)
    return assignment


def _require_assignment(assignment: Assignment, by: User) -> Assignment:
    try:
        return Assignment.objects.visible_to(by).select_for_update(of=("self",)).get(pk=assignment.pk)
    except Assignment.DoesNotExist:
        raise ServiceError(_("找不到该责任。")) from None


def update_assignment(assignment: Assignment, *, by: User, categories: Any = None, **fields: Any) -> Assignment:
    """Change an assignment (its unit, form, period, leader, note, categories)."""
    _require_manager(by)
    with transaction.atomic():
        assignment = _require_assignment(assignment, by)
        current = {field: getattr(assignment, field) for field in ASSIGNMENT_FIELDS}
        chosen_before = list(assignment.categories.all()) if categories is None else categories
        data, chosen = _clean_assignment(current | fields, chosen_before)
        for field, value in data.items():
            setattr(assignment, field, value)
        assignment.save()
        assignment.categories.set(chosen)
    return assignment


def end_assignment(assignment: Assignment, *, ends_on: datetime.date | None = None, by: User) -> Assignment:
    """结束 a responsibility on ``ends_on`` (today by default); from the next day the place may be
    a gap."""
    _require_manager(by)
    ends_on = ends_on or timezone.localdate()
    with transaction.atomic():
        assignment = _require_assignment(assignment, by)
        if assignment.ends_on is not None and assignment.ends_on <= ends_on:
            raise ServiceError(_("该责任已于 %(day)s 结束。") % {"day": assignment.ends_on})
        if ends_on < assignment.starts_on:
            raise ServiceError(_("结束日期不能早于开始日期。"))
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on", "updated_at"])
    return assignment


# ---------------------------------------------------------------- places from Excel

PLACE_IMPORT_COLUMNS = ("名称", "点位类型", "所在街道（乡镇）", "地址或范围")


@dataclass
class PlaceImportResult:
    created: int
    updated: int
    unchanged: int


def import_places(data: bytes | IO[bytes], *, by: User) -> PlaceImportResult:
    """Places from an Excel file (columns 名称, 点位类型, 所在街道（乡镇）, 地址或范围; other columns,
    such as the list's export adds, are ignored), all or nothing. A place already on the list (same
    street or town and name, among those the user sees) gets the file's kind and address; the
    same file again changes nothing."""
    from xuanchuan.org.models import SUBDISTRICT_TYPES

    _require_manager(by)
    rows = xlsx_rows(data, max_rows=5000, max_columns=20)
    if not rows:
        raise ServiceError(_("文件是空的。"))
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in PLACE_IMPORT_COLUMNS[:3] if name not in header]
    if missing:
        raise ServiceError(_("第 1 行缺少列：%(columns)s。") % {"columns": "、".join(missing)})
    index = {name: header.index(name) for name in PLACE_IMPORT_COLUMNS if name in header}
    kinds = {str(label): value for value, label in PlaceKind.choices} | {value: value for value in PlaceKind.values}
    areas: dict[str, list[Unit]] = {}
    for unit in Unit.objects.active_on(timezone.localdate()).filter(unit_type__in=SUBDISTRICT_TYPES):
        areas.setdefault(unit.name, []).append(unit)
    errors: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):

        def cell(column: str, row: list[str] = row) -> str:
            position = index.get(column)
            return row[position].strip() if position is not None and position < len(row) else ""

        name, kind, area_name, address = (
            cell("名称"),
            kinds.get(cell("点位类型")),
            cell("所在街道（乡镇）"),
            cell("地址或范围"),
        )
        before = len(errors)
        if not name or len(name) > 100:
            errors.append(_("第 %(row)d 行“名称”列为空或超过 100 个字。") % {"row": number})
        if kind is None:
            errors.append(_("第 %(row)d 行“点位类型”列不是已有的点位类型。") % {"row": number})
        found = areas.get(area_name, [])
        if len(found) != 1:
            errors.append(
                _("第 %(row)d 行“所在街道（乡镇）”列“%(name)s”不是本区唯一的街道或乡镇。")
                % {"row": number, "name": area_name}
            )
        if len(address) > 200:
            errors.append(_("第 %(row)d 行“地址或范围”列超过 200 个字。") % {"row": number})
        if len(errors) == before:
            key = (found[0].pk, name)
            if key in seen:
                errors.append(_("第 %(row)d 行与第 %(first)d 行是同一个点位。") % {"row": number, "first": seen[key]})
                continue
            seen[key] = number
            parsed.append({"name": name, "kind": kind, "area": found[0], "address": address})
    if errors:
        shown = errors[:20]
        if len(errors) > 20:
            shown.append(_("……共 %(count)d 处错误。") % {"count": len(errors)})
        raise ServiceError(shown)
    created = updated = unchanged = 0
    with transaction.atomic():
        for row in parsed:
            existing = Place.objects.filter(area=row["area"], name=row["name"]).select_for_update().first()
            if existing is None:
                Place.objects.create(unit=by.unit, created_by=by, **row)
                created += 1
                continue
            if not Place.objects.visible_to(by).filter(pk=existing.pk).exists():
                raise ServiceError(
                    _("“%(area)s”已有同名点位“%(name)s”，由其他单位维护。") % {"area": row["area"], "name": row["name"]}
                )
            if existing.kind != row["kind"] or existing.address != row["address"]:
                existing.kind, existing.address = row["kind"], row["address"]
                existing.save(update_fields=["kind", "address", "updated_at"])
                updated += 1
            else:
                unchanged += 1
    return PlaceImportResult(created, updated, unchanged)
