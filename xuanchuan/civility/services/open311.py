"""Open311 client keys: a department administrator issues a key to a client (an app, a hotline
system), which then submits citizens' reports; a key can be revoked. The key is returned once by
``create_client`` and never stored (only a salted hash, ``open311.keys``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xuanchuan.civility.models import ApiClient
from xuanchuan.civility.open311.keys import new_key
from xuanchuan.civility.permissions import may_manage_clients
from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import User


def _require_scope(by: User, client: ApiClient) -> None:
    require(ApiClient.objects.visible_to(by).filter(pk=client.pk).exists())


def create_client(*, name: str, contact: str = "", by: User) -> tuple[ApiClient, str]:
    """A new active client whose reports go to the acting administrator's unit; the client and
    its key (to hand over now: it cannot be shown again)."""
    require(may_manage_clients(by))
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("请填写客户端名称。"))
    if not by.unit_id:
        raise ServiceError(_("您不属于任何单位，不能发放客户端密钥。"))
    key, prefix, key_hash = new_key()
    with transaction.atomic():
        # scoping: allowed — a name is unique within the receiving unit only
        if ApiClient.objects.filter(unit=by.unit, name=name, is_active=True).exists():
            raise ServiceError(_("已有同名的启用中的客户端。"))
        client = ApiClient.objects.create(
            unit=by.unit,
            created_by=by,
            name=name,
            contact=(contact or "").strip(),
            key_prefix=prefix,
            key_hash=key_hash,
        )
    return client, key


def revoke_client(client: ApiClient, *, by: User) -> ApiClient:
    """Switch a client's key off for good: its next submission is refused (403)."""
    require(may_manage_clients(by))
    _require_scope(by, client)
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if not client.is_active:
            raise ServiceError(_("该客户端密钥已经停用。"))
        client.is_active = False
        client.save(update_fields=["is_active", "updated_at"])
    return client
