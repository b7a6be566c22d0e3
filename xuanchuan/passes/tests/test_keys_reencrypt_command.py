"""Rotating the data key: reindex_personal_data also re-encrypts the e-pass signing keys."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from xuanchuan.passes import services
from xuanchuan.passes.models import SigningKey


@pytest.mark.django_db
def test_reindex_personal_data_reencrypts_signing_keys(district) -> None:
    services.rotate_key(by=None)
    out = io.StringIO()
    call_command("reindex_personal_data", stdout=out)
    assert "通行证签名私钥：已重新加密" in out.getvalue()
    assert SigningKey.objects.exists()  # scoping: allowed
