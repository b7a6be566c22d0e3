"""System check of the pass system: its API must be mounted, or the checkpoint page cannot work."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.urls import NoReverseMatch, reverse


@checks.register(checks.Tags.urls)
def api_mounted(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``passes.W001``: ``passes.api.router`` is not mounted in the project's API."""
    try:
        reverse("api:passes_key_set")
    except NoReverseMatch:
        return [
            checks.Warning(
                "电子通行证的 API 未挂载：卡口核验页无法下载公钥集和撤销名单，也无法在线核验。",
                hint='在 xuanchuan/api.py 中加入 api.add_router("/passes/", "xuanchuan.passes.api.router")。',
                id="passes.W001",
            )
        ]
    return []
