"""The second factor: an authenticator app (TOTP) and ten single-use recovery codes.

- Set-up: an unconfirmed TOTP device is made for the user and shown as a QR code (an SVG made
  here, as a data: URI image, which the Content-Security-Policy allows) and as its secret in
  text. A correct code from the app confirms it, replaces any earlier devices and makes ten
  recovery codes, shown once.
- Verification: a code from the app, or a recovery code, which is then used up.
Both go through django-otp, whose devices throttle repeated wrong codes.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
THROTTLED = "You have entered too many wrong codes. Wait a moment, then try again."
WRONG_APP_CODE = "The code is not right. Enter the 6-digit code your app shows now."


def confirmed_app(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def pending_app(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (the same one until it is confirmed, so a reload
    does not change the secret already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(text: str) -> str:
    """`text` as a QR code: an SVG image in a data: URI."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, border=4)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _allowed(device) -> bool:
    allowed, _ = device.verify_is_allowed()
    return allowed


class CodeRefused(Exception):
    """A wrong (or throttled) code; the message is for the person."""


def confirm_app(device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device being set up with a code from the app, and return ten new recovery
    codes (the only time they are readable). Earlier devices of the user are removed.

    One transaction; a wrong code is refused after it commits, so the device's count of
    wrong codes (its throttle) is kept."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not _allowed(device):
            raise CodeRefused(THROTTLED)
        if device.verify_token(normalise(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            return new_recovery_codes(device.user)
    raise CodeRefused(WRONG_APP_CODE)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@dataclass(frozen=True)
class Verified:
    device: TOTPDevice | StaticDevice
    recovery_code_used: bool


def verify(user: User, code: str) -> Verified:
    """Check a code from the app (six digits) or a recovery code (used up if right).

    One transaction; a wrong code is refused after it commits, keeping the throttle."""
    code = normalise(code)
    if not code:
        raise CodeRefused("Enter the code from your authenticator app, or a recovery code")
    is_app_code = code.isdigit()
    model = TOTPDevice if is_app_code else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
        if devices and not any(_allowed(d) for d in devices):
            raise CodeRefused(THROTTLED)
        for device in devices:
            if _allowed(device) and device.verify_token(code):
                return Verified(device, recovery_code_used=not is_app_code)
    if is_app_code:
        raise CodeRefused(WRONG_APP_CODE)
    raise CodeRefused("The recovery code is not right, or it has been used already.")
