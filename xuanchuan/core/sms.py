"""Sending text messages: the one gateway interface every app uses, and the backend that only logs.

A real gateway subclasses ``SmsGateway`` and implements ``deliver(number, text)``; an app names
the class it uses by a dotted path in its own setting (``ARRIVALS_SMS_BACKEND``,
``OUTBREAK_SMS_BACKEND``) and loads it with ``load_sms_backend(path)``. What an app keeps about
a message (outbreak keeps an ``SmsMessage`` row per reminder) is that app's business; the
gateway only delivers, and nothing here logs a full number.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

from xuanchuan.core.pii.masking import mask_phone

logger = logging.getLogger(__name__)


class SmsGateway(ABC):
    """Hands one text to one mobile number."""

    @abstractmethod
    def deliver(self, number: str, text: str) -> None:
        """Hand the message to the gateway; raise on failure."""


class LoggingSmsGateway(SmsGateway):
    """Sends nothing: writes the message to the log with the number masked (demo and tests).

    A message may carry a credential (a receipt code), so its text is logged only in demo mode or
    with ``DEBUG``; otherwise only its length is.
    """

    def deliver(self, number: str, text: str) -> None:
        shown = text if settings.XUANCHUAN_DEMO or settings.DEBUG else f"（内容不记录，{len(text)}字）"
        logger.info("短信（仅记录）→ %s：%s", mask_phone(number), shown)


def load_sms_backend(path: str) -> SmsGateway:
    """An instance of the gateway class at dotted ``path``; ``TypeError`` if it is not one."""
    backend = import_string(path)()
    if not isinstance(backend, SmsGateway):
        raise TypeError(f"{path} is not an SmsGateway")
    return backend


def send_sms(path: str, number: str, text: str) -> bool:
    """Deliver ``text`` to ``number`` through the gateway at ``path``; False (logged) on failure."""
    try:
        load_sms_backend(path).deliver(number, text)
    except Exception:
        logger.exception("短信发送失败：%s", mask_phone(number))
        return False
    return True
