from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilityConfig(AppConfig):
    name = "xuanchuan.civility"
    label = "civility"
    verbose_name = _("文明城市创建")
