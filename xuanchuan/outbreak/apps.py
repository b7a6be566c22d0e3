from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutbreakConfig(AppConfig):
    name = "xuanchuan.outbreak"
    label = "outbreak"
    verbose_name = _("疫情上报管理")
