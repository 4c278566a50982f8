"""Reads about a person's second factor: their devices, the key their app is set up with."""

from base64 import b32encode

import segno
from django.contrib.auth.models import User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_APP = "Authenticator app"
RECOVERY_CODES = "Recovery codes"
RECOVERY_CODE_COUNT = 10


def authenticator_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_of(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True, name=RECOVERY_CODES).first()


def is_enrolled(user: User) -> bool:
    """Enrolled: an authenticator app confirmed with a code (recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_as_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address an app scans, as an inline SVG (no image request, no script)."""
    return str(
        segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code to scan with your authenticator app"
        )
    )
