"""Reminder texts of the daily reports: sent through the platform's one SMS gateway interface
(``xuanchuan.core.sms``, chosen by ``settings.OUTBREAK_SMS_BACKEND``) and each kept as an
``SmsMessage`` row with the number masked, whether it went through or failed."""

from __future__ import annotations

import logging

from django.conf import settings

from xuanchuan.core.pii.masking import mask_phone
from xuanchuan.core.sms import SmsGateway, load_sms_backend
from xuanchuan.org.models import User
from xuanchuan.outbreak.models import SmsMessage, SmsStatus

logger = logging.getLogger(__name__)


def get_sms_backend() -> SmsGateway:
    """The configured gateway (``TypeError`` if the setting names something else)."""
    return load_sms_backend(settings.OUTBREAK_SMS_BACKEND)


def send_sms(gateway: SmsGateway, recipient: User, text: str) -> SmsMessage | None:
    """Send ``text`` to ``recipient``'s mobile and record it; ``None`` if they have no number."""
    number = (recipient.mobile or "").strip()
    if not number or recipient.unit_id is None:
        return None
    masked = mask_phone(number)
    try:
        gateway.deliver(number, text)
        status = SmsStatus.SENT
    except Exception:
        logger.exception("短信发送失败：%s", masked)
        status = SmsStatus.FAILED
    return SmsMessage.objects.create(
        unit_id=recipient.unit_id,
        recipient=recipient,
        masked_mobile=masked,
        text=text,
        backend=f"{type(gateway).__module__}.{type(gateway).__qualname__}",
        status=status,
    )
