"""The TOTP second factor: enrolment, verification and what the enrolment page shows.

Every state change of a person's devices goes through these functions, so the pages, the admin
and the tests treat devices the same way. A person has at most one confirmed TOTP device; while
enrolling they also hold one unconfirmed device, whose secret stays the same until they confirm
it, so reloading the page does not invalidate a code already scanned.
"""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuanchuan.org.models import User

DEVICE_NAME = _("手机动态口令")


def confirmed_device(user: User) -> TOTPDevice | None:
    """The device the person signs in with, if they have enrolled one."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-id").first()


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress, created on first use."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(DEVICE_NAME), confirmed=False)
    return device


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """Record in the session that this person passed the second factor with ``device``.

    The session key changes, as on any rise in privilege, so a session id seen before the
    second factor is worth nothing after it.
    """
    request.session.cycle_key()
    django_otp.login(request, device)


@transaction.atomic
def confirm_enrolment(request: HttpRequest, device: TOTPDevice) -> None:
    """Make ``device`` the person's only device (replacing an older phone) and verify the session."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    mark_verified(request, device)


def was_used_before(device: TOTPDevice, token: int) -> bool:
    """Whether ``token`` is a code of the device that was valid but already spent (replayed)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.verify(token, device.tolerance) and totp.t() <= device.last_t


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URL as a QR code, an SVG data URI for an ``<img>`` (no script)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def issuer() -> str:
    """The name authenticator apps list the account under (``settings.OTP_TOTP_ISSUER``)."""
    return settings.OTP_TOTP_ISSUER
