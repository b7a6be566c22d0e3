"""Open311 client keys: ``xc311_<prefix>_<secret>``. Only the prefix (for lookup) and a salted
SHA-256 of the whole key are stored; the key itself is shown once, when it is made."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from xuanchuan.civility.models import ApiClient

PREFIX_LENGTH = 8
MAX_KEY_LENGTH = 100


def new_key() -> tuple[str, str, str]:
    """A fresh key, its lookup prefix and the hash to store."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    key = f"xc311_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_key(key)


def hash_key(key: str, salt: str | None = None) -> str:
    """``sha256$<salt>$<hex digest of salt + key>`` (a new random salt unless one is given)."""
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}{key}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def _matches(key: str, stored: str) -> bool:
    try:
        _scheme, salt, _digest = stored.split("$", 2)
    except ValueError:
        return False
    return hmac.compare_digest(hash_key(key, salt), stored)


def prefix_of(key: str) -> str | None:
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "xc311" or len(parts[1]) != PREFIX_LENGTH:
        return None
    return parts[1]


def authenticate(key: str) -> ApiClient | None:
    """The active client holding ``key`` (its last use noted), or ``None``."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    prefix = prefix_of(key)
    if prefix is None:
        return None
    # scoping: allowed — a client proves itself with its key; no user is signed in here.
    for client in ApiClient.objects.filter(key_prefix=prefix, is_active=True).select_related("unit"):
        if _matches(key, client.key_hash):
            now = timezone.now()
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)  # scoping: allowed (the key's own)
            client.last_used_at = now
            return client
    return None


def register_audit() -> None:
    """The audit trail follows clients (every ``UnitOwned`` model is registered by ``org``) but not
    the key's hash; to be called from the app's ``ready()``."""
    from xuanchuan.core.audit import register_for_audit

    register_for_audit(ApiClient, exclude=("key_hash",))
