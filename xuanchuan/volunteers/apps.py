from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "xuanchuan.volunteers"
    label = "volunteers"
    verbose_name = _("新时代文明实践与志愿服务")
