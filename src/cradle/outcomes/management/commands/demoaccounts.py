"""cradle demoaccounts: demo sign-ins for `make demo` (CRADLE_DEBUG=1 only).

A practitioner in the busiest synthetic team and a network analyst, both synthetic accounts.
Prints each one's email, a new password, the authenticator (TOTP) secret and a link an app
can take, and ten new recovery codes (each signs in once, in place of an app code).
"""

from django.core.management.base import BaseCommand, CommandError

from cradle.outcomes.synth.demo import DemoError, make_demo_accounts


class Command(BaseCommand):
    help = "Create or refresh the demo accounts and print how to sign in (debug only)."

    def handle(self, *args, **options):
        try:
            accounts = make_demo_accounts()
        except DemoError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write("Demo accounts (synthetic; this machine only):")
        for account in accounts:
            self.stdout.write(
                f"\n  {account.role}, {account.team}\n"
                f"    email:          {account.email}\n"
                f"    password:       {account.password}\n"
                f"    second factor:  add this secret to an authenticator app: "
                f"{account.totp_secret}\n"
                f"                    (or open {account.totp_uri})\n"
                f"    recovery codes: {' '.join(account.recovery_codes)}\n"
                f"                    (each works once instead of an app code)")
        self.stdout.write("\nSign in at http://127.0.0.1:8000/account/sign-in/")
