"""The pass system's JSON API, mounted by the project at ``/api/passes/``.

The key set and the revocation list are public (``auth=None``): checkpoints download them to
verify offline, and they hold public keys and opaque pass numbers only. Verification and the
event queue take a checkpoint token (``passes.checkers``: ``Authorization: Bearer``, no cookies,
the checkpoint page's way) or the staff session; the token itself and the pass list need the
session; lists read only through ``visible_to``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from xuanchuan.core.pii import masked
from xuanchuan.core.services import refusal_text
from xuanchuan.passes import services
from xuanchuan.passes.checkers import CheckpointTokenAuth, SessionIfPresent, checker_of, issue_token
from xuanchuan.passes.cose import Verdict
from xuanchuan.passes.models import Pass
from xuanchuan.passes.permissions import Checker

router = Router(tags=["电子通行证"])
# The checkpoint page's calls: its token first, else the session (with its CSRF check).
CHECKPOINT_AUTH = [CheckpointTokenAuth(), SessionIfPresent()]


class JwkOut(Schema):
    kty: str
    crv: str
    alg: str
    use: str
    kid: str
    x: str
    y: str
    status: str
    activated_at: int
    retires_at: int | None = None


class KeySetOut(Schema):
    issuer: str
    generated_at: int
    keys: list[JwkOut]


class CheckpointTokenOut(Schema):
    token: str
    expires_in: int


class RevocationListOut(Schema):
    issuer: str
    generated_at: int
    count: int
    revoked: list[str]


class VerifyIn(Schema):
    text: str = Field(..., max_length=4000)
    direction: str = ""
    checkpoint: str = Field("", max_length=60)


class VerifyOut(Schema):
    result: str
    label: str
    valid: bool
    kid: str
    pass_id: str | None = None
    household: str | None = None
    community: str | None = None
    masked_name: str | None = None
    expires_at: int | None = None
    last_outing: datetime | None = None


class EventIn(Schema):
    event_id: uuid.UUID
    text: str = Field(..., max_length=4000)
    direction: str
    occurred_at: datetime
    checkpoint: str = Field("", max_length=60)
    offline: bool = False


class EventsIn(Schema):
    events: list[EventIn] = Field(..., max_length=500)


class EventOut(Schema):
    event_id: uuid.UUID
    outcome: str
    reason: str
    message: str


class EventsOut(Schema):
    results: list[EventOut]


class PassOut(Schema):
    id: int
    public_id: str
    status: str
    status_label: str
    household: str
    community: str
    holder_name: str
    valid_from: date
    valid_until: date

    @staticmethod
    def resolve_status_label(obj: Pass) -> str:
        return obj.state_label

    @staticmethod
    def resolve_household(obj: Pass) -> str:
        return obj.household.number

    @staticmethod
    def resolve_community(obj: Pass) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_holder_name(obj: Pass) -> str:
        return masked(obj, "holder_name")


def _verdict_out(verdict: Verdict) -> dict[str, Any]:
    claims = verdict.claims
    return {
        "result": verdict.reason,
        "label": verdict.label,
        "valid": verdict.valid,
        "kid": verdict.kid,
        "pass_id": claims.pass_id if claims else None,
        "household": claims.household if claims else None,
        "community": claims.community_name if claims else None,
        "masked_name": claims.masked_name if claims else None,
        "expires_at": claims.expires_at if claims else None,
        "last_outing": verdict.extra.get("last_outing"),
    }


def _guarded(call: Any) -> Any:
    """A service's refusal as the API's answer: 403 for a permission, 400 with its message for a rule."""
    try:
        return call()
    except PermissionDenied as exc:
        raise HttpError(403, refusal_text(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, refusal_text(exc)) from exc


@router.get("/keys", auth=None, response=KeySetOut, url_name="passes_key_set", summary="公钥集（JWK，离线核验用）")
def passes_key_set(request: HttpRequest) -> dict[str, Any]:
    return services.key_set()


@router.get(
    "/revocations", auth=None, response=RevocationListOut, url_name="passes_revocation_list", summary="撤销名单"
)
def passes_revocation_list(request: HttpRequest) -> dict[str, Any]:
    return services.revocation_list()


def _checker(request: HttpRequest) -> Checker:
    """Who checks: the checker the token proved, or the signed-in user if they may check."""
    if isinstance(request.auth, Checker):
        return request.auth
    return _guarded(lambda: checker_of(request.user))


@router.get(
    "/checkpoint-token",
    response=CheckpointTokenOut,
    url_name="passes_checkpoint_token",
    summary="卡口核验令牌（核验与上传出入记录时用，免会话）",
)
def passes_checkpoint_token(request: HttpRequest) -> dict[str, Any]:
    token = _guarded(lambda: issue_token(request.user))
    return {"token": token, "expires_in": settings.SESSION_COOKIE_AGE}


@router.post("/verify", auth=CHECKPOINT_AUTH, response=VerifyOut, url_name="passes_verify", summary="在线核验通行证")
def passes_verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    checker = _checker(request)
    verdict, _pass = _guarded(
        lambda: services.check(payload.text, by=checker, direction=payload.direction, checkpoint=payload.checkpoint)
    )
    return _verdict_out(verdict)


@router.post(
    "/events",
    auth=CHECKPOINT_AUTH,
    response=EventsOut,
    url_name="passes_events",
    summary="上传出入记录（含离线队列）",
)
def passes_events(request: HttpRequest, payload: EventsIn) -> dict[str, Any]:
    checker = _checker(request)
    events = [services.CheckpointEvent(**item.dict()) for item in payload.events]
    results = _guarded(lambda: services.record_events(events, by=checker))
    return {
        "results": [
            {"event_id": r.event_id, "outcome": r.outcome, "reason": r.reason, "message": str(r.message)}
            for r in results
        ]
    }


@router.get("/", response=list[PassOut], url_name="passes_pass_list", summary="可见的通行证")
@paginate
def passes_pass_list(request: HttpRequest, status: str = "") -> Any:
    passes = Pass.objects.visible_to(request.user).select_related("household", "unit")
    return passes.filter(status=status) if status else passes


@router.get("/{int:pass_id}", response=PassOut, url_name="passes_pass_detail", summary="通行证详情")
def passes_pass_detail(request: HttpRequest, pass_id: int) -> Pass:
    return get_object_or_404(Pass.objects.visible_to(request.user).select_related("household", "unit"), pk=pass_id)
