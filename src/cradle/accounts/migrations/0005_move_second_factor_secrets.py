"""Move every django-otp device to Cradle's own: TOTP keys encrypted, recovery codes hashed
(accounts/second_factor_keys.py, under CRADLE_SECOND_FACTOR_KEY), and the clear-text rows
deleted. Confirmed apps stay confirmed, so nobody has to set up again; sessions verified with
an old device are asked for a code once more. It needs the key only when there is something
to move. Irreversible: the clear-text secrets are not written back.
"""

import binascii

from django.db import migrations

from cradle.accounts import second_factor_keys

COPIED = ("name", "confirmed", "step", "t0", "digits", "tolerance", "drift", "last_t",
          "throttling_failure_timestamp", "throttling_failure_count", "created_at",
          "last_used_at")


def move_devices(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")

    for old in TOTPDevice.objects.order_by("pk").iterator():
        AuthenticatorApp.objects.create(
            user_id=old.user_id, **{name: getattr(old, name) for name in COPIED},
            encrypted_key=second_factor_keys.encrypt_app_key(binascii.unhexlify(old.key)))
    TOTPDevice.objects.all().delete()

    for old in StaticDevice.objects.order_by("pk").iterator():
        new = RecoveryCodes.objects.create(
            user_id=old.user_id, name=old.name, confirmed=old.confirmed,
            throttling_failure_timestamp=old.throttling_failure_timestamp,
            throttling_failure_count=old.throttling_failure_count)
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=new, code_hash=second_factor_keys.recovery_code_digest(
                old.user_id, token.lower()))
            for token in StaticToken.objects.filter(device=old).values_list("token", flat=True))
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_second_factor_devices_and_sign_in_failures"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(move_devices, elidable=False)]
