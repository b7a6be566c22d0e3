from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TheoryConfig(AppConfig):
    name = "xuanchuan.theory"
    label = "theory"
    verbose_name = _("理论学习与宣讲")
