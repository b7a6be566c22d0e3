"""Reads for the staff pages of 来返人员, each taking the user whose scope it is read in: the daily
follow-up list, the statistics, the probable duplicates and the corrections waiting for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.models import (
    CheckIn,
    CorrectionStatus,
    FollowUpPlan,
    FollowUpStatus,
    PendingCorrection,
    Registration,
    RiskLevel,
)

DAILY_MAX_ROWS = 500
DUPLICATE_GROUPS = 50


@dataclass(frozen=True)
class DailyRow:
    """One person on the daily list, with what its line shows worked out once (up to 500 lines)."""

    registration: Registration
    day_number: int
    checked_today: bool
    missed: int
    plan: str  # the plan's label
    day_label: str  # 第n天/共m天

    @property
    def due_for_completion(self) -> bool:
        return self.day_number >= self.registration.follow_up_days

    @property
    def may_check_in(self) -> bool:
        return not self.checked_today and self.day_number <= self.registration.follow_up_days

    @property
    def masked_name(self) -> str:
        return self.registration.masked_name

    @property
    def community(self) -> str:
        return self.registration.unit.name

    @property
    def detail_url(self) -> str:
        return registration_url("arrivals:registration_detail", self.registration.pk)

    @property
    def check_in_url(self) -> str:
        return registration_url("arrivals:registration_check_in", self.registration.pk)


_PK_MARK = 987654321


def registration_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is a registration's number,
    without resolving the pattern again for each of up to 500 lines."""
    return _url_pattern(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()).replace(
        str(_PK_MARK), str(pk)
    )


@lru_cache(maxsize=32)
def _url_pattern(name: str, urlconf: str, script_prefix: str) -> str:
    return reverse(name, args=[_PK_MARK], urlconf=urlconf)


@dataclass(frozen=True)
class DailyList:
    """Who is under follow-up on ``day`` (the first ``DAILY_MAX_ROWS``), with the counts of the page."""

    day: date
    rows: list[DailyRow]

    @property
    def done(self) -> int:
        return sum(row.checked_today for row in self.rows)

    @property
    def with_missed(self) -> int:
        return sum(1 for row in self.rows if row.missed)

    @property
    def due(self) -> int:
        return sum(1 for row in self.rows if row.due_for_completion)

    @property
    def truncated(self) -> bool:
        return len(self.rows) >= DAILY_MAX_ROWS


def _under_follow_up(user: Any, day: date) -> QuerySet[Registration]:
    return Registration.objects.visible_to(user).filter(
        follow_up_status=FollowUpStatus.ACTIVE, follow_up_start__lte=day
    )


# What the daily list shows of a registration: of the encrypted fields only the name (masked).
DAILY_FIELDS = ("name", "plan", "follow_up_start", "follow_up_days", "follow_up_status", "unit__name", "unit__path")


def daily_list(user: Any, day: date) -> DailyList:
    """Active follow-ups on ``day`` the user sees, with the day's check-in and the days missed.

    One query: the page of registrations is sorted and cut first, and only then are its check-ins
    counted (correlated sub-queries on the (registration, day) unique index), so the cost follows
    the rows shown, not every check-in of every person under follow-up.
    """
    check_ins = CheckIn.objects.filter(registration=OuterRef("pk"))
    before = check_ins.filter(day__lt=day).order_by().values("registration").annotate(n=Count("pk")).values("n")
    rows = (
        _under_follow_up(user, day)
        .select_related("unit")
        .only(*DAILY_FIELDS)
        .annotate(
            checked_today=Exists(check_ins.filter(day=day)),
            before_count=Coalesce(Subquery(before), 0),
        )
        .order_by("unit__path", "follow_up_start", "pk")[:DAILY_MAX_ROWS]
    )
    # Labels translated once for the page, not once a line.
    plans = {value: str(label) for value, label in FollowUpPlan.choices}
    day_label = _("第%(n)s天/共%(total)s天")
    result = []
    for registration in rows:
        number = registration.day_number(day) or 1
        days = registration.follow_up_days
        missed = max(min(number - 1, days) - registration.before_count, 0)
        label = day_label % {"n": number, "total": days}
        result.append(
            DailyRow(registration, number, registration.checked_today, missed, plans[registration.plan], label)
        )
    return DailyList(day, result)


def waiting_check_ins(user: Any, day: date | None = None) -> int:
    """People under follow-up today without today's check-in (the home page's to-do)."""
    from django.utils import timezone

    day = day or timezone.localdate()
    checked = CheckIn.objects.filter(registration=OuterRef("pk"), day=day)
    return _under_follow_up(user, day).exclude(Exists(checked)).count()


def pending_corrections(user: Any) -> QuerySet[PendingCorrection]:
    """Registrants' held corrections the user sees, oldest first."""
    return (
        PendingCorrection.objects.visible_to(user)
        .filter(status=CorrectionStatus.PENDING)
        .select_related("registration", "unit")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class Statistics:
    """Arrivals from ``start`` to ``end`` counted by day, origin province, risk level and community."""

    start: date
    end: date
    by_day: list[tuple[str, int]]
    by_province: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    by_community: list[tuple[str, int]]
    under_follow_up: int

    @property
    def total(self) -> int:
        return sum(n for _day, n in self.by_day)

    def chart_data(self) -> dict[str, list[tuple[str, int]]]:
        return {
            "day": self.by_day,
            "province": self.by_province[:15],
            "level": self.by_level,
            "community": self.by_community[:20],
        }

    def tables(self) -> tuple[list[tuple[str, int]], ...]:
        return self.by_day, self.by_province, self.by_level, self.by_community


def _counts(rows: QuerySet, field: str) -> list[tuple[Any, int]]:
    return [(row[field], row["n"]) for row in rows.values(field).annotate(n=Count("pk")).order_by(field)]


def statistics(user: Any, start: date, end: date) -> Statistics:
    """The counts of the statistics page (and its Excel export) in the user's scope."""
    visible = Registration.objects.visible_to(user)
    rows = visible.exclude(follow_up_status=FollowUpStatus.MERGED).filter(arrival_date__range=(start, end))
    levels = dict(RiskLevel.choices)
    per_day = dict(_counts(rows, "arrival_date"))
    days = (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    by_province = [
        (divisions().full_name(f"{code}0000") or code, n)
        for code, n in _counts(rows.annotate(province=Substr("origin_code", 1, 2)), "province")
    ]
    by_province.sort(key=lambda item: -item[1])
    return Statistics(
        start=start,
        end=end,
        by_day=[(day.isoformat(), per_day.get(day, 0)) for day in days],
        by_province=by_province,
        by_level=[(str(levels.get(level, level)), n) for level, n in _counts(rows, "risk_level")],
        by_community=sorted(_counts(rows, "unit__name"), key=lambda item: -item[1]),
        under_follow_up=visible.filter(follow_up_status=FollowUpStatus.ACTIVE).count(),
    )


def duplicate_groups(user: Any) -> list[list[Registration]]:
    """People registered more than once (same document number), not yet merged: the first
    ``DUPLICATE_GROUPS`` groups, each by arrival date."""
    rows = Registration.objects.visible_to(user).exclude(follow_up_status=FollowUpStatus.MERGED)
    groups = rows.exclude(id_number_index="").values("id_number_index").annotate(n=Count("pk")).filter(n__gt=1)
    keys = [group["id_number_index"] for group in groups[:DUPLICATE_GROUPS]]
    records = rows.filter(id_number_index__in=keys).select_related("unit").order_by("id_number_index", "arrival_date")
    grouped: dict[str, list[Registration]] = {}
    for record in records:
        grouped.setdefault(record.id_number_index, []).append(record)
    return list(grouped.values())
