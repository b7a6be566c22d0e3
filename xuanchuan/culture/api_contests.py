"""JSON API of the culture app:
competitions (rounds, contestants, scores, recommendation) and local-product campaigns with their videos."""

from ninja import Router

router = Router()
