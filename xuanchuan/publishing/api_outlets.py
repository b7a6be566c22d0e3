"""The publishing app's outlets endpoints (added to ``publishing.api.router``)."""

from ninja import Router

router = Router()
