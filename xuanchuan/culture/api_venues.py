"""JSON API of the culture app: venues and what is held there; arts associations and their members."""

from ninja import Router

router = Router()
