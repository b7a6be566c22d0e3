"""The rules of classification and follow-up, as pure functions of the data.

A person is at the highest risk level of any area that covers a place they came from or passed
through while it was at risk, counted over the ``LOOKBACK_DAYS`` before their arrival. The level
decides the follow-up plan and its length; day 1 of the follow-up is the arrival date (the
official start), whatever day staff first open the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from xuanchuan.arrivals.divisions import covers, full_name
from xuanchuan.arrivals.models import RISK_RANK, FollowUpPlan, RiskArea, RiskLevel

LOOKBACK_DAYS = 14
# Level → (plan, days of follow-up).
PLANS: dict[str, tuple[str, int]] = {
    RiskLevel.HIGH: (FollowUpPlan.HOME_OBSERVATION, 14),
    RiskLevel.MEDIUM: (FollowUpPlan.HEALTH_MONITORING, 14),
    RiskLevel.LOW: (FollowUpPlan.HEALTH_MONITORING, 7),
    RiskLevel.NONE: (FollowUpPlan.NONE, 0),
}
FEVER_FROM = 37.3


@dataclass(frozen=True)
class Classification:
    """The outcome for one registration."""

    level: str
    reason: str
    plan: str
    days: int


def exposure_window(arrival: date) -> tuple[date, date]:
    """The days a person may have spent in the places they name."""
    return arrival - timedelta(days=LOOKBACK_DAYS), arrival


def classify(places: Iterable[str], arrival: date, areas: Iterable[RiskArea]) -> Classification:
    """Classify a person from ``places`` (division codes) and the arrival date."""
    first, last = exposure_window(arrival)
    level, reasons = RiskLevel.NONE, []
    places = [code for code in places if code]
    for area in areas:
        if not area.active_during(first, last):
            continue
        hits = [code for code in places if covers(area.division_code, code)]
        if not hits:
            continue
        reasons.append(f"{full_name(hits[0])}：{area.get_level_display()}（{area.starts_on:%Y-%m-%d}起）")
        if RISK_RANK[area.level] > RISK_RANK[level]:
            level = RiskLevel(area.level)
    plan, days = PLANS[level]
    return Classification(level, "；".join(reasons)[:300], plan, days)


def is_abnormal(temperature: float, symptoms: str) -> bool:
    """A check-in that needs attention: fever or any symptom written down."""
    return temperature >= FEVER_FROM or bool(symptoms.strip())
