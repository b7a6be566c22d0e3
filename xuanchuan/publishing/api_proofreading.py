"""The publishing app's proofreading endpoints (added to ``publishing.api.router``)."""

from ninja import Router

router = Router()
