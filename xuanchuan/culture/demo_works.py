"""Demo data of the culture app's works part: calls for works (剪纸 at the cultural centre every
year, 沙画 in 城关街道 last year), each with works residents sent from their phones (small
images drawn with Pillow, authors with obviously fake phones 1380000xxxx in the encrypted fields),
most accepted, some rejected, and the online exhibition open; this year a calligraphy call still
taking works, with works waiting for review. Each year receives and accepts a little more than the
one before.

This year's call goes through the services (created, published, works submitted and decided); the
earlier years' closed calls are written directly with their dates in the past.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from xuanchuan.core.demo import DemoContext
from xuanchuan.culture.models import CallForWorks, CallStatus, Submission, SubmissionImage, SubmissionStatus
from xuanchuan.culture.services import works as services
from xuanchuan.org.demo import GIVEN_NAME_CHARS, SURNAMES
from xuanchuan.org.models import Unit, User

# (title, art forms, art form of the works, unit name, first day (month, day), days open)
PAST_CALLS = (
    ("{year}年“剪出新春”剪纸作品征集", "剪纸", "剪纸", "区文化馆", (1, 6), 40),
    ("{year}年“沙绘家乡”沙画作品征集", "沙画、剪纸", "沙画", "城关街道", (9, 1), 35),
)
WORK_TITLES = {
    "剪纸": ("福字窗花", "喜鹊登梅", "连年有余", "十二生肖", "团花", "五谷丰登", "春牛图", "家乡石桥"),
    "沙画": ("老街记忆", "稻田晨光", "渡口", "山村夜色", "丰收", "梯田", "古镇", "回家"),
    "书画": ("厚德载物", "梅兰竹菊", "清风", "山水小品", "宁静致远", "国泰民安", "荷塘", "春江"),
}
PUBLIC_NAMES = ("巧手阿婶", "小石头", "竹影", "南湖居士", "纸上花开", "一叶", "", "山月", "老街人", "")
ORGS = ("城关街道幸福社区", "文昌街道", "区实验小学", "南湖街道老年协会", "", "新华街道")
COLOURS = ("#c8102e", "#b22222", "#d4a017", "#2f4f4f", "#8b4513", "#1e3a5f")
# Works received and rejected per year (shared by the year's calls), a little more each year: one
# call the year before last, two last year, two this year (one still taking works).
RECEIVED = (10, 12, 15)
REJECTED = (2, 3, 2)
PENDING_NOW = 3


def _image(ctx: DemoContext, art_form: str) -> bytes:
    """A small picture of a work: red paper-cut shapes, a sand-coloured scene, or ink strokes."""
    size = 360
    paper = {"剪纸": "#fff8f0", "沙画": "#3b2f2f", "书画": "#f5efe0"}[art_form]
    image = Image.new("RGB", (size, size), paper)
    draw = ImageDraw.Draw(image)
    colour = ctx.rng.choice(COLOURS) if art_form != "沙画" else "#e0c080"
    for _n in range(ctx.rng.randint(4, 9)):
        x, y = ctx.rng.randint(20, size - 80), ctx.rng.randint(20, size - 80)
        w, h = ctx.rng.randint(30, 120), ctx.rng.randint(30, 120)
        shape = ctx.rng.choice(("ellipse", "rectangle", "polygon"))
        if shape == "ellipse":
            draw.ellipse((x, y, x + w, y + h), outline=colour, width=ctx.rng.randint(3, 9))
        elif shape == "rectangle":
            draw.rectangle((x, y, x + w, y + h), fill=colour if art_form == "剪纸" else None, outline=colour, width=4)
        else:
            draw.polygon([(x, y + h), (x + w // 2, y), (x + w, y + h)], fill=colour)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _upload(ctx: DemoContext, art_form: str, n: int) -> ContentFile:
    return ContentFile(_image(ctx, art_form), name=f"work-{n}.jpg")


def _author(ctx: DemoContext) -> tuple[str, str]:
    given = "".join(ctx.rng.choice(GIVEN_NAME_CHARS) for _ in range(ctx.rng.choice((1, 2))))
    return ctx.rng.choice(SURNAMES) + given, f"1380000{ctx.rng.randint(0, 9999):04d}"


def _unit(ctx: DemoContext, name: str) -> Unit:
    found = [unit for unit in ctx.shared["units_by_code"].values() if unit.name == name]
    return found[0] if found else ctx.shared["district"]


def _at(ctx: DemoContext, year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime.combine(datetime(year, month, day).date(), time(9, 0)))


def _between(ctx: DemoContext, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=ctx.rng.randint(0, max(1, int((end - start).total_seconds()))))


def seed(ctx: DemoContext) -> None:
    admin = ctx.shared["users_by_role"]["dept_admin"][0]
    first, second, this = ctx.years
    received = _past_works(ctx, _past_call(ctx, first, PAST_CALLS[0], admin), RECEIVED[0], REJECTED[0], admin)
    for spec, count, rejected in zip(PAST_CALLS, _split(RECEIVED[1]), _split(REJECTED[1]), strict=True):
        received += _past_works(ctx, _past_call(ctx, second, spec, admin), count, rejected, admin)
    early = 0
    if _at(ctx, this, *PAST_CALLS[0][4]) + timedelta(days=PAST_CALLS[0][5] + 15) < ctx.now:
        # This year's paper-cut call is over and shown: the open call has the rest of the works.
        early = _past_works(ctx, _past_call(ctx, this, PAST_CALLS[0], admin), RECEIVED[2] // 2, 1, admin)
    received += early + _this_year(ctx, admin, RECEIVED[2] - early)
    shown = Submission.objects.filter(status=SubmissionStatus.ACCEPTED, call__exhibition_open=True).count()
    ctx.log(f"作品征集 {CallForWorks.objects.count()} 次，收到作品 {received} 件，网上展出 {shown} 件")


def _split(total: int) -> tuple[int, int]:
    return total // 2, total - total // 2


def _past_call(ctx: DemoContext, year: int, spec: tuple, admin: User) -> CallForWorks:
    title, art_forms, _form, unit_name, (month, day), days = spec
    opens = _at(ctx, year, month, day)
    return CallForWorks.objects.create(
        unit=_unit(ctx, unit_name),
        title=title.format(year=year),
        theme="围绕乡村振兴、文明新风、家乡变化创作，作品须为本人原创；评选出的入选作品在网上展览展出。",
        art_forms=art_forms,
        opens_at=opens,
        closes_at=opens + timedelta(days=days),
        consent_text=services.DEFAULT_CONSENT,
        status=CallStatus.CLOSED,
        exhibition_open=True,
        created_by=admin,
    )


def _past_works(ctx: DemoContext, call: CallForWorks, count: int, rejected: int, admin: User) -> int:
    art_form = services.art_form_list(call)[0]
    for n in range(count):
        created = _between(ctx, call.opens_at, call.closes_at)
        name, phone = _author(ctx)
        status = SubmissionStatus.REJECTED if n < rejected else SubmissionStatus.ACCEPTED
        work = Submission.objects.create(
            call=call,
            title=WORK_TITLES[art_form][(n + call.pk) % len(WORK_TITLES[art_form])],
            art_form=art_form,
            author_name=name,
            author_phone=phone,
            public_name=ctx.rng.choice(PUBLIC_NAMES),
            author_org=ctx.rng.choice(ORGS),
            consented_at=created,
            created_at=created,
            status=status,
            decided_by=admin,
            decided_at=call.closes_at + timedelta(days=ctx.rng.randint(3, 12)),
            note="" if status == SubmissionStatus.ACCEPTED else "与征集主题不符",
        )
        for order in range(ctx.rng.choice((1, 1, 2))):
            data = _image(ctx, art_form)
            item = SubmissionImage.objects.create(
                submission=work, image=ContentFile(data, name=f"work-{work.pk}-{order}.jpg"), order=order
            )
            default_storage.save(services.thumbnail_name(item.image.name), services.make_thumbnail(data))
    return count


def _this_year(ctx: DemoContext, admin: User, total: int) -> int:
    """A calligraphy call opened a month ago (or on 1 January), still taking works: most works
    decided through the services, a few waiting for review; its exhibition shows the accepted."""
    start_of_year = _at(ctx, ctx.today.year, 1, 1)
    opens = max(ctx.now - timedelta(days=30), start_of_year - timedelta(hours=9))
    data = services.CallInput(
        unit=_unit(ctx, "区文化和旅游局"),
        title=f"{ctx.today.year}年“翰墨传家风”书画作品征集",
        theme="以家风家训、文明新风为主题的书法、国画作品，尺幅不限，拍照上传清晰图片即可。",
        art_forms="书法、国画",
        opens_at=opens,
        closes_at=ctx.now + timedelta(days=20),
    )
    call = services.open_call(services.create_call(data, by=admin), by=admin)
    decided = total - PENDING_NOW
    window = max(opens, start_of_year)
    for n in range(total):
        name, phone = _author(ctx)
        art_form = ctx.rng.choice(("书法", "国画"))
        work = services.submit_work(
            call,
            services.SubmissionInput(
                title=WORK_TITLES["书画"][n % len(WORK_TITLES["书画"])],
                art_form=art_form,
                author_name=name,
                author_phone=phone,
                public_name=ctx.rng.choice(PUBLIC_NAMES),
                author_org=ctx.rng.choice(ORGS),
                consent=True,
                images=[_upload(ctx, "书画", n)],
            ),
        )
        created = _between(ctx, window, ctx.now - timedelta(hours=2))
        Submission.objects.filter(pk=work.pk).update(created_at=created, consented_at=created)
        if n < decided:
            accept = n != 1
            services.decide(work, accept=accept, note="" if accept else "图片模糊，无法评审", by=admin)
            Submission.objects.filter(pk=work.pk).update(decided_at=_between(ctx, created, ctx.now))
    services.set_exhibition(call, open=True, by=admin)
    return total
