"""Figures of the publishing app's review part (see ``metrics.py``): section 二's “在×政务网、
“×宣传”等新媒体……累计发表各类稿件×余篇” and section 六's “严格信息发布‘三审制度’”: items published
on the district's own outlets, items that passed the three-step review, items returned in
review, items taken down."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from xuanchuan.org.models import Unit
from xuanchuan.publishing.models import Publication, PublicationStatus, ReviewRound, ReviewTask, RoundStatus, TaskStatus
from xuanchuan.reports.registry import Period, figure


@figure(
    "publishing.publications_published",
    label="在本区网站和新媒体发表的稿件数",
    unit="篇",
    synonyms=("累计发表各类稿件", "各类稿件", "发表各类稿件", "发表稿件", "发布稿件", "发布信息", "稿件"),
    date_field="published_at",
)
def publications_published(period: Period, unit: Unit | None) -> QuerySet:
    """期间内经三审后在本区政务网站和政务新媒体发布的稿件（含此后下架的），按发布时间计；单位为撰稿单位。"""
    on_outlets = Publication.outlets.through.objects.filter(publication_id=OuterRef("pk"))
    return Publication.objects.within(unit).filter(
        Exists(on_outlets),
        status__in=(PublicationStatus.PUBLISHED, PublicationStatus.TAKEN_DOWN),
        published_at__date__range=(period.start, period.end),
    )


@figure(
    "publishing.publications_reviewed",
    label="经三审通过的稿件数",
    unit="篇",
    synonyms=("经三审发布稿件", "经三审发布", "三审制度", "三审", "审核发布", "审核通过"),
    date_field="finished_at",
)
def publications_reviewed(period: Period, unit: Unit | None) -> QuerySet:
    """期间内初审、复审、终审依次通过的送审（终审通过时间在期间内）。"""
    return ReviewRound.objects.within(unit).filter(
        status=RoundStatus.APPROVED, finished_at__date__range=(period.start, period.end)
    )


@figure(
    "publishing.publications_returned",
    label="审核中退回修改的稿件数",
    unit="篇",
    synonyms=("退回修改", "退回修改稿件", "审核退回", "退回"),
    date_field="finished_at",
)
def publications_returned(period: Period, unit: Unit | None) -> QuerySet:
    """期间内在初审、复审或终审中被退回作者修改的稿件（每退回一次计一篇次）。"""
    return ReviewTask.objects.within(unit).filter(
        status=TaskStatus.RETURNED, finished_at__date__range=(period.start, period.end)
    )


@figure(
    "publishing.publications_taken_down",
    label="下架的稿件数",
    unit="篇",
    synonyms=("下架稿件", "下架", "撤稿"),
    date_field="taken_down_at",
)
def publications_taken_down(period: Period, unit: Unit | None) -> QuerySet:
    """期间内发布后被下架的稿件（有下架原因）。"""
    return Publication.objects.within(unit).filter(
        status=PublicationStatus.TAKEN_DOWN, taken_down_at__date__range=(period.start, period.end)
    )
