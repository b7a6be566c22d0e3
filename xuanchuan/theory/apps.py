from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TheoryConfig(AppConfig):
    name = "xuanchuan.theory"
    label = "theory"
    verbose_name = _("理论学习与宣讲")

    def ready(self) -> None:
        from xuanchuan.core.navigation import register_todos
        from xuanchuan.theory import todos

        register_todos(todos.theory_todos)
