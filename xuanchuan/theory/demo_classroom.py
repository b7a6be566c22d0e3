"""Demo data of the theory app, third part: the cloud classroom (云课堂). Categories of the publicity
department; items whose media are copies of the project's own generated files in ``demo_media``
(a few seconds of test-pattern video and tone audio, no recordings, no downloads), saved through
the ``FileField`` with the shipped poster for videos; published over the three years, one withdrawn
last year, one still a draft.

Viewers (anonymous ids) come in every year, more each year; each watches a few items on one to
three days. Their progress and plays agree with each other the way the classroom counts them: a
viewer watches a growing prefix of an item, so the watched bitmap is that prefix's buckets, the
progress's ``watched_seconds`` their length, and each day's ``Play.watched_seconds`` what that day
added. Plays start at every hour of the day in every year (the report's “24小时不打烊” is then
honestly 24), most in the mornings and evenings. Residents' questions: most shown with an answer,
some rejected, a few waiting for review now.

``--size large`` makes about seventy times as many viewers: more than a hundred thousand plays,
inserted a batch of viewers at a time.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from xuanchuan.core.demo import DemoContext, bulk_insert
from xuanchuan.theory.models import (
    Category,
    ClassItem,
    ItemStatus,
    MediaKind,
    Play,
    Question,
    QuestionStatus,
    ViewerProgress,
)

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
# The generated demo files (see demo_media/README.md): name, content type, whole seconds.
VIDEO_A = ("lecture-a.mp4", "video/mp4", 20)
VIDEO_B = ("lecture-b.mp4", "video/mp4", 12)
AUDIO_M4A = ("talk.m4a", "audio/mp4", 15)
AUDIO_MP3 = ("talk.mp3", "audio/mpeg", 10)
CATEGORIES = ("党的创新理论", "政策解读", "身边故事", "红色文艺")
POSTERS = {VIDEO_A[0]: "lecture-a.jpg", VIDEO_B[0]: "lecture-b.jpg"}
# (title, category, media, speaker, year index published, status)
ITEMS = (
    ("微宣讲：党的二十大精神“十个一”", 0, VIDEO_A, "区委理论宣讲团", 0, ItemStatus.PUBLISHED),
    ("三分钟读懂政府工作报告", 1, VIDEO_B, "区直机关干部职工宣讲队", 0, ItemStatus.PUBLISHED),
    ("老党员讲红色故事：小山村的第一面党旗", 2, AUDIO_M4A, "青山镇党员群众宣讲队", 0, ItemStatus.PUBLISHED),
    ("快板《点赞我的国》", 3, VIDEO_A, "“红色文艺轻骑兵”志愿服务队", 0, ItemStatus.PUBLISHED),
    ("医保报销怎么办？一听就懂", 1, AUDIO_MP3, "区医保政策宣讲员", 0, ItemStatus.PUBLISHED),
    ("微宣讲：中国式现代化", 0, VIDEO_B, "区委党校教授宣讲团", 1, ItemStatus.PUBLISHED),
    ("孝善宴上的好家风", 2, AUDIO_M4A, "城关街道党员群众宣讲队", 1, ItemStatus.PUBLISHED),
    ("微宣讲：全国“两会”精神", 0, VIDEO_A, "区委理论宣讲团", 2, ItemStatus.PUBLISHED),
    ("疫情防控政策问答（已过时）", 1, AUDIO_MP3, "区直机关干部职工宣讲队", 0, ItemStatus.WITHDRAWN),
    ("情景剧《初心》（剪辑中）", 3, VIDEO_B, "“红色文艺轻骑兵”志愿服务队", 2, ItemStatus.DRAFT),
)
QUESTIONS = (
    "请问“两个确立”的决定性意义怎么理解？",
    "城乡居民医保在外地住院怎么报销？",
    "视频里说的“枫桥经验”具体指什么？",
    "村里的孝善宴怎么申请举办？",
    "退休人员还需要参加组织生活吗？",
    "能不能多讲讲垃圾分类的新规定？",
)
ANSWERS = (
    "感谢您的提问。可以结合视频第二部分学习，我们已把相关解读材料放在课程简介中。",
    "您好，异地就医需先备案，可在手机上办理，详情可拨打区医保局咨询电话。",
    "谢谢关注，下一期微宣讲将专门讲解这一内容，欢迎继续收看。",
)
# How likely a play starts at each hour of the day (mornings and evenings most).
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 9, 6, 5, 5, 7, 6, 4, 4, 4, 5, 7, 10, 12, 11, 7, 3)
VIEWER_BATCH = 2000


def at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)))


def seed(ctx: DemoContext) -> list[ClassItem]:
    items = _items(ctx)
    plays = _viewing(ctx, items)
    questions = _questions(ctx, items)
    ctx.log(f"云课堂课程 {len(items)} 个，播放 {plays[0]} 次，观看者 {plays[1]} 人，群众提问 {questions} 条")
    return items


def _items(ctx: DemoContext) -> list[ClassItem]:
    unit = ctx.shared["publicity_department"]
    admin = ctx.shared["users_by_role"]["dept_admin"][0]
    categories = [
        Category.objects.create(unit=unit, name=name, order=index, created_by=admin)
        for index, name in enumerate(CATEGORIES)
    ]
    items = []
    for index, (title, category, media, speaker, year_index, status) in enumerate(ITEMS):
        filename, content_type, seconds = media
        year = ctx.years[year_index]
        published = min(at(date(year, 1 + index % 4, 5 + index), 10), ctx.now - timedelta(days=1))
        item = ClassItem(
            unit=unit, category=categories[category], title=title, speaker=speaker, created_by=admin,
            description=f"{speaker}录制的微宣讲，{seconds}秒，可随时收看。",
            kind=MediaKind.VIDEO if content_type.startswith("video/") else MediaKind.AUDIO,
            content_type=content_type, size=(DEMO_MEDIA / filename).stat().st_size, duration_seconds=seconds,
            status=status, published_at=published if status != ItemStatus.DRAFT else None,
            created_at=published - timedelta(days=1),
        )  # fmt: skip
        with (DEMO_MEDIA / filename).open("rb") as handle:
            item.media.save(filename, File(handle), save=False)
        if filename in POSTERS:
            with (DEMO_MEDIA / POSTERS[filename]).open("rb") as handle:
                item.poster.save(POSTERS[filename], File(handle), save=False)
        item.save()
        items.append(item)
    # The withdrawn item came down in the middle of last year.
    withdrawn = [item for item in items if item.status == ItemStatus.WITHDRAWN]
    ClassItem.objects.filter(pk__in=[item.pk for item in withdrawn]).update(withdrawn_at=at(date(ctx.years[1], 6, 15)))
    for item in withdrawn:
        item.withdrawn_at = at(date(ctx.years[1], 6, 15))
    return items


def _seconds(buckets: int, duration: int) -> int:
    return min(buckets * settings.THEORY_WATCH_BUCKET_SECONDS, duration)


def _prefix_bits(buckets: int) -> bytes:
    """The bitmap of the first ``buckets`` buckets watched (bucket ``i`` is bit ``i % 8`` of byte ``i // 8``)."""
    data = bytearray(math.ceil(buckets / 8))
    for index in range(buckets):
        data[index // 8] |= 1 << (index % 8)
    return bytes(data)


def _viewing(ctx: DemoContext, items: list[ClassItem]) -> tuple[int, int]:
    """Viewers, their progress and their plays, year by year, a batch of viewers at a time."""
    plays = viewers = 0
    last_day = ctx.today - timedelta(days=1)
    for number, year in enumerate(ctx.years):
        first, last = date(year, 1, 1), min(date(year, 12, 31), last_day)
        if last < first:
            continue
        forced_hours = list(range(24))  # one play at each hour of the day first, then as people watch
        count = ctx.scaled(150, 10000) + number * ctx.scaled(50, 4000)
        progress_rows: list[ViewerProgress] = []
        play_rows: list[Play] = []
        for index in range(count):
            viewer = f"{ctx.rng.getrandbits(128):032x}"
            for item in ctx.rng.sample(items, ctx.rng.randint(1, 4)):
                online_from = timezone.localdate(item.published_at) if item.published_at else None
                online_to = timezone.localdate(item.withdrawn_at) if item.status == ItemStatus.WITHDRAWN else last
                if item.status == ItemStatus.DRAFT or online_from is None:
                    continue
                start, end = max(first, online_from), min(last, online_to)
                if end < start:
                    continue
                made = _pair(ctx, item, viewer, start, end, forced_hours)
                progress_rows.append(made[0])
                play_rows.extend(made[1])
            if (index + 1) % VIEWER_BATCH == 0 or index + 1 == count:
                bulk_insert(ViewerProgress, progress_rows, keep_ids=False)
                plays += bulk_insert(Play, play_rows, keep_ids=False)
                progress_rows, play_rows = [], []
        viewers += count
    return plays, viewers


def _pair(
    ctx: DemoContext, item: ClassItem, viewer: str, start: date, end: date, forced_hours: list[int]
) -> tuple[ViewerProgress, list[Play]]:
    """One viewer's progress in one item and their plays of it, on one to three days: each day
    watches a little further (a prefix of the item), and the day's play holds what it added."""
    span = (end - start).days
    day = start + timedelta(days=ctx.rng.randint(0, span))
    days = [day]
    for _ in range(ctx.rng.choices((0, 1, 2), weights=(6, 3, 1))[0]):
        later = days[-1] + timedelta(days=ctx.rng.randint(1, 20))
        if later <= end:
            days.append(later)
    duration = item.duration_seconds
    buckets = math.ceil(duration / settings.THEORY_WATCH_BUCKET_SECONDS)
    final = buckets if ctx.chance(0.6) or buckets == 1 else ctx.rng.randint(1, buckets - 1)
    reached = sorted(ctx.rng.randint(1, final) for _ in days[:-1]) + [final]
    plays, before = [], 0
    for play_day, upto in zip(days, reached, strict=True):
        hour = forced_hours.pop() if forced_hours else ctx.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        moment = at(play_day, hour, ctx.rng.randint(0, 59), ctx.rng.randint(0, 59))
        added = _seconds(upto, duration) - _seconds(before, duration)
        plays.append(Play(item=item, viewer=viewer, day=play_day, at=moment, watched_seconds=added))
        before = upto
    watched = _seconds(final, duration)
    progress = ViewerProgress(
        item=item, viewer=viewer, position=0 if final == buckets else watched, watched=_prefix_bits(final),
        watched_seconds=watched, first_at=plays[0].at, last_at=plays[-1].at + timedelta(seconds=watched),
    )  # fmt: skip
    return progress, plays


def _questions(ctx: DemoContext, items: list[ClassItem]) -> int:
    admin = ctx.shared["users_by_role"]["dept_admin"][0]
    online = [item for item in items if item.status == ItemStatus.PUBLISHED]
    rows = []
    for year in ctx.years:
        start, end = ctx.year_span(year)
        choices = [item for item in online if item.published_at < end - timedelta(days=3)] or online
        for _ in range(ctx.scaled(8, 80)):
            item = ctx.rng.choice(choices)
            asked = ctx.random_datetime_between(max(start, item.published_at), end - timedelta(days=3))
            rejected = ctx.chance(0.15)
            question = Question(
                item=item, viewer=f"{ctx.rng.getrandbits(128):032x}", nickname=ctx.rng.choice(("", "老王", "社区居民")),
                text=ctx.rng.choice(QUESTIONS), created_at=asked, decided_by=admin,
                status=QuestionStatus.REJECTED if rejected else QuestionStatus.SHOWN,
            )  # fmt: skip
            if not rejected:
                question.answer = ctx.rng.choice(ANSWERS)
                question.answered_by = admin
                question.answered_at = min(asked + timedelta(hours=ctx.rng.randint(2, 48)), ctx.now)
            rows.append(question)
    for days in (1, 2, 4):  # waiting for review now
        rows.append(
            Question(
                item=online[days % len(online)],
                viewer=f"{ctx.rng.getrandbits(128):032x}",
                text=ctx.rng.choice(QUESTIONS),
                created_at=ctx.now - timedelta(days=days, hours=3),
            )  # fmt: skip
        )
    bulk_insert(Question, rows, keep_ids=False)
    return len(rows)
