"""The theory app's JSON API, lectures part: lecture teams on four levels, lecturers, lectures with
photos, residents' and units' requests, the calendar."""

from ninja import Router

router = Router()
