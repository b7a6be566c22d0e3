"""The culture app's JSON API (mounted at ``/api/culture/``): one router per part."""

from ninja import Router

from xuanchuan.culture import api_contests, api_events, api_tourism, api_venues, api_works

router = Router(tags=["文化旅游"])
router.add_router("/events", api_events.router)
router.add_router("/venues", api_venues.router)
router.add_router("/contests", api_contests.router)
router.add_router("/works", api_works.router)
router.add_router("/tourism", api_tourism.router)
