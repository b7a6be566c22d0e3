"""Writes of the volunteers app's sites part: practice sites on the unit tree, service brands,
volunteer teams and their members, and a team's Excel import of its members.

Every function takes the acting member of staff as ``by=``, checks ``may_manage`` first, then the
scope of the unit written for (``require_visible_unit``), then the rules (``ServiceError`` with a
Chinese sentence), in one transaction with the rows it changes locked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.core.uploads import check_archive, xlsx_rows
from xuanchuan.org.models import GRASSROOTS_TYPES, SUBDISTRICT_TYPES, Unit, UnitType, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.volunteers.models import (
    Brand,
    MemberRole,
    Membership,
    PracticeSite,
    SiteLevel,
    Team,
    Volunteer,
    VolunteerSource,
    VolunteerStatus,
)
from xuanchuan.volunteers.permissions import may_manage
from xuanchuan.volunteers.services.identity import Person, enrol

# The level of practice site each kind of unit has: the centre for the district, an institute for
# a street or town, a station for a community or village. Other units (departments) have none.
LEVEL_FOR_UNIT_TYPE = {
    UnitType.DISTRICT: SiteLevel.CENTRE,
    **dict.fromkeys(SUBDISTRICT_TYPES, SiteLevel.INSTITUTE),
    **dict.fromkeys(GRASSROOTS_TYPES, SiteLevel.STATION),
}
SITE_FIELDS = ("name", "address", "opening_hours", "phone", "description", "show_ranking", "active")
TEAM_FIELDS = ("name", "brand", "site", "description", "founded_on")
IMPORT_COLUMNS = ("姓名", "身份证号码", "手机号码", "住址", "技能特长", "所在社区（村）")
REQUIRED_COLUMNS = ("姓名", "身份证号码", "手机号码", "所在社区（村）")
# A team's roster is a few hundred people; a file of thousands of rows (the header included) is a
# mistake or an attack.
IMPORT_MAX_ROWS = 2000
IMPORT_MAX_ERRORS_SHOWN = 30
DATE_MIN, DATE_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _manager(by: User) -> None:
    require(may_manage(by))


def _text(value: str | None, label: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ServiceError(_("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise ServiceError(_("%(label)s不能超过 %(limit)d 个字。") % {"label": label, "limit": limit})
    return text


def _day(value: datetime.date | None, label: str) -> datetime.date:
    if value is None:
        raise ServiceError(_("请填写%(label)s。") % {"label": label})
    if not DATE_MIN <= value <= DATE_MAX:
        raise ServiceError(_("%(label)s应在 2000 年到 2100 年之间。") % {"label": label})
    return value


def _locked(model: type, obj: Any, by: User, missing: str) -> Any:
    """``obj`` as the acting user sees it, locked for the change; not seen = not there."""
    try:
        return model.objects.visible_to(by).select_for_update(of=("self",)).get(pk=obj.pk)
    except model.DoesNotExist:
        raise ServiceError(missing) from None


# ---------------------------------------------------------------- practice sites


def level_for(unit: Unit) -> str | None:
    """The level of practice site ``unit`` may have, or ``None`` for a unit that has none."""
    return LEVEL_FOR_UNIT_TYPE.get(unit.unit_type)


def save_site(site: PracticeSite | None, *, unit: Unit, level: str, by: User, **fields: Any) -> PracticeSite:
    """Create (``site=None``) or change a practice site. The level must fit the unit (centre for
    the district, institute for a street or town, station for a community or village) and a unit
    has one site; ``show_ranking`` only means something for a station, so it is kept off for the
    other levels."""
    _manager(by)
    if unit is None:
        raise ServiceError(_("请选择所在单位。"))
    require_visible_unit(by, unit)
    expected = level_for(unit)
    if expected is None:
        raise ServiceError(
            _("“%(unit)s”是%(type)s，不设新时代文明实践阵地（中心设在区，所设在街道、乡镇，站设在社区、村）。")
            % {"unit": unit.name, "type": unit.get_unit_type_display()}
        )
    if level != expected:
        raise ServiceError(
            _("“%(unit)s”应设%(level)s，不能设为%(chosen)s。")
            % {
                "unit": unit.name,
                "level": SiteLevel(expected).label,
                "chosen": SiteLevel(level).label if level in SiteLevel.values else level,
            }
        )
    values = {
        "name": _text(fields.get("name"), _("名称"), 100, required=True),
        "address": _text(fields.get("address"), _("地址"), 200, required=True),
        "opening_hours": _text(fields.get("opening_hours"), _("开放时间"), 200),
        "phone": _text(fields.get("phone"), _("联系电话"), 30),
        "description": _text(fields.get("description"), _("简介"), 5000),
        "show_ranking": bool(fields.get("show_ranking")) and level == SiteLevel.STATION,
        "active": bool(fields.get("active", True)),
    }
    taken = _("“%(unit)s”已有文明实践阵地，每个单位只设一个。") % {"unit": unit.name}
    try:
        with transaction.atomic():
            if site is None:
                # scoping: allowed — one site per unit across the district, whoever keeps it.
                if PracticeSite.objects.filter(unit=unit).exists():
                    raise ServiceError(taken)
                return PracticeSite.objects.create(unit=unit, level=level, created_by=by, **values)
            site = _locked(PracticeSite, site, by, _("找不到该阵地。"))
            # scoping: allowed — same as above.
            if site.unit_id != unit.pk and PracticeSite.objects.filter(unit=unit).exists():
                raise ServiceError(taken)
            site.unit, site.level = unit, level
            for field, value in values.items():
                setattr(site, field, value)
            site.save()
            return site
    except IntegrityError:
        # Two people registered the same unit's site at the same moment: the database decided.
        raise ServiceError(taken) from None


# ---------------------------------------------------------------- brands


def save_brand(
    brand: Brand | None, *, unit: Unit, name: str, description: str = "", active: bool = True, by: User
) -> Brand:
    """Create (``brand=None``) or change a service brand; its name is unique within the unit."""
    _manager(by)
    if unit is None:
        raise ServiceError(_("请选择所属单位。"))
    require_visible_unit(by, unit)
    name = _text(name, _("品牌名称"), 60, required=True)
    description = _text(description, _("简介"), 5000)
    taken = _("“%(unit)s”已有名为“%(name)s”的品牌。") % {"unit": unit.name, "name": name}
    try:
        with transaction.atomic():
            others = Brand.objects.filter(unit=unit, name=name)  # scoping: allowed (the unit's own names)
            if brand is None:
                if others.exists():
                    raise ServiceError(taken)
                return Brand.objects.create(unit=unit, name=name, description=description, active=active, created_by=by)
            brand = _locked(Brand, brand, by, _("找不到该品牌。"))
            if others.exclude(pk=brand.pk).exists():
                raise ServiceError(taken)
            brand.unit, brand.name, brand.description, brand.active = unit, name, description, bool(active)
            brand.save()
            return brand
    except IntegrityError:
        raise ServiceError(taken) from None


def delete_brand(brand: Brand, *, by: User) -> None:
    """Delete a brand no team has ever used; a brand in use is deactivated instead (its teams
    and their history keep it)."""
    _manager(by)
    require_visible_unit(by, brand.unit)
    with transaction.atomic():
        brand = _locked(Brand, brand, by, _("找不到该品牌。"))
        if Team.objects.filter(brand=brand).exists():  # scoping: allowed (any team using it blocks)
            raise ServiceError(_("已有队伍使用品牌“%(name)s”，不能删除，可改为停用。") % {"name": brand.name})
        brand.delete()


# ---------------------------------------------------------------- teams


def _check_team_links(unit: Unit, brand: Brand | None, site: PracticeSite | None, by: User) -> None:
    """A team carries an active brand and is based at an active site of the acting user's unit,
    the units above it (the district's brands, the street's institute) or below it."""
    from xuanchuan.volunteers.queries.sites import offered_brands, offered_sites

    if brand is not None and not offered_brands(by).filter(pk=brand.pk).exists():
        if not brand.active:
            raise ServiceError(_("品牌“%(name)s”已停用，不能选用。") % {"name": brand.name})
        raise PermissionDenied(_("不能选用其他街道（社区）的品牌。"))
    if site is not None and not offered_sites(by).filter(pk=site.pk).exists():
        if not site.active:
            raise ServiceError(_("阵地“%(name)s”已停用，不能选用。") % {"name": site.name})
        raise PermissionDenied(_("不能选用其他街道（社区）的阵地。"))


def save_team(team: Team | None, *, unit: Unit, by: User, **fields: Any) -> Team:
    """Create (``team=None``) or change a volunteer team: name unique within the unit, brand and
    site in the user's scope and in use, founding date sensible. A dissolved team is history and
    is not changed any more."""
    _manager(by)
    if unit is None:
        raise ServiceError(_("请选择所属单位。"))
    require_visible_unit(by, unit)
    name = _text(fields.get("name"), _("队伍名称"), 100, required=True)
    description = _text(fields.get("description"), _("服务内容"), 5000)
    founded_on = _day(fields.get("founded_on"), _("成立日期"))
    if founded_on > timezone.localdate():
        raise ServiceError(_("成立日期不能晚于今天。"))
    brand, site = fields.get("brand"), fields.get("site")
    taken = _("“%(unit)s”已有名为“%(name)s”的队伍。") % {"unit": unit.name, "name": name}
    try:
        with transaction.atomic():
            others = Team.objects.filter(unit=unit, name=name)  # scoping: allowed (the unit's own names)
            if team is None:
                _check_team_links(unit, brand, site, by)
                if others.exists():
                    raise ServiceError(taken)
                return Team.objects.create(
                    unit=unit,
                    name=name,
                    brand=brand,
                    site=site,
                    description=description,
                    founded_on=founded_on,
                    created_by=by,
                )
            team = _locked(Team, team, by, _("找不到该队伍。"))
            if team.dissolved_on is not None:
                raise ServiceError(_("队伍已撤销，不能再修改。"))
            # A brand or site chosen earlier and since deactivated may stay; a new choice must be in use.
            _check_team_links(
                unit,
                brand if brand is not None and brand.pk != team.brand_id else None,
                site if site is not None and site.pk != team.site_id else None,
                by,
            )
            if others.exclude(pk=team.pk).exists():
                raise ServiceError(taken)
            first_joined = team.memberships.order_by("joined_on").values_list("joined_on", flat=True).first()
            if first_joined is not None and founded_on > first_joined:
                raise ServiceError(_("成立日期不能晚于最早的队员加入日期（%(day)s）。") % {"day": first_joined})
            team.unit, team.name, team.brand, team.site = unit, name, brand, site
            team.description, team.founded_on = description, founded_on
            team.save()
            return team
    except IntegrityError:
        raise ServiceError(taken) from None


def dissolve_team(team: Team, *, on: datetime.date | None = None, reason: str, by: User) -> Team:
    """Dissolve a team on a day (today by default), with a reason. Its members' memberships end
    that day; the team, its memberships and everything it did stay on record."""
    _manager(by)
    require_visible_unit(by, team.unit)
    reason = _text(reason, _("撤销原因"), 200, required=True)
    on = _day(on or timezone.localdate(), _("撤销日期"))
    if on > timezone.localdate():
        raise ServiceError(_("撤销日期不能晚于今天。"))
    with transaction.atomic():
        team = _locked(Team, team, by, _("找不到该队伍。"))
        if team.dissolved_on is not None:
            raise ServiceError(_("队伍已于 %(day)s 撤销。") % {"day": team.dissolved_on})
        if on < team.founded_on:
            raise ServiceError(_("撤销日期不能早于成立日期（%(day)s）。") % {"day": team.founded_on})
        current = team.memberships.select_for_update().filter(left_on__isnull=True)
        if current.filter(joined_on__gt=on).exists():
            raise ServiceError(_("有队员在撤销日期之后才加入，请核对撤销日期。"))
        current.update(left_on=on)
        team.dissolved_on, team.dissolved_reason = on, reason
        team.save(update_fields=["dissolved_on", "dissolved_reason", "updated_at"])
    return team


# ---------------------------------------------------------------- members


def _active_team(team: Team, by: User) -> Team:
    team = _locked(Team, team, by, _("找不到该队伍。"))
    if team.dissolved_on is not None:
        raise ServiceError(_("队伍已撤销，不能再调整队员。"))
    return team


def _join(team: Team, volunteer: Volunteer, joined_on: datetime.date) -> Membership | None:
    """The volunteer's new membership of the (locked, active) team, or ``None`` if they are already
    a member (a second add changes nothing)."""
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ServiceError(_("志愿者 %(number)s 已注销，不能加入队伍。") % {"number": volunteer.number})
    if team.memberships.filter(volunteer=volunteer, left_on__isnull=True).exists():
        return None
    return Membership.objects.create(team=team, volunteer=volunteer, joined_on=joined_on)


def add_member(team: Team, volunteer: Volunteer, *, joined_on: datetime.date | None = None, by: User) -> Membership:
    """Add a volunteer of the user's scope to an active team (from ``joined_on``, today by
    default). A current member is refused with a sentence saying so."""
    _manager(by)
    require_visible_unit(by, team.unit)
    if not Volunteer.objects.visible_to(by).filter(pk=volunteer.pk).exists():
        raise PermissionDenied(_("该志愿者不在您的管辖范围内。"))
    joined_on = _day(joined_on or timezone.localdate(), _("加入日期"))
    with transaction.atomic():
        team = _active_team(team, by)
        if joined_on < team.founded_on:
            raise ServiceError(_("加入日期不能早于队伍成立日期（%(day)s）。") % {"day": team.founded_on})
        # scoping: allowed — the volunteer was checked visible above; locked for the status check.
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        try:
            with transaction.atomic():
                membership = _join(team, volunteer, joined_on)
        except IntegrityError:
            membership = None
        if membership is None:
            raise ServiceError(_("志愿者 %(number)s 已是本队队员。") % {"number": volunteer.number})
    return membership


def remove_member(membership: Membership, *, on: datetime.date | None = None, by: User) -> Membership:
    """End a membership on a day (today by default); the row stays, with ``left_on``. A leader
    who leaves stops being the leader."""
    _manager(by)
    require_visible_unit(by, membership.team.unit)
    on = _day(on or timezone.localdate(), _("退出日期"))
    with transaction.atomic():
        _active_team(membership.team, by)
        membership = _locked(Membership, membership, by, _("找不到该队员。"))
        if membership.left_on is not None:
            raise ServiceError(_("该队员已于 %(day)s 退出。") % {"day": membership.left_on})
        if on < membership.joined_on:
            raise ServiceError(_("退出日期不能早于加入日期（%(day)s）。") % {"day": membership.joined_on})
        if on > timezone.localdate():
            raise ServiceError(_("退出日期不能晚于今天。"))
        membership.left_on, membership.role = on, MemberRole.MEMBER
        membership.save(update_fields=["left_on", "role"])
    return membership


def set_leader(membership: Membership, *, by: User) -> Membership:
    """Make a current member the team's leader; the previous leader becomes a member (one
    leader at a time)."""
    _manager(by)
    require_visible_unit(by, membership.team.unit)
    with transaction.atomic():
        team = _active_team(membership.team, by)
        membership = _locked(Membership, membership, by, _("找不到该队员。"))
        if membership.left_on is not None:
            raise ServiceError(_("该队员已退出，不能设为队长。"))
        if membership.role == MemberRole.LEADER:
            raise ServiceError(_("该队员已是队长。"))
        team.memberships.select_for_update().filter(role=MemberRole.LEADER).exclude(pk=membership.pk).update(
            role=MemberRole.MEMBER
        )
        membership.role = MemberRole.LEADER
        membership.save(update_fields=["role"])
    return membership


# ---------------------------------------------------------------- the team's Excel import


@dataclass(frozen=True)
class ImportResult:
    """What an import did: new volunteers, existing volunteers matched, memberships added."""

    created: int
    matched: int
    joined: int


@dataclass(frozen=True)
class _Row:
    number: int
    person: Person
    unit: Unit


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _communities(by: User) -> dict[str, list[Unit]]:
    """The communities and villages of the user's scope by name (two of one name are ambiguous)."""
    found: dict[str, list[Unit]] = {}
    today = timezone.localdate()
    for unit in Unit.objects.visible_to(by).active_on(today).filter(unit_type__in=GRASSROOTS_TYPES):
        found.setdefault(unit.name, []).append(unit)
    return found


def read_import(data: bytes | IO[bytes], *, by: User) -> list[_Row]:
    """Every row of a team's member file, checked; ``ServiceError`` listing each bad cell (row as
    numbered in the file, column letter and heading) when any row is wrong."""
    from django.core.exceptions import ValidationError

    from xuanchuan.core.pii import normalize_mobile, parse_resident_id, validate_mobile

    check_archive(data)
    rows = xlsx_rows(data, max_rows=IMPORT_MAX_ROWS, max_columns=20)
    if not rows:
        raise ServiceError(_("文件是空的。"))
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ServiceError(
            _("第 1 行应为表头，缺少列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)}
        )
    if len(rows) == 1:
        raise ServiceError(_("文件只有表头，没有数据行。"))
    index = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    communities = _communities(by)
    errors: list[str] = []
    parsed: list[_Row] = []
    seen: dict[str, int] = {}

    def bad(number: int, column: str, message: str) -> None:
        errors.append(
            _("第%(row)d行“%(heading)s”列（%(letter)s列）：%(error)s")
            % {"row": number, "heading": column, "letter": _letter(index[column]), "error": message}
        )

    for number, cells in enumerate(rows[1:], start=2):

        def cell(column: str, cells: list[str] = cells) -> str:
            at = index.get(column)
            return cells[at].strip() if at is not None and at < len(cells) else ""

        before = len(errors)
        name, id_text, phone_text = cell("姓名"), cell("身份证号码"), cell("手机号码")
        if not name:
            bad(number, "姓名", _("不能为空。"))
        elif len(name) > 50:
            bad(number, "姓名", _("不能超过 50 个字。"))
        resident_number = ""
        try:
            resident_number = parse_resident_id(id_text, allow_foreigners=False).number
        except ValidationError as exc:
            bad(number, "身份证号码", "；".join(exc.messages))
        phone = ""
        try:
            phone = normalize_mobile(phone_text)
            validate_mobile(phone)
        except ValidationError as exc:
            bad(number, "手机号码", "；".join(exc.messages))
        for column, limit in (("住址", 200), ("技能特长", 200)):
            if len(cell(column)) > limit:
                bad(number, column, _("不能超过 %(limit)d 个字。") % {"limit": limit})
        community = cell("所在社区（村）")
        found = communities.get(community, [])
        if not community:
            bad(number, "所在社区（村）", _("不能为空。"))
        elif not found:
            bad(number, "所在社区（村）", _("“%(name)s”不是您管辖范围内的社区（村）。") % {"name": community})
        elif len(found) > 1:
            bad(number, "所在社区（村）", _("“%(name)s”有重名，无法确定是哪一个。") % {"name": community})
        if resident_number:
            if resident_number in seen:
                bad(number, "身份证号码", _("与第 %(first)d 行是同一个人。") % {"first": seen[resident_number]})
            else:
                seen[resident_number] = number
        if len(errors) == before:
            person = Person(
                name=name,
                id_number=resident_number,
                phone=phone,
                address=cell("住址"),
                skills=cell("技能特长"),
            )
            parsed.append(_Row(number, person, found[0]))
    if errors:
        shown = errors[:IMPORT_MAX_ERRORS_SHOWN]
        if len(errors) > IMPORT_MAX_ERRORS_SHOWN:
            shown.append(_("……另有 %(count)d 处错误。") % {"count": len(errors) - IMPORT_MAX_ERRORS_SHOWN})
        raise ServiceError([_("文件有错误，未导入任何人员，请改正后重新导入：")] + shown)
    return parsed


def import_members(team: Team, data: bytes | IO[bytes], *, consented: bool, by: User) -> ImportResult:
    """A team's members from its Excel file (columns ``IMPORT_COLUMNS``), all or nothing: every
    row becomes a volunteer through ``identity.enrol`` (one person one volunteer: someone already
    registered is matched by the ID number's blind index) and a current member of the team. The
    uploader states that the team has the listed people's consent (``consented``). The same file
    again adds nobody and no membership."""
    _manager(by)
    require_visible_unit(by, team.unit)
    if not consented:
        raise ServiceError(_("请确认本队已取得以上人员同意后再导入。"))
    if data is None:
        raise ServiceError(_("请选择要导入的 Excel 文件。"))
    rows = read_import(data, by=by)
    created = matched = joined = 0
    today = timezone.localdate()
    with transaction.atomic():
        team = _active_team(team, by)
        for row in rows:
            try:
                enrolment = enrol(row.person, unit=row.unit, source=VolunteerSource.IMPORT, by=by, consented=True)
            except ServiceError as exc:
                raise ServiceError(
                    _("第%(row)d行：%(error)s（未导入任何人员）")
                    % {"row": row.number, "error": "；".join(exc.messages)}
                ) from None
            if enrolment.created:
                created += 1
            else:
                matched += 1
            if _join(team, enrolment.volunteer, max(today, team.founded_on)) is not None:
                joined += 1
    return ImportResult(created=created, matched=matched, joined=joined)
