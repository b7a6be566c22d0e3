"""The verification log, written in batches: one INSERT of many rows instead of one per check.

Every online check is logged (``Verification``), and at a thousand checks a second one INSERT
and one commit each cost the database more than the checks themselves. So a web process keeps
the rows of its checks and writes them together with ``bulk_create``:

- at once when ``BATCH_ROWS`` rows are waiting, or when a check finds the oldest waiting row
  older than ``settings.PASSES_VERIFICATION_LOG_DELAY_MS``;
- otherwise by a timer thread that many milliseconds after the first waiting row (so a quiet
  checkpoint's rows do not wait for the next check), and when the process exits (``atexit``).

A row is written at once, in the caller's transaction, when the delay is 0 or the caller is inside
a transaction (the rows a batch would write later could not see what the transaction wrote, and a
test reads the row right after the check). A web process killed outright (``SIGKILL``) loses the
rows of its last delay; a deployment that wants none lost sets the delay to 0.

The log is its own audit record: ``Verification`` is left out of the audit trail (``apps.py``).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time

from django.conf import settings
from django.db import connection, connections

from xuanchuan.passes.models import Verification

logger = logging.getLogger(__name__)

BATCH_ROWS = 200


class VerificationLog:
    """This process's rows waiting to be written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[Verification] = []
        self._since = 0.0
        self._timer: threading.Timer | None = None
        atexit.register(self.flush)

    def add(self, row: Verification) -> None:
        """Log ``row``: now, or with the next batch."""
        delay = settings.PASSES_VERIFICATION_LOG_DELAY_MS / 1000
        if delay <= 0 or connection.in_atomic_block:
            row.save(force_insert=True)
            return
        with self._lock:
            if not self._rows:
                self._since = time.monotonic()
            self._rows.append(row)
            due = len(self._rows) >= BATCH_ROWS or time.monotonic() - self._since >= delay
            if not due and self._timer is None:
                self._timer = threading.Timer(delay, self._flush_from_timer)
                self._timer.daemon = True
                self._timer.start()
        if due:
            self.flush()

    def flush(self) -> int:
        """Write every waiting row; the number written."""
        with self._lock:
            rows, self._rows = self._rows, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not rows:
            return 0
        try:
            Verification.objects.bulk_create(rows, batch_size=BATCH_ROWS)
        except Exception:
            logger.exception("核验记录写入失败（%d 条）", len(rows))
            return 0
        return len(rows)

    def _flush_from_timer(self) -> None:
        with self._lock:
            self._timer = None
        try:
            self.flush()
        finally:
            connections.close_all()  # this thread's own connection


verification_log = VerificationLog()
