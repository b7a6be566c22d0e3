from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilityConfig(AppConfig):
    name = "xuanchuan.civility"
    label = "civility"
    verbose_name = _("文明城市创建")

    def ready(self) -> None:
        from xuanchuan.civility import todos
        from xuanchuan.civility.open311 import keys
        from xuanchuan.civility.services import problems
        from xuanchuan.core.navigation import register_todos

        self.register_nav()
        register_todos(todos.civility_todos)
        problems.register_retention()
        keys.register_audit()

    @staticmethod
    def register_nav() -> None:
        from xuanchuan.civility.permissions import may_inspect, may_manage_clients, may_reply, may_view
        from xuanchuan.core.navigation import NavItem, register_nav

        register_nav(
            NavItem(
                _("文明创建"),
                "civility:ticket_list",
                icon="bi-flag",
                order=300,  # 三: docs/architecture.md §6
                allowed=may_view,
                children=(
                    NavItem(_("记录问题"), "civility:problem_new", allowed=may_inspect),
                    NavItem(_("发现的问题"), "civility:problem_list"),
                    NavItem(_("交办单"), "civility:ticket_list"),
                    NavItem(_("本单位待整改"), "civility:ticket_queue", allowed=may_reply),
                    NavItem(_("统计"), "civility:ticket_statistics"),
                    NavItem(_("红黑榜与督办"), "civility:ticket_boards"),
                    NavItem(_("点位与责任"), "civility:responsibility_list"),
                    NavItem(_("测评标准"), "civility:standard_list"),
                    NavItem(_("Open311 客户端"), "civility:open311_client_list", allowed=may_manage_clients),
                ),
            )
        )
