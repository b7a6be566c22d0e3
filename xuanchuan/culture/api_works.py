"""JSON API of the culture app:
public calls for works, submissions from the phone page, review, the online exhibition."""

from ninja import Router

router = Router()
