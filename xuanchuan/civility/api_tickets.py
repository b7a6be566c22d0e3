"""The civility app's tickets endpoints (added to ``civility.api.router``)."""

from ninja import Router

router = Router()
