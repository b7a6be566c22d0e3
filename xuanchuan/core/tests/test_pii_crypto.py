"""Encryption, key rotation, suites and the blind index (xuanchuan.core.pii.crypto)."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import hashes

from xuanchuan.core.pii import crypto
from xuanchuan.core.pii.crypto import DecryptionError, KeyConfigurationError, SuiteKey
from xuanchuan.core.pii.fields import blind_index
from xuanchuan.core.tests.conftest import OTHER_KEY

LABEL = "piitest.resident.phone"


def test_ciphertext_is_self_describing_and_randomised() -> None:
    first = crypto.encrypt("13812345678", LABEL)
    second = crypto.encrypt("13812345678", LABEL)
    assert re.fullmatch(r"v1\$aes-gcm\$[0-9a-f]{8}\$[A-Za-z0-9_-]+", first)
    assert first != second
    assert "13812345678" not in first
    assert crypto.decrypt(first, LABEL) == crypto.decrypt(second, LABEL) == "13812345678"


def test_unicode_round_trip() -> None:
    text = "欧阳娜娜·测试 😀"
    assert crypto.decrypt(crypto.encrypt(text, LABEL), LABEL) == text


def test_ciphertext_cannot_move_to_another_field() -> None:
    token = crypto.encrypt("13812345678", LABEL)
    with pytest.raises(DecryptionError, match="piitest.resident.id_number"):
        crypto.decrypt(token, "piitest.resident.id_number")


@pytest.mark.parametrize("position", [-1, -20, 30])
def test_tampered_ciphertext_is_refused(position: int) -> None:
    token = crypto.encrypt("13812345678", LABEL)
    header, body = token.rsplit("$", 1)
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[position] ^= 0x01
    damaged = header + "$" + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(DecryptionError, match="完整性校验"):
        crypto.decrypt(damaged, LABEL)


def test_edited_header_is_refused(settings) -> None:
    settings.XUANCHUAN_DATA_KEY = f"{settings.XUANCHUAN_DATA_KEY},{OTHER_KEY}"
    token = crypto.encrypt("13812345678", LABEL)
    other_id = crypto.get_keyring().keys("aes-gcm")[1].key_id
    forged = token.replace(token.split("$")[2], other_id)
    with pytest.raises(DecryptionError):
        crypto.decrypt(forged, LABEL)


@pytest.mark.parametrize("value", ["13812345678", "v1$aes-gcm$abc", "v2$aes-gcm$00000000$AAAA", "v1$aes-gcm$00$!!"])
def test_values_that_are_not_ciphertexts_are_refused(value: str) -> None:
    with pytest.raises(DecryptionError):
        crypto.decrypt(value, LABEL)


def test_short_body_is_refused() -> None:
    key_id = crypto.get_keyring().current.key_id
    with pytest.raises(DecryptionError, match="长度"):
        crypto.decrypt(f"v1$aes-gcm${key_id}$AAAA", LABEL)


def test_unknown_key_names_its_key_id(settings) -> None:
    token = crypto.encrypt("13812345678", LABEL)
    settings.XUANCHUAN_DATA_KEY = OTHER_KEY
    with pytest.raises(DecryptionError, match=token.split("$")[2]):
        crypto.decrypt(token, LABEL)


def test_rotation_decrypts_with_any_key_and_encrypts_with_the_first(settings) -> None:
    old_key = settings.XUANCHUAN_DATA_KEY
    old_token = crypto.encrypt("13812345678", LABEL)
    settings.XUANCHUAN_DATA_KEY = f"{OTHER_KEY},{old_key}"
    assert crypto.decrypt(old_token, LABEL) == "13812345678"
    new_token = crypto.encrypt("13812345678", LABEL)
    assert crypto.key_id_of(new_token) != crypto.key_id_of(old_token)
    assert crypto.is_current(new_token) and not crypto.is_current(old_token)


def test_sm4_suite_round_trip_and_switching(settings) -> None:
    aes_token = crypto.encrypt("110105194912310021", LABEL)
    settings.XUANCHUAN_CRYPTO = "sm4-gcm"
    sm4_token = crypto.encrypt("110105194912310021", LABEL)
    assert sm4_token.startswith("v1$sm4-gcm$")
    assert crypto.decrypt(sm4_token, LABEL) == "110105194912310021"
    # A value written under the other suite still reads: the ciphertext names its suite.
    assert crypto.decrypt(aes_token, LABEL) == "110105194912310021"
    damaged = sm4_token[:-2] + ("A" if sm4_token[-2] != "A" else "B") + sm4_token[-1]
    with pytest.raises(DecryptionError):
        crypto.decrypt(damaged, LABEL)


def test_sm4_gcm_matches_rfc_8998_vector() -> None:
    """RFC 8998 appendix A.1: SM4-GCM works in this build of cryptography/OpenSSL."""
    key = SuiteKey("sm4-gcm", "test", bytes.fromhex("0123456789ABCDEFFEDCBA9876543210"), b"")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    expected = bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"
    )
    assert key.seal(nonce, plaintext, aad) == expected
    assert key.open(nonce, expected, aad) == plaintext


def test_sm3_matches_gbt_32905_vector() -> None:
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")
    assert digest.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_derived_keys_are_separate() -> None:
    master = bytes(range(32))
    aes = SuiteKey.derive(master, "aes-gcm")
    sm4 = SuiteKey.derive(master, "sm4-gcm")
    assert len(aes.encryption_key) == 32 and len(sm4.encryption_key) == 16
    assert aes.encryption_key != aes.index_key
    assert master not in (aes.encryption_key, aes.index_key, sm4.index_key)
    assert aes.key_id != sm4.key_id


def test_blind_index_normalises_and_separates_kinds(settings) -> None:
    value = blind_index("11010519491231002X", "id_number")
    assert re.fullmatch(r"[0-9a-f]{64}", value)
    assert blind_index(" 110105 19491231 002x ", "id_number") == value
    assert blind_index("+86 138-1234-5678", "phone") == blind_index("13812345678", "phone")
    assert blind_index("１３８１２３４５６７８", "phone") == blind_index("13812345678", "phone")
    assert blind_index("13812345678", "phone") != blind_index("13812345678", "text")
    assert blind_index("", "phone") == ""
    settings.XUANCHUAN_CRYPTO = "sm4-gcm"
    assert blind_index("11010519491231002X", "id_number") != value
    settings.XUANCHUAN_CRYPTO = "aes-gcm"
    settings.XUANCHUAN_DATA_KEY = f"{settings.XUANCHUAN_DATA_KEY},{OTHER_KEY}"
    assert blind_index("11010519491231002X", "id_number") == value  # only the first key counts
    settings.XUANCHUAN_DATA_KEY = OTHER_KEY
    assert blind_index("11010519491231002X", "id_number") != value


def test_bad_key_configuration_is_reported(settings) -> None:
    settings.XUANCHUAN_DATA_KEY = base64.b64encode(b"short").decode()
    with pytest.raises(KeyConfigurationError, match="XUANCHUAN_DATA_KEY"):
        crypto.encrypt("x", LABEL)
    settings.XUANCHUAN_DATA_KEY = OTHER_KEY
    settings.XUANCHUAN_CRYPTO = "des"
    with pytest.raises(KeyConfigurationError, match="des"):
        crypto.encrypt("x", LABEL)
