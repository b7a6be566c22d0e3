from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xuanchuan.core"
    label = "core"
    verbose_name = _("平台公共")

    def ready(self) -> None:
        from xuanchuan.core import checks  # noqa: F401  (registers the system checks)
