"""The second factor's secrets at rest: someone who reads the device and code tables (a stolen
backup, a leaked read-only login) gets no usable app key and no usable recovery code, and the
devices made before (django-otp's clear-text ones) are moved over by the data migration."""

from __future__ import annotations

import base64
import binascii
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cradle.accounts import second_factor_keys, two_factor
from cradle.accounts.models import AuthenticatorApp, RecoveryCode, RecoveryCodes
from cradle.audit.models import AuditEntry
from tests.accounts_helpers import make_user

pytestmark = pytest.mark.django_db

TWO_FACTOR = "/account/two-factor/"
OTHER_KEY = "a different second factor key, as an attacker would guess 0123456789"
move_devices = importlib.import_module(
    "cradle.accounts.migrations.0005_move_second_factor_secrets").move_devices


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(key: bytes, at_step: int = 0) -> str:
    return f"{totp(key, step=30, t0=0, digits=6, drift=at_step):06d}"


def set_up(user) -> tuple[AuthenticatorApp, list[str]]:
    """Set up as a person does: the pending app confirmed with a code from it."""
    device = two_factor.pending_app(user)
    codes = two_factor.confirm_app(device, code_for(device.bin_key))
    device.refresh_from_db()
    return device, codes


def stored_text(*querysets) -> list[str]:
    """Every value of every column of the rows, as a database reader sees them."""
    texts = []
    for queryset in querysets:
        for row in queryset.values():
            texts.extend(str(value) for value in row.values() if value is not None)
    return texts


def forms_of(key: bytes) -> list[str]:
    b32 = base64.b32encode(key).decode()
    return [binascii.hexlify(key).decode(), b32, b32.rstrip("="), b32.lower(),
            base64.b64encode(key).decode()]


def test_the_device_tables_hold_no_usable_app_key():
    user = make_user("coordinator@example.org", network_role="coordinator")
    device, _ = set_up(user)
    secret = device.bin_key
    rows = stored_text(AuthenticatorApp.objects.all(), TOTPDevice.objects.all())
    # The attack: take every stored value as the TOTP key, in every form an app takes.
    for text in rows:
        for form in forms_of(secret):
            assert form not in text, "the app's key is readable from the database"
    # Nothing was left in django-otp's clear-text table either.
    assert not TOTPDevice.objects.exists()
    # Without the environment's key the stored ciphertext cannot be opened.
    with pytest.raises(second_factor_keys.UnreadableSecret):
        with override_settings(SECOND_FACTOR_KEYS=[OTHER_KEY]):
            device.bin_key  # noqa: B018


def test_the_code_tables_hold_no_usable_recovery_code():
    user = make_user("coordinator@example.org", network_role="coordinator")
    _, codes = set_up(user)
    stored = [row["code_hash"] for row in RecoveryCode.objects.values("code_hash")]
    assert len(stored) == 10
    assert not StaticToken.objects.exists()
    assert not set(stored) & set(codes)
    assert not any(code in text for code in codes
                   for text in stored_text(RecoveryCode.objects.all(), RecoveryCodes.objects.all()))
    # The attack: sign in with a password, then offer what the table holds as recovery codes.
    client = Client()
    client.force_login(user)
    for value in stored:
        response = client.post(TWO_FACTOR, {"code": value, "next": "/account/"})
        assert response.status_code == 200, "a stored value worked as a recovery code"
    assert client.get("/account/invitations/").status_code == 302
    # Hashes under another key (an attacker's guess) match none of the stored ones.
    with override_settings(SECOND_FACTOR_KEYS=[OTHER_KEY]):
        assert not {second_factor_keys.recovery_code_digest(user.pk, c) for c in codes} & set(
            stored)
    # The real codes still work, once each.
    assert client.post(TWO_FACTOR, {"code": codes[0]}).status_code == 302
    assert RecoveryCode.objects.filter(device__user=user).count() == 9


def test_the_same_code_of_two_people_is_stored_differently():
    alice, bob = make_user("alice@example.org"), make_user("bob@example.org")
    assert (second_factor_keys.recovery_code_digest(alice.pk, "abcdefghij")
            != second_factor_keys.recovery_code_digest(bob.pk, "abcdefghij"))


def test_without_the_key_nothing_is_stored_in_clear(settings):
    settings.SECOND_FACTOR_KEYS = [""]
    user = make_user("coordinator@example.org", network_role="coordinator")
    with pytest.raises(ImproperlyConfigured, match="CRADLE_SECOND_FACTOR_KEY is not set"):
        two_factor.pending_app(user)
    settings.SECOND_FACTOR_KEYS = ["too short"]
    with pytest.raises(ImproperlyConfigured, match="too short"):
        two_factor.new_recovery_codes(user)
    assert not AuthenticatorApp.objects.exists() and not RecoveryCode.objects.exists()


# Migration of the devices made before ----------------------------------------------------

def test_the_migration_encrypts_existing_keys_and_hashes_existing_codes():
    user = make_user("coordinator@example.org", network_role="coordinator")
    old_app = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    old_codes_device = StaticDevice.objects.create(user=user, name="Recovery codes")
    old_codes = ["abcd2345", "efgh6723"]
    for token in old_codes:
        StaticToken.objects.create(device=old_codes_device, token=token)
    secret = old_app.bin_key

    move_devices(apps, None)

    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    new_app = AuthenticatorApp.objects.get(user=user)
    assert new_app.confirmed and new_app.name == "Authenticator app"
    assert new_app.bin_key == secret
    for text in stored_text(AuthenticatorApp.objects.all(), RecoveryCode.objects.all()):
        assert all(form not in text for form in forms_of(secret))
        assert all(code not in text for code in old_codes)
    # The person's app and their old recovery codes go on working, without setting up again.
    assert two_factor.verify(user, code_for(secret)).device == new_app
    assert two_factor.verify(user, old_codes[1].upper()).recovery_code_used
    with pytest.raises(two_factor.CodeRefused):
        two_factor.verify(user, old_codes[1])
    assert two_factor.recovery_codes_left(user) == 1


def test_the_migration_needs_the_key_only_when_there_is_something_to_move(settings):
    settings.SECOND_FACTOR_KEYS = [""]
    move_devices(apps, None)  # nothing to move: no key needed
    TOTPDevice.objects.create(user=make_user("someone@example.org"), name="app")
    with pytest.raises(ImproperlyConfigured):
        move_devices(apps, None)


# Rotating the key --------------------------------------------------------------------------

def test_rotation_keeps_devices_and_codes_working(settings):
    old_key = settings.SECOND_FACTOR_KEYS[0]
    new_key = "the new second factor key, long and random: Q2w9-Lm4p-Zx7v-Rt5s"
    user = make_user("coordinator@example.org", network_role="coordinator")
    device, codes = set_up(user)
    secret = device.bin_key
    settings.SECOND_FACTOR_KEYS = [new_key, old_key]
    assert AuthenticatorApp.objects.get(pk=device.pk).bin_key == secret
    assert two_factor.verify(user, codes[0]).recovery_code_used  # made under the old key

    out = io.StringIO()
    call_command("secondfactorkey", "rotate", stdout=out)
    assert "1 authenticator app keys re-encrypted" in out.getvalue()
    entry = AuditEntry.objects.newest_first().first()
    assert (entry.model_label, entry.fields) == ("accounts.authenticatorapp", ["encrypted_key"])
    settings.SECOND_FACTOR_KEYS = [new_key]  # the fallback removed
    assert AuthenticatorApp.objects.get(pk=device.pk).bin_key == secret
    settings.SECOND_FACTOR_KEYS = [old_key]
    with pytest.raises(second_factor_keys.UnreadableSecret):
        AuthenticatorApp.objects.get(pk=device.pk).bin_key  # noqa: B018

