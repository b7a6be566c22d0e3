"""Signed pass texts, built the way the EU Digital COVID Certificate is built.

A pass text is ``XC1:`` followed by the Base45 encoding of the zlib-compressed bytes of a
COSE_Sign1 structure (RFC 9052, CBOR tag 18) signed with ES256 (ECDSA P-256 / SHA-256). The
protected header holds the algorithm (``1: -7``) and the key id (``4: kid``); the payload is a
CBOR Web Token (RFC 8392) with the standard claims ``iss``, ``iat``, ``nbf``, ``exp`` and ``cti``
and one private claim (``-70001``) holding the pass data a checkpoint needs. Any COSE library
given the public key verifies it; the browser module ``static/passes/verify.js`` does the same.

This module knows nothing of Django models: it turns claims and keys into text and back, and
decides a verdict from a text, the published keys and a revocation set. Key ids are the first
8 bytes of the SHA-256 of the public key's SubjectPublicKeyInfo, in standard base64 (as the DCC).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import base45
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

PREFIX = "XC1:"
COSE_SIGN1_TAG = 18
ALG_ES256 = -7
HEADER_ALG = 1
HEADER_KID = 4
# CWT claim keys (RFC 8392 §4).
CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_CTI = 7
# Our private claim: a map with text keys (see ``PassClaims``).
CLAIM_PASS = -70001
PASS_CLAIM_VERSION = 1


class Reason:
    """Verdicts a pass can get; every value but ``VALID`` is a refusal."""

    VALID = "valid"
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    KEY_RETIRED = "key_retired"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    UNKNOWN_PASS = "unknown_pass"  # noqa: S105 (a verdict code, not a password)
    OVER_USED = "over_used"

    LABELS = {
        VALID: "有效，准予通行",
        MALFORMED: "无法识别的通行码",
        BAD_SIGNATURE: "签名无效：通行证被伪造或篡改",
        UNKNOWN_KEY: "签发密钥未知：非本区签发",
        KEY_RETIRED: "签发密钥已停用，请重新申领",
        NOT_YET_VALID: "通行证尚未生效",
        EXPIRED: "通行证已过期",
        REVOKED: "通行证已被撤销",
        UNKNOWN_PASS: "系统中没有这张通行证",
        OVER_USED: "超出外出次数限制",
    }

    @classmethod
    def label(cls, reason: str) -> str:
        return cls.LABELS.get(reason, reason)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return list(cls.LABELS.items())


@dataclass(frozen=True)
class PassClaims:
    """What a pass says: only what a checkpoint needs, the holder's name masked."""

    pass_id: str
    household: str
    community_code: str
    community_name: str
    masked_name: str
    issuer: str
    issued_at: int
    not_before: int
    expires_at: int
    outing_interval_days: int = 0

    def to_cwt(self) -> dict[int, Any]:
        return {
            CLAIM_ISS: self.issuer,
            CLAIM_IAT: self.issued_at,
            CLAIM_NBF: self.not_before,
            CLAIM_EXP: self.expires_at,
            CLAIM_CTI: self.pass_id.encode(),
            CLAIM_PASS: {
                "v": PASS_CLAIM_VERSION,
                "pid": self.pass_id,
                "hh": self.household,
                "cc": self.community_code,
                "cn": self.community_name,
                "nm": self.masked_name,
                "ivl": self.outing_interval_days,
            },
        }

    @classmethod
    def from_cwt(cls, claims: Mapping[Any, Any]) -> PassClaims:
        data = claims[CLAIM_PASS]
        return cls(
            pass_id=str(data["pid"]),
            household=str(data["hh"]),
            community_code=str(data["cc"]),
            community_name=str(data["cn"]),
            masked_name=str(data["nm"]),
            issuer=str(claims[CLAIM_ISS]),
            issued_at=int(claims[CLAIM_IAT]),
            not_before=int(claims.get(CLAIM_NBF, claims[CLAIM_IAT])),
            expires_at=int(claims[CLAIM_EXP]),
            outing_interval_days=int(data.get("ivl", 0)),
        )


# --- Keys ----------------------------------------------------------------------------------------


def generate_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def load_private_key(pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("not an EC private key")
    return key


def public_key_der(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(public_key: ec.EllipticCurvePublicKey) -> str:
    """The DCC's key id: the first 8 bytes of SHA-256 of the public key, in standard base64."""
    return base64.b64encode(hashlib.sha256(public_key_der(public_key)).digest()[:8]).decode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_jwk(public_key: ec.EllipticCurvePublicKey, kid: str, **extra: Any) -> dict[str, Any]:
    """The public key as a JWK (RFC 7517), ready for WebCrypto's ``importKey("jwk", …)``."""
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "alg": "ES256",
        "use": "sig",
        "kid": kid,
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
        **extra,
    }


def public_key_from_jwk(jwk: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
    x = int.from_bytes(_b64url_decode(jwk["x"]), "big")
    y = int.from_bytes(_b64url_decode(jwk["y"]), "big")
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


# --- Signing and reading ---------------------------------------------------------------------------


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def sign(claims: PassClaims, private_key: ec.EllipticCurvePrivateKey, kid: str) -> str:
    """The pass text of ``claims`` signed with ``private_key``."""
    protected = cbor2.dumps({HEADER_ALG: ALG_ES256, HEADER_KID: base64.b64decode(kid)})
    payload = cbor2.dumps(claims.to_cwt())
    der = private_key.sign(_sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return encode_cose(protected, payload, signature)


def encode_cose(protected: bytes, payload: bytes, signature: bytes) -> str:
    """Wrap the parts of a COSE_Sign1 into a pass text (also used to make altered test passes)."""
    message = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))
    return PREFIX + base45.b45encode(zlib.compress(message, 9)).decode()


@dataclass(frozen=True)
class CoseParts:
    """A COSE_Sign1 taken apart, before its signature is checked."""

    protected: bytes
    payload: bytes
    signature: bytes
    kid: str
    claims: dict[Any, Any]


class MalformedPass(ValueError):
    """The text is not a pass text."""


def decode(text: str) -> CoseParts:
    """Take a pass text apart; ``MalformedPass`` when any layer does not parse."""
    text = (text or "").strip()
    if not text.startswith(PREFIX):
        raise MalformedPass("prefix")
    try:
        message = cbor2.loads(zlib.decompress(base45.b45decode(text[len(PREFIX) :])))
        if isinstance(message, cbor2.CBORTag):
            if message.tag != COSE_SIGN1_TAG:
                raise MalformedPass("tag")
            message = message.value
        protected, unprotected, payload, signature = message
        header = {**(unprotected or {}), **cbor2.loads(protected)}
        if header.get(HEADER_ALG) != ALG_ES256:
            raise MalformedPass("alg")
        kid = base64.b64encode(header[HEADER_KID]).decode()
        claims = cbor2.loads(payload)
        if not isinstance(claims, dict) or CLAIM_PASS not in claims:
            raise MalformedPass("claims")
    except MalformedPass:
        raise
    except Exception as exc:  # noqa: BLE001 (any parse failure of untrusted input is "malformed")
        raise MalformedPass(str(exc)) from exc
    return CoseParts(protected, payload, signature, kid, claims)


def signature_valid(parts: CoseParts, public_key: ec.EllipticCurvePublicKey) -> bool:
    if len(parts.signature) != 64:
        return False
    r = int.from_bytes(parts.signature[:32], "big")
    s = int.from_bytes(parts.signature[32:], "big")
    try:
        public_key.verify(
            encode_dss_signature(r, s), _sig_structure(parts.protected, parts.payload), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class PublishedKey:
    """A public key as checkpoints know it; ``retired_at`` (epoch seconds) ends its validity."""

    kid: str
    public_key: ec.EllipticCurvePublicKey
    retired_at: int | None = None


@dataclass(frozen=True)
class Verdict:
    """The outcome of reading a pass text."""

    reason: str
    kid: str = ""
    claims: PassClaims | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.reason == Reason.VALID

    @property
    def label(self) -> str:
        return Reason.label(self.reason)


def verify(
    text: str,
    keys: Mapping[str, PublishedKey],
    *,
    now: int,
    revoked: frozenset[str] | set[str] = frozenset(),
) -> Verdict:
    """The verdict on ``text`` at epoch second ``now``: signature, key, validity, revocation."""
    try:
        parts = decode(text)
    except MalformedPass:
        return Verdict(Reason.MALFORMED)
    key = keys.get(parts.kid)
    if key is None:
        return Verdict(Reason.UNKNOWN_KEY, parts.kid)
    if not signature_valid(parts, key.public_key):
        return Verdict(Reason.BAD_SIGNATURE, parts.kid)
    try:
        claims = PassClaims.from_cwt(parts.claims)
    except (KeyError, TypeError, ValueError):
        return Verdict(Reason.MALFORMED, parts.kid)
    return Verdict(_time_and_revocation(claims, key, now, revoked), parts.kid, claims)


def _time_and_revocation(claims: PassClaims, key: PublishedKey, now: int, revoked: frozenset[str] | set[str]) -> str:
    if key.retired_at is not None and now >= key.retired_at:
        return Reason.KEY_RETIRED
    if claims.pass_id in revoked:
        return Reason.REVOKED
    if now < claims.not_before:
        return Reason.NOT_YET_VALID
    if now >= claims.expires_at:
        return Reason.EXPIRED
    return Reason.VALID
