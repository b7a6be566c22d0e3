"""Template context every staff page needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from xuanchuan.core.navigation import nav_for


def platform(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "site_title": settings.XUANCHUAN_SITE_TITLE,
        "district_name": settings.XUANCHUAN_DISTRICT_NAME,
        "nav_items": nav_for(user) if signed_in else [],
        "demo_mode": settings.XUANCHUAN_DEMO,
    }
