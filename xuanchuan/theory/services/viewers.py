"""Writes of the public classroom: plays, watch time and resume positions, residents' questions and
staff's review and answers.

Honest counting — the rules the report's figures rest on:

- **Plays.** One ``Play`` per item, viewer and local day (a unique constraint). Pressing play ten
  times the same day changes nothing after the first (``at`` stays the first press); the next day,
  or another viewer, is another play.
- **Watch time.** The item is cut into buckets of ``THEORY_WATCH_BUCKET_SECONDS`` (the last one
  shorter where the length is no multiple). The player reports stretches it actually played
  (``watched_from`` → ``watched_to``); a bucket counts as watched once a reported stretch covers at
  least half of it (a stretch cut in two by a beacon still sets it: one of the two halves covers
  half), and a watched bucket is a bit in ``ViewerProgress.watched``. The viewer's watch time is the
  length of the set buckets, so it never exceeds the item's length, replaying a stretch adds
  nothing, and a part skipped by seeking forward is never reported, so never counted. The seconds
  of buckets first set by a beacon are added to that day's ``Play.watched_seconds`` (the row is
  made if the viewer never pressed play that day), so a period's watch time is the sum over its
  days and each stretch is counted once, ever.
- **Wall clock.** Nobody watches faster than ``MAX_RATE`` times real time (the player's fastest
  speed). ``ViewerProgress.last_at`` is the clock the viewer's counted watching is accounted up to:
  a beacon may count at most ``(now − last_at) × MAX_RATE + SLACK_SECONDS`` seconds (the rest of a
  longer stretch is cut off), and each counted second moves ``last_at`` on by ``1 / MAX_RATE``
  seconds. Unused time does not pile up beyond the item's length. So 20 minutes cannot be claimed
  in 10 seconds, also not by many beacons at once, while two honest beacons sent together (pause
  and leaving the page) both count.
- **Numbers.** Positions and stretches are clamped to 0 … length; a beacon claiming ten hours of a
  twenty-second item counts twenty seconds at most. The saved position (to resume from) goes back to
  0 near the end, so a finished item starts from the beginning next time.

The public services take the viewer id (``xuanchuan.theory.viewer``) instead of a staff user; the
staff services (``approve_question``, ``reject_question``, ``answer_question``) take ``by=`` and
check ``may_manage_classroom`` and the unit scope first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.theory import viewer as viewer_cookie
from xuanchuan.theory.models import ClassItem, ItemStatus, Play, Question, QuestionStatus, ViewerProgress
from xuanchuan.theory.permissions import may_manage_classroom

#: The fastest a player plays (its 2× speed): what a viewer may be counted in a second of wall time.
MAX_RATE = 2.0
#: Seconds of leeway for the clocks of phone and server and the time a beacon travels.
SLACK_SECONDS = 2.0
#: The share of a bucket a reported stretch must cover for the bucket to count as watched.
BUCKET_SHARE = 0.5

QUESTION_MIN = 5
QUESTION_MAX = 500
NICKNAME_MAX = 20


# --- Buckets --------------------------------------------------------------------------------------


def bucket_seconds() -> int:
    return settings.THEORY_WATCH_BUCKET_SECONDS


def bucket_count(duration: int) -> int:
    return math.ceil(duration / bucket_seconds()) if duration > 0 else 0


def bucket_length(index: int, duration: int) -> int:
    """Seconds of bucket ``index`` of an item of ``duration`` seconds (the last may be shorter)."""
    size = bucket_seconds()
    return max(min(size, duration - index * size), 0)


def is_set(bits: bytes, index: int) -> bool:
    return index // 8 < len(bits) and bool(bits[index // 8] >> (index % 8) & 1)


def set_bits(bits: bytes, indexes: list[int]) -> bytes:
    """``bits`` with ``indexes`` set (bucket ``i`` is bit ``i % 8`` of byte ``i // 8``)."""
    data = bytearray(bits)
    for index in indexes:
        if index // 8 >= len(data):
            data.extend(b"\0" * (index // 8 + 1 - len(data)))
        data[index // 8] |= 1 << (index % 8)
    return bytes(data)


def seconds_of(bits: bytes, duration: int) -> int:
    """The watch time a bitmap stands for: the set buckets' lengths (never more than ``duration``)."""
    return sum(bucket_length(index, duration) for index in range(bucket_count(duration)) if is_set(bits, index))


def covered_buckets(start: float, end: float, duration: int) -> list[int]:
    """Buckets that the stretch ``start`` → ``end`` covers by at least ``BUCKET_SHARE``."""
    size = bucket_seconds()
    found = []
    if end <= start:
        return found
    for index in range(int(start // size), min(bucket_count(duration), math.ceil(end / size))):
        length = bucket_length(index, duration)
        overlap = min(end, index * size + length) - max(start, index * size)
        if length and overlap >= length * BUCKET_SHARE - 1e-9:
            found.append(index)
    return found


def _clamp(value: float, duration: int) -> float:
    if not math.isfinite(value):
        raise ServiceError(_("播放位置不是有效的数字。"))
    return min(max(value, 0.0), float(duration))


def resume_position(position: float, duration: int) -> int:
    """Where to resume: ``position`` in whole seconds, 0 near the end (the item was finished)."""
    margin = max(1, min(10, duration // 20))
    whole = int(_clamp(position, duration))
    return 0 if whole >= duration - margin else whole


# --- Plays and progress ---------------------------------------------------------------------------


def _require_public(item: ClassItem, viewer: str) -> None:
    if item.status != ItemStatus.PUBLISHED:
        raise ServiceError(_("该课程未发布。"))
    if not viewer_cookie.valid(viewer):
        raise ServiceError(_("无法识别观看者，请刷新页面后重试。"))


def _progress_for_update(item: ClassItem, viewer: str, moment: datetime) -> ViewerProgress:
    """The viewer's progress row in ``item``, locked (made first if missing; a row made at the same
    moment by another request is taken instead)."""
    rows = ViewerProgress.objects.select_for_update()  # scoping: allowed — the viewer's own row
    found = rows.filter(item=item, viewer=viewer).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            ViewerProgress.objects.create(item=item, viewer=viewer, first_at=moment, last_at=moment)
    except IntegrityError:
        pass  # another request made it in the meantime
    return rows.get(item=item, viewer=viewer)


def _play_of_day(item: ClassItem, viewer: str, moment: datetime) -> tuple[Play, bool]:
    """The viewer's play of ``item`` on the local day of ``moment`` (made, with ``at=moment``, if
    missing); whether it was made now. Two presses at once make one row: the loser of the unique
    constraint takes the winner's."""
    day = timezone.localdate(moment)
    try:
        with transaction.atomic():
            return Play.objects.get_or_create(item=item, viewer=viewer, day=day, defaults={"at": moment})
    except IntegrityError:
        return Play.objects.get(item=item, viewer=viewer, day=day), False


def record_play(item: ClassItem, viewer: str, at: datetime | None = None) -> tuple[Play, bool]:
    """Count a press of play: the viewer's play of the item that day, made at the first press; a
    later press the same day changes nothing. Also starts the viewer's progress (and so the wall
    clock of their watching) at the first press ever."""
    _require_public(item, viewer)
    moment = at or timezone.now()
    with transaction.atomic():
        _progress_for_update(item, viewer, moment)
        return _play_of_day(item, viewer, moment)


@dataclass
class Counted:
    """What one beacon did: the progress row after it, the seconds newly counted, and whether the
    stretch was cut by the wall clock."""

    progress: ViewerProgress
    new_seconds: int
    clipped: bool


def record_progress(
    item: ClassItem,
    viewer: str,
    *,
    position: float,
    watched_from: float | None = None,
    watched_to: float | None = None,
    at: datetime | None = None,
) -> Counted:
    """Save where the viewer is (to resume) and count the stretch they played (rules in the module
    docstring). One transaction with the progress row locked: two beacons at once both land, the
    second sees the first's buckets."""
    _require_public(item, viewer)
    duration = item.duration_seconds
    moment = at or timezone.now()
    resume = resume_position(position, duration)
    start = _clamp(watched_from, duration) if watched_from is not None else 0.0
    end = _clamp(watched_to, duration) if watched_to is not None else start
    with transaction.atomic():
        progress = _progress_for_update(item, viewer, moment)
        clock = max(progress.last_at, moment - timedelta(seconds=duration / MAX_RATE + SLACK_SECONDS))
        budget = max((moment - clock).total_seconds() * MAX_RATE + SLACK_SECONDS, 0.0)
        clipped = end - start > budget
        if clipped:
            end = start + budget
        counted = max(end - start, 0.0)
        before = bytes(progress.watched or b"")
        fresh = [index for index in covered_buckets(start, end, duration) if not is_set(before, index)]
        new_seconds = sum(bucket_length(index, duration) for index in fresh)
        progress.watched = set_bits(before, fresh)
        progress.watched_seconds = seconds_of(progress.watched, duration)
        progress.position = resume
        # Counted watching moves the clock on; a beacon without a stretch leaves it where it was.
        progress.last_at = clock + timedelta(seconds=counted / MAX_RATE) if counted else max(progress.last_at, clock)
        progress.save(update_fields=["watched", "watched_seconds", "position", "last_at"])
        if new_seconds:
            play, _created = _play_of_day(item, viewer, moment)
            Play.objects.filter(pk=play.pk).update(watched_seconds=F("watched_seconds") + new_seconds)
    return Counted(progress=progress, new_seconds=new_seconds, clipped=clipped)


# --- Questions ------------------------------------------------------------------------------------


def sensitive_flags(text: str) -> list[dict]:
    """The proofreading engine's sensitive-word findings in ``text`` (what reviewers look at first)."""
    from xuanchuan.proofing import check

    return [finding.as_dict() for finding in check(text) if finding.kind == "sensitive"]


def ask_question(
    item: ClassItem, viewer: str, *, text: str, nickname: str = "", at: datetime | None = None
) -> Question:
    """A resident's question under a published item, pending review: shown to others only once
    staff approve it; the sensitive-word findings are kept for the reviewer."""
    _require_public(item, viewer)
    text = (text or "").strip()
    nickname = (nickname or "").strip()
    if not QUESTION_MIN <= len(text) <= QUESTION_MAX:
        raise ServiceError(_("问题请写 %(low)s 到 %(high)s 个字。") % {"low": QUESTION_MIN, "high": QUESTION_MAX})
    if len(nickname) > NICKNAME_MAX:
        raise ServiceError(_("称呼最多 %(n)s 个字。") % {"n": NICKNAME_MAX})
    with transaction.atomic():
        return Question.objects.create(
            item=item,
            viewer=viewer,
            nickname=nickname,
            text=text,
            flags=sensitive_flags(text),
            created_at=at or timezone.now(),
        )


def _locked_question(question: Question, by: User) -> Question:
    require(may_manage_classroom(by))
    require_visible_unit(by, question.item.unit)
    # scoping: allowed — the question's unit was checked just above.
    return Question.objects.select_for_update().select_related("item").get(pk=question.pk)


def approve_question(question: Question, *, by: User) -> Question:
    """Show a pending (or earlier rejected) question under its item, to everyone."""
    with transaction.atomic():
        question = _locked_question(question, by)
        if question.status == QuestionStatus.SHOWN:
            raise ServiceError(_("该问题已经公开。"))
        question.status = QuestionStatus.SHOWN
        question.decided_by = by
        question.save(update_fields=["status", "decided_by"])
    return question


def reject_question(question: Question, *, by: User) -> Question:
    """Do not show a question (or take a shown one down): only its asker still sees it, marked."""
    with transaction.atomic():
        question = _locked_question(question, by)
        if question.status == QuestionStatus.REJECTED:
            raise ServiceError(_("该问题已经不予公开。"))
        question.status = QuestionStatus.REJECTED
        question.decided_by = by
        question.save(update_fields=["status", "decided_by"])
    return question


def answer_question(question: Question, *, answer: str, by: User) -> Question:
    """Write or edit the answer; it is shown with the question once the question is shown."""
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError(_("请填写解答内容。"))
    if len(answer) > 2000:
        raise ServiceError(_("解答最多 2000 个字。"))
    with transaction.atomic():
        question = _locked_question(question, by)
        if question.status == QuestionStatus.REJECTED:
            raise ServiceError(_("不予公开的问题不能解答，请先通过审核。"))
        question.answer = answer
        question.answered_by = by
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
    return question
