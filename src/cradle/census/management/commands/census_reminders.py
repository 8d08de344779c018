"""`cradle census_reminders`: email the census reminders due today, for every open round.

Run it daily (cron, or a scheduler): schedule.reminder_due says who is due, so running it
twice in a day, or after a missed day, reminds nobody twice. Sent here, not through a
background job, so a scheduler sees its exit status; a refused email stops it with the rest
unsent, and the next run sends them.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cradle.census import actions
from cradle.census.models import CensusRound


class Command(BaseCommand):
    help = "Email the census reminders due today (services with a link that have not answered)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True,
                            help="The site's address, for the links: https://cradle.example.org")

    def handle(self, *args, base_url: str, **options):
        today, base = timezone.localdate(), base_url.rstrip("/")
        sent = 0
        for census_round in CensusRound.objects.open_on(today):
            for invitation in census_round.invitations.unanswered().exclude(email=""):
                try:
                    sent += actions.send_reminder(invitation=invitation, on=today,
                                                  by="census_reminders",
                                                  absolute=lambda path: base + path)
                except OSError:
                    raise CommandError(f"{sent} reminders sent, then the mail server refused "
                                       "one; run again to send the rest.") from None
        self.stdout.write(f"{sent} census reminder{'' if sent == 1 else 's'} sent.")
