"""Figures of 来返人员登记 for the report. ``outbreak`` reads ``arrivals.registrations`` and
``arrivals.under_follow_up`` through the registry to pre-fill daily reports: keep those keys.

Each figure counts registrations (a merged duplicate not at all). A possible duplicate — the same
document number and arrival date from another phone — counts as a registration of its own until
staff merge it, and every description says so: counting it once would decide, without anyone
having checked, that two submissions are one person (the second may be someone who typed another
person's number), and the index-only counts would need the document number, which is erased
after the retention period. The statistics page shows how many are waiting."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xuanchuan.arrivals.models import FollowUpPlan, FollowUpStatus, Registration, RiskLevel
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Period, figure


def _registrations(unit: Unit | None) -> QuerySet:
    return Registration.objects.within(unit).exclude(follow_up_status=FollowUpStatus.MERGED)


@figure(
    "arrivals.registrations",
    label="来返人员登记人数",
    unit="人",
    synonyms=("来返人员", "返乡人员", "登记来返人员"),
    date_field="arrival_date",
)
def registrations(period: Period, unit: Unit | None) -> QuerySet:
    """到达日期在期间内的来返人员登记（已合并的重复登记不计）。同一证件号码同一到达日期用不同手机号码
    登记的疑似重复登记，社区核实合并前各计一次（见“疑似重复”页）。"""
    return _registrations(unit).filter(arrival_date__range=(period.start, period.end))


@figure(
    "arrivals.high_risk_registrations",
    label="中高风险地区来返人数",
    unit="人",
    synonyms=("中高风险地区来返人员",),
    date_field="arrival_date",
)
def high_risk_registrations(period: Period, unit: Unit | None) -> QuerySet:
    """到达日期在期间内、来自或途经中高风险地区的来返人员；未合并的疑似重复登记各计一次。"""
    return registrations(period, unit).filter(risk_level__in=(RiskLevel.HIGH, RiskLevel.MEDIUM))


@figure(
    "arrivals.follow_ups_completed",
    label="完成健康跟踪人数",
    unit="人",
    synonyms=("解除跟踪", "解除观察"),
    date_field="completed_on",
)
def follow_ups_completed(period: Period, unit: Unit | None) -> QuerySet:
    """期间内解除跟踪（健康监测或居家观察期满）的人员；未合并的疑似重复登记各计一次。"""
    return _registrations(unit).filter(
        follow_up_status=FollowUpStatus.COMPLETED, completed_on__range=(period.start, period.end)
    )


@figure("arrivals.under_follow_up", label="期末在管跟踪人数", unit="人", synonyms=("在管人员", "居家观察", "健康监测"))
def under_follow_up(period: Period, unit: Unit | None) -> QuerySet:
    """期末当天处于跟踪中的人员：跟踪已开始，且当天尚未解除；未合并的疑似重复登记各计一次。"""
    end = period.end
    not_released = Q(follow_up_status=FollowUpStatus.ACTIVE) | Q(
        follow_up_status=FollowUpStatus.COMPLETED, completed_on__gt=end
    )
    return _registrations(unit).exclude(plan=FollowUpPlan.NONE).filter(not_released, follow_up_start__lte=end)


@figure(
    "arrivals.home_observations", label="居家隔离观察人数", unit="人", synonyms=("居家隔离",), date_field="arrival_date"
)
def home_observations(period: Period, unit: Unit | None) -> QuerySet:
    """到达日期在期间内、安排居家隔离观察的人员；未合并的疑似重复登记各计一次。"""
    return registrations(period, unit).filter(plan=FollowUpPlan.HOME_OBSERVATION)
