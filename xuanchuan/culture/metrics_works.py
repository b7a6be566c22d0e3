"""Figures of the culture app's works part (section 五 of the report: 开展××作品征集活动，收到作品×件，
评选出入选作品×件并在网上展出): calls for works, works received, accepted and shown online.

Each figure counts the records of calls of its unit and the units below it (``within(unit)`` on
the call's unit; the district, ``unit=None``, counts all), in the period.
"""

from __future__ import annotations

from django.db.models import QuerySet

from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionStatus
from xuanchuan.org.models import Unit
from xuanchuan.reports.registry import Period, figure


@figure(
    "culture.calls_for_works",
    label="作品征集活动",
    unit="次",
    synonyms=("作品征集", "征集活动", "作品征集活动", "征集"),
    description="期间内处于征集时间（开始时间早于期末、截止时间晚于期初）的已发布作品征集活动，不含未发布的。",
)
def calls_for_works(period: Period, unit: Unit | None) -> QuerySet:
    """期间内开展的作品征集活动（次）。"""
    return (
        CallForWorks.objects.within(unit)
        .filter(opens_at__lt=period.end_datetime, closes_at__gt=period.start_datetime)
        .exclude(status=CallStatus.DRAFT)
    )


@figure(
    "culture.works_received",
    label="征集作品",
    unit="件",
    synonyms=("收到作品", "征集作品", "创作作品", "艺术作品", "投稿", "收到投稿", "征集到作品"),
    description="期间内居民通过手机页面提交到作品征集活动的作品（按提交时间），不论审核结果。",
    date_field="created_at",
)
def works_received(period: Period, unit: Unit | None) -> QuerySet:
    """期间内收到的征集作品（件）。"""
    return Submission.objects.within(unit).filter(period.q_instant("created_at"))


@figure(
    "culture.works_accepted",
    label="入选作品",
    unit="件",
    synonyms=("入选作品", "采用作品", "评选出作品", "优秀作品"),
    description="期间内审核为入选的征集作品（按审核时间），计当前仍为入选的。",
    date_field="decided_at",
)
def works_accepted(period: Period, unit: Unit | None) -> QuerySet:
    """期间内审核入选的作品（件）。"""
    return Submission.objects.within(unit).filter(period.q_instant("decided_at"), status=SubmissionStatus.ACCEPTED)


@figure(
    "culture.works_shown",
    label="网上展出作品",
    unit="件",
    synonyms=("网上展览", "展出作品", "线上展览", "网上展出", "线上展出作品"),
    description="期间内审核入选、所属征集的网上展览现在开放着的作品（按审核时间）。"
    "展览是否开放按当前状态计：关闭展览后，其作品不再计入。",
    date_field="decided_at",
)
def works_shown(period: Period, unit: Unit | None) -> QuerySet:
    """期间内入选并在网上展览中展出的作品（件）。"""
    return Submission.objects.within(unit).filter(
        period.q_instant("decided_at"), status=SubmissionStatus.ACCEPTED, call__exhibition_open=True
    )
