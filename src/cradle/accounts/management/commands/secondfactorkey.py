"""cradle secondfactorkey rotate: re-encrypt every authenticator app's key under the current
CRADLE_SECOND_FACTOR_KEY (after moving the old key to CRADLE_SECOND_FACTOR_KEY_FALLBACKS), so
the fallback can then be removed. Recovery codes are stored as hashes and cannot be re-keyed;
they keep working while the fallback is set, and new ones are made under the current key."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cradle.accounts import second_factor_keys
from cradle.accounts.models import AuthenticatorApp
from cradle.audit import recorder
from cradle.audit.models import Action


class Command(BaseCommand):
    help = "rotate: re-encrypt the authenticator apps' keys under the current key."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate"])

    def handle(self, *args, action, **options):
        try:
            with transaction.atomic():
                devices = list(AuthenticatorApp.objects.select_for_update().order_by("pk"))
                for device in devices:
                    device.encrypted_key = second_factor_keys.reencrypt_app_key(
                        device.encrypted_key)
                AuthenticatorApp.objects.bulk_update(devices, ["encrypted_key"], batch_size=500)
                if devices:
                    recorder.record(actor=None, action=Action.CHANGE,
                                    model_label="accounts.authenticatorapp", object_id="",
                                    fields=["encrypted_key"],
                                    note=f"{len(devices)} keys re-encrypted under the current key")
        except second_factor_keys.UnreadableSecret as problem:
            raise CommandError(f"Nothing changed: {problem}") from None
        self.stdout.write(f"{len(devices)} authenticator app keys re-encrypted under the "
                          "current key")
