"""`cradle opendata snapshot [--date YYYY-MM-DD]`: the dated bulk download (ADR 0037)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cradle.opendata import snapshots


class Command(BaseCommand):
    help = ("Open data. `snapshot` writes today's (or --date's) snapshot of every public "
            "table, unless one of that date exists or nothing changed since the newest; run "
            "it daily (cron or a systemd timer).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        command = sub.add_parser("snapshot", help="Write a dated snapshot if the data changed.")
        command.add_argument("--date", help="The date the figures are for (YYYY-MM-DD, not "
                                            "in the future); today by default.")

    def handle(self, *args, subcommand, date=None, **options):
        today = timezone.localdate()
        try:
            on = datetime.date.fromisoformat(date) if date else today
        except ValueError as error:
            raise CommandError(f"--date must be a date written YYYY-MM-DD: {date}") from error
        if on > today:
            raise CommandError("--date must be today or in the past")
        try:
            built = snapshots.build(on)
        except snapshots.SnapshotError as error:
            raise CommandError(str(error)) from error
        snapshot = built.snapshot
        if built.why == "created":
            self.stdout.write(f"snapshot {on.isoformat()} written: {len(snapshot.files)} "
                              f"files, {snapshot.total_bytes} bytes, version "
                              f"{snapshot.data_version[:16]}")
        elif built.why == "exists":
            self.stdout.write(f"snapshot {on.isoformat()} exists already: nothing written")
        else:
            self.stdout.write(f"nothing changed since the snapshot of "
                              f"{snapshot.on.isoformat()}: nothing written")
