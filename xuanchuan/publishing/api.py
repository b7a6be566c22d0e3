"""The publishing app's JSON API (mounted at ``/api/publishing/``): one router per part."""

from ninja import Router

from xuanchuan.publishing import api_external, api_outlets, api_proofreading, api_review

router = Router(tags=["信息发布"])
router.add_router("/outlets", api_outlets.router)
router.add_router("", api_review.router)
router.add_router("/proofreading", api_proofreading.router)
router.add_router("/external", api_external.router)
