"""Puts a published item out on the outlets it targets (receiver of ``publishing.signals``), and
marks the copies of a taken-down item that must be removed by hand. Imported once at start-up by
``publishing.receivers``; also puts the WeChat credentials under the audit trail (secrets left
out) and under the re-encryption after a data-key rotation."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from xuanchuan.publishing.signals import publication_published, publication_taken_down

log = logging.getLogger(__name__)


@receiver(publication_published, dispatch_uid="publishing.external.dispatch")
def on_published(sender: Any, publication: Any, **kwargs: Any) -> None:
    from xuanchuan.publishing.services import external

    try:
        external.dispatch(publication)
    except Exception:  # the review went through; the log page shows what is missing, and a retry is possible
        log.exception("dispatching publication %s to its outlets failed", publication.pk)


@receiver(publication_taken_down, dispatch_uid="publishing.external.taken_down")
def on_taken_down(sender: Any, publication: Any, reason: str = "", **kwargs: Any) -> None:
    from xuanchuan.publishing.services import external

    try:
        external.taken_down(publication, reason)
    except Exception:
        log.exception("marking the posts of taken-down publication %s failed", publication.pk)


def reencrypt_credentials() -> int:
    """Re-encrypt every WeChat secret with the first data key (after rotating ``XUANCHUAN_DATA_KEY``)."""
    from xuanchuan.publishing.models.external import OutletCredential

    credentials = list(OutletCredential.objects.all())  # scoping: allowed (maintenance of every row)
    for credential in credentials:
        credential.save(update_fields=["app_secret", "callback_token"])
    return len(credentials)


def _register() -> None:
    from xuanchuan.core.audit import register_for_audit
    from xuanchuan.core.pii.reindex import register_reencryption
    from xuanchuan.publishing.models.external import OutletCredential

    register_for_audit(OutletCredential, exclude=("app_secret", "callback_token"))
    register_reencryption(str(_("公众号接口凭据")), reencrypt_credentials)


_register()
