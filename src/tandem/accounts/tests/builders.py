"""Test helpers for sign-in: codes an authenticator app would show, devices already set up."""

import time
from base64 import b32decode

from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.accounts.two_factor import AUTHENTICATOR_APP

# The device `force_login` marks a test session verified with (see conftest).
TEST_SIGN_IN_DEVICE = "Test sign-in (verified by the test suite)"


def totp_code(device: TOTPDevice) -> str:
    """The code the person's app shows now; or, if a code of this time step was used already
    (a second sign-in within 30 seconds), the next step's, which the device's tolerance of one
    step accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"


def code_for_secret(secret: str) -> str:
    """The code an app shows now for a key typed in as the set-up page shows it."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def enrolled(user: User) -> TOTPDevice:
    """A person who has set up an authenticator app."""
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP, confirmed=True)


def verified_session_device(user: User) -> StaticDevice:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=TEST_SIGN_IN_DEVICE, defaults={"confirmed": True}
    )
    return device
