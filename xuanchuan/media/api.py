"""The media app's JSON API (mounted at ``/api/media/``)."""

from ninja import Router

router = Router(tags=["新闻宣传"])
