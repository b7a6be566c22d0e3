"""Reads for the staff pages of 来返人员, each taking the user whose scope it is read in: the daily
follow-up list, the statistics, the probable duplicates and the corrections waiting for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least, Substr
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from xuanchuan.arrivals.divisions import divisions
from xuanchuan.arrivals.models import (
    POSSIBLE_DUPLICATE,
    CheckIn,
    CorrectionStatus,
    FollowUpPlan,
    FollowUpStatus,
    PendingCorrection,
    Registration,
    RiskLevel,
)

DAILY_PAGE_SIZE = 100
DUPLICATE_GROUPS = 50


@dataclass(frozen=True)
class DailyRow:
    """One person on the daily list, with what its line shows worked out once (a page of lines)."""

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
    def possible_duplicate(self) -> bool:
        return self.registration.possible_duplicate

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
    without resolving the pattern again for each line of a page."""
    return _url_pattern(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()).replace(
        str(_PK_MARK), str(pk)
    )


@lru_cache(maxsize=32)
def _url_pattern(name: str, urlconf: str, script_prefix: str) -> str:
    return reverse(name, args=[_PK_MARK], urlconf=urlconf)


class DaysBefore(Func):
    """Whole days from the date column ``field`` to ``day`` (``day - field``), in SQL."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, day: date, field: str) -> None:
        super().__init__(Value(day, output_field=DateField()), F(field))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)


@dataclass(frozen=True)
class DailyCounts:
    """The figures above the daily list, over everyone on it (not only the page shown)."""

    total: int  # under follow-up on the day
    done: int  # with the day's check-in
    with_missed: int  # with a day of the follow-up before this one unchecked
    due: int  # on or past their last day: may be released
    possible_duplicates: int  # possible duplicates among them (``Registration.possible_duplicate``)


@dataclass(frozen=True)
class DailyList:
    """Who is under follow-up on ``day``: the counts of everyone, and one page of people."""

    day: date
    counts: DailyCounts
    page: Page


def _under_follow_up(user: Any, day: date) -> QuerySet[Registration]:
    return Registration.objects.visible_to(user).filter(
        follow_up_status=FollowUpStatus.ACTIVE, follow_up_start__lte=day
    )


def _check_ins_before(day: date) -> Subquery:
    """The check-ins of the outer registration before ``day`` (correlated, on the (registration,
    day) unique index)."""
    before = CheckIn.objects.filter(registration=OuterRef("pk"), day__lt=day)
    return Coalesce(Subquery(before.order_by().values("registration").annotate(n=Count("registration")).values("n")), 0)


def _checked_on(day: date) -> Exists:
    return Exists(CheckIn.objects.filter(registration=OuterRef("pk"), day=day))


def daily_counts(user: Any, day: date) -> DailyCounts:
    """The daily list's counts over everyone on it, in two queries from indexes alone: the people
    from the partial index of active follow-ups (``arrivals_reg_active_idx``) with their
    check-ins before ``day`` looked up per person on the (registration, day) index; the day's
    check-ins of those people from the (day, registration) index."""
    people = _under_follow_up(user, day)
    elapsed = DaysBefore(day, "follow_up_start")  # day n of the follow-up is n - 1 days after its start
    counts = people.aggregate(
        total=Count("pk"),
        with_missed=Count("pk", filter=LessThan(_check_ins_before(day), Least(elapsed, F("follow_up_days")))),
        due=Count("pk", filter=GreaterThanOrEqual(elapsed + 1, F("follow_up_days"))),
        # Active rows are never merged nor erased: no day key is all it takes.
        possible_duplicates=Count("pk", filter=Q(day_key__isnull=True)),
    )
    done = CheckIn.objects.filter(day=day, registration__in=people.order_by().values("pk")).count()
    return DailyCounts(done=done, **counts)


# What the daily list shows of a registration: of the encrypted fields only the name (masked).
DAILY_FIELDS = (
    "name", "plan", "follow_up_start", "follow_up_days", "follow_up_status", "day_key", "id_number_index",
    "unit__name", "unit__path",
)  # fmt: skip


DAILY_ORDER = ("unit__path", "follow_up_start", "pk")


class _DailyRows:
    """The people on the daily list for ``Paginator``: sized by the counts' total, read a page
    at a time — the page of registrations sorted and cut first, and only then are its check-ins
    counted (correlated sub-queries), so the cost follows the rows shown."""

    def __init__(self, user: Any, day: date, total: int) -> None:
        self.user, self.day, self.total = user, day, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[DailyRow]:
        day = self.day
        # The page's numbers first, sorted and cut from the index of active follow-ups alone (no
        # row read); then those rows (already scoped by that sub-query) and their check-ins.
        page = _under_follow_up(self.user, day).order_by(*DAILY_ORDER).values("pk")[window]
        rows = (
            Registration.objects.filter(pk__in=page)
            .select_related("unit")
            .only(*DAILY_FIELDS)
            .annotate(checked_today=_checked_on(day), before_count=_check_ins_before(day))
            .order_by(*DAILY_ORDER)
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
        return result


def daily_list(user: Any, day: date, page: str | int | None = 1) -> DailyList:
    """Active follow-ups on ``day`` the user sees: the counts of all of them (one aggregate
    query) and the ``page``-th page of ``DAILY_PAGE_SIZE`` people (one query), with the day's
    check-in and the days missed."""
    counts = daily_counts(user, day)
    shown = Paginator(_DailyRows(user, day, counts.total), DAILY_PAGE_SIZE).get_page(page)
    return DailyList(day, counts, shown)


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
    possible_duplicates: int  # of the registrations counted: same number and day, another phone, not merged

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
        possible_duplicates=visible.filter(POSSIBLE_DUPLICATE, arrival_date__range=(start, end)).count(),
    )


def duplicate_groups(user: Any) -> list[list[Registration]]:
    """People registered more than once (same document number, whatever the phone), not yet
    merged: the first ``DUPLICATE_GROUPS`` groups, each by arrival date — first those with a
    possible duplicate of the same day (``Registration.possible_duplicate``, from the small
    partial index of rows without a day key), then the others (grouped from the partial index
    ``arrivals_reg_person_idx`` alone, no row read)."""
    rows = (
        Registration.objects.visible_to(user)
        .exclude(follow_up_status=FollowUpStatus.MERGED)
        .exclude(id_number_index="")
    )
    same_day = possible_duplicates(user).order_by("id_number_index").values_list("id_number_index", flat=True)
    keys = list(dict.fromkeys(same_day[: DUPLICATE_GROUPS * 2]))[:DUPLICATE_GROUPS]
    if len(keys) < DUPLICATE_GROUPS:
        groups = (
            rows.exclude(id_number_index__in=keys)
            .order_by("id_number_index")
            .values("id_number_index")
            .annotate(n=Count("*"))
            .filter(n__gt=1)
            .values_list("id_number_index", flat=True)
        )
        keys += list(groups[: DUPLICATE_GROUPS - len(keys)])
    records = rows.filter(id_number_index__in=keys).select_related("unit").order_by("arrival_date", "pk")
    grouped: dict[str, list[Registration]] = {key: [] for key in keys}
    for record in records:
        grouped[record.id_number_index].append(record)
    return list(grouped.values())


def possible_duplicates(user: Any) -> QuerySet[Registration]:
    """Registrations with the document number and arrival date of another but another phone,
    not merged yet, that the user sees (the to-do; the partial index of rows without a day key)."""
    return Registration.objects.visible_to(user).filter(POSSIBLE_DUPLICATE)


def same_day_records(user: Any, registration: Registration) -> QuerySet[Registration]:
    """The user's other unmerged registrations of this document number and arrival date."""
    if not registration.id_number_index or registration.follow_up_status == FollowUpStatus.MERGED:
        return Registration.objects.none()
    return (
        Registration.objects.visible_to(user)
        .filter(id_number_index=registration.id_number_index, arrival_date=registration.arrival_date)
        .exclude(pk=registration.pk)
        .exclude(follow_up_status=FollowUpStatus.MERGED)
    )
