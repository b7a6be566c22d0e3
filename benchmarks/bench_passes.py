"""Checkpoint verifications per second: signature only, and online with revocation and the rule.

Baseline, in the same process: the bare ECDSA P-256 verification of the pass's signed bytes
(``cryptography``), i.e. the cryptographic floor. Against it: ``cose.verify`` (Base45, inflate,
CBOR, COSE Sig_structure, claims) with keys already loaded; ``services.verify_signature`` (the
key set kept in the process, its version read from the cache on every call);
``services.verify_online`` for an exit (plus the pass's status and the household's recent exits);
and the API call ``POST /api/passes/verify`` through Django's test client, with the checkpoint
token as the checkpoint page sends it (no cookies) and with the staff session (middleware,
session, user, roles; logging of the verification, in batches outside a transaction).

    .venv/bin/python benchmarks/bench_passes.py [--postgres] [--size small|large] [--seconds 2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import time

from _django import rate, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true", help="also a CPU profile of 200 API calls")
    args = parser.parse_args()
    setup(postgres=args.postgres, size=args.size)

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from xuanchuan.org.models import RoleCode, User
    from xuanchuan.passes import cose, services
    from xuanchuan.passes.models import Movement, Pass, PassStatus

    today = timezone.localdate()
    pass_obj = (
        Pass.objects.filter(status=PassStatus.APPROVED, valid_until__gte=today, valid_from__lte=today)
        .exclude(signing_key__superseded_at__isnull=False)
        .first()
    ) or services.approve(
        services.apply(
            services.Application(Pass.objects.first().unit, "bench-1", "bench", "测试", ""), channel="staff"
        ),
        by=User.objects.filter(roles__code=RoleCode.DEPARTMENT_ADMIN).first(),
    )
    text = pass_obj.signed_text
    keys = {key.kid: services.published_key(key) for key in services.published_keys()}
    parts = cose.decode(text)
    public_key = keys[parts.kid].public_key
    der = encode_dss_signature(int.from_bytes(parts.signature[:32], "big"), int.from_bytes(parts.signature[32:], "big"))
    signed = cose._sig_structure(parts.protected, parts.payload)
    now = int(timezone.now().timestamp())
    revoked = set(services.revoked_ids())
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(
        f"# {Pass.objects.count()} passes ({len(revoked)} revoked and unexpired), "
        f"{Movement.objects.count()} movements; pass text {len(text)} characters"
    )

    def baseline() -> None:
        public_key.verify(der, signed, ec.ECDSA(hashes.SHA256()))

    def signature_only() -> None:
        assert cose.verify(text, keys, now=now, revoked=revoked).valid

    def signature_with_db_keys() -> None:
        assert services.verify_signature(text).valid

    def online() -> None:
        services.verify_online(text, direction="exit")

    guard = User.objects.filter(roles__code=RoleCode.CHECKPOINT_GUARD).first()
    client = Client()
    client.force_login(guard)
    url = reverse("api:passes_verify")
    body = json.dumps({"text": text, "direction": "exit"})
    token = client.get(reverse("api:passes_checkpoint_token")).json()["token"]
    device = Client(headers={"Authorization": f"Bearer {token}"})

    def api() -> None:
        response = device.post(url, body, content_type="application/json")
        assert response.status_code == 200, response.status_code

    def api_session() -> None:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200, response.status_code

    cases = [
        ("cose.verify (keys in memory)", signature_only),
        ("verify_signature (keys kept)", signature_with_db_keys),
        ("verify_online, exit rule", online),
        ("API POST /api/passes/verify (token)", api),
        ("API POST /api/passes/verify (session)", api_session),
    ]
    base = rate(baseline, seconds=args.seconds)
    print(f"{'case':<36}{'per second':>12}{'vs baseline':>14}")
    print(f"{'baseline: bare ECDSA P-256 verify':<36}{base:>12.0f}{1:>13.2f}x")
    for name, function in cases:
        value = rate(function, seconds=args.seconds)
        print(f"{name:<36}{value:>12.0f}{base / value:>13.2f}x slower")

    if args.profile:
        print("\n# CPU profile of 200 API calls")
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(200):
            api()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
