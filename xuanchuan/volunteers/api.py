"""The volunteers app's JSON API (mounted at ``/api/volunteers/``): one router per part."""

from ninja import Router

from xuanchuan.volunteers import api_activities, api_attendance, api_people, api_points, api_sites

router = Router(tags=["新时代文明实践与志愿服务"])
router.add_router("/sites", api_sites.router)
router.add_router("/people", api_people.router)
router.add_router("/activities", api_activities.router)
router.add_router("/attendance", api_attendance.router)
router.add_router("/points", api_points.router)
