"""The publishing app's review endpoints (added to ``publishing.api.router``)."""

from ninja import Router

router = Router()
