"""The publishing app's JSON API (mounted at ``/api/publishing/``)."""

from ninja import Router

router = Router(tags=["信息发布"])
