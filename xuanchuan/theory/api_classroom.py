"""The theory app's JSON API, classroom part: the classroom's categories, resumable uploads, items
(publish, withdraw) and the media and posters they are played from."""

from ninja import Router

router = Router()
