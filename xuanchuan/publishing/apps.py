from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "xuanchuan.publishing"
    label = "publishing"
    verbose_name = _("信息发布")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.publishing import receivers, todos

        register_todos(todos.publishing_todos)
        receivers.connect()
