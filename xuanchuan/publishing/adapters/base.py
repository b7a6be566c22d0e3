"""The one small interface every platform's adapter has, and the registry choosing one for an
outlet: WeChat official accounts with credentials publish by themselves (``wechat``), the
district news site served by this platform publishes at once (``news_site``), every other
platform (Weibo, Douyin, Kuaishou, Toutiao, video channels, other websites) is recorded by hand.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xuanchuan.publishing.models import Outlet
    from xuanchuan.publishing.models.external import OutletPost


@dataclass(frozen=True)
class Outcome:
    """What one attempt or one look at the platform found.

    ``state``: ``"published"`` (with ``url``), ``"publishing"`` (accepted, the result comes
    later: wait for the pushed result or ask again), ``"failed"`` (for good: a person must act)
    or ``"retry"`` (a passing error: try again later, within the bounded attempts).
    """

    state: str
    message: str = ""
    url: str = ""

    @classmethod
    def published(cls, url: str = "", message: str = "") -> Outcome:
        return cls("published", message, url)

    @classmethod
    def publishing(cls, message: str = "") -> Outcome:
        return cls("publishing", message)

    @classmethod
    def failed(cls, message: str) -> Outcome:
        return cls("failed", message)

    @classmethod
    def retry(cls, message: str) -> Outcome:
        return cls("retry", message)


class Adapter(ABC):
    """Puts one post out on its platform. ``automatic`` adapters are run by the background jobs;
    the manual one waits for staff to record the link and the date."""

    automatic: ClassVar[bool] = True
    name: ClassVar[str] = ""

    @abstractmethod
    def publish(self, post: OutletPost) -> Outcome:
        """One attempt. May set the post's platform identifiers (``external_id``, ``job_id``)."""

    def poll(self, post: OutletPost) -> Outcome:
        """Ask the platform what became of an accepted job."""
        return Outcome.publishing()

    def remove(self, post: OutletPost) -> Outcome | None:
        """Take a published copy off the platform after a take-down: ``None`` when the adapter
        cannot (a person removes it by hand), ``Outcome("withdrawn")`` when it was removed,
        ``Outcome.failed(reason)`` when the platform refused."""
        return None


class ManualAdapter(Adapter):
    """Platforms without an interface here: staff record the link and the date by hand."""

    automatic = False
    name = "manual"

    def publish(self, post: OutletPost) -> Outcome:
        return Outcome.publishing(_("请在该平台发布后登记链接和日期。"))


class NewsSiteAdapter(Adapter):
    """The district news site this platform serves: the item is on it as soon as it is published."""

    name = "news_site"

    def publish(self, post: OutletPost) -> Outcome:
        url = reverse("news:article", kwargs={"pk": post.publication_id})
        return Outcome.published(url, _("已在本平台新闻网站发布（%(day)s）。") % {"day": timezone.localdate()})


MANUAL = ManualAdapter()
NEWS_SITE = NewsSiteAdapter()


def adapter_for(outlet: Outlet) -> Adapter:
    """The adapter of ``outlet``: by its kind, when the kind has one and it is configured."""
    from xuanchuan.publishing.adapters.wechat import adapter_for_outlet as wechat_adapter
    from xuanchuan.publishing.models import OutletKind

    if outlet.is_news_site:
        return NEWS_SITE
    registry = {OutletKind.WECHAT: wechat_adapter}
    factory = registry.get(outlet.kind)
    adapter = factory(outlet) if factory else None
    return adapter or MANUAL
