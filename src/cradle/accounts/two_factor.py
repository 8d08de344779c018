"""The second factor: an authenticator app (TOTP) and ten single-use recovery codes.

- Set-up: an unconfirmed TOTP device is made for the user and shown as a QR code (an SVG made
  here, as a data: URI image, which the Content-Security-Policy allows) and as its secret in
  text. A correct code from the app confirms it, replaces any earlier devices and makes ten
  recovery codes, shown once.
- Verification: a code from the app, or a recovery code, which is then used up.
Both go through django-otp, whose devices throttle repeated wrong codes. The devices are
Cradle's own (models.AuthenticatorApp, models.RecoveryCodes): the app's secret is stored
encrypted and the recovery codes as keyed hashes (second_factor_keys), so a copy of the
database holds no usable second factor.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction

from cradle.audit import recorder
from cradle.audit.models import Action

from . import second_factor_keys
from .models import AuthenticatorApp, RecoveryCode, RecoveryCodes, User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
THROTTLED = "You have entered too many wrong codes. Wait a moment, then try again."
WRONG_APP_CODE = "The code is not right. Enter the 6-digit code your app shows now."


def confirmed_app(user: User) -> AuthenticatorApp | None:
    return AuthenticatorApp.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_second_factor(user: User) -> bool:
    return AuthenticatorApp.objects.filter(user=user, confirmed=True).exists()


def is_verified(user) -> bool:
    """Signed in with a second factor in this session (django-otp's middleware)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def must_verify(user) -> bool:
    """A signed-in user whose role needs a second factor, or who has set one up, and has
    not used it in this session."""
    return bool(user.is_authenticated and not is_verified(user)
                and (user.needs_two_factor() or has_second_factor(user)))


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def pending_app(user: User) -> AuthenticatorApp:
    """The unconfirmed device being set up (the same one until it is confirmed, so a reload
    does not change the secret already scanned)."""
    device = AuthenticatorApp.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or AuthenticatorApp.new(user, APP_DEVICE_NAME)


def secret_text(device: AuthenticatorApp) -> str:
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


def confirm_app(device: AuthenticatorApp, code: str) -> list[str]:
    """Confirm the device being set up with a code from the app, and return ten new recovery
    codes (the only time they are readable). Earlier devices of the user are removed.

    One transaction; a wrong code is refused after it commits, so the device's count of
    wrong codes (its throttle) is kept."""
    with transaction.atomic():
        device = AuthenticatorApp.objects.select_for_update().get(pk=device.pk)
        if not _allowed(device):
            raise CodeRefused(THROTTLED)
        if device.verify_token(normalise(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            AuthenticatorApp.objects.filter(user=device.user).exclude(pk=device.pk).delete()
            return new_recovery_codes(device.user)
    raise CodeRefused(WRONG_APP_CODE)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them (the only time
    they are readable: only their keyed hashes are stored)."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = random_recovery_code()
        if code not in codes and not code.isdigit():  # all digits would read as an app code
            codes.append(code)
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=second_factor_keys.recovery_code_digest(
            user.pk, code)) for code in codes)
    return codes


def random_recovery_code() -> str:
    """Ten characters of base32 (50 bits), lower case; typed in any case, with spaces."""
    return base64.b32encode(secrets.token_bytes(10)).decode()[:10].lower()


@transaction.atomic
def remove_second_factor(user: User, *, by) -> bool:
    """Remove the user's app and recovery codes (a lost phone: they set up a new one at their
    next sign-in), and end their sessions' verification. Audited; True if there was one."""
    apps = list(AuthenticatorApp.objects.filter(user=user).values_list("pk", flat=True))
    AuthenticatorApp.objects.filter(pk__in=apps).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    if apps:
        recorder.record(actor=by, action=Action.DELETE, model_label="accounts.user",
                        object_id=user.pk, fields=["second_factor"],
                        note="second factor removed by an administrator")
    return bool(apps)


@dataclass(frozen=True)
class Verified:
    device: AuthenticatorApp | RecoveryCodes
    recovery_code_used: bool


def verify(user: User, code: str) -> Verified:
    """Check a code from the app (six digits) or a recovery code (used up if right).

    One transaction; a wrong code is refused after it commits, keeping the throttle."""
    code = normalise(code)
    if not code:
        raise CodeRefused("Enter the code from your authenticator app, or a recovery code")
    is_app_code = code.isdigit()
    model = AuthenticatorApp if is_app_code else RecoveryCodes
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
