"""The signed pass format: DCC-style CWT in COSE_Sign1, readable by an off-the-shelf COSE library."""

from __future__ import annotations

import base64
import hashlib
import zlib

import base45
import cbor2
import pytest
from pycose.keys import EC2Key
from pycose.messages import Sign1Message

from xuanchuan.passes import cose
from xuanchuan.passes.cose import Reason

NOW = 1_800_000_000


def claims(**changes) -> cose.PassClaims:
    values = {
        "pass_id": "ABCDEFGH2345",
        "household": "1栋101",
        "community_code": "T-S01-C01",
        "community_name": "幸福社区",
        "masked_name": "张*丰",
        "issuer": "示范区",
        "issued_at": NOW - 100,
        "not_before": NOW - 100,
        "expires_at": NOW + 86400,
        "outing_interval_days": 2,
    }
    return cose.PassClaims(**{**values, **changes})


@pytest.fixture(scope="module")
def key():
    private = cose.generate_private_key()
    kid = cose.key_id(private.public_key())
    return private, kid, {kid: cose.PublishedKey(kid, private.public_key())}


def cose_bytes(text: str) -> bytes:
    return zlib.decompress(base45.b45decode(text[len(cose.PREFIX) :]))


def test_a_signed_pass_verifies(key) -> None:
    private, kid, keys = key
    text = cose.sign(claims(), private, kid)
    assert text.startswith("XC1:")
    verdict = cose.verify(text, keys, now=NOW)
    assert verdict.valid and verdict.kid == kid
    assert verdict.claims == claims()


def test_an_off_the_shelf_cose_library_verifies_it_with_the_published_jwk(key) -> None:
    private, kid, _keys = key
    text = cose.sign(claims(), private, kid)
    message = Sign1Message.decode(cose_bytes(text))
    jwk = cose.public_jwk(private.public_key(), kid)
    message.key = EC2Key(
        crv="P_256", x=base64.urlsafe_b64decode(jwk["x"] + "="), y=base64.urlsafe_b64decode(jwk["y"] + "=")
    )
    assert message.verify_signature()
    payload = cbor2.loads(message.payload)
    assert payload[1] == "示范区" and payload[4] == NOW + 86400
    assert payload[-70001]["nm"] == "张*丰" and payload[-70001]["pid"] == "ABCDEFGH2345"


def test_the_kid_is_the_first_eight_bytes_of_the_key_hash(key) -> None:
    private, kid, _keys = key
    digest = hashlib.sha256(cose.public_key_der(private.public_key())).digest()
    assert base64.b64decode(kid) == digest[:8]
    header = cbor2.loads(cbor2.loads(cose_bytes(cose.sign(claims(), private, kid))).value[0])
    assert header == {1: -7, 4: digest[:8]}


def test_the_pass_carries_no_full_name_nor_phone(key) -> None:
    private, kid, _keys = key
    payload = cbor2.loads(cose_bytes(cose.sign(claims(), private, kid))).value[2]
    assert "张三丰".encode() not in payload and b"138" not in payload


def test_an_altered_pass_is_refused(key) -> None:
    private, kid, keys = key
    parts = cose.decode(cose.sign(claims(), private, kid))
    forged = claims(expires_at=NOW + 365 * 86400).to_cwt()
    altered = cose.encode_cose(parts.protected, cbor2.dumps(forged), parts.signature)
    assert cose.verify(altered, keys, now=NOW).reason == Reason.BAD_SIGNATURE
    flipped = parts.signature[:-1] + bytes([parts.signature[-1] ^ 1])
    assert cose.verify(cose.encode_cose(parts.protected, parts.payload, flipped), keys, now=NOW).reason == (
        Reason.BAD_SIGNATURE
    )


def test_a_pass_of_an_unknown_key_is_refused(key) -> None:
    _private, _kid, keys = key
    stranger = cose.generate_private_key()
    text = cose.sign(claims(), stranger, cose.key_id(stranger.public_key()))
    assert cose.verify(text, keys, now=NOW).reason == Reason.UNKNOWN_KEY


def test_a_forger_reusing_our_kid_is_refused(key) -> None:
    _private, kid, keys = key
    assert cose.verify(cose.sign(claims(), cose.generate_private_key(), kid), keys, now=NOW).reason == (
        Reason.BAD_SIGNATURE
    )


@pytest.mark.parametrize("text", ["", "hello", "XC1:", "XC1:%%%", "XC1:" + base45.b45encode(b"not zlib").decode()])
def test_garbage_is_malformed(key, text: str) -> None:
    assert cose.verify(text, key[2], now=NOW).reason == Reason.MALFORMED


def test_validity_window_and_revocation(key) -> None:
    private, kid, keys = key
    text = cose.sign(claims(), private, kid)
    assert cose.verify(text, keys, now=NOW + 86400).reason == Reason.EXPIRED
    assert cose.verify(text, keys, now=NOW - 101).reason == Reason.NOT_YET_VALID
    assert cose.verify(text, keys, now=NOW, revoked={"ABCDEFGH2345"}).reason == Reason.REVOKED
    retired = {kid: cose.PublishedKey(kid, private.public_key(), retired_at=NOW)}
    assert cose.verify(text, retired, now=NOW).reason == Reason.KEY_RETIRED
    assert cose.verify(text, retired, now=NOW - 1).reason == Reason.VALID


def test_the_jwk_round_trips(key) -> None:
    private, kid, _keys = key
    jwk = cose.public_jwk(private.public_key(), kid)
    assert cose.public_key_from_jwk(jwk).public_numbers() == private.public_key().public_numbers()
