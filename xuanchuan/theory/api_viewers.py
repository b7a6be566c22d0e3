"""The theory app's JSON API, viewers part: the public phone classroom (categories, search, the player,
resuming), viewers' progress and plays, residents' questions and their review and answers."""

from ninja import Router

router = Router()
