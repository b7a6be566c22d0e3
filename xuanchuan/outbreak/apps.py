from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutbreakConfig(AppConfig):
    name = "xuanchuan.outbreak"
    label = "outbreak"
    verbose_name = _("疫情上报管理")

    def ready(self) -> None:
        from xuanchuan.core.navigation import NavItem, register_nav, register_todos
        from xuanchuan.outbreak.todos import outbreak_todos

        register_nav(
            NavItem(
                _("疫情上报"),
                "outbreak:board",
                icon="bi-clipboard2-pulse",
                order=410,  # 四: docs/architecture.md §6
                children=(
                    NavItem(_("上报情况"), "outbreak:board"),
                    NavItem(_("日报查询"), "outbreak:report_list"),
                    NavItem(_("汇总与趋势"), "outbreak:rollup"),
                    NavItem(_("上报率统计"), "outbreak:rates"),
                    NavItem(_("日报表设置"), "outbreak:form_list"),
                ),
            )
        )
        register_todos(outbreak_todos)
