from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cradle.quality.standards import DATA_FILE, load_standards


class Command(BaseCommand):
    help = ("Quality standards (ADR 0038). `load-standards` loads the shipped starting set "
            "(idempotent: a set already loaded, by its key and version, is left as it is).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load-standards", help="Load a standards set from its JSON file.")
        load.add_argument("--file", type=Path, default=DATA_FILE)

    def handle(self, *args, subcommand, **options):
        path = options["file"]
        try:
            standards_set, created = load_standards(path)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"nothing was loaded: {error}") from error
        if created:
            self.stdout.write(self.style.SUCCESS(
                f"{standards_set} loaded: {standards_set.standards.count()} standards in "
                f"{standards_set.domains.count()} domains."))
        else:
            self.stdout.write(f"{standards_set} is already loaded; nothing changed.")
