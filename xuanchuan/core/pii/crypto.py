"""Encryption of personal data at rest and the keyed blind index used to look it up.

Only the ``cryptography`` package does cryptography here; this module chooses algorithms,
derives keys and frames ciphertexts.

Two suites, chosen by ``XUANCHUAN_CRYPTO``:

* ``aes-gcm`` (default): AES-256-GCM, HKDF-SHA256, blind index HMAC-SHA256;
* ``sm4-gcm`` (for the commercial-cryptography assessment, 商用密码应用安全性评估): SM4-GCM
  (GB/T 32907), HKDF-SM3, blind index HMAC-SM3 (GB/T 32905).

Each master key in ``XUANCHUAN_DATA_KEY`` (base64 of 32 bytes, comma-separated, current first)
yields, through HKDF with distinct ``info`` labels, an encryption key, a blind-index key and a
short key id. A ciphertext names its format version, suite and key id::

    v1$aes-gcm$3f9a0c1d$<base64url(nonce ‖ ciphertext ‖ tag)>

so it is decrypted with whichever configured key has that id, under the suite it names, even
after the current key or suite has changed. New values are always encrypted with the first key
and the current suite. The header and the field's label (``app_label.model.field``) are the
associated data: a ciphertext moved to another field, or a header edited, fails to decrypt.

The blind index is always computed with the *first* key and the *current* suite, so changing
either makes existing indexes stale: run ``manage.py reindex_personal_data`` after rotating the
first key or switching suite (it re-encrypts every value and recomputes every index).
"""

from __future__ import annotations

import base64
import binascii
import hmac as std_hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FORMAT_VERSION = "v1"
SEPARATOR = "$"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_BYTES = 4
SUITES = ("aes-gcm", "sm4-gcm")


class PersonalDataError(Exception):
    """Base of every error raised while protecting personal data."""


class KeyConfigurationError(PersonalDataError):
    """``XUANCHUAN_DATA_KEY`` or ``XUANCHUAN_CRYPTO`` cannot be used."""


class DecryptionError(PersonalDataError):
    """A stored value could not be decrypted: wrong or missing key, tampered or malformed data."""


def _hash_for(suite: str) -> hashes.HashAlgorithm:
    return hashes.SM3() if suite == "sm4-gcm" else hashes.SHA256()


def _derive(master: bytes, suite: str, purpose: str, length: int) -> bytes:
    info = f"xuanchuan/personal-data/{FORMAT_VERSION}/{suite}/{purpose}".encode()
    return HKDF(algorithm=_hash_for(suite), length=length, salt=None, info=info).derive(master)


@dataclass(frozen=True)
class SuiteKey:
    """The keys one master key yields under one suite."""

    suite: str
    key_id: str
    encryption_key: bytes
    index_key: bytes

    @classmethod
    def derive(cls, master: bytes, suite: str) -> SuiteKey:
        if suite not in SUITES:
            raise KeyConfigurationError(f"未知的个人信息加密算法：{suite}（应为 aes-gcm 或 sm4-gcm）")
        key_length = 16 if suite == "sm4-gcm" else 32
        return cls(
            suite=suite,
            key_id=_derive(master, suite, "key-id", KEY_ID_BYTES).hex(),
            encryption_key=_derive(master, suite, "encryption", key_length),
            index_key=_derive(master, suite, "blind-index", 32),
        )

    def seal(self, nonce: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
        """Ciphertext followed by the 16-byte tag."""
        if self.suite == "aes-gcm":
            return AESGCM(self.encryption_key).encrypt(nonce, plaintext, associated_data)
        encryptor = Cipher(algorithms.SM4(self.encryption_key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated_data)
        return encryptor.update(plaintext) + encryptor.finalize() + encryptor.tag

    def open(self, nonce: bytes, sealed: bytes, associated_data: bytes) -> bytes:
        """Plaintext, or ``InvalidTag`` when the key, data or associated data do not match."""
        if self.suite == "aes-gcm":
            return AESGCM(self.encryption_key).decrypt(nonce, sealed, associated_data)
        if len(sealed) < TAG_BYTES:
            raise InvalidTag()
        body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self.encryption_key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(associated_data)
        return decryptor.update(body) + decryptor.finalize()

    def index(self, message: bytes) -> str:
        mac = crypto_hmac.HMAC(self.index_key, _hash_for(self.suite))
        mac.update(message)
        return mac.finalize().hex()


class Keyring:
    """The configured master keys (current first) and the keys derived from them, per suite."""

    def __init__(self, masters: list[bytes], suite: str) -> None:
        if not masters:
            raise KeyConfigurationError("XUANCHUAN_DATA_KEY 未配置任何密钥")
        if suite not in SUITES:
            raise KeyConfigurationError(f"未知的个人信息加密算法：{suite}（应为 aes-gcm 或 sm4-gcm）")
        self.masters = masters
        self.suite = suite
        self._by_suite: dict[str, list[SuiteKey]] = {}

    def keys(self, suite: str) -> list[SuiteKey]:
        if suite not in self._by_suite:
            self._by_suite[suite] = [SuiteKey.derive(master, suite) for master in self.masters]
        return self._by_suite[suite]

    @property
    def current(self) -> SuiteKey:
        return self.keys(self.suite)[0]

    def find(self, suite: str, key_id: str) -> SuiteKey | None:
        for key in self.keys(suite):
            if std_hmac.compare_digest(key.key_id, key_id):
                return key
        return None


@lru_cache(maxsize=8)
def _keyring_for(data_key_setting: str, suite: str) -> Keyring:
    from xuanchuan.core.checks import data_keys

    try:
        masters = data_keys()
    except ValueError as exc:
        raise KeyConfigurationError(f"XUANCHUAN_DATA_KEY 无效：{exc}") from exc
    return Keyring(masters, suite)


def get_keyring() -> Keyring:
    """The keyring for the current settings (cached per value of the two settings)."""
    return _keyring_for(settings.XUANCHUAN_DATA_KEY, settings.XUANCHUAN_CRYPTO)


def is_ciphertext(value: str) -> bool:
    """Whether ``value`` has the shape of a ciphertext written by :func:`encrypt`."""
    parts = value.split(SEPARATOR)
    return len(parts) == 4 and parts[0] == FORMAT_VERSION and parts[1] in SUITES


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _associated_data(header: str, label: str) -> bytes:
    return f"{header}|{label}".encode()


def encrypt(plaintext: str, label: str) -> str:
    """Encrypt ``plaintext`` for the field called ``label`` with the current key and suite."""
    key = get_keyring().current
    header = SEPARATOR.join((FORMAT_VERSION, key.suite, key.key_id))
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.seal(nonce, plaintext.encode("utf-8"), _associated_data(header, label))
    return f"{header}{SEPARATOR}{_b64encode(nonce + sealed)}"


def decrypt(token: str, label: str) -> str:
    """Decrypt a value written by :func:`encrypt` for the field called ``label``.

    Raises :class:`DecryptionError` naming the field when the value is not a ciphertext of this
    platform, no configured key has its key id, or authentication fails (wrong key, data
    changed, or a ciphertext copied from another field).
    """
    if not is_ciphertext(token):
        raise DecryptionError(f"字段 {label} 中的值不是本平台的加密格式，无法解密")
    _version, suite, key_id, body = token.split(SEPARATOR)
    key = get_keyring().find(suite, key_id)
    if key is None:
        raise DecryptionError(
            f"字段 {label} 的值由密钥 {key_id}（{suite}）加密，XUANCHUAN_DATA_KEY 中没有这把密钥；"
            "轮换密钥时旧密钥应保留在列表后部"
        )
    try:
        raw = _b64decode(body)
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError(f"字段 {label} 的密文编码已损坏") from exc
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"字段 {label} 的密文长度不正确，数据已损坏")
    header = SEPARATOR.join((FORMAT_VERSION, suite, key_id))
    try:
        plaintext = key.open(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(header, label))
    except InvalidTag as exc:
        raise DecryptionError(
            f"字段 {label} 的密文未通过完整性校验：数据被篡改、从其他字段复制而来，或密钥不正确"
        ) from exc
    return plaintext.decode("utf-8")


def key_id_of(token: str) -> str | None:
    """The key id a ciphertext names, or None for a value that is not a ciphertext."""
    return token.split(SEPARATOR)[2] if is_ciphertext(token) else None


def is_current(token: str) -> bool:
    """Whether a ciphertext was written with the current key and suite (no re-encryption due)."""
    if not is_ciphertext(token):
        return False
    current = get_keyring().current
    _version, suite, key_id, _body = token.split(SEPARATOR)
    return suite == current.suite and key_id == current.key_id


def blind_index_digest(normalised: str, kind: str) -> str:
    """Hex HMAC of an already normalised value, domain-separated by its kind.

    The kind (not the model) separates the index space, so the same ID number gives the same
    index in every table: records of one person can be matched across modules without
    decrypting, while an ID number never matches a phone number.
    """
    message = kind.encode("utf-8") + b"\x00" + normalised.encode("utf-8")
    return get_keyring().current.index(message)
