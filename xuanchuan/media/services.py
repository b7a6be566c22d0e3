"""Every write of the outreach records (docs/architecture.md §4): permission first, then the
acting user's scope, then the rules (``ServiceError``), one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.media import importers
from xuanchuan.media.models import (
    Account,
    Campaign,
    Episode,
    FollowerDay,
    ImportLog,
    Level,
    Material,
    MaterialKind,
    Platform,
    Post,
    PressArticle,
    Programme,
    ProgrammeKind,
)
from xuanchuan.media.permissions import may_enter, may_enter_for, may_manage_campaigns
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import user_sees_all_units
from xuanchuan.org.services import district_root

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_QUANTITY = 100_000_000
# Magic numbers of the files a clipping or a photo may be.
UPLOAD_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
)
POST_FIELDS = (
    "title",
    "kind",
    "reads",
    "readers",
    "likes",
    "shares",
    "comments",
    "favourites",
    "follows",
    "delivered",
    "completion_rate",
    "url",
)


def _require_unit(by: User, unit: Unit) -> None:
    require(may_enter_for(by, unit), _("只能为本单位或下级单位填报。"))


def _require_visible(by: User, record: Any) -> None:
    """The record must be one the acting user sees (else the same refusal as for no permission)."""
    require(type(record).objects.visible_to(by).filter(pk=record.pk).exists())


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date, label: str) -> None:
    if day > _today():
        raise ServiceError(_("%(label)s不能晚于今天。") % {"label": label})


def _text(value: str, label: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ServiceError(_("请填写%(label)s。") % {"label": label})
    if len(value) > limit:
        raise ServiceError(_("%(label)s不能超过 %(limit)d 个字。") % {"label": label, "limit": limit})
    return value


def upload_kind(upload: UploadedFile) -> str:
    """The kind of an image (png, jpg, gif) or PDF of at most 10 MB, from its content; it also
    names the stored file, so the file is later served as what it is, whatever it was called."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ServiceError(_("文件不能超过 10 MB。"))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in UPLOAD_SIGNATURES:
        if head.startswith(signature):
            return kind
    raise ServiceError(_("只能上传图片（JPG、PNG、GIF）或 PDF 文件。"))


# --- Press coverage --------------------------------------------------------------------------------


@dataclass
class ArticleData:
    """What a person enters for a press article."""

    title: str
    outlet: str
    level: str
    published_on: date
    url: str = ""
    topic: str = ""
    campaign: Campaign | None = None


def save_article(
    data: ArticleData,
    *,
    unit: Unit,
    by: User,
    article: PressArticle | None = None,
    clipping: UploadedFile | None = None,
) -> PressArticle:
    """Record a press article for ``unit`` (or change ``article``)."""
    require(may_enter(by))
    _require_unit(by, unit)
    if article is not None:
        _require_visible(by, article)
    title = _text(data.title, _("标题"), 200)
    outlet = _text(data.outlet, _("媒体"), 100)
    if data.level not in Level.values:
        raise ServiceError(_("请选择媒体级别。"))
    _not_future(data.published_on, _("刊播日期"))
    if data.campaign is not None and not Campaign.objects.visible_to(by).filter(pk=data.campaign.pk).exists():
        raise ServiceError(_("所选宣传活动不存在。"))
    clipping_kind = upload_kind(clipping) if clipping is not None else ""
    if not data.url and clipping is None and not (article and article.clipping):
        raise ServiceError(_("请填写链接或上传剪报（图片或 PDF）。"))
    with transaction.atomic():
        if article is None:
            article = PressArticle(created_by=by)
        else:
            article = PressArticle.objects.select_for_update().get(pk=article.pk)
        article.unit = unit
        article.title, article.outlet, article.level = title, outlet, data.level
        article.published_on, article.url = data.published_on, data.url.strip()
        article.topic, article.campaign = " ".join(data.topic.split())[:100], data.campaign
        if clipping is not None:
            article.clipping_name = (clipping.name or "clipping")[-200:]
            article.clipping.save(f"clipping.{clipping_kind}", clipping, save=False)
        article.save()
    return article


def delete_article(article: PressArticle, *, by: User) -> None:
    require(may_enter(by))
    _require_visible(by, article)
    _require_unit(by, article.unit)
    with transaction.atomic():
        PressArticle.objects.filter(pk=article.pk).delete()


# --- TV and radio ----------------------------------------------------------------------------------


def create_programme(
    *, unit: Unit, name: str, station: str, channel: str = "", kind: str = ProgrammeKind.TV, by: User
) -> Programme:
    require(may_enter(by))
    _require_unit(by, unit)
    name = _text(name.strip().strip("《》"), _("栏目名称"), 100)
    station = _text(station, _("电台/电视台"), 100)
    if kind not in ProgrammeKind.values:
        raise ServiceError(_("请选择栏目类型。"))
    with transaction.atomic():
        if Programme.objects.filter(unit=unit, name=name, station=station).exists():
            raise ServiceError(_("本单位已登记该栏目。"))
        return Programme.objects.create(
            unit=unit, name=name, station=station, channel=" ".join(channel.split())[:100], kind=kind, created_by=by
        )


def add_episode(
    programme: Programme,
    *,
    aired_on: date,
    title: str,
    duration_minutes: int | None = None,
    url: str = "",
    by: User,
) -> Episode:
    require(may_enter(by))
    _require_visible(by, programme)
    _require_unit(by, programme.unit)
    title = _text(title, _("本期标题"), 200)
    _not_future(aired_on, _("播出日期"))
    if duration_minutes is not None and not 0 < duration_minutes <= 24 * 60:
        raise ServiceError(_("时长应在 1 到 1440 分钟之间。"))
    with transaction.atomic():
        if Episode.objects.filter(programme=programme, aired_on=aired_on, title=title).exists():
            raise ServiceError(_("该期节目已登记。"))
        return Episode.objects.create(
            unit=programme.unit,
            programme=programme,
            aired_on=aired_on,
            title=title,
            duration_minutes=duration_minutes,
            url=url.strip(),
            created_by=by,
        )


def delete_episode(episode: Episode, *, by: User) -> None:
    require(may_enter(by))
    _require_visible(by, episode)
    _require_unit(by, episode.unit)
    with transaction.atomic():
        Episode.objects.filter(pk=episode.pk).delete()


# --- New media -------------------------------------------------------------------------------------


def create_account(*, unit: Unit, name: str, platform: str, by: User) -> Account:
    require(may_enter(by))
    _require_unit(by, unit)
    name = _text(name, _("账号名称"), 100)
    if platform not in Platform.values:
        raise ServiceError(_("请选择平台。"))
    with transaction.atomic():
        if Account.objects.filter(unit=unit, platform=platform, name=name).exists():
            raise ServiceError(_("本单位已登记同名账号。"))
        return Account.objects.create(unit=unit, name=name, platform=platform, created_by=by)


def import_export(account: Account, data: bytes, *, file_name: str, by: User) -> ImportLog:
    """Import a platform export for ``account``: all rows or none, the same file twice changes
    nothing, a later export of the same post updates its cumulative numbers."""
    require(may_enter(by))
    _require_visible(by, account)
    _require_unit(by, account.unit)
    parsed = importers.parse_export(data)
    layout = parsed.layout
    if layout.platform != account.platform:
        raise ServiceError(
            _("这是“%(layout)s”导出的文件，而账号“%(account)s”是%(platform)s账号，请选择正确的账号。")
            % {"layout": layout.label, "account": account.name, "platform": account.get_platform_display()}
        )
    file_name = (file_name or "export").rsplit("/", 1)[-1][-200:]
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        if layout.kind == importers.WECHAT_USERS.kind:
            added, updated, unchanged = _store_follower_days(account, parsed.records, by)
        else:
            added, updated, unchanged = _store_posts(account, layout, parsed.records, by)
        return ImportLog.objects.create(
            unit=account.unit,
            account=account,
            kind=layout.kind,
            file_name=file_name,
            rows_added=added,
            rows_updated=updated,
            rows_unchanged=unchanged,
            created_by=by,
        )


def _store_posts(account: Account, layout: importers.Layout, records: list[dict], by: User) -> tuple[int, int, int]:
    by_key: dict[str, dict] = {}
    for record in records:  # a later row of the same post wins
        by_key[importers.post_key(layout, record)] = record
    existing = {post.key: post for post in Post.objects.filter(account=account, key__in=list(by_key))}
    new, changed, unchanged = [], [], 0
    for key, record in by_key.items():
        values = {name: record.get(name) for name in POST_FIELDS if name in record}
        for name in ("kind", "url"):
            values[name] = values.get(name) or ""
        post = existing.get(key)
        if post is None:
            new.append(
                Post(
                    unit=account.unit,
                    account=account,
                    platform=account.platform,
                    key=key,
                    published_at=record["published_at"],
                    created_by=by,
                    **values,
                )
            )
            continue
        if all(getattr(post, name) == value for name, value in values.items()):
            unchanged += 1
            continue
        for name, value in values.items():
            setattr(post, name, value)
        post.updated_at = timezone.now()
        changed.append(post)
    Post.objects.bulk_create(new, batch_size=500)
    if changed:
        Post.objects.bulk_update(changed, [*POST_FIELDS, "updated_at"], batch_size=500)
    return len(new), len(changed), unchanged


def _store_follower_days(account: Account, records: list[dict], by: User) -> tuple[int, int, int]:
    by_day = {record["day"]: record for record in records}
    existing = {row.day: row for row in FollowerDay.objects.filter(account=account, day__in=list(by_day))}
    fields = ("new", "cancelled", "net", "cumulative")
    new, changed, unchanged = [], [], 0
    for day, record in by_day.items():
        values = {name: record.get(name) for name in fields}
        row = existing.get(day)
        if row is None:
            new.append(FollowerDay(unit=account.unit, account=account, day=day, created_by=by, **values))
        elif all(getattr(row, name) == value for name, value in values.items()):
            unchanged += 1
        else:
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    FollowerDay.objects.bulk_create(new, batch_size=500)
    if changed:
        FollowerDay.objects.bulk_update(changed, list(fields), batch_size=500)
    return len(new), len(changed), unchanged


# --- Campaigns -------------------------------------------------------------------------------------


def create_campaign(
    *, name: str, starts_on: date, ends_on: date | None = None, description: str = "", by: User
) -> Campaign:
    """A campaign the whole district reports for: it belongs to the district (the root of the unit
    tree), so every unit sees it; a campaign of a street (made elsewhere) is seen below that street."""
    require(may_manage_campaigns(by))
    unit = district_root() if user_sees_all_units(by) else by.unit
    if unit is None:
        raise ServiceError(_("您的账号未归属单位，不能发起宣传活动。"))
    name = _text(name, _("活动名称"), 100)
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError(_("结束日期不能早于开始日期。"))
    with transaction.atomic():
        if Campaign.objects.filter(unit=unit, name=name).exists():
            raise ServiceError(_("已有同名的宣传活动。"))
        return Campaign.objects.create(
            unit=unit,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip()[:2000],
            created_by=by,
        )


def add_material(
    campaign: Campaign,
    *,
    unit: Unit,
    kind: str,
    quantity: int,
    placed_on: date,
    note: str = "",
    photo: UploadedFile | None = None,
    by: User,
) -> Material:
    """Record material ``unit`` put up for ``campaign``."""
    require(may_enter(by))
    _require_visible(by, campaign)
    _require_unit(by, unit)
    if kind not in MaterialKind.values:
        raise ServiceError(_("请选择宣传品类别。"))
    if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
        raise ServiceError(_("数量应为 1 到 1 亿之间的整数。"))
    _not_future(placed_on, _("日期"))
    if placed_on < campaign.starts_on or (campaign.ends_on and placed_on > campaign.ends_on):
        raise ServiceError(_("日期不在宣传活动期间内。"))
    photo_kind = upload_kind(photo) if photo is not None else ""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        material = Material(
            unit=unit,
            campaign=campaign,
            kind=kind,
            quantity=quantity,
            placed_on=placed_on,
            note=" ".join(note.split())[:200],
            created_by=by,
        )
        if photo is not None:
            material.photo.save(f"photo.{photo_kind}", photo, save=False)
        material.save()
    return material


def delete_material(material: Material, *, by: User) -> None:
    require(may_enter(by))
    _require_visible(by, material)
    _require_unit(by, material.unit)
    with transaction.atomic():
        Material.objects.filter(pk=material.pk).delete()
