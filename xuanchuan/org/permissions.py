"""The configuration permissions each built-in role starts with.

Granted after every ``migrate`` (permissions only exist once their models are migrated), and only
ever added: an administrator who removes one in the admin keeps it removed until the next
release adds it to this table again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Q

from xuanchuan.org.models import Role, RoleCode

# "app_label.codename", or "app_label.*" for every permission of an app.
DEFAULT_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    RoleCode.DEPARTMENT_ADMIN: (
        "org.*",
        "auditlog.view_logentry",
        "core.view_personaldataaccess",
        "core.view_retentionpurge",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
    ),
}


def grant_default_role_permissions(**kwargs: Any) -> None:
    for code, names in DEFAULT_ROLE_PERMISSIONS.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
        condition = Q(pk__in=[])
        for name in names:
            app_label, codename = name.split(".", 1)
            if codename == "*":
                condition |= Q(content_type__app_label=app_label)
            else:
                condition |= Q(content_type__app_label=app_label, codename=codename)
        role.permissions.add(*Permission.objects.filter(condition))
