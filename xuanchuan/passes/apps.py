from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassesConfig(AppConfig):
    name = "xuanchuan.passes"
    label = "passes"
    verbose_name = _("居民电子通行证")
