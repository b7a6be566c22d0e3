"""The civility app's problems endpoints (added to ``civility.api.router``)."""

from ninja import Router

router = Router()
