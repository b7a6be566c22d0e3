"""Reads of the people part: the volunteer's home on the phone, the record in its five blocks
(民政部令第67号 第4条), the staff list, and what a certificate and its public check show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from xuanchuan.org.models import Unit
from xuanchuan.volunteers.models import (
    Certificate,
    Membership,
    PointsAccount,
    RecordStatus,
    ServiceRecord,
    Volunteer,
)

RECENT_RECORDS = 10


def volunteers(user: Any) -> QuerySet:
    """The volunteers ``user`` sees (their unit and below)."""
    return Volunteer.objects.visible_to(user).select_related("unit")


def confirmed_records(volunteer: Volunteer) -> QuerySet:
    """The volunteer's certified service (confirmed records), newest first."""
    return (
        ServiceRecord.objects.filter(
            volunteer=volunteer, status=RecordStatus.CONFIRMED
        )  # scoping: allowed — one person's record
        .select_related("activity", "unit")
        .order_by("-served_on", "-pk")
    )


def hours_totals(volunteer: Volunteer) -> dict[str, int]:
    """Certified minutes in all and in this year."""
    year = timezone.localdate().year
    records = confirmed_records(volunteer).order_by()
    total = records.aggregate(minutes=Sum("minutes"), count=Count("pk"))
    this_year = records.filter(served_on__year=year).aggregate(minutes=Sum("minutes"))
    return {"minutes": total["minutes"] or 0, "records": total["count"], "year_minutes": this_year["minutes"] or 0}


def points_balance(volunteer: Volunteer) -> int:
    """The balance of the volunteer's own points account (0 when they have none yet)."""
    account = (
        PointsAccount.objects.filter(volunteer=volunteer).only("balance").first()
    )  # scoping: allowed — their own account
    return account.balance if account is not None else 0


def teams_of(volunteer: Volunteer) -> list[str]:
    memberships = Membership.objects.filter(volunteer=volunteer).select_related(
        "team"
    )  # scoping: allowed — their own teams
    return sorted({m.team.name for m in memberships if _active_membership(m)})


def _active_membership(membership: Any) -> bool:
    left = getattr(membership, "left_on", None)
    return left is None or left > timezone.localdate()


@dataclass
class Home:
    """What the volunteer's home on the phone shows."""

    volunteer: Volunteer
    teams: list[str]
    minutes: int
    year_minutes: int
    points: int
    recent: list[ServiceRecord]

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)

    @property
    def year_hours(self) -> str:
        return hours_text(self.year_minutes)


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal (12.5), the way certificates state them."""
    return f"{minutes / 60:.1f}"


def home(volunteer: Volunteer) -> Home:
    totals = hours_totals(volunteer)
    return Home(
        volunteer=volunteer,
        teams=teams_of(volunteer),
        minutes=totals["minutes"],
        year_minutes=totals["year_minutes"],
        points=points_balance(volunteer),
        recent=list(confirmed_records(volunteer)[:RECENT_RECORDS]),
    )


@dataclass
class Record:
    """The five blocks of the volunteer's record (67号 第4条)."""

    volunteer: Volunteer
    services: list[ServiceRecord]
    trainings: list[Any]
    awards: list[Any]
    evaluations: list[Any]
    minutes: int
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)


def record(volunteer: Volunteer, *, with_certificates: bool = True) -> Record:
    services = list(confirmed_records(volunteer).select_related("activity__project"))
    return Record(
        volunteer=volunteer,
        services=services,
        trainings=list(volunteer.trainings.select_related("unit").order_by("-held_on")),
        awards=list(volunteer.awards.order_by("-awarded_on")),
        evaluations=list(volunteer.evaluations.select_related("activity", "unit").order_by("-created_at")),
        minutes=sum(r.minutes for r in services),
        certificates=list(volunteer.certificates.select_related("unit").order_by("-issued_at"))
        if with_certificates
        else [],
    )


def certificates(user: Any) -> QuerySet:
    """Certificates ``user`` sees (issued by their unit or below)."""
    return Certificate.objects.visible_to(user).select_related("volunteer", "unit")


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (the public check)."""
    if not code or len(code) > 24:
        return None
    # scoping: allowed — the public check of a certificate by the code printed on it.
    return Certificate.objects.select_related("volunteer", "unit").filter(code=code).first()


def certificate_content(certificate: Certificate) -> list[str]:
    """What the service was: the projects and activities of the certified records (the issuing
    unit's confirmed records of the period), as a short list."""
    records = (
        ServiceRecord.objects.within(certificate.unit)  # scoping: allowed — the issuing unit's own records
        .filter(
            volunteer_id=certificate.volunteer_id,
            status=RecordStatus.CONFIRMED,
            served_on__gte=certificate.period_start,
            served_on__lte=certificate.period_end,
        )
        .select_related("activity__project")
        .order_by("served_on")
    )
    titles: list[str] = []
    for item in records:
        title = f"{item.activity.project.title}·{item.activity.title}"
        if title not in titles:
            titles.append(title)
    return titles


def age_band(birth_year: int | None, today: date | None = None) -> str:
    if birth_year is None:
        return ""
    age = (today or timezone.localdate()).year - birth_year
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return ""


AGE_BANDS = (
    (0, 17, "18岁以下"),
    (18, 35, "18–35岁"),
    (36, 59, "36–59岁"),
    (60, 200, "60岁以上"),
)


def communities_for_join() -> list[tuple[str, list[tuple[int, str]]]]:
    """Streets (towns) and their communities (villages), for the registration page: unit names are
    public (the page lists them on purpose)."""
    from xuanchuan.org.models import GRASSROOTS_TYPES

    # scoping: allowed — the public list of unit names a resident chooses their community from.
    grassroots = list(
        Unit.objects.filter(unit_type__in=GRASSROOTS_TYPES).order_by("path").only("pk", "name", "path", "depth")
    )
    parents = {u.path[: -Unit.steplen]: None for u in grassroots}
    # scoping: allowed — the same public list: the streets the communities belong to.
    names = dict(Unit.objects.filter(path__in=list(parents)).values_list("path", "name"))
    groups: dict[str, list[tuple[int, str]]] = {}
    for unit in grassroots:
        groups.setdefault(names.get(unit.path[: -Unit.steplen], ""), []).append((unit.pk, unit.name))
    return list(groups.items())


def record_xlsx(item: Record, *, full: bool) -> bytes:
    """The record as a workbook of five sheets (67号 第4条). ``full`` shows the volunteer's own
    personal data unmasked: only for their own download on their own phone."""
    from openpyxl import Workbook

    from xuanchuan.core.exports import workbook_to_bytes
    from xuanchuan.core.pii import masked

    volunteer = item.volunteer
    book = Workbook()
    basic = book.active
    basic.title = "基本信息"

    def shown(name: str) -> str:
        return getattr(volunteer, name) if full else masked(volunteer, name)

    for row in (
        ("志愿者编号", volunteer.number),
        ("姓名", shown("name")),
        ("身份证号码", shown("id_number")),
        ("手机号码", shown("phone")),
        ("住址", shown("address")),
        ("所在社区（村）", volunteer.unit.name),
        ("性别", volunteer.get_gender_display()),
        ("技能特长", volunteer.skills),
        ("可服务时间", volunteer.availability),
        ("登记方式", volunteer.get_source_display()),
        ("状态", volunteer.get_status_display()),
        ("累计确认服务时长（小时）", hours_text(item.minutes)),
    ):
        basic.append(list(row))
    sheets = (
        (
            "服务情况",
            ("活动", "组织单位", "服务日期", "地点", "时长（分钟）", "记录方式"),
            [
                (r.activity.title, r.unit.name, r.served_on, r.activity.place, r.minutes, r.get_source_display())
                for r in item.services
            ],
        ),
        (
            "培训情况",
            ("培训内容", "培训日期", "培训时长（分钟）", "培训结果", "记录单位"),
            [(t.course, t.held_on, t.minutes, t.result, t.unit.name) for t in item.trainings],
        ),
        (
            "表彰奖励",
            ("荣誉名称", "级别", "授予单位", "授予日期"),
            [(a.honour, a.get_level_display(), a.issuer, a.awarded_on) for a in item.awards],
        ),
        (
            "评价情况",
            ("评价单位", "活动", "评分", "评语", "评价时间"),
            [
                (
                    e.unit.name,
                    e.activity.title if e.activity_id else "",
                    e.rating,
                    e.comment,
                    timezone.localtime(e.created_at).date(),
                )
                for e in item.evaluations
            ],
        ),
    )
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 24
    return workbook_to_bytes(book)
