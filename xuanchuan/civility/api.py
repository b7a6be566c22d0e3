"""The civility app's JSON API (mounted at ``/api/civility/``): one router per part. (The Open311
GeoReport v2 endpoints are not here: they follow that specification, at ``/open311/v2/``.)"""

from ninja import Router

from xuanchuan.civility import api_problems, api_standards, api_tickets

router = Router(tags=["文明城市创建"])
router.add_router("/standards", api_standards.router)
router.add_router("/problems", api_problems.router)
router.add_router("", api_tickets.router)
