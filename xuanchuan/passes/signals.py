"""What other processes must learn at once: a key changed, a checker's right to check changed.

- Saving or deleting a ``SigningKey`` (creation, rotation, retirement) bumps the version of the
  key set every process keeps (``services.keys.VERIFYING_KEYS``).
- Logging out, any change of a user (but the ``last_login`` stamp of signing in) or of their roles
  ends that user's checkpoint tokens; a change of a role ends everyone's (``passes.checkers``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save

from xuanchuan.org.models import Role, User
from xuanchuan.passes import checkers
from xuanchuan.passes.models import SigningKey
from xuanchuan.passes.services.keys import VERIFYING_KEYS


def key_changed(sender: Any, **kwargs: Any) -> None:
    VERIFYING_KEYS.bump()


def user_changed(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    checkers.forget(instance.pk)


def logged_out(sender: Any, user: User | None = None, **kwargs: Any) -> None:
    if user is not None:
        checkers.forget(user.pk)


def roles_of_users_changed(sender: Any, instance: Any, action: str, pk_set: Any = None, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, User):
        checkers.forget(instance.pk)
    elif action == "post_clear" or not pk_set:
        checkers.forget_everyone()  # a role's holders cleared: who they were is not known here
    else:
        for user_id in pk_set:
            checkers.forget(user_id)


def role_changed(sender: Any, **kwargs: Any) -> None:
    checkers.forget_everyone()


def connect() -> None:
    """Connect the receivers (``PassesConfig.ready``)."""
    post_save.connect(key_changed, sender=SigningKey, dispatch_uid="passes.key_saved")
    post_delete.connect(key_changed, sender=SigningKey, dispatch_uid="passes.key_deleted")
    post_save.connect(user_changed, sender=User, dispatch_uid="passes.user_saved")
    post_delete.connect(user_changed, sender=User, dispatch_uid="passes.user_deleted")
    user_logged_out.connect(logged_out, dispatch_uid="passes.logged_out")
    m2m_changed.connect(roles_of_users_changed, sender=User.roles.through, dispatch_uid="passes.roles_changed")
    post_save.connect(role_changed, sender=Role, dispatch_uid="passes.role_saved")
    post_delete.connect(role_changed, sender=Role, dispatch_uid="passes.role_deleted")
