"""The external part of the publishing app's share of the URL walk (see ``tests/scoping.py``):
an item of 东城街道 published on 东城街道's own Weibo account and WeChat account (with
credentials), so the publishing log, a post's pages and the account settings have something
of the sibling side to hide."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xuanchuan.publishing.models import Outlet, OutletKind, Publication, PublicationStatus
from xuanchuan.publishing.models.external import OutletCredential, OutletPost, PostStatus

TITLE = "东城外发秘密稿件"
WEIBO = "东城外发秘密微博"
WECHAT = "东城外发秘密公众号"
LINK = "https://weibo.com/east-secret-post"


def create_records(district: Any, people: dict[str, Any]) -> list[str]:
    bob = people["bob"]
    weibo = Outlet.objects.create(unit=district.east, name=WEIBO, kind=OutletKind.WEIBO, created_by=bob)
    wechat = Outlet.objects.create(unit=district.east, name=WECHAT, kind=OutletKind.WECHAT, created_by=bob)
    OutletCredential.objects.create(
        outlet=wechat, app_id="wxeastsecret000001", app_secret="eastsecret" * 2, callback_token="easttoken"
    )
    publication = Publication.objects.create(
        unit=district.east,
        title=TITLE,
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=bob,
    )
    publication.outlets.set([weibo, wechat])
    OutletPost.objects.create(
        publication=publication, outlet=weibo, manual=True, status=PostStatus.PUBLISHED, url=LINK, recorded_by=bob
    )
    OutletPost.objects.create(
        publication=publication, outlet=wechat, status=PostStatus.FAILED, error="东城秘密失败原因", attempts=1
    )
    return [TITLE, WEIBO, WECHAT, LINK, "东城秘密失败原因"]


def _east_posts(district: Any) -> list[int]:
    return list(
        OutletPost.objects.filter(publication__unit=district.east)  # scoping: allowed (test records)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def arguments(route_name: str, kwargs: tuple[str, ...], district: Any, people: dict[str, Any]) -> list[dict] | None:
    if route_name in ("publishing:post_detail", "publishing:post_record"):
        return [{"pk": pk} for pk in _east_posts(district)]
    if route_name in ("publishing:post_retry", "publishing:post_removed"):
        return [{"pk": pk, "_method": "post"} for pk in _east_posts(district)]
    if route_name == "publishing:wechat_account_edit":
        outlets = Outlet.objects.filter(unit=district.east, kind=OutletKind.WECHAT)  # scoping: allowed (test records)
        return [{"pk": pk} for pk in outlets.values_list("pk", flat=True)]
    if route_name == "publishing:wechat_callback":
        # Public by design: WeChat's servers push publish results there, signed with the account's
        # token; an unsigned request is refused (403) and shows nothing (test_external_views.py).
        return []
    if route_name == "api:publishing_post_detail":
        return [{"post_id": pk} for pk in _east_posts(district)]
    if route_name in ("api:publishing_post_record", "api:publishing_post_retry", "api:publishing_post_removed"):
        return [{"post_id": pk, "_method": "post"} for pk in _east_posts(district)]
    return None
