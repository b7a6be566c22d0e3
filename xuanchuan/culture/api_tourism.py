"""JSON API of the culture app:
holiday dates, holiday tourism figures entered or imported from Excel, year-on-year change."""

from ninja import Router

router = Router()
