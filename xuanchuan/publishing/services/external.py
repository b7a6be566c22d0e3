"""Putting published items out on the outlets they target, and the publishing log's writes.

System steps (no acting user; run by the receivers of ``publishing.signals`` and the background
jobs in ``tasks_external.py``): ``dispatch`` makes one post per target outlet (idempotent: the
unique constraint publication + outlet) and queues the automatic ones; ``attempt`` runs an
adapter once; ``poll`` asks the platform about an accepted job; ``apply_callback`` takes the
result WeChat pushed; ``sweep`` runs whatever is due (retries with back-off, polls);
``taken_down`` marks what must now be removed by hand elsewhere.

Staff steps (``by=``): ``record_manual`` (the link and date of a post made by hand), ``retry``
(a failed automatic post), ``confirm_removed`` (after taking it off the platform by hand),
``save_credential`` (a WeChat account's AppID/AppSecret, department administrators only).

The platform is called outside any transaction: a post is claimed first (locked, its status
checked, moved to "publishing" with a lease in ``next_try_at``), then the adapter runs, then the
outcome is written under a lock again.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User
from xuanchuan.publishing.adapters.base import Adapter, Outcome, adapter_for
from xuanchuan.publishing.models import Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus
from xuanchuan.publishing.permissions import may_configure_wechat, may_handle_posts

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # a claimed post not finished by then is picked up again by the sweep
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=20), timedelta(hours=1))
POLL_FIRST = timedelta(seconds=30)
POLL_MAX = timedelta(minutes=30)


def may_record_by_hand(post: OutletPost) -> bool:
    """A link is recorded by hand for a post made by hand, or for an automatic one that did not
    go out (failed, or waiting for a retry); what the platform itself published stays as it said."""
    if post.status == PostStatus.WITHDRAWN:
        return False
    return post.manual or post.status in (PostStatus.FAILED, PostStatus.PENDING)


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def poll_delay(polls: int) -> timedelta:
    return min(POLL_FIRST * (2**polls), POLL_MAX)


def _note_published(outlet_ids: list[int], day: date) -> None:
    """The outlets' date of last update (``services.outlets.note_published``, the outlets part)."""
    try:
        from xuanchuan.publishing.services.outlets import note_published
    except ImportError:  # the outlets part is not there yet
        log.warning("publishing.services.outlets.note_published is missing; outlets %s not updated", outlet_ids)
        return
    note_published(outlet_ids, day)


def _queue(post_ids: list[int]) -> None:
    from xuanchuan.publishing.tasks_external import publish_external_post

    for post_id in post_ids:
        transaction.on_commit(lambda post_id=post_id: publish_external_post.delay(post_id))


def _locked(post_id: int) -> OutletPost | None:
    return (
        OutletPost.objects.select_for_update(of=("self",))
        .select_related("publication", "outlet")
        .filter(pk=post_id)
        .first()
    )


# --- System steps -------------------------------------------------------------------------------


def dispatch(publication: Publication) -> list[OutletPost]:
    """One post per outlet the published ``publication`` targets; the automatic ones queued.

    Idempotent: a second call (the signal sent twice, a re-run) finds the posts already there. A
    post withdrawn when the item was taken down starts again if the item is published again."""
    queued: list[int] = []
    posts: list[OutletPost] = []
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if publication.status != PublicationStatus.PUBLISHED:
            return []
        for outlet in publication.outlets.all():
            adapter = adapter_for(outlet)
            post, created = OutletPost.objects.get_or_create(
                publication=publication, outlet=outlet, defaults={"manual": not adapter.automatic}
            )
            if not created and post.status == PostStatus.WITHDRAWN:
                post.status, post.removal_needed, post.error = PostStatus.PENDING, False, ""
                post.manual = not adapter.automatic
                post.note("dispatch", True, _("稿件重新发布"))
                post.save()
            elif created:
                message = _("待自动发布") if adapter.automatic else _("待人工发布并登记链接")
                post.note("dispatch", True, message)
                post.save(update_fields=["history"])
            if adapter.automatic and post.status == PostStatus.PENDING:
                queued.append(post.pk)
            posts.append(post)
        _queue(queued)
    return posts


def attempt(post_id: int) -> OutletPost | None:
    """Run the post's adapter once, if the post is waiting for it."""
    now = timezone.now()
    with transaction.atomic():
        post = _locked(post_id)
        if post is None or post.status != PostStatus.PENDING:
            return post
        if post.publication.status != PublicationStatus.PUBLISHED:
            post.status, post.next_try_at = PostStatus.WITHDRAWN, None
            post.note("publish", False, _("稿件已不在发布状态，不再发布"))
            post.save()
            return post
        adapter = adapter_for(post.outlet)
        if not adapter.automatic:
            post.manual, post.next_try_at = True, None
            post.save(update_fields=["manual", "next_try_at", "updated_at"])
            return post
        post.status, post.attempts, post.next_try_at = PostStatus.PUBLISHING, post.attempts + 1, now + LEASE
        post.save(update_fields=["status", "attempts", "next_try_at", "updated_at"])
    outcome = _run(adapter, "publish", post)
    return _apply(post, outcome, step="publish")


def poll(post_id: int) -> OutletPost | None:
    """Ask the platform what became of the post's accepted job (the fallback of the callback)."""
    now = timezone.now()
    with transaction.atomic():
        post = _locked(post_id)
        if post is None or post.status != PostStatus.PUBLISHING or not post.job_id:
            return post
        post.polls, post.next_try_at = post.polls + 1, now + LEASE
        post.save(update_fields=["polls", "next_try_at", "updated_at"])
    outcome = _run(adapter_for(post.outlet), "poll", post)
    if outcome.state in ("publishing", "retry") and post.polls >= settings.PUBLISHING_WECHAT_MAX_POLLS:
        outcome = Outcome.failed(
            _("多次查询仍未得到发布结果，请到平台后台查看；如已发出，请人工登记链接。") + outcome.message
        )
    elif outcome.state == "retry":
        outcome = Outcome.publishing(outcome.message)
    return _apply(post, outcome, step="poll")


def apply_callback(outlet: Outlet, info: dict[str, Any]) -> OutletPost | None:
    """The result WeChat pushed (``PUBLISHJOBFINISH``) for a job of ``outlet``."""
    from xuanchuan.publishing.adapters.wechat import result_of

    publish_id = str(info.get("publish_id") or "").strip()
    if not publish_id:
        return None
    post = OutletPost.objects.filter(outlet=outlet, job_id=publish_id).first()
    if post is None:
        return None
    if info.get("article_id"):
        post.article_id = str(info["article_id"])[:100]
    return _apply(post, result_of(info), step="callback")


def _run(adapter: Adapter, method: str, post: OutletPost) -> Outcome:
    try:
        return getattr(adapter, method)(post)
    except Exception:  # an adapter's bug must not leave the post claimed for ever
        log.exception("adapter %s.%s failed for post %s", adapter.name, method, post.pk)
        return Outcome.retry(_("发布程序内部错误，稍后将重试"))


def _apply(work: OutletPost, outcome: Outcome, *, step: str) -> OutletPost | None:
    """Write an outcome to the post (locked again; only while it is still "publishing")."""
    now = timezone.now()
    with transaction.atomic():
        post = _locked(work.pk)
        if post is None or post.status != PostStatus.PUBLISHING:
            return post
        post.external_id, post.job_id = work.external_id, work.job_id
        post.article_id = work.article_id or post.article_id
        ok = outcome.state in ("published", "publishing")
        if outcome.state == "published":
            post.status, post.url, post.error, post.next_try_at = PostStatus.PUBLISHED, outcome.url, "", None
            post.published_on = timezone.localdate()
            if post.publication.status == PublicationStatus.TAKEN_DOWN:
                post.removal_needed = True
            outlet_id, day = post.outlet_id, post.published_on
            transaction.on_commit(lambda: _note_published([outlet_id], day))
        elif outcome.state == "publishing":
            post.error = ""
            post.next_try_at = now + poll_delay(post.polls) if post.job_id else None
        elif outcome.state == "retry" and post.attempts < settings.PUBLISHING_EXTERNAL_MAX_ATTEMPTS:
            post.status, post.error = PostStatus.PENDING, outcome.message[:300]
            post.next_try_at = now + retry_delay(post.attempts)
        else:
            post.status, post.error, post.next_try_at = PostStatus.FAILED, outcome.message[:300], None
        post.note(step, ok, outcome.message)
        post.save()
    return post


def due_posts(now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return OutletPost.objects.filter(  # scoping: allowed (the background sweep, for every unit)
        status__in=(PostStatus.PENDING, PostStatus.PUBLISHING), manual=False, next_try_at__lte=now
    )


def sweep(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Run what is due: retries after a passing error, polls of accepted jobs, and posts whose
    claim lapsed (a worker stopped half-way: tried again within the bounded attempts)."""
    done = {"attempts": 0, "polls": 0}
    for post in due_posts(now).order_by("next_try_at")[:limit]:
        if post.status == PostStatus.PENDING:
            attempt(post.pk)
            done["attempts"] += 1
        elif post.job_id:
            poll(post.pk)
            done["polls"] += 1
        else:
            _apply(post, Outcome.retry(_("上次发布中断")), step="publish")
            attempt(post.pk)
            done["attempts"] += 1
    return done


def taken_down(publication: Publication, reason: str = "") -> int:
    """The item was taken down: copies not out yet are cancelled, the news site drops it by
    itself, a WeChat article published by the platform is deleted through WeChat's interface,
    every other copy out on a platform is marked to be removed there by hand. Returns how many
    are left for a person to remove."""
    removable: list[int] = []
    with transaction.atomic():
        posts = OutletPost.objects.select_for_update(of=("self",)).select_related("outlet")
        for post in posts.filter(publication=publication).exclude(status=PostStatus.WITHDRAWN):
            if post.status in (PostStatus.PENDING, PostStatus.FAILED) or post.outlet.is_news_site:
                post.status, post.next_try_at, post.removal_needed = PostStatus.WITHDRAWN, None, False
                post.note("takedown", True, _("稿件已下架：%(reason)s") % {"reason": reason})
            else:
                post.removal_needed = True
                post.note("takedown", True, _("稿件已下架，请到该平台删除：%(reason)s") % {"reason": reason})
                if post.status == PostStatus.PUBLISHED and post.article_id and not post.manual:
                    removable.append(post.pk)
            post.save()
    for post_id in removable:
        remove_on_platform(post_id)
    return OutletPost.objects.filter(publication=publication, removal_needed=True).count()


def remove_on_platform(post_id: int) -> OutletPost | None:
    """Delete a published copy through its platform's interface, when the adapter can."""
    post = OutletPost.objects.select_related("outlet").filter(pk=post_id).first()
    if post is None or not post.removal_needed:
        return post
    outcome = _run_remove(adapter_for(post.outlet), post)
    if outcome is None:
        return post
    with transaction.atomic():
        post = _locked(post_id)
        if post is None or not post.removal_needed:
            return post
        if outcome.state == "withdrawn":
            post.status, post.removal_needed = PostStatus.WITHDRAWN, False
        post.note("remove", outcome.state == "withdrawn", outcome.message)
        post.save()
    return post


def _run_remove(adapter: Adapter, post: OutletPost) -> Outcome | None:
    try:
        return adapter.remove(post)
    except Exception:
        log.exception("adapter %s could not remove post %s", adapter.name, post.pk)
        return Outcome.failed(_("删除时发生内部错误，请到平台人工删除"))


# --- Staff steps --------------------------------------------------------------------------------


def _visible_post(by: User, post: OutletPost) -> OutletPost:
    require(OutletPost.objects.visible_to(by).filter(pk=post.pk).exists())
    return post


def record_manual(post: OutletPost, *, url: str, day: date, by: User) -> OutletPost:
    """Record where and when the item was put out by hand on the post's platform."""
    require(may_handle_posts(by))
    _visible_post(by, post)
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")):
        raise ServiceError(_("请填写以 http:// 或 https:// 开头的链接。"))
    if day > timezone.localdate():
        raise ServiceError(_("发布日期不能晚于今天。"))
    with transaction.atomic():
        post = _locked(post.pk)
        if post.publication.status != PublicationStatus.PUBLISHED:
            raise ServiceError(_("稿件不在已发布状态，不能登记发布。"))
        published_at = post.publication.published_at
        if published_at and day < timezone.localdate(published_at):
            raise ServiceError(
                _("发布日期不能早于稿件审核通过发布的日期（%(day)s）。") % {"day": timezone.localdate(published_at)}
            )
        if post.status == PostStatus.WITHDRAWN:
            raise ServiceError(_("该发布记录已删除，不能登记。"))
        if post.status == PostStatus.PUBLISHING and not post.manual:
            raise ServiceError(_("自动发布正在进行，请等待结果；失败后可人工登记。"))
        if not may_record_by_hand(post):
            raise ServiceError(_("该平台已自动发布，链接以平台返回的为准。"))
        post.status, post.manual, post.url, post.published_on = PostStatus.PUBLISHED, True, url, day
        post.error, post.next_try_at, post.recorded_by = "", None, by
        post.note("manual", True, _("%(name)s 登记发布链接") % {"name": by.get_full_name() or by.username})
        post.save()
        outlet_id = post.outlet_id
        transaction.on_commit(lambda: _note_published([outlet_id], day))
    return post


def retry(post: OutletPost, *, by: User) -> OutletPost:
    """Try a failed automatic post once more, now."""
    require(may_handle_posts(by))
    _visible_post(by, post)
    with transaction.atomic():
        post = _locked(post.pk)
        if post.status != PostStatus.FAILED:
            raise ServiceError(_("只有发布失败的记录可以重试。"))
        if post.publication.status != PublicationStatus.PUBLISHED:
            raise ServiceError(_("稿件不在已发布状态，不能重试。"))
        if not adapter_for(post.outlet).automatic:
            raise ServiceError(_("该平台没有配置自动发布，请在平台发布后人工登记链接。"))
        post.status, post.error, post.next_try_at, post.polls = PostStatus.PENDING, "", None, 0
        post.job_id, post.external_id = "", ""  # a new draft: the old one may be what was refused
        post.note("retry", True, _("%(name)s 手动重试") % {"name": by.get_full_name() or by.username})
        post.save()
        _queue([post.pk])
    post.refresh_from_db()
    return post


def confirm_removed(post: OutletPost, *, by: User) -> OutletPost:
    """The copy of a taken-down item was removed from its platform by hand."""
    require(may_handle_posts(by))
    _visible_post(by, post)
    with transaction.atomic():
        post = _locked(post.pk)
        if not post.removal_needed:
            raise ServiceError(_("该记录不需要删除。"))
        post.status, post.removal_needed = PostStatus.WITHDRAWN, False
        post.note("removed", True, _("%(name)s 确认已在平台删除") % {"name": by.get_full_name() or by.username})
        post.save()
    return post


def save_credential(
    outlet: Outlet,
    *,
    app_id: str,
    app_secret: str,
    callback_token: str,
    thumb_media_id: str,
    enabled: bool,
    by: User,
) -> OutletCredential:
    """Enter or change a WeChat account's interface credentials. An empty secret or token keeps
    the one stored; neither is ever shown back."""
    from xuanchuan.publishing.adapters.wechat import WeChatClient

    require(may_configure_wechat(by))
    require(Outlet.objects.visible_to(by).filter(pk=outlet.pk).exists())
    if outlet.kind != OutletKind.WECHAT:
        raise ServiceError(_("只有微信公众号可以设置接口凭据。"))
    app_id = app_id.strip()
    if not app_id:
        raise ServiceError(_("请填写 AppID。"))
    with transaction.atomic():
        credential = OutletCredential.objects.select_for_update().filter(outlet=outlet).first()
        if credential is None:
            if not app_secret or not callback_token:
                raise ServiceError(_("首次设置须填写 AppSecret 和消息推送令牌 Token。"))
            credential = OutletCredential(outlet=outlet)
        if credential.pk and credential.app_id != app_id and not app_secret:
            raise ServiceError(_("更换 AppID 时须同时填写新的 AppSecret。"))
        credential.app_id, credential.thumb_media_id = app_id, thumb_media_id.strip()
        credential.enabled, credential.updated_by = enabled, by
        if app_secret:
            credential.app_secret = app_secret
        if callback_token:
            credential.callback_token = callback_token
        credential.save()
        transaction.on_commit(lambda: WeChatClient(credential).forget_token())
    return credential
