"""The district's signing keys: creation, rotation with overlap, retirement, signing passes, and
the key set and revocation list offline checkpoints download."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanchuan.core.memo import VersionedMemo
from xuanchuan.core.pii import mask
from xuanchuan.core.services import ServiceError, require
from xuanchuan.org.models import Unit, User
from xuanchuan.org.services import district_root
from xuanchuan.passes import cose
from xuanchuan.passes.models import (
    Pass,
    PassStatus,
    SigningKey,
)
from xuanchuan.passes.permissions import may_manage_keys

# --- Keys and signing -----------------------------------------------------------------------------


def key_overlap_days() -> int:
    """After a rotation the old key keeps verifying this long: the setting, and never less than a
    pass's validity + 1 day (a pass signed just before the rotation must verify to its end)."""
    return max(settings.PASSES_KEY_OVERLAP_DAYS, settings.PASSES_VALID_DAYS + 1)


def current_key(now: datetime | None = None) -> SigningKey:
    """The key that signs now, created on first use (a fresh installation needs no set-up step)."""
    signing = SigningKey.objects.filter(superseded_at__isnull=True)  # scoping: allowed (one district key)
    key = signing.first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _create_key(district_root(), None, now or timezone.now())
    except IntegrityError:  # another request made the first key at the same moment
        return signing.get()


def _create_key(district: Unit, by: User | None, now: datetime) -> SigningKey:
    private = cose.generate_private_key()
    public = private.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return SigningKey.objects.create(
        unit=district,
        kid=cose.key_id(public),
        public_key_pem=public_pem,
        private_key_pem=cose.private_key_pem(private),
        activated_at=now,
        created_by=by,
    )


def rotate_key(*, by: User | None, now: datetime | None = None) -> SigningKey:
    """Start signing with a new key; the old one verifies for the overlap, then retires."""
    if by is not None:
        require(may_manage_keys(by))
    now = now or timezone.now()
    with transaction.atomic():
        old = SigningKey.objects.select_for_update().filter(superseded_at__isnull=True).first()  # scoping: allowed
        if old is not None:
            old.superseded_at = now
            old.retires_at = now + timedelta(days=key_overlap_days())
            old.save(update_fields=["superseded_at", "retires_at", "updated_at"])
        district = old.unit if old is not None else district_root()
        return _create_key(district, by, now)


def retire_key(key: SigningKey, *, by: User | None, now: datetime | None = None) -> SigningKey:
    """End a verify-only key's overlap at once (e.g. when it is feared compromised)."""
    if by is not None:
        require(may_manage_keys(by))
    if key.superseded_at is None:
        raise ServiceError(_("正在签发的密钥不能停用，请先轮换密钥。"))
    key.retires_at = now or timezone.now()
    key.save(update_fields=["retires_at", "updated_at"])
    return key


def _epoch(day: date, *, end: bool = False) -> int:
    moment = datetime.combine(day + timedelta(days=1) if end else day, datetime.min.time())
    return int(timezone.make_aware(moment).timestamp())


def claims_for(pass_obj: Pass, now: datetime) -> cose.PassClaims:
    return cose.PassClaims(
        pass_id=pass_obj.public_id,
        household=pass_obj.household.number,
        community_code=pass_obj.unit.code,
        community_name=pass_obj.unit.name,
        masked_name=mask(pass_obj.holder_name, "name"),
        issuer=settings.XUANCHUAN_DISTRICT_NAME,
        issued_at=int(now.timestamp()),
        not_before=_epoch(pass_obj.valid_from),
        expires_at=_epoch(pass_obj.valid_until, end=True),
        outing_interval_days=pass_obj.outing_interval_days,
    )


def sign_pass(pass_obj: Pass, *, by: User | None) -> None:
    now = timezone.now()
    key = current_key(now)
    pass_obj.signing_key = key
    pass_obj.signed_text = cose.sign(claims_for(pass_obj, now), cose.load_private_key(key.private_key_pem), key.kid)


# --- What offline checkpoints download -----------------------------------------------------------


def published_keys(now: datetime | None = None) -> list[SigningKey]:
    """Keys that still verify: the signing key and those in their overlap."""
    now = now or timezone.now()
    keys = SigningKey.objects.all()  # scoping: allowed (public keys are published to everyone)
    return [key for key in keys if key.retires_at is None or key.retires_at > now]


@lru_cache(maxsize=64)
def _load_public_key(pem: str) -> Any:
    """Parsed once per process: a key's PEM never changes."""
    return serialization.load_pem_public_key(pem.encode())


def published_key(key: SigningKey) -> cose.PublishedKey:
    """A key as checkpoints verify with it: its public key and the moment it retires."""
    public = _load_public_key(key.public_key_pem)
    retired = int(key.retires_at.timestamp()) if key.retires_at else None
    return cose.PublishedKey(key.kid, public, retired)  # type: ignore[arg-type]


def _verifying_keys() -> dict[str, cose.PublishedKey]:
    # Retired keys too: their passes get "key_retired" rather than "unknown_key".
    rows = SigningKey.objects.only("kid", "public_key_pem", "retires_at")  # scoping: allowed (public keys)
    return {key.kid: published_key(key) for key in rows}


# Every process keeps the district's keys and reloads them when a key is created, rotated or
# retired anywhere (``apps.py`` bumps the version on every save or delete of a SigningKey), so a
# retired key stops verifying at once in every process; a key's retirement time is also checked
# at every verification.
VERIFYING_KEYS: VersionedMemo[dict[str, cose.PublishedKey]] = VersionedMemo("passes.keys", _verifying_keys)


def key_set(now: datetime | None = None) -> dict[str, Any]:
    """The JWK set offline checkpoints download (no personal data)."""
    now = now or timezone.now()
    keys = []
    for key in published_keys(now):
        extra = {"status": key.status_at(now), "activated_at": int(key.activated_at.timestamp())}
        if key.retires_at:
            extra["retires_at"] = int(key.retires_at.timestamp())
        keys.append(cose.public_jwk(published_key(key).public_key, key.kid, **extra))
    return {"issuer": settings.XUANCHUAN_DISTRICT_NAME, "generated_at": int(now.timestamp()), "keys": keys}


def revoked_ids(now: datetime | None = None) -> list[str]:
    """Numbers of revoked passes that have not yet expired (expired ones are refused anyway)."""
    today = timezone.localdate(now) if now else timezone.localdate()
    revoked = Pass.objects.filter(status=PassStatus.REVOKED, valid_until__gte=today)  # scoping: allowed
    return sorted(revoked.values_list("public_id", flat=True))


def revocation_list(now: datetime | None = None) -> dict[str, Any]:
    """The revocation list offline checkpoints download: pass numbers only, no personal data."""
    now = now or timezone.now()
    ids = revoked_ids(now)
    return {
        "issuer": settings.XUANCHUAN_DISTRICT_NAME,
        "generated_at": int(now.timestamp()),
        "count": len(ids),
        "revoked": ids,
    }


def reencrypt_keys() -> int:
    """Re-encrypt every private key with the first data key (after rotating ``XUANCHUAN_DATA_KEY``)."""
    keys = list(SigningKey.objects.all())  # scoping: allowed (maintenance of every key)
    for key in keys:
        key.save(update_fields=["private_key_pem"])
    return len(keys)
