"""Checkpoint tokens: the checkpoint page's verifications without the staff session's cost.

Every request with the staff session cookie reads the user, their roles and their second-factor
devices from the database in the middleware, before the view runs: most of what a verification
cost. So the checkpoint page asks once, with its session, for a **checkpoint token**
(``GET /api/passes/checkpoint-token``, given only to a user who ``may_check`` and has passed the
second factor where it is required) and sends its verifications and events with
``Authorization: Bearer <token>`` and no cookies. Such a request carries no session, so the
middleware reads nothing, and the token is checked with one cache read.

A token is signed (``django.core.signing``, its own salt) and names the user, their unit, the
user's current **state** and the current **generation**; it is valid for the session's idle time
(``SESSION_COOKIE_AGE``) and only while the cache still holds that state and generation:

- ``forget(user_id)`` removes a user's state: on logging out, on any change of the user (active
  flag, unit, password) and of their roles (``apps.py`` connects the signals), so such a change
  ends every token of that user at once, in every process (the cache is Redis in production);
- ``forget_everyone()`` starts a new generation: when a role itself changes or is deleted;
- a cache that lost the state (flushed, restarted) ends the tokens too: the page then asks for a
  new one with its session, or falls back to the session for the call itself.

A token is no bearer of more than its user may do: it only verifies passes and records
checkpoint events (``may_check``), the calls that take it.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from xuanchuan.core.services import require
from xuanchuan.org.models import User
from xuanchuan.passes.permissions import Checker, may_check
from xuanchuan.passes.services.keys import VERIFYING_KEYS

SALT = "xuanchuan.passes.checkpoint-token"
GENERATION_KEY = "xuanchuan:passes:checkers"


def _state_key(user_id: int) -> str:
    return f"xuanchuan:passes:checker:{user_id}"


def checker_of(user: Any) -> Checker:
    """The checker a signed-in user is, if they may check (``PermissionDenied`` otherwise)."""
    require(may_check(user))
    return Checker(user.pk, user.unit_id)


def issue_token(user: User) -> str:
    """A checkpoint token for ``user``; their state is kept (or renewed) for the session's idle time."""
    require(may_check(user))
    timeout = settings.SESSION_COOKIE_AGE
    state = cache.get(_state_key(user.pk)) or secrets.token_urlsafe(12)
    cache.set(_state_key(user.pk), state, timeout=timeout)
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.token_urlsafe(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    claims = {"u": user.pk, "t": user.unit_id, "s": state, "g": generation}
    return signing.dumps(claims, salt=SALT, compress=False)


def checker_for(token: str) -> Checker | None:
    """The checker a token proves, or ``None`` (bad, expired or withdrawn): one cache round trip,
    which also reads the key set's version for the verification to come."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=settings.SESSION_COOKIE_AGE)
        user_id, unit_id, state, generation = claims["u"], claims["t"], claims["s"], claims["g"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    stored = cache.get_many([_state_key(user_id), GENERATION_KEY, VERIFYING_KEYS.key])
    if stored.get(_state_key(user_id)) != state or stored.get(GENERATION_KEY) != generation:
        return None
    keys_version = stored.get(VERIFYING_KEYS.key)
    return Checker(int(user_id), unit_id, keys_version if isinstance(keys_version, str) else None)


def forget(user_id: int) -> None:
    """End every checkpoint token of one user."""
    cache.delete(_state_key(user_id))


def forget_everyone() -> None:
    """End every checkpoint token (a role changed)."""
    cache.set(GENERATION_KEY, secrets.token_urlsafe(8), timeout=None)


class SessionIfPresent(SessionAuth):
    """django-ninja's session authentication (CSRF checked) for a request that carries the session
    cookie; a request without it is simply not authenticated (401, not a CSRF 403), so that the
    page knows its token, not its session, was refused."""

    def __call__(self, request: HttpRequest) -> Any:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


class CheckpointTokenAuth(HttpBearer):
    """django-ninja authentication by ``Authorization: Bearer <checkpoint token>``."""

    openapi_description = "卡口核验令牌（GET /api/passes/checkpoint-token）"

    def authenticate(self, request: HttpRequest, token: str) -> Checker | None:
        return checker_for(token)
