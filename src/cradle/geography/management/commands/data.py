from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cradle.geography.actions import load_reference_geography
from cradle.geography.build.sources import SourceError
from cradle.geography.reference_files import DATA_DIR, ReferenceDataError

DEFAULT_SOURCE = Path("..") / "shared" / "data"


class Command(BaseCommand):
    help = (
        "Reference data. `build` makes the shipped files from the public sources; "
        "`load` puts the shipped files into the database (idempotent)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Build src/cradle/geography/data from sources.")
        build.add_argument(
            "--source", type=Path,
            default=Path(settings.CRADLE_SOURCE_DATA_DIR) if settings.CRADLE_SOURCE_DATA_DIR
            else DEFAULT_SOURCE,
            help="Folder of source files (default ../shared/data or $CRADLE_SOURCE_DATA_DIR).")
        build.add_argument("--output", type=Path, default=DATA_DIR)
        load = sub.add_parser("load", help="Load the shipped reference data into the database.")
        load.add_argument("--data-dir", type=Path, default=DATA_DIR)

    def handle(self, *args, action, **options):
        if action == "build":
            self.build(options["source"], options["output"])
        else:
            self.load(options["data_dir"])

    def build(self, source: Path, output: Path) -> None:
        from cradle.geography.build.run import build

        if not source.is_dir():
            raise CommandError(f"source folder {source} does not exist (use --source)")
        try:
            manifest = build(source, output)
        except (SourceError, ValueError) as error:
            raise CommandError(f"build stopped: {error}") from error
        for name, info in manifest["files"].items():
            self.stdout.write(f"{name}: {info['rows']} rows")
        for check in manifest["checks"]:
            self.stdout.write(f"check: {check}")
        self.stdout.write(self.style.SUCCESS(f"Reference data written to {output}"))

    def load(self, data_dir: Path) -> None:
        from cradle.directory.register_import import RegisterError, load_register

        try:
            geography = load_reference_geography(data_dir=data_dir)
            self.report("Reference geography", geography)
            self.report("Register of services (2019, its 2020-2025 updates and sourced details) and team counts", load_register())
        except (ReferenceDataError, RegisterError) as error:
            raise CommandError(f"nothing was loaded: {error}") from error

    def report(self, what: str, changes: dict) -> None:
        if not any(sum(counts.values()) for counts in changes.values()):
            self.stdout.write(f"{what}: already up to date; nothing changed.")
            return
        for table, counts in changes.items():
            self.stdout.write(
                f"{table}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['deleted']} deleted")
        self.stdout.write(self.style.SUCCESS(f"{what} loaded."))
