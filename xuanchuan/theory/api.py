"""The theory app's JSON API (mounted at ``/api/theory/``): one router per part."""

from ninja import Router

from xuanchuan.theory import api_classroom, api_lectures, api_study, api_viewers

router = Router(tags=["理论学习、宣讲与云课堂"])
router.add_router("/study", api_study.router)
router.add_router("/lectures", api_lectures.router)
router.add_router("/classroom", api_classroom.router)
router.add_router("/viewers", api_viewers.router)
