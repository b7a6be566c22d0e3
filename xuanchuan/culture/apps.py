from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "xuanchuan.culture"
    label = "culture"
    verbose_name = _("文化旅游")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.culture import todos

        register_todos(todos.culture_todos)
