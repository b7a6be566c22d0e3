"""Writes of the events part: series (系列活动/专项活动) per unit and year, cultural events (planned,
recorded as held with the audience, cancelled with a reason, deleted while planned), their photos
(checked and re-encoded by ``core.photos``) and their video or report links.

Every service checks the role first (``may_manage_events``), then the unit scope, and writes in
one transaction with the row locked where two people may act on it at once. A series of a unit
may be used by the events of that unit and of the units below it (a district series by every
unit); a venue or an association by the events of its unit and below, or by anyone who sees it.

Events hold no personal data (performers are named as a programme names them; no phones), so the
part registers no retention period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.photos import clean_photo
from xuanchuan.core.services import ServiceError, require
from xuanchuan.culture.models import (
    Association,
    Event,
    EventKind,
    EventLink,
    EventPhoto,
    EventStatus,
    Series,
    Venue,
)
from xuanchuan.culture.permissions import may_manage_events
from xuanchuan.org.models import Unit, User
from xuanchuan.org.scoping import require_visible_unit
from xuanchuan.reports.registry import MAX_YEAR, MIN_YEAR, ArgumentError, clean_argument

MAX_AUDIENCE = 1_000_000
MAX_PHOTOS = 9
PHOTO_MAX_MB = 10
PHOTO_MAX_SIDE = 1920
MAX_LINKS = 20
https_only = URLValidator(schemes=["https"])


def _manage(by: User, unit: Unit) -> None:
    require(may_manage_events(by))
    require_visible_unit(by, unit)


def _text(value: Any) -> str:
    return (value or "").strip()


def ancestor_paths(unit: Unit) -> list[str]:
    """The paths of ``unit`` and of every unit above it (the district last but one step)."""
    return [unit.path[:end] for end in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]


# --- Series --------------------------------------------------------------------------------------


def series_for(unit: Unit, year: int) -> QuerySet:
    """The active series an event of ``unit`` in ``year`` may belong to: those of the unit and of
    the units above it (a district series serves every unit)."""
    # scoping: allowed — which series an event may join is a rule of the work, not what a user sees.
    return Series.objects.filter(unit__path__in=ancestor_paths(unit), year=year, active=True).select_related("unit")


def _series_name(name: Any) -> str:
    try:
        return clean_argument(name)
    except ArgumentError as exc:
        raise ServiceError(_("系列活动名称不符合要求：%(why)s。") % {"why": str(exc)}) from None


def _series_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ServiceError(_("请填写年度。")) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError(_("年度应在 %(low)d 到 %(high)d 之间。") % {"low": MIN_YEAR, "high": MAX_YEAR})
    return year


def _duplicate(name: str, year: int) -> ServiceError:
    return ServiceError(_("本单位 %(year)d 年已有名为“%(name)s”的系列活动。") % {"year": year, "name": name})


def create_series(*, unit: Unit, name: str, year: Any, description: str = "", by: User) -> Series:
    """A new series of ``unit`` for ``year``; its name is how a report's figure names it, so it
    must be a valid figure argument (no brackets, slashes or bars) and unique per unit and year."""
    _manage(by, unit)
    name, year = _series_name(name), _series_year(year)
    if Series.objects.filter(unit=unit, name=name, year=year).exists():
        raise _duplicate(name, year)
    try:
        with transaction.atomic():
            return Series.objects.create(unit=unit, name=name, year=year, description=_text(description), created_by=by)
    except IntegrityError:  # the same series saved a moment ago by someone else
        raise _duplicate(name, year) from None


def update_series(
    series: Series, *, name: str, year: Any, description: str = "", active: bool = True, by: User
) -> Series:
    """Rename a series, change its year, description or whether new events may join it. Its year
    may change only while none of its events lies in another year."""
    _manage(by, series.unit)
    name, year = _series_name(name), _series_year(year)
    try:
        with transaction.atomic():
            locked = Series.objects.select_for_update().get(pk=series.pk)
            if Series.objects.filter(unit=locked.unit, name=name, year=year).exclude(pk=locked.pk).exists():
                raise _duplicate(name, year)
            if year != locked.year and _events_outside_year(locked, year):
                raise ServiceError(_("该系列已有其他年度的活动，不能改为 %(year)d 年。") % {"year": year})
            locked.name, locked.year, locked.description, locked.active = name, year, _text(description), bool(active)
            locked.save(update_fields=["name", "year", "description", "active", "updated_at"])
    except IntegrityError:
        raise _duplicate(name, year) from None
    return locked


def _events_outside_year(series: Series, year: int) -> bool:
    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    return series.events.exclude(starts_at__gte=start, starts_at__lt=end).exists()


# --- Events --------------------------------------------------------------------------------------


@dataclass
class EventInput:
    """What an event form gives a service (checked again there)."""

    unit: Unit
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    series: Series | None = None
    venue: Venue | None = None
    address: str = ""
    performers: str = ""
    association: Association | None = None
    summary: str = ""


def usable_venues(unit: Unit, by: User) -> QuerySet:
    """Venues an event of ``unit`` recorded by ``by`` may be held at: those ``by`` sees and those of
    the unit and the units above it (the district's library serves every street)."""
    visible = Venue.objects.visible_to(by).values("pk")
    # scoping: allowed — the venues of the units above the event's are offered on purpose (docstring).
    return Venue.objects.filter(Q(pk__in=visible) | Q(unit__path__in=ancestor_paths(unit)))


def usable_associations(unit: Unit, by: User) -> QuerySet:
    """Associations that may organise an event of ``unit``: those ``by`` sees and those of the unit
    and the units above it."""
    visible = Association.objects.visible_to(by).values("pk")
    # scoping: allowed — the associations of the units above the event's are offered on purpose.
    return Association.objects.filter(Q(pk__in=visible) | Q(unit__path__in=ancestor_paths(unit)))


def _check_event(data: EventInput, by: User, current: Event | None = None) -> None:
    if not _text(data.title):
        raise ServiceError(_("请填写活动名称。"))
    if data.kind not in EventKind.values:
        raise ServiceError(_("请选择活动类型。"))
    if data.starts_at is None or data.ends_at is None:
        raise ServiceError(_("请填写开始时间和结束时间。"))
    if data.ends_at <= data.starts_at:
        raise ServiceError(_("结束时间应晚于开始时间。"))
    if data.venue is None and not _text(data.address):
        raise ServiceError(_("请选择场馆或填写活动地点。"))
    _check_series(data, current)
    if data.venue is not None and not usable_venues(data.unit, by).filter(pk=data.venue.pk).exists():
        raise ServiceError(_("不能选择“%(venue)s”：该场馆不属于本单位或上级单位。") % {"venue": data.venue.name})
    if data.venue is not None and not data.venue.active and (current is None or current.venue_id != data.venue.pk):
        raise ServiceError(_("场馆“%(venue)s”已停止开放。") % {"venue": data.venue.name})
    if data.association is not None and not usable_associations(data.unit, by).filter(pk=data.association.pk).exists():
        raise ServiceError(_("不能选择“%(name)s”：该协会不属于本单位或上级单位。") % {"name": data.association.name})


def _check_series(data: EventInput, current: Event | None) -> None:
    if data.series is None:
        return
    year = timezone.localtime(data.starts_at).year
    if data.series.year != year:
        raise ServiceError(
            _("系列活动“%(name)s”是 %(series)d 年的，活动时间在 %(year)d 年。")
            % {"name": data.series.name, "series": data.series.year, "year": year}
        )
    allowed = series_for(data.unit, year)
    if current is not None and current.series_id == data.series.pk:
        allowed = allowed | Series.objects.filter(pk=data.series.pk)  # scoping: allowed — the event's own
    if not allowed.filter(pk=data.series.pk).exists():
        raise ServiceError(
            _("“%(unit)s”的活动不能归入系列活动“%(name)s”：只能选择本单位或上级单位在用的系列。")
            % {"unit": data.unit.name, "name": data.series.name}
        )


def _fill(event: Event, data: EventInput) -> None:
    event.unit, event.series, event.association = data.unit, data.series, data.association
    event.title, event.kind = _text(data.title), data.kind
    event.starts_at, event.ends_at = data.starts_at, data.ends_at
    event.venue, event.address = data.venue, _text(data.address)
    event.performers, event.summary = _text(data.performers), _text(data.summary)


def create_event(data: EventInput, *, by: User) -> Event:
    """Plan an event of ``data.unit`` (at a venue or an address, in a series or on its own)."""
    _manage(by, data.unit)
    _check_event(data, by)
    with transaction.atomic():
        event = Event(created_by=by)
        _fill(event, data)
        event.save()
    return event


def update_event(event: Event, data: EventInput, *, by: User) -> Event:
    """Change a planned event, or the details of a held one (a cancelled one stays as it is).
    A held event keeps its status and audience; its start may not move into the future."""
    _manage(by, event.unit)
    _manage(by, data.unit)
    _check_event(data, by, current=event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status == EventStatus.CANCELLED:
            raise ServiceError(_("已取消的活动不能再修改。"))
        if locked.status == EventStatus.HELD and data.starts_at > timezone.now():
            raise ServiceError(_("已举办的活动，开始时间不能晚于现在。"))
        _fill(locked, data)
        locked.save()
    return locked


def _audience(value: Any) -> int:
    try:
        audience = int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("请填写参与群众人数。")) from None
    if not 1 <= audience <= MAX_AUDIENCE:
        raise ServiceError(_("参与群众人数应在 1 到 %(max)d 之间。") % {"max": MAX_AUDIENCE})
    return audience


def _clean_photos(event: Event, uploads: list[Any]) -> list[Any]:
    if len(uploads) + event.photos.count() > MAX_PHOTOS:
        raise ServiceError(
            _("每场活动最多 %(n)d 张照片，已有 %(have)d 张。") % {"n": MAX_PHOTOS, "have": event.photos.count()}
        )
    return [clean_photo(upload, max_mb=PHOTO_MAX_MB, max_side=PHOTO_MAX_SIDE) for upload in uploads]


def record_held(event: Event, *, audience: Any, summary: str = "", photos: Iterable[Any] = (), by: User) -> Event:
    """Record a planned event as held: the audience (1 … ``MAX_AUDIENCE``) and a summary of how it
    went are required, photos may go with it (up to ``MAX_PHOTOS`` in all). An event whose start
    has not come cannot have been held."""
    _manage(by, event.unit)
    audience = _audience(audience)
    summary = _text(summary)
    if not summary:
        raise ServiceError(_("请填写活动情况。"))
    cleaned = _clean_photos(event, list(photos))
    now = timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != EventStatus.PLANNED:
            raise ServiceError(
                _("只能登记尚未举办的活动（该活动%(status)s）。") % {"status": locked.get_status_display()}
            )
        if locked.starts_at > now:
            raise ServiceError(_("活动还没有开始，不能登记为已举办。"))
        locked.status, locked.audience, locked.summary = EventStatus.HELD, audience, summary
        locked.save(update_fields=["status", "audience", "summary", "updated_at"])
        _store_photos(locked, cleaned, "", now)
    return locked


def cancel_event(event: Event, *, reason: str, by: User) -> Event:
    """Cancel a planned event with the reason; it stays on the list, counted nowhere."""
    _manage(by, event.unit)
    reason = _text(reason)
    if not reason:
        raise ServiceError(_("请说明取消的原因。"))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != EventStatus.PLANNED:
            raise ServiceError(_("只能取消尚未举办的活动。"))
        locked.status, locked.cancel_reason = EventStatus.CANCELLED, reason[:200]
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    return locked


def delete_event(event: Event, *, by: User) -> Event:
    """Delete a planned event entered by mistake, with its photos and links (a held or cancelled
    one is a record and stays); returns the deleted instance."""
    _manage(by, event.unit)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != EventStatus.PLANNED:
            raise ServiceError(_("只能删除尚未举办的活动；已举办或已取消的活动作为记录保留。"))
        names = list(locked.photos.values_list("image", flat=True))
        locked.delete()
        _delete_files_on_commit(names)
    return locked


# --- Photos and links ----------------------------------------------------------------------------


def _store_photos(event: Event, cleaned: list[Any], caption: str, now: datetime) -> list[EventPhoto]:
    saved = []
    storage = EventPhoto._meta.get_field("image").storage
    try:
        for photo in cleaned:
            item = EventPhoto(event=event, caption=_text(caption)[:100], uploaded_at=now)
            item.image.save(photo.content.name, photo.content, save=True)
            saved.append(item)
    except Exception:
        for item in saved:
            storage.delete(item.image.name)
        raise
    return saved


def _delete_files_on_commit(names: list[str]) -> None:
    storage = EventPhoto._meta.get_field("image").storage

    def delete() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def _editable(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ServiceError(_("已取消的活动不能再添加照片或链接。"))


def add_photos(event: Event, *, photos: Iterable[Any], caption: str = "", by: User) -> list[EventPhoto]:
    """Add photos (up to ``MAX_PHOTOS`` per event) with one caption, re-encoded without EXIF."""
    _manage(by, event.unit)
    uploads = list(photos)
    if not uploads:
        raise ServiceError(_("请选择要上传的照片。"))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _editable(locked)
        cleaned = _clean_photos(locked, uploads)
        return _store_photos(locked, cleaned, caption, timezone.now())


def delete_photo(photo: EventPhoto, *, by: User) -> None:
    """Remove a photo of an event (the file goes once the deletion is saved)."""
    _manage(by, photo.event.unit)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=photo.event_id)
        name = photo.image.name
        deleted, _rows = EventPhoto.objects.filter(pk=photo.pk).delete()  # scoping: allowed — checked above
        if not deleted:
            raise ServiceError(_("该照片已被删除。"))
        _delete_files_on_commit([name])


def add_link(event: Event, *, url: str, title: str = "", platform: str = "", by: User) -> EventLink:
    """Add an https link to a video or report of the event and where it is published."""
    _manage(by, event.unit)
    url = _text(url)
    try:
        https_only(url)
    except ValidationError:
        raise ServiceError(_("请填写以 https:// 开头的完整链接。")) from None
    if len(url) > 500:
        raise ServiceError(_("链接过长（最多 500 个字符）。"))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        _editable(locked)
        if locked.links.count() >= MAX_LINKS:
            raise ServiceError(_("每场活动最多 %(n)d 个链接。") % {"n": MAX_LINKS})
        if locked.links.filter(url=url).exists():
            raise ServiceError(_("该链接已经添加过了。"))
        return EventLink.objects.create(event=locked, url=url, title=_text(title)[:150], platform=_text(platform)[:40])


def delete_link(link: EventLink, *, by: User) -> None:
    """Remove a link of an event."""
    _manage(by, link.event.unit)
    with transaction.atomic():
        deleted, _rows = EventLink.objects.filter(pk=link.pk).delete()  # scoping: allowed — checked above
        if not deleted:
            raise ServiceError(_("该链接已被删除。"))
