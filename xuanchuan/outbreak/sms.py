"""Sending text messages: an interface and the backend that only records and logs them.

The backend is chosen by a dotted path in ``settings.OUTBREAK_SMS_BACKEND`` (default
``xuanchuan.outbreak.sms.LoggingSmsBackend``). A real gateway subclasses ``SmsSender`` and
implements ``deliver``; the base class keeps the ``SmsMessage`` row and never logs a full number.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

from xuanchuan.core.pii.masking import mask_phone
from xuanchuan.org.models import User
from xuanchuan.outbreak.models import SmsMessage, SmsStatus

logger = logging.getLogger(__name__)

DEFAULT_SMS_BACKEND = "xuanchuan.outbreak.sms.LoggingSmsBackend"


class SmsSender(ABC):
    """Sends one message to one person and records it as an ``SmsMessage``."""

    def send(self, recipient: User, text: str) -> SmsMessage | None:
        """Send ``text`` to ``recipient``'s mobile; ``None`` if they have no number."""
        number = (recipient.mobile or "").strip()
        if not number or recipient.unit_id is None:
            return None
        masked = mask_phone(number)
        try:
            self.deliver(number, text)
            status = SmsStatus.SENT
        except Exception:
            logger.exception("短信发送失败：%s", masked)
            status = SmsStatus.FAILED
        return SmsMessage.objects.create(
            unit_id=recipient.unit_id,
            recipient=recipient,
            masked_mobile=masked,
            text=text,
            backend=f"{type(self).__module__}.{type(self).__qualname__}",
            status=status,
        )

    @abstractmethod
    def deliver(self, number: str, text: str) -> None:
        """Hand the message to the gateway; raise on failure."""


class LoggingSmsBackend(SmsSender):
    """Sends nothing: writes the message to the log (number masked) and keeps the row."""

    def deliver(self, number: str, text: str) -> None:
        logger.info("短信（仅记录）→ %s：%s", mask_phone(number), text)


def get_sms_backend() -> SmsSender:
    """The configured sender."""
    path = getattr(settings, "OUTBREAK_SMS_BACKEND", DEFAULT_SMS_BACKEND)
    backend = import_string(path)()
    if not isinstance(backend, SmsSender):
        raise TypeError(f"{path} is not an SmsSender")
    return backend
