from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "xuanchuan.culture"
    label = "culture"
    verbose_name = _("文化旅游")
