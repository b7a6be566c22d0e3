from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "xuanchuan.org"
    label = "org"
    verbose_name = _("组织机构")

    def ready(self) -> None:
        from xuanchuan.core.navigation import NavItem, register_nav, register_todos
        from xuanchuan.org import audit, todos

        audit.register_models()
        register_nav(
            NavItem(
                _("组织机构"),
                "org:unit_list",
                icon="bi-diagram-3",
                order=10,
                children=(NavItem(_("单位"), "org:unit_list"), NavItem(_("人员"), "org:person_list")),
            )
        )
        register_todos(todos.account_todos)
        self.register_retention()
        from django.db.models.signals import post_migrate

        from xuanchuan.org.permissions import grant_default_role_permissions

        post_migrate.connect(grant_default_role_permissions, dispatch_uid="org-default-role-permissions")

    @staticmethod
    def register_retention() -> None:
        from django.conf import settings
        from django.db.models import Q

        from xuanchuan.core.pii.retention import register_retention
        from xuanchuan.org.models import User

        # A former member's mobile number is erased once the retention after deactivation ends;
        # the account row stays, because records elsewhere name their author.
        register_retention(
            User,
            days=lambda: settings.XUANCHUAN_STAFF_PII_RETENTION_DAYS,
            date_field="deactivated_at",
            action="erase",
            fields=("mobile",),
            filter=Q(is_active=False),
            label="停用人员的手机号码",
        )
