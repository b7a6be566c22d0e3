"""``manage.py passes_testdata --out DIR``: test data for makers of pass verifiers.

Like the DCC's test-data sets, the folder holds a public key set and sample passes, each as its
QR text and a PNG, with the verdict a verifier must give (``manifest.json``). The samples are
signed with a throw-away key made for the run (written only as its public JWK), never with the
district's real keys, and the command does not touch the database.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import cbor2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from xuanchuan.passes import cose, qr
from xuanchuan.passes.cose import Reason

DAY = 86400


def build_samples(now: int) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """The key set, the revocation list and the samples (name, text, expected, kid)."""
    key = cose.generate_private_key()
    kid = cose.key_id(key.public_key())
    stranger = cose.generate_private_key()
    issuer = settings.XUANCHUAN_DISTRICT_NAME

    def claims(pass_id: str, start: int, end: int) -> cose.PassClaims:
        return cose.PassClaims(pass_id, "1栋1单元101", "TEST-C01", "测试社区", "张*", issuer, start, start, end, 2)

    valid = cose.sign(claims("TESTVALID001", now - DAY, now + 13 * DAY), key, kid)
    parts = cose.decode(valid)
    tampered = claims("TESTVALID001", now - DAY, now + 365 * DAY).to_cwt()
    samples = [
        ("valid", valid, Reason.VALID, kid),
        ("expired", cose.sign(claims("TESTEXPIRED1", now - 20 * DAY, now - 6 * DAY), key, kid), Reason.EXPIRED, kid),
        ("revoked", cose.sign(claims("TESTREVOKED1", now - DAY, now + 13 * DAY), key, kid), Reason.REVOKED, kid),
        (
            "altered",
            cose.encode_cose(parts.protected, cbor2.dumps(tampered), parts.signature),
            Reason.BAD_SIGNATURE,
            kid,
        ),
        (
            "unknown_key",
            cose.sign(claims("TESTSTRANGER", now - DAY, now + 13 * DAY), stranger, cose.key_id(stranger.public_key())),
            Reason.UNKNOWN_KEY,
            cose.key_id(stranger.public_key()),
        ),
    ]
    key_set = {
        "issuer": issuer,
        "generated_at": now,
        "keys": [cose.public_jwk(key.public_key(), kid, status="signing", activated_at=now - DAY)],
    }
    revocations = {"issuer": issuer, "generated_at": now, "count": 1, "revoked": ["TESTREVOKED1"]}
    entries = [
        {"name": name, "text": text, "expected": expected, "kid": kid_} for name, text, expected, kid_ in samples
    ]
    return key_set, revocations, entries


class Command(BaseCommand):
    # Touches neither the database nor the URLs: no system checks needed to write test data.
    requires_system_checks: list[str] = []
    help = "为核验端开发者生成测试数据：公钥集（JWK）、撤销名单和各类样例通行证（文本与二维码 PNG）及应得结论。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="输出目录（不存在则创建）")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        key_set, revocations, entries = build_samples(int(time.time()))
        (out / "keys.json").write_text(json.dumps(key_set, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / "revocations.json").write_text(json.dumps(revocations, ensure_ascii=False, indent=2), encoding="utf-8")
        manifest = []
        for entry in entries:
            png = f"{entry['name']}.png"
            (out / png).write_bytes(qr.png(entry["text"]))
            (out / f"{entry['name']}.txt").write_text(entry["text"], encoding="ascii")
            manifest.append({"file": png, "text": entry["text"], "expected": entry["expected"], "kid": entry["kid"]})
        (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已在 {out} 写入 {len(manifest)} 张样例通行证、公钥集和撤销名单。"))
