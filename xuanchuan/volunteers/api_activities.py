"""The activities part of the volunteers API."""

from ninja import Router

router = Router()
