"""System checks of the pass system."""

from __future__ import annotations

import os
from typing import Any

from django.core import checks

# Environment variables read before they were named after the app (PASSES_*).
RENAMED_VARIABLES = ("PASS_VALID_DAYS", "PASS_OUTING_INTERVAL_DAYS", "PASS_KEY_OVERLAP_DAYS", "PASS_RETENTION_DAYS")


@checks.register(checks.Tags.compatibility)
def renamed_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``passes.W002``: an environment variable of the old name is set and no longer read."""
    found = [name for name in RENAMED_VARIABLES if name in os.environ or f"{name}_FILE" in os.environ]
    return [
        checks.Warning(
            f"环境变量 {name} 已更名为 PASSES_{name[len('PASS_') :]}，旧名称不再读取，当前使用默认值或新名称的值。",
            hint=f"将 {name} 改为 PASSES_{name[len('PASS_') :]}（见 .env.example）。",
            id="passes.W002",
        )
        for name in found
    ]
