"""JSON API of the culture app: series, events (photos, video links), the calendar."""

from ninja import Router

router = Router()
