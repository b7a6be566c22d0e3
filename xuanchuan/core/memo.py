"""Per-process copies of small, rarely changed tables, checked against a version in the cache.

A public hot path may read such a table on every request: arrivals' registration reads the
risk-area list (to classify) and the active communities (to check the chosen one), and reading
them from the database each time cost about a sixth of a submission. A ``VersionedMemo`` keeps the loaded value in the
process and reloads it when

- the version stored in the Django cache under its key has changed: ``bump()`` writes a new
  random version when a row is saved or deleted (signals below, and again once the transaction
  commits, so another process never keeps a copy read before the commit). The cache is Redis in
  production, shared by every web process, so a change made in one process is seen by all of
  them on their next read (one cache round trip, batched with ``versions()``);
- or the copy is older than ``max_age`` seconds — a bound for changes that send no signal
  (``QuerySet.update()``, raw SQL), and for a deployment without Redis, where the cache (and so
  the version) is local to each process.

A value loaded inside a transaction is used but not kept: the transaction may still roll back.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")

DEFAULT_MAX_AGE = 300.0


class VersionedMemo(Generic[T]):
    """``get()`` returns ``loader()``'s value, reloaded only when the version or the age says so."""

    def __init__(self, key: str, loader: Callable[[], T], *, max_age: float = DEFAULT_MAX_AGE) -> None:
        self.key = f"xuanchuan:memo:{key}"
        self.loader = loader
        self.max_age = max_age
        self._lock = threading.Lock()
        self._kept: tuple[str, float, T] | None = None

    def version(self) -> str:
        """The current version; a missing one (cache flushed or restarted) is replaced by a new one."""
        return version_of(self, cache.get(self.key))

    def get(self, version: str | None = None) -> T:
        """The value; ``version`` when the caller already read it (see ``versions()``)."""
        version = version if version is not None else self.version()
        kept = self._kept
        if kept is not None and kept[0] == version and time.monotonic() - kept[1] < self.max_age:
            return kept[2]
        loaded_at = time.monotonic()
        value = self.loader()
        if not connection.in_atomic_block:
            with self._lock:
                self._kept = (version, loaded_at, value)
        return value

    def bump(self) -> None:
        """Mark every process's copy stale: now, and again once the current transaction commits."""
        self._new_version()
        self._kept = None
        transaction.on_commit(self._new_version)

    def _new_version(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)

    def forget(self) -> None:
        """Drop this process's copy (tests)."""
        self._kept = None


def version_of(memo: VersionedMemo[Any], stored: Any) -> str:
    if isinstance(stored, str):
        return stored
    fresh = uuid.uuid4().hex
    # add(), not set(): when two processes find it missing at once, both end up with the same.
    cache.add(memo.key, fresh, timeout=None)
    return cache.get(memo.key) or fresh


def versions(memos: Iterable[VersionedMemo[Any]]) -> list[str]:
    """The versions of several memos in one cache round trip."""
    memos = list(memos)
    stored = cache.get_many([memo.key for memo in memos])
    return [version_of(memo, stored.get(memo.key)) for memo in memos]
