"""``passes_testdata``: every sample gets the verdict the manifest names, from the files alone."""

from __future__ import annotations

import json
import time

from django.core.management import call_command

from xuanchuan.passes import cose


def test_testdata_samples_get_their_verdicts(tmp_path) -> None:
    call_command("passes_testdata", "--out", str(tmp_path))
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    key_set = json.loads((tmp_path / "keys.json").read_text(encoding="utf-8"))
    revoked = set(json.loads((tmp_path / "revocations.json").read_text(encoding="utf-8"))["revoked"])
    keys = {jwk["kid"]: cose.PublishedKey(jwk["kid"], cose.public_key_from_jwk(jwk)) for jwk in key_set["keys"]}
    assert {entry["expected"] for entry in manifest} == {"valid", "expired", "revoked", "bad_signature", "unknown_key"}
    for entry in manifest:
        assert set(entry) == {"file", "text", "expected", "kid"}
        assert (tmp_path / entry["file"]).read_bytes().startswith(b"\x89PNG")
        verdict = cose.verify(entry["text"], keys, now=int(time.time()), revoked=revoked)
        assert verdict.reason == entry["expected"], entry["file"]
        assert verdict.kid == entry["kid"]
