"""Records the theory tests of every part build on: a study group with members and a session, a
lecture team with a lecturer and a lecture, a classroom category and a published item whose media
is one of the project's generated demo files (``DEMO_MEDIA``), a viewer id.

Files written by these factories go to ``MEDIA_ROOT``, which ``xuanchuan/conftest.py`` points at a
folder of each test's own.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.files import File
from django.utils import timezone

from xuanchuan.org.models import Unit, User
from xuanchuan.theory.models import (
    Category,
    ClassItem,
    ItemStatus,
    Lecture,
    Lecturer,
    LectureStatus,
    LectureTeam,
    MediaKind,
    SessionKind,
    StudyGroup,
    StudyMember,
    StudySession,
    TeamLevel,
)

DEMO_MEDIA = Path(__file__).resolve().parent.parent / "demo_media"
# The generated demo files and what they are (content type, whole seconds).
VIDEO_A = ("lecture-a.mp4", "video/mp4", 20)
VIDEO_B = ("lecture-b.mp4", "video/mp4", 12)
AUDIO_M4A = ("talk.m4a", "audio/mp4", 15)
AUDIO_MP3 = ("talk.mp3", "audio/mpeg", 10)


def make_group(unit: Unit, name: str = "区委理论学习中心组", *members: User) -> StudyGroup:
    group = StudyGroup.objects.create(unit=unit, name=name)
    for user in members:
        add_member(group, user)
    return group


def add_member(group: StudyGroup, user: User, role: str = "member") -> StudyMember:
    return StudyMember.objects.create(
        group=group, user=user, role=role, joined_on=timezone.localdate() - timedelta(days=30)
    )


def make_session(
    group: StudyGroup,
    *,
    topic: str = "学习党的创新理论",
    kind: str = SessionKind.STUDY,
    starts_at: datetime | None = None,
    hours: int = 2,
    **fields: Any,
) -> StudySession:
    starts_at = starts_at or timezone.now() - timedelta(minutes=10)
    return StudySession.objects.create(
        unit=group.unit,
        group=group,
        topic=topic,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place=fields.pop("place", "区委第一会议室"),
        **fields,
    )


def make_team(
    unit: Unit, name: str = "红色文艺轻骑兵宣讲队", level: str = TeamLevel.ARTS, **fields: Any
) -> LectureTeam:
    return LectureTeam.objects.create(unit=unit, name=name, level=level, **fields)


def make_lecturer(team: LectureTeam, name: str = "王宣讲", **fields: Any) -> Lecturer:
    return Lecturer.objects.create(unit=team.unit, team=team, name=name, **fields)


def make_lecture(team: LectureTeam, *, topic: str = "全国两会精神进社区", held: bool = False, **fields: Any) -> Lecture:
    starts_at = fields.pop(
        "starts_at", timezone.now() - timedelta(days=1) if held else timezone.now() + timedelta(days=3)
    )
    lecture = Lecture.objects.create(
        unit=fields.pop("unit", team.unit),
        team=team,
        topic=topic,
        starts_at=starts_at,
        place=fields.pop("place", "幸福社区党群服务中心"),
        status=LectureStatus.HELD if held else LectureStatus.PLANNED,
        audience=fields.pop("audience", 60 if held else None),
        **fields,
    )
    return lecture


def make_category(unit: Unit, name: str = "党的创新理论", order: int = 0) -> Category:
    return Category.objects.create(unit=unit, name=name, order=order)


def make_item(
    category: Category,
    *,
    title: str = "微宣讲：全国两会精神",
    media: tuple[str, str, int] = VIDEO_A,
    published: bool = True,
    **fields: Any,
) -> ClassItem:
    """An item whose media is a copy of a generated demo file (stored under MEDIA_ROOT)."""
    filename, content_type, seconds = media
    path = DEMO_MEDIA / filename
    item = ClassItem(
        unit=fields.pop("unit", category.unit),
        category=category,
        title=title,
        speaker=fields.pop("speaker", "王宣讲"),
        kind=MediaKind.VIDEO if content_type.startswith("video/") else MediaKind.AUDIO,
        content_type=content_type,
        size=path.stat().st_size,
        duration_seconds=seconds,
        status=ItemStatus.PUBLISHED if published else ItemStatus.DRAFT,
        published_at=timezone.now() if published else None,
        **fields,
    )
    with path.open("rb") as handle:
        item.media.save(filename, File(handle), save=False)
    item.save()
    return item


def viewer_id() -> str:
    """A viewer id like the classroom's cookie holds (32 hex characters)."""
    return secrets.token_hex(16)
