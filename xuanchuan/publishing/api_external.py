"""The publishing app's external endpoints (added to ``publishing.api.router``)."""

from ninja import Router

router = Router()
