"""Which records the audit trail follows: the organisation's own and every business record."""

from __future__ import annotations

from django.apps import apps

from xuanchuan.core.audit import register_for_audit


def register_models() -> None:
    from xuanchuan.org.models import Role, Unit, UnitOwned, User

    register_for_audit(Unit)
    register_for_audit(Role)
    register_for_audit(User, exclude=("password", "last_login"))
    for model in apps.get_models():
        if issubclass(model, UnitOwned):
            register_for_audit(model)
