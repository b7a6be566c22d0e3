"""The civility app's standards endpoints (added to ``civility.api.router``)."""

from ninja import Router

router = Router()
