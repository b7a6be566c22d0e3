from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PassesConfig(AppConfig):
    name = "xuanchuan.passes"
    label = "passes"
    verbose_name = _("居民电子通行证")

    def ready(self) -> None:
        from xuanchuan.core.navigation import NavItem, register_nav, register_todos
        from xuanchuan.passes import checks, services, signals, todos  # noqa: F401 (checks registers itself)
        from xuanchuan.passes.permissions import may_check, may_manage_keys

        register_nav(
            NavItem(
                _("电子通行证"),
                "passes:pass_list",
                icon="bi-qr-code",
                order=420,  # 四: docs/architecture.md §6
                children=(
                    NavItem(_("通行证"), "passes:pass_list"),
                    NavItem(_("住户"), "passes:household_list"),
                    NavItem(_("卡口核验"), "passes:checkpoint", allowed=may_check),
                    NavItem(_("出入记录"), "passes:movement_list"),
                    NavItem(_("核验记录"), "passes:verification_list"),
                    NavItem(_("签发密钥"), "passes:key_list", allowed=may_manage_keys),
                ),
            )
        )
        register_todos(todos.pass_todos)
        signals.connect()
        self.register_audit()
        self.register_retention()
        from xuanchuan.core.pii.reindex import register_reencryption

        register_reencryption(str(_("通行证签名私钥")), services.reencrypt_keys)

    @staticmethod
    def register_audit() -> None:
        from auditlog.registry import auditlog

        from xuanchuan.core.audit import register_for_audit
        from xuanchuan.passes.models import SigningKey, Verification

        # org registers every UnitOwned model; the private key must never reach the trail.
        register_for_audit(SigningKey, exclude=("private_key_pem",))
        # The verification log is its own record (a row per check, written in batches): an audit
        # entry per check would double every check's writes and say nothing more.
        if auditlog.contains(Verification):
            auditlog.unregister(Verification)

    @staticmethod
    def register_retention() -> None:
        from django.conf import settings

        from xuanchuan.core.pii.retention import register_retention
        from xuanchuan.passes.models import Movement, Pass

        # The holder's name and phone are kept while the pass may be checked and for the follow-up
        # period after it ends; the row stays for the figures. Movements say where a household
        # went and go after the same period.
        register_retention(
            Pass,
            days=lambda: settings.PASSES_RETENTION_DAYS,
            date_field="valid_until",
            action="erase",
            label="电子通行证持证人信息",
        )
        register_retention(
            Movement,
            days=lambda: settings.PASSES_RETENTION_DAYS,
            date_field="occurred_at",
            action="delete",
            label="通行证出入记录",
        )
