"""A text-message gateway for tests: keeps what it was given instead of sending it."""

from __future__ import annotations

from typing import ClassVar

from xuanchuan.core.sms import SmsGateway


class RecordingGateway(SmsGateway):
    """Every ``(number, text)`` delivered, in order (clear ``sent`` at the start of a test)."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def deliver(self, number: str, text: str) -> None:
        self.sent.append((number, text))
